/**
 * The customer wrote to a conversation its agent had left waiting for them: it is active again,
 * with the same agent (Omnichannel moves Waiting to Active when the customer replies on a
 * messaging channel), and its agent's panel says so. Run after the message is stored, in a
 * transaction of its own: the inbound webhook's unit stays one statement (Database.grouped),
 * and a conversation that stayed waiting (a crash in between) loses nothing but the label.
 */
import type { ConversationRow } from '../store/port.ts';
import type { Database } from '../store/tx.ts';
import { emitConversation } from './emit-conversation.ts';

/** The conversation made active, or null when it is no longer waiting (the agent moved it meanwhile). */
export function resumeWaiting(db: Database, conversationId: string, now: number): Promise<ConversationRow | null> {
  return db.transaction(async (tx) => {
    const c = await tx.getConversation(conversationId, true);
    if (c?.state !== 'waiting') return null;
    const resumed = await tx.updateConversation(c.id, { state: 'active' }, now);
    emitConversation(tx, resumed);
    return resumed;
  });
}
