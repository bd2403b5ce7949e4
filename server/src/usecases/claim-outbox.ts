/**
 * The outbox's claim rule: due sends are taken each under a lease (a stopped process's claims
 * come back after it, marked in doubt) and each with a pacing slot of its sender's, shared by
 * every instance, so no sender goes past WhatsApp's rate (outbox/pacing.ts). Two callers use
 * it: the outbox worker's claim (claimOutbox, every sender), and a reply's own transaction
 * (queue-outbound.ts, its sender only), so a reply whose sender's slot is free goes to the
 * transport without waiting for a second transaction.
 */
import { MAX_CLAIM_PER_SENDER, OUTBOX_LEASE_MS, PACING_LOOKAHEAD_MS, SEND_INTERVAL_MS } from '../outbox/pacing.ts';
import type { OutboxItem } from '../store/port.ts';
import type { Database, Tx } from '../store/tx.ts';

export function claimOutbox(db: Database, now: number, limit: number): Promise<OutboxItem[]> {
  return db.transaction((tx) => claimDue(tx, now, limit, null));
}

/**
 * Claims what is due at `now` (of `sender` only, when given), oldest first, inside the caller's
 * transaction: each item's slot is its sender's next one, and an item whose slot is more than
 * PACING_LOOKAHEAD_MS away is left for a later claim, together with everything after it.
 */
export async function claimDue(tx: Tx, now: number, limit: number, sender: string | null): Promise<OutboxItem[]> {
  // At most a second of slots per sender, and only the slots it has free in that second: neither one
  // sender's backlog nor several busy senders' can fill the batch ahead of a sender that can send now.
  const due = await tx.dueOutbox(now, MAX_CLAIM_PER_SENDER, limit, sender, { until: now + PACING_LOOKAHEAD_MS, interval: SEND_INTERVAL_MS });
  if (due.length === 0) return [];
  const slots = await tx.senderSlots([...new Set(due.map((item) => item.sender))]);
  const claimed: OutboxItem[] = [];
  for (const item of due) {
    const sendAt = Math.max(slots.get(item.sender)!, now);
    // Leave the rest for the next claim once this sender's slots are far enough ahead.
    if (sendAt > now + PACING_LOOKAHEAD_MS) continue;
    slots.set(item.sender, sendAt + SEND_INTERVAL_MS);
    // The in-flight mark survives a claim while an earlier attempt's outcome is unknown.
    await tx.markInflight(item.messageId, item.inDoubtSince ?? sendAt, sendAt + OUTBOX_LEASE_MS);
    claimed.push({ ...item, sendAt });
  }
  for (const [name, next] of slots) await tx.setSenderSlot(name, next);
  return claimed;
}
