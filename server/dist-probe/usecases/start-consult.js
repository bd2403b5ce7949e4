/** The holder invites a colleague to consult: it reads the conversation and adds notes, never writes to the customer. */
import { toApiConversation } from "../api-mapping.js";
import { DomainError, notFound } from "../domain/errors.js";
import { requireActionable } from "./conversation-access.js";
import { emitConversation } from "./emit-conversation.js";
export function startConsult(db, conversationId, viewer, consultantId, now) {
    return db.transaction(async (tx) => {
        const c = await requireActionable(tx, conversationId, viewer);
        if (c.state === 'closed')
            throw new DomainError('conversation_closed', 'This conversation is closed.');
        if (consultantId === viewer.agentId || consultantId === c.assignedAgentId)
            throw new DomainError('invalid_request', 'Consult a colleague, not the holder.');
        if (!(await tx.getAgent(consultantId)))
            throw notFound('Agent');
        if (c.consultants.includes(consultantId))
            return c;
        const consulted = await tx.updateConversation(c.id, { consultants: [...c.consultants, consultantId] }, now);
        tx.emit('consult', consultantId, { conversationId: c.id, conversation: toApiConversation(consulted), ended: false });
        emitConversation(tx, consulted);
        return consulted;
    });
}
//# sourceMappingURL=start-consult.js.map