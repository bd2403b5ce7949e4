/** A consult ends: the consultant leaves its own, the holder (or a supervisor) ends them all. */
import { toApiConversation } from "../api-mapping.js";
import { canAct, isConsultant } from "../domain/conversation-rules.js";
import { notFound } from "../domain/errors.js";
import { requireConversation } from "./conversation-access.js";
import { emitConversation } from "./emit-conversation.js";
export function endConsult(db, conversationId, viewer, now) {
    return db.transaction(async (tx) => {
        const c = await requireConversation(tx, conversationId);
        const ending = canAct(c, viewer) ? c.consultants : isConsultant(c, viewer) ? [viewer.agentId] : null;
        if (ending === null)
            throw notFound('Conversation');
        if (ending.length === 0)
            return c;
        const ended = await tx.updateConversation(c.id, { consultants: c.consultants.filter((id) => !ending.includes(id)) }, now);
        tellConsultEnded(tx, ended, ending);
        emitConversation(tx, ended);
        return ended;
    });
}
/** Each of these consultants is told its consult is over (its panel closes the read-only tab). */
export function tellConsultEnded(tx, c, consultants) {
    for (const agentId of consultants)
        tx.emit('consult', agentId, { conversationId: c.id, conversation: toApiConversation(c), ended: true });
}
//# sourceMappingURL=end-consult.js.map