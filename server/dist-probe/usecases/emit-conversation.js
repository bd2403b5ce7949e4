import { toApiConversation } from "../api-mapping.js";
import { listenersOf } from "../domain/conversation-rules.js";
/** Tells the conversation's agent (or its offeree, and supervisors) and its consultants that it changed. */
export function emitConversation(tx, c) {
    const data = { conversationId: c.id, conversation: toApiConversation(c) };
    return listenersOf(c).map((agentId) => tx.emit('state', agentId, data));
}
//# sourceMappingURL=emit-conversation.js.map