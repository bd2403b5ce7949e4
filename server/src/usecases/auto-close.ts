/** Conversations left waiting with no customer message for AUTO_CLOSE_AFTER close themselves (disposition auto-closed). */
import { autoCloseDue } from '../domain/conversation-rules.ts';
import { AUTO_CLOSED } from '../domain/dispositions.ts';
import type { ConversationRow } from '../store/port.ts';
import type { Database } from '../store/tx.ts';
import { closeConversation } from './change-state.ts';

export function autoClose(db: Database, afterMs: number, now: number): Promise<ConversationRow[]> {
  return db.transaction(async (tx) => {
    // Locked: a customer's message committing first moves the row out of the pass.
    const idle = (await tx.listIdleWaiting(now - afterMs)).filter((c) => autoCloseDue(c, now, afterMs));
    const closed: ConversationRow[] = [];
    for (const c of idle) closed.push(await closeConversation(tx, c, { disposition: AUTO_CLOSED, summary: null }, now));
    return closed;
  });
}
