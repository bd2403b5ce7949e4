/** `npm run doctor`: checks the relay's configuration against its store, Twilio and Entra; exits 1 if any check fails. */
import { runDoctor } from "../doctor/checks.js";
// Exit explicitly: a store that failed half-way may leave a connection pool or a timer open.
process.exit(await runDoctor());
//# sourceMappingURL=doctor.js.map