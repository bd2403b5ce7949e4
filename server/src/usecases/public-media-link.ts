/**
 * The public link of an agent's upload (routes/public-media.ts) is what Twilio fetches, without
 * our credentials, when it sends the message and again on its own retries. It opens for a day
 * from each time a message carrying the file is queued — the send, and an agent's retry of a
 * failed send — not from the upload: a reply retried the next day, once the customer writes
 * again, must not hand Twilio a link that has expired. An upload no message carries is not served.
 */
import type { MediaRef } from '../store/port.ts';
import type { Tx } from '../store/tx.ts';

/** Covers Twilio's fetch at the send and its own retries of it, with a wide margin. */
export const PUBLIC_LINK_TTL_MS = 24 * 60 * 60 * 1000;

export async function renewPublicLinks(tx: Tx, media: readonly MediaRef[], now: number): Promise<void> {
  for (const m of media) await tx.renewPublicLink(m.id, now + PUBLIC_LINK_TTL_MS);
}
