/** An agent accepts the conversation offered to them: it becomes theirs and active. Once, by that agent, before the offer expires. */
import { DomainError } from "../domain/errors.js";
import { offerIsLive } from "../domain/conversation-rules.js";
import { emitConversation } from "./emit-conversation.js";
import { requireConversation } from "./conversation-access.js";
export function acceptOffer(db, conversationId, agentId, now) {
    return db.transaction(async (tx) => {
        const c = await requireConversation(tx, conversationId);
        if (c.offerAgentId !== agentId || c.state !== 'open') {
            if (c.assignedAgentId === agentId && c.state !== 'open')
                return c; // accepting twice is harmless
            throw new DomainError('offer_not_yours', 'This conversation is not offered to you.');
        }
        if (c.offerExpiresAt !== null && !offerIsLive(c, now))
            throw new DomainError('offer_expired', 'The offer has expired and passed to another agent.');
        const accepted = await tx.updateConversation(conversationId, { state: 'active', assignedAgentId: agentId, offerAgentId: null, offerExpiresAt: null, transfer: null, waitingSince: null }, now);
        tx.emit('offer_withdrawn', agentId, { conversationId, reason: 'accepted' });
        emitConversation(tx, accepted);
        // The queue's waiting count fell: announced coalesced by the caller (routing/queue-announcer.ts),
        // not here: one event per member per accept held every stream back (test/bench/README.md).
        return accepted;
    });
}
//# sourceMappingURL=accept-offer.js.map