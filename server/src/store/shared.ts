/** Constants and helpers both SQL adapters share. */

/**
 * WhatsApp accepts 80 messages a second per business sender. We pace at 78 so timer
 * jitter (sends bunching after an event-loop stall) never puts 81 into one second.
 */
export const SEND_INTERVAL_MS = 1000 / 78;

/** A claim hands out a sender's pacing slots up to this far ahead. */
export const PACING_LOOKAHEAD_MS = 1000;

/** Slots a sender can use in one claim. */
export const MAX_CLAIM_PER_SENDER = Math.floor(PACING_LOOKAHEAD_MS / SEND_INTERVAL_MS) + 1;

/** An in-flight send older than this belongs to a stopped process (Twilio calls time out well before). */
export const OUTBOX_LEASE_MS = 60_000;

/**
 * Turns what an agent typed into a safe SQLite FTS5 query: words only, each a quoted
 * prefix term, all required. Operators typed by the agent are never interpreted.
 */
export function ftsQuery(input: string): string | null {
  const words = input.toLowerCase().match(/[\p{L}\p{N}]+/gu)?.slice(0, 8) ?? [];
  return words.length ? words.map((w) => `"${w}"*`).join(' ') : null;
}
