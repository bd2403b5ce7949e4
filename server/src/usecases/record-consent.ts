/**
 * A customer's consent changes (a STOP/START keyword, or a Twilio error that says they opted
 * out): logged with its time and cause, copied onto the pair's conversations, and each
 * conversation's agent told. Nothing is logged when the consent is already as asked.
 */
import { toApiConversation } from '../api-mapping.ts';
import { audienceOf } from '../domain/conversation-rules.ts';
import type { ConsentChange } from '../domain/consent.ts';
import type { ConversationRow, StoredEvent } from '../store/port.ts';
import type { Tx } from '../store/tx.ts';

/** The conversation as it is after the change (itself when nothing changed), and the events written. */
export async function recordConsent(
  tx: Tx,
  conversation: ConversationRow,
  change: ConsentChange,
  messageId: string | null,
  now: number,
): Promise<{ conversation: ConversationRow; events: (StoredEvent | null)[] }> {
  if (conversation.optedOut === change.optedOut) return { conversation, events: [] };
  const changed = await tx.recordConsent({
    customerPhone: conversation.customerPhone,
    businessPhone: conversation.businessPhone,
    optedOut: change.optedOut,
    cause: change.cause,
    messageId,
    createdAt: now,
  });
  const events = changed.filter((c) => c.state !== 'closed').map((c) => tx.emit('state', audienceOf(c), { conversationId: c.id, conversation: toApiConversation(c) }));
  return { conversation: changed.find((c) => c.id === conversation.id) ?? { ...conversation, optedOut: change.optedOut }, events };
}
