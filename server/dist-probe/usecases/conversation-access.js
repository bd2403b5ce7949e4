/** The conversations a viewer may see, and the one a viewer acts on, inside a unit of work. */
import { DomainError, notFound } from "../domain/errors.js";
import { actionable } from "../domain/conversation-rules.js";
/** The conversation, locked until commit, if the viewer may act on it (conversation-rules.ts actionable). */
export async function requireActionable(tx, id, viewer, consultantMay = false) {
    return actionable(await tx.getConversation(id, true), viewer, consultantMay);
}
/** The conversation, locked until commit unless `forUpdate` is false. */
export async function requireConversation(tx, id, forUpdate = true) {
    const c = await tx.getConversation(id, forUpdate);
    if (!c)
        throw notFound('Conversation');
    return c;
}
export function listVisible(tx, viewer, state, now) {
    return tx.listConversations(viewer.supervisor ? null : viewer.agentId, state, now, 500);
}
/** A customer's history: an agent may see it once they handle that customer. */
export async function customerHistory(tx, viewer, customerPhone) {
    if (!viewer.supervisor && !(await tx.customerKnownTo(customerPhone, viewer.agentId)))
        return [];
    return tx.listCustomerConversations(customerPhone, 50);
}
/** `before` is an opaque cursor from a previous page's `next`. */
export function parseCursor(before) {
    const beforeSeq = before === null ? Number.MAX_SAFE_INTEGER : Number(before);
    if (!Number.isSafeInteger(beforeSeq))
        throw new DomainError('invalid_request', 'The cursor is not valid.');
    return beforeSeq;
}
//# sourceMappingURL=conversation-access.js.map