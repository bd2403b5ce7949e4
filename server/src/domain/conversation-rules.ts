/**
 * Who hears about, sees and acts on a conversation, and whether an offer still stands: pure
 * functions of a conversation row, a viewer and the clock. The SQL filters that mirror them
 * for speed (store/sql/sql-tx.ts) are held to them by server/test/store/contract.ts.
 */
import type { ConversationState } from '@wcp/protocol';
import { canTransition, mayWriteToCustomer } from '@wcp/protocol/states';
import type { ConversationRow, Viewer } from '../store/port.ts';
import { DomainError, notFound } from './errors.ts';

/** An offer stands until its expiry. */
export function offerIsLive(c: Pick<ConversationRow, 'offerAgentId' | 'offerExpiresAt'>, now: number): boolean {
  return c.offerAgentId !== null && (c.offerExpiresAt ?? 0) > now;
}

/**
 * Since when the customer has waited for an agent: since a holder handed it back (a transfer),
 * else since the conversation began. The router offers the longest wait first, as the queues count it.
 */
export function waitingFrom(c: Pick<ConversationRow, 'waitingSince' | 'createdAt'>): number {
  return c.waitingSince ?? c.createdAt;
}

/** Who hears about a conversation's changes: its agent, or the agent it is offered to. */
export function audienceOf(c: Pick<ConversationRow, 'assignedAgentId' | 'offerAgentId'>): string | null {
  return c.assignedAgentId ?? c.offerAgentId;
}

/** Reading: the assigned agent, the agent it is offered to (to preview it), a consultant, or a supervisor. */
export function canRead(c: ConversationRow, viewer: Viewer, now: number): boolean {
  return viewer.supervisor || c.assignedAgentId === viewer.agentId || (c.offerAgentId === viewer.agentId && offerIsLive(c, now)) || isConsultant(c, viewer);
}

/** Acting (sending, notes, state, links) needs the assignment; supervisors may act on any. */
export function canAct(c: ConversationRow, viewer: Viewer): boolean {
  return viewer.supervisor || c.assignedAgentId === viewer.agentId;
}

// Team work: queues, transfer, consult, wrap-up

/** Who hears about a conversation's changes: its audience (null: supervisors only), then its consultants. */
export function listenersOf(c: Pick<ConversationRow, 'assignedAgentId' | 'offerAgentId' | 'consultants'>): (string | null)[] {
  const audience = audienceOf(c);
  return [audience, ...c.consultants.filter((id) => id !== audience)];
}

/**
 * The states of the conversation a customer's message joins; at most one per customer and
 * business number is in one (the conversations_one_open index, whose predicate is this list).
 * Once its agent has ended it (wrap-up) the customer's side is over: their next message opens a
 * new conversation for the queue, pointing back, while the agent finishes the wrap-up — as
 * Omnichannel does with a message after the agent selected End.
 */
export const CUSTOMER_STATES: readonly ConversationState[] = ['open', 'active', 'waiting'];

/** A consultant reads the conversation and adds notes; it never writes to the customer. */
export function isConsultant(c: Pick<ConversationRow, 'consultants'>, viewer: Viewer): boolean {
  return c.consultants.includes(viewer.agentId);
}

/**
 * The conversation a viewer acts on (sends, moves, links): not found unless it may act on it
 * (another agent's is a 404, not a 403); a consultant is told it may only consult, or, with
 * `consultantMay` (notes), let through; the agent it is offered to (who may read it) is told to
 * accept it first.
 */
export function actionable(c: ConversationRow | null, viewer: Viewer, now: number, consultantMay = false): ConversationRow {
  if (c && canAct(c, viewer)) return c;
  if (c && isConsultant(c, viewer)) {
    if (consultantMay) return c;
    throw new DomainError('consult_only', 'You are consulting on this conversation: add notes, the holder writes to the customer.');
  }
  // Only while the offer stands: a lapsed one is no hint, and accepting it would say offer_expired.
  if (c && c.offerAgentId === viewer.agentId && offerIsLive(c, now)) throw new DomainError('invalid_transition', 'Accept the conversation first.');
  throw notFound('Conversation');
}

/** Anything to the customer (a reply, a template, a retried reply): as mayWriteToCustomer says, each refusal saying why. */
export function assertMayReply(c: Pick<ConversationRow, 'state'>): void {
  if (mayWriteToCustomer(c.state)) return;
  if (c.state === 'closed') throw new DomainError('invalid_transition', 'This conversation is closed.');
  if (c.state === 'open') throw new DomainError('invalid_transition', 'Accept the conversation before replying.');
  throw new DomainError('invalid_transition', "This conversation has ended: close its wrap-up. The customer's next message comes as a new conversation.");
}

/** The state table, and a supervisor's force close from any state. */
export function canChangeState(from: ConversationState, to: ConversationState, viewer: Viewer): boolean {
  return canTransition(from, to) || (viewer.supervisor && to === 'closed' && from !== 'closed');
}

/** A conversation left waiting closes itself once its last customer message (or, with none, its start) is `afterMs` old; 0 = never. */
export function autoCloseDue(c: Pick<ConversationRow, 'state' | 'lastInboundAt' | 'createdAt'>, now: number, afterMs: number): boolean {
  return afterMs > 0 && c.state === 'waiting' && (c.lastInboundAt ?? c.createdAt) <= now - afterMs;
}

/**
 * When a conversation entering wrap-up at `now` closes by itself: `closeAfterMs` (WRAP_UP_CLOSE_AFTER)
 * later, or never (null) for 0. Fixed on entry, so the time the agent is shown holds.
 */
export function wrapUpEndsAt(now: number, closeAfterMs: number): number | null {
  return closeAfterMs > 0 ? now + closeAfterMs : null;
}

/** A conversation left in wrap-up closes itself once its wrap-up end has come; one without an end never does. */
export function wrapUpCloseDue(c: Pick<ConversationRow, 'state' | 'wrapUpEndsAt'>, now: number): boolean {
  return c.state === 'wrapup' && c.wrapUpEndsAt !== null && c.wrapUpEndsAt <= now;
}
