/** How fast the relay sends for one WhatsApp sender, and how long a claimed send is held. */
/**
 * WhatsApp accepts 80 messages a second per business sender. We pace at 78 so timer
 * jitter (sends bunching after an event-loop stall) never puts 81 into one second.
 */
export const SEND_INTERVAL_MS = 1000 / 78;
/** A claim hands out a sender's pacing slots up to this far ahead. */
export const PACING_LOOKAHEAD_MS = 1000;
/** Slots a sender can use in one claim. */
export const MAX_CLAIM_PER_SENDER = Math.floor(PACING_LOOKAHEAD_MS / SEND_INTERVAL_MS) + 1;
/**
 * An in-flight send older than this belongs to a stopped process, and another instance takes
 * it (asking Twilio first whether it already has it). It must outlast the longest a live send
 * can take from its claim to its recorded result: the pacing slot (PACING_LOOKAHEAD_MS, 1 s),
 * Twilio's answer (the transport's 15 s timeout) and the write — so 30 s. Shorter than the
 * 60 s it was: a reply a killed instance had claimed goes out half a minute sooner.
 */
export const OUTBOX_LEASE_MS = 30_000;
//# sourceMappingURL=pacing.js.map