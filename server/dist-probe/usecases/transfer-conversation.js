/**
 * The holder (or a supervisor) hands a conversation to another agent (an offer that says who
 * and why) or to a queue; the transcript, notes and links travel with it, and the holder no
 * longer sees it.
 */
import { DomainError, notFound } from "../domain/errors.js";
import { requireActionable } from "./conversation-access.js";
import { handOver, requireAvailableAgent } from "./hand-over.js";
export function transferConversation(db, conversationId, viewer, target, offerExpiresAt, now) {
    return db.transaction(async (tx) => {
        const c = await requireActionable(tx, conversationId, viewer);
        if (c.state === 'closed')
            throw new DomainError('conversation_closed', 'This conversation is closed.');
        const transfer = { fromAgentId: viewer.agentId, fromAgentName: viewer.agentName, note: target.note };
        if (target.agentId !== undefined) {
            if (target.agentId === viewer.agentId || target.agentId === c.assignedAgentId)
                throw new DomainError('transfer_to_self', 'The conversation is already yours.');
            await requireAvailableAgent(tx, target.agentId, now);
            return handOver(tx, c, { transfer }, { agentId: target.agentId, expiresAt: offerExpiresAt }, now);
        }
        if (!(await tx.getQueue(target.queueId)))
            throw notFound('Queue');
        return handOver(tx, c, { transfer, queueId: target.queueId }, null, now);
    });
}
//# sourceMappingURL=transfer-conversation.js.map