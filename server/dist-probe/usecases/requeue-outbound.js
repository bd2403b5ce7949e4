/** An agent retries a reply that failed before reaching WhatsApp: back in the outbox, status queued. */
import { listenersOf } from "../domain/conversation-rules.js";
import { assertMayMessage } from "../domain/consent.js";
import { DomainError, notFound } from "../domain/errors.js";
import { requireConversation } from "./conversation-access.js";
export function requeueOutbound(db, messageId, now) {
    return db.transaction(async (tx) => {
        const message = await tx.getMessage(messageId, true);
        if (!message)
            throw notFound('Message');
        // A message with a sid reached Twilio: resending it could reach the customer twice.
        if (message.direction !== 'outbound' || message.status !== 'failed' || message.twilioSid) {
            throw new DomainError('not_retryable', 'Only a message that failed before reaching WhatsApp can be retried.');
        }
        const conversation = await requireConversation(tx, message.conversationId);
        assertMayMessage(conversation);
        await tx.updateMessageStatus(messageId, 'queued', null, null);
        await tx.enqueue(messageId, conversation.businessPhone, conversation.customerPhone, now);
        const data = { conversationId: conversation.id, messageId, status: 'queued', errorCode: null, errorMessage: null };
        for (const agentId of listenersOf(conversation))
            tx.emit('status', agentId, data);
        return (await tx.getMessage(messageId));
    });
}
//# sourceMappingURL=requeue-outbound.js.map