/** Who may see and act on a conversation. Another agent's conversation is a 404, not a 403. */
import type { FastifyRequest } from 'fastify';
import { notFound } from '../../domain/errors.ts';
import { actionable, canRead } from '../../domain/conversation-rules.ts';
import type { ConversationRow, Store, Viewer } from '../../store/port.ts';

/** The signed-in agent as the store sees it. */
export const viewerOf = (request: FastifyRequest): Viewer => ({
  agentId: request.agent.id,
  supervisor: request.agent.role === 'supervisor',
});

export async function readableConversation(store: Store, id: string, viewer: Viewer, now: number): Promise<ConversationRow> {
  const c = await store.getConversation(id);
  if (!c || !canRead(c, viewer, now)) throw notFound('Conversation');
  return c;
}

/** Acting (sending, notes) needs the assignment; supervisors may act on any. */
export async function ownedConversation(store: Store, id: string, viewer: Viewer, now: number): Promise<ConversationRow> {
  return actionable(await store.getConversation(id), viewer, now);
}
