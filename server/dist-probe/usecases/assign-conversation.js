/** A supervisor offers an open conversation to one agent, whatever its queue and earlier declines. */
import { DomainError } from "../domain/errors.js";
import { requireConversation } from "./conversation-access.js";
import { handOver, requireAvailableAgent } from "./hand-over.js";
export function assignConversation(db, conversationId, agentId, offerExpiresAt, now) {
    return db.transaction(async (tx) => {
        const c = await requireConversation(tx, conversationId);
        if (c.state !== 'open')
            throw new DomainError('invalid_transition', 'Only an open conversation (waiting for an agent) can be assigned; transfer an accepted one.');
        await requireAvailableAgent(tx, agentId, now);
        return handOver(tx, c, {}, { agentId, expiresAt: offerExpiresAt }, now);
    });
}
//# sourceMappingURL=assign-conversation.js.map