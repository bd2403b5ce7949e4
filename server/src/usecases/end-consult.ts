/** A consult ends: the consultant leaves its own, the holder (or a supervisor) ends them all. */
import { toApiConversation } from '../api-mapping.ts';
import { canAct, isConsultant } from '../domain/conversation-rules.ts';
import { notFound } from '../domain/errors.ts';
import type { ConversationRow, Viewer } from '../store/port.ts';
import type { Database, Tx } from '../store/tx.ts';
import { requireConversation } from './conversation-access.ts';
import { emitConversation } from './emit-conversation.ts';

export function endConsult(db: Database, conversationId: string, viewer: Viewer, now: number): Promise<ConversationRow> {
  return db.transaction(async (tx) => {
    const c = await requireConversation(tx, conversationId);
    const ending = canAct(c, viewer) ? c.consultants : isConsultant(c, viewer) ? [viewer.agentId] : null;
    if (ending === null) throw notFound('Conversation');
    if (ending.length === 0) return c;
    const ended = await tx.updateConversation(c.id, { consultants: c.consultants.filter((id) => !ending.includes(id)) }, now);
    tellConsultEnded(tx, ended, ending);
    emitConversation(tx, ended);
    return ended;
  });
}

/** Each of these consultants is told its consult is over (its panel closes the read-only tab). */
export function tellConsultEnded(tx: Tx, c: ConversationRow, consultants: readonly string[]): void {
  for (const agentId of consultants) tx.emit('consult', agentId, { conversationId: c.id, conversation: toApiConversation(c), ended: true });
}
