/**
 * Twilio reported on an agent's reply (its answer to the send, or a status callback): the
 * first reply that opens an ad conversation's free entry point (window/free-entry.ts) starts
 * its clock, and the panels showing the conversation learn when it ends. Later reports, and
 * replies after the first, change nothing.
 */
import type { MessageStatus } from '@wcp/protocol';
import type { ConversationRow, MessageRow, StoredEvent } from '../store/port.ts';
import type { Tx } from '../store/tx.ts';
import { freeEntryOpenedAt, referralArrivedAt } from '../window/free-entry.ts';
import { emitConversation } from './emit-conversation.ts';

export async function openFreeEntry(tx: Tx, conversation: ConversationRow, reply: MessageRow, reported: MessageStatus): Promise<StoredEvent[]> {
  if (conversation.firstReplyAt !== null || reply.direction !== 'outbound') return [];
  const at = freeEntryOpenedAt(referralArrivedAt(conversation), { queuedAt: reply.createdAt, reported });
  // Two replies reported at once: the first to write it wins, and only it tells the panels.
  if (at === null || !(await tx.markFirstReply(conversation.id, at))) return [];
  return emitConversation(tx, { ...conversation, firstReplyAt: at });
}
