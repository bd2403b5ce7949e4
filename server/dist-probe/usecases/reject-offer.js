/** An agent rejects the conversation offered to them: it counts as a decline and the router offers it to someone else. */
import { DomainError } from "../domain/errors.js";
import { requireConversation } from "./conversation-access.js";
export function rejectOffer(db, conversationId, agentId, now) {
    return db.transaction(async (tx) => {
        const c = await requireConversation(tx, conversationId);
        if (c.offerAgentId !== agentId || c.state !== 'open')
            throw new DomainError('offer_not_yours', 'This conversation is not offered to you.');
        await tx.recordDecline(conversationId, agentId, now);
        await tx.updateConversation(conversationId, { offerAgentId: null, offerExpiresAt: null }, now);
        tx.emit('offer_withdrawn', agentId, { conversationId, reason: 'rejected' });
    });
}
//# sourceMappingURL=reject-offer.js.map