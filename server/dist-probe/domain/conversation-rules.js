import { canTransition } from '@wcp/protocol/states';
import { DomainError, notFound } from "./errors.js";
/** An offer stands until its expiry. */
export function offerIsLive(c, now) {
    return c.offerAgentId !== null && (c.offerExpiresAt ?? 0) > now;
}
/** Who hears about a conversation's changes: its agent, or the agent it is offered to. */
export function audienceOf(c) {
    return c.assignedAgentId ?? c.offerAgentId;
}
/** Reading: the assigned agent, the agent it is offered to (to preview it), a consultant, or a supervisor. */
export function canRead(c, viewer, now) {
    return viewer.supervisor || c.assignedAgentId === viewer.agentId || (c.offerAgentId === viewer.agentId && offerIsLive(c, now)) || isConsultant(c, viewer);
}
/** Acting (sending, notes, state, links) needs the assignment; supervisors may act on any. */
export function canAct(c, viewer) {
    return viewer.supervisor || c.assignedAgentId === viewer.agentId;
}
// Team work: queues, transfer, consult, wrap-up
/** Who hears about a conversation's changes: its audience (null: supervisors only), then its consultants. */
export function listenersOf(c) {
    const audience = audienceOf(c);
    return [audience, ...c.consultants.filter((id) => id !== audience)];
}
/** A consultant reads the conversation and adds notes; it never writes to the customer. */
export function isConsultant(c, viewer) {
    return c.consultants.includes(viewer.agentId);
}
/**
 * The conversation a viewer acts on (sends, moves, links): not found unless it may act on it
 * (another agent's is a 404, not a 403); a consultant is told it may only consult, or, with
 * `consultantMay` (notes), let through.
 */
export function actionable(c, viewer, consultantMay = false) {
    if (c && canAct(c, viewer))
        return c;
    if (c && isConsultant(c, viewer)) {
        if (consultantMay)
            return c;
        throw new DomainError('consult_only', 'You are consulting on this conversation: add notes, the holder writes to the customer.');
    }
    throw notFound('Conversation');
}
/** The state table, and a supervisor's force close from any state. */
export function canChangeState(from, to, viewer) {
    return canTransition(from, to) || (viewer.supervisor && to === 'closed' && from !== 'closed');
}
/** A conversation left waiting closes itself once its last customer message (or, with none, its start) is `afterMs` old; 0 = never. */
export function autoCloseDue(c, now, afterMs) {
    return afterMs > 0 && c.state === 'waiting' && (c.lastInboundAt ?? c.createdAt) <= now - afterMs;
}
//# sourceMappingURL=conversation-rules.js.map