import { toApiConversation } from '../api-mapping.ts';
import { listenersOf } from '../domain/conversation-rules.ts';
import type { ConversationRow, StoredEvent } from '../store/port.ts';
import type { Tx } from '../store/tx.ts';

/** Tells the conversation's agent (or its offeree, and supervisors) and its consultants that it changed. */
export function emitConversation(tx: Tx, c: ConversationRow): StoredEvent[] {
  const data = { conversationId: c.id, conversation: toApiConversation(c) };
  return listenersOf(c).map((agentId) => tx.emit('state', agentId, data));
}
