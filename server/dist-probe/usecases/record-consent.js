/**
 * A customer's consent changes (a STOP/START keyword, or a Twilio error that says they opted
 * out): logged with its time and cause, copied onto the pair's conversations, and each
 * conversation's agent told; on an opt-out, replies still waiting in the outbox fail unsent.
 * Nothing is logged when the consent is already as asked.
 */
import { listenersOf } from "../domain/conversation-rules.js";
import { emitConversation } from "./emit-conversation.js";
import { OPTED_OUT_MESSAGE } from "../domain/consent.js";
/** The conversation as it is after the change (itself when nothing changed), and the events written. */
export async function recordConsent(tx, conversation, change, messageId, now) {
    if (conversation.optedOut === change.optedOut)
        return { conversation, events: [] };
    const changed = await tx.recordConsent({
        customerPhone: conversation.customerPhone,
        businessPhone: conversation.businessPhone,
        optedOut: change.optedOut,
        cause: change.cause,
        messageId,
        createdAt: now,
    });
    const events = changed.filter((c) => c.state !== 'closed').flatMap((c) => emitConversation(tx, c));
    if (change.optedOut) {
        // Replies still waiting in the outbox never reach Twilio (one already in flight may).
        for (const id of await tx.withdrawQueued(changed.map((c) => c.id))) {
            const message = (await tx.getMessage(id));
            await tx.updateMessageStatus(id, 'failed', null, OPTED_OUT_MESSAGE);
            const owner = changed.find((c) => c.id === message.conversationId);
            for (const agentId of listenersOf(owner)) {
                events.push(tx.emit('status', agentId, { conversationId: owner.id, messageId: id, status: 'failed', errorCode: null, errorMessage: OPTED_OUT_MESSAGE }));
            }
        }
    }
    return { conversation: changed.find((c) => c.id === conversation.id) ?? { ...conversation, optedOut: change.optedOut }, events };
}
//# sourceMappingURL=record-consent.js.map