import { canChangeState, offerIsLive } from "../domain/conversation-rules.js";
import { checkDisposition } from "../domain/dispositions.js";
import { DomainError } from "../domain/errors.js";
import { requireActionable } from "./conversation-access.js";
import { emitConversation } from "./emit-conversation.js";
import { emitQueueCounts } from "./queue-counts.js";
export function changeState(db, conversationId, viewer, state, now, wrapUp) {
    return db.transaction(async (tx) => {
        // Locked: a transition decided on a stale read would skip the table.
        const c = await requireActionable(tx, conversationId, viewer);
        if (c.state === state)
            return c;
        if (!canChangeState(c.state, state, viewer))
            throw new DomainError('invalid_transition', `A conversation cannot move from ${c.state} to ${state}.`);
        if (state !== 'closed') {
            const changed = await tx.updateConversation(conversationId, { state }, now);
            emitConversation(tx, changed);
            return changed;
        }
        return closeConversation(tx, c, { disposition: checkDisposition(wrapUp?.disposition ?? null), summary: wrapUp?.summary ?? null }, now);
    });
}
/** Closes with a wrap-up; a live offer on it (a force close of an open conversation) is withdrawn. */
export async function closeConversation(tx, c, wrapUp, now) {
    const patch = { state: 'closed', disposition: wrapUp.disposition, summary: wrapUp.summary, transfer: null };
    if (c.offerAgentId)
        Object.assign(patch, { offerAgentId: null, offerExpiresAt: null });
    const closed = await tx.updateConversation(c.id, patch, now);
    if (c.offerAgentId && offerIsLive(c, now))
        tx.emit('offer_withdrawn', c.offerAgentId, { conversationId: c.id, reason: 'closed' });
    emitConversation(tx, closed);
    if (c.state === 'open')
        await emitQueueCounts(tx, c.queueId);
    return closed;
}
//# sourceMappingURL=change-state.js.map