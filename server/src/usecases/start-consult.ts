/** The holder invites a colleague to consult: it reads the conversation and adds notes, never writes to the customer. */
import { toApiConversation } from '../api-mapping.ts';
import { DomainError, notFound } from '../domain/errors.ts';
import type { ConversationRow, Viewer } from '../store/port.ts';
import type { Database } from '../store/tx.ts';
import { requireActionable } from './conversation-access.ts';
import { emitConversation } from './emit-conversation.ts';

export function startConsult(db: Database, conversationId: string, viewer: Viewer, consultantId: string, now: number): Promise<ConversationRow> {
  return db.transaction(async (tx) => {
    const c = await requireActionable(tx, conversationId, viewer, now);
    // A supervisor acts on any conversation, but a consult is the holder's call (DESIGN.md: "holder").
    if (c.assignedAgentId !== viewer.agentId) throw new DomainError('forbidden', 'Only the agent holding the conversation invites a colleague to consult.');
    if (c.state === 'closed') throw new DomainError('conversation_closed', 'This conversation is closed.');
    if (consultantId === viewer.agentId || consultantId === c.assignedAgentId) throw new DomainError('invalid_request', 'Consult a colleague, not the holder.');
    const consultant = await tx.getAgent(consultantId);
    if (!consultant) throw notFound('Agent');
    if (c.consultants.includes(consultantId)) return c;
    // Busy or at capacity, a colleague can still read along and add a note; offline, no one would see it.
    if (consultant.presence === 'offline') throw new DomainError('agent_unavailable', `${consultant.name} is offline.`);
    const consulted = await tx.updateConversation(c.id, { consultants: [...c.consultants, consultantId] }, now);
    tx.emit('consult', consultantId, { conversationId: c.id, conversation: toApiConversation(consulted), ended: false });
    emitConversation(tx, consulted);
    return consulted;
  });
}
