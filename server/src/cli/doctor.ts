/** `npm run doctor`: checks the relay's configuration against its store, Twilio and Entra; exits 1 if any check fails. */
import { runDoctor } from '../doctor/checks.ts';

process.exitCode = await runDoctor();
