import { nextStatus } from '@wcp/protocol/status-order';
import { consentChangeOfError } from "../domain/consent.js";
import { listenersOf } from "../domain/conversation-rules.js";
import { agentErrorOf } from "../twilio/errors.js";
import { recordConsent } from "./record-consent.js";
/**
 * Moves the message's status forward and tells its listeners; null when `incoming` is not
 * forward, else the events written.
 * The caller holds the message's row lock.
 */
export async function advanceStatus(tx, message, incoming, errorCode, errorMessage, now) {
    const status = nextStatus(message.status, incoming);
    if (status === message.status)
        return null;
    const failed = status === 'failed' || status === 'undelivered';
    const code = failed ? errorCode : message.errorCode;
    const text = failed ? errorMessage : message.errorMessage;
    await tx.updateMessageStatus(message.id, status, code, text);
    const conversation = (await tx.getConversation(message.conversationId));
    const error = failed && code !== null ? { error: agentErrorOf(code) } : {};
    const data = { conversationId: conversation.id, messageId: message.id, status, errorCode: code, errorMessage: text, ...error };
    const events = listenersOf(conversation).map((agentId) => tx.emit('status', agentId, data));
    // Twilio 21610 or 63014: the customer opted out; every later send is refused.
    const consent = failed ? consentChangeOfError(code) : null;
    if (consent)
        events.push(...(await recordConsent(tx, conversation, consent, message.id, now)).events);
    return events;
}
//# sourceMappingURL=message-status.js.map