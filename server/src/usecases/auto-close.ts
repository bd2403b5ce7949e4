/**
 * Conversations left alone close themselves (disposition auto-closed, no summary): those left
 * waiting with no customer message for AUTO_CLOSE_AFTER, and those left in wrap-up past the end
 * set on entering it (WRAP_UP_CLOSE_AFTER), which would otherwise hold the agent's capacity and
 * keep the CRM activity open for ever.
 */
import { autoCloseDue, wrapUpCloseDue } from '../domain/conversation-rules.ts';
import { AUTO_CLOSED } from '../domain/dispositions.ts';
import type { ConversationRow } from '../store/port.ts';
import type { Database, Tx } from '../store/tx.ts';
import { closeConversation } from './change-state.ts';

export function autoClose(db: Database, afterMs: number, now: number): Promise<ConversationRow[]> {
  return db.transaction(async (tx) => {
    // Locked: a customer's message committing first moves the row out of the pass.
    const idle = (await tx.listIdleWaiting(now - afterMs)).filter((c) => autoCloseDue(c, now, afterMs));
    return closeAll(tx, idle, now);
  });
}

export function closeLapsedWrapUps(db: Database, now: number): Promise<ConversationRow[]> {
  return db.transaction(async (tx) => {
    // Locked: the agent's own close committing first moves the row out of the pass.
    const lapsed = (await tx.listLapsedWrapUps(now)).filter((c) => wrapUpCloseDue(c, now));
    return closeAll(tx, lapsed, now);
  });
}

async function closeAll(tx: Tx, conversations: ConversationRow[], now: number): Promise<ConversationRow[]> {
  const closed: ConversationRow[] = [];
  for (const c of conversations) closed.push(await closeConversation(tx, c, { disposition: AUTO_CLOSED, summary: null }, now));
  return closed;
}
