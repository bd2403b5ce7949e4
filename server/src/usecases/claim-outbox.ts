/**
 * The outbox worker claims due sends: each under a lease (a stopped process's claims come
 * back after it, marked in doubt) and each with a pacing slot of its sender's, shared by
 * every instance, so no sender goes past WhatsApp's rate (outbox/pacing.ts).
 */
import { MAX_CLAIM_PER_SENDER, OUTBOX_LEASE_MS, PACING_LOOKAHEAD_MS, SEND_INTERVAL_MS } from '../outbox/pacing.ts';
import type { OutboxItem } from '../store/port.ts';
import type { Database } from '../store/tx.ts';

export function claimOutbox(db: Database, now: number, limit: number): Promise<OutboxItem[]> {
  return db.transaction(async (tx) => {
    // At most a second of slots per sender, so one sender's backlog cannot fill the batch.
    const due = await tx.dueOutbox(now, MAX_CLAIM_PER_SENDER, limit);
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
    for (const [sender, next] of slots) await tx.setSenderSlot(sender, next);
    return claimed;
  });
}
