import { toApiConversation } from '../api-mapping.ts';
import { audienceOf } from '../domain/conversation-rules.ts';
import type { ConversationRow } from '../store/port.ts';
import type { Tx } from '../store/tx.ts';

/** Tells the conversation's agent (or its offeree, and supervisors) that it changed. */
export function emitConversation(tx: Tx, c: ConversationRow): void {
  tx.emit('state', audienceOf(c), { conversationId: c.id, conversation: toApiConversation(c) });
}
