/** An agent retries a reply that failed before reaching WhatsApp: back in the outbox, status queued. */
import { assertMayReply, listenersOf } from '../domain/conversation-rules.ts';
import { assertMayMessage } from '../domain/consent.ts';
import { DomainError, notFound } from '../domain/errors.ts';
import type { MessageRow } from '../store/port.ts';
import type { Database } from '../store/tx.ts';
import { requireConversation } from './conversation-access.ts';
import { renewPublicLinks } from './public-media-link.ts';

export function requeueOutbound(db: Database, messageId: string, now: number): Promise<MessageRow> {
  return db.transaction(async (tx) => {
    const message = await tx.getMessage(messageId, true);
    if (!message) throw notFound('Message');
    // A message with a sid reached Twilio: resending it could reach the customer twice.
    if (message.direction !== 'outbound' || message.status !== 'failed' || message.twilioSid) {
      throw new DomainError('not_retryable', 'Only a message that failed before reaching WhatsApp can be retried.');
    }
    const conversation = await requireConversation(tx, message.conversationId);
    // Ended (wrap-up) or closed since it failed: nothing more goes to the customer from it.
    assertMayReply(conversation);
    assertMayMessage(conversation);
    await tx.updateMessageStatus(messageId, 'queued', null, null);
    await tx.enqueue(messageId, conversation.businessPhone, conversation.customerPhone, now);
    await renewPublicLinks(tx, message.media, now);
    // `retried`: every panel showing it moves it back from failed (status-order.ts would keep failed).
    const data = { conversationId: conversation.id, messageId, status: 'queued' as const, errorCode: null, errorMessage: null, retried: true as const };
    for (const agentId of listenersOf(conversation)) tx.emit('status', agentId, data);
    return (await tx.getMessage(messageId))!;
  });
}
