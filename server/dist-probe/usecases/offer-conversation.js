/**
 * The router offers an open conversation to one agent (the incoming notification with
 * Accept). Of two instances offering at once, the second finds the offer live and stands down.
 */
import { toApiConversation, toApiMessage } from "../api-mapping.js";
import { offerIsLive } from "../domain/conversation-rules.js";
export function offerConversation(db, conversationId, agentId, expiresAt, now) {
    return db.transaction(async (tx) => {
        const c = await tx.getConversation(conversationId, true);
        if (!c || c.state !== 'open' || offerIsLive(c, now))
            return false;
        await offerTo(tx, c, agentId, expiresAt, now);
        return true;
    });
}
/** Offers the conversation to one agent; a transferred one's offer says who handed it over and why. */
export async function offerTo(tx, c, agentId, expiresAt, now) {
    const offered = await tx.updateConversation(c.id, { offerAgentId: agentId, offerExpiresAt: expiresAt }, now);
    await tx.markOffered(agentId, now);
    const latest = await tx.latestInbound(c.id);
    tx.emit('offer', agentId, { conversationId: c.id, conversation: toApiConversation(offered), firstMessage: latest ? toApiMessage(latest) : null, transfer: offered.transfer });
    return offered;
}
//# sourceMappingURL=offer-conversation.js.map