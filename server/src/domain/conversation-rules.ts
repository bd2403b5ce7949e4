/**
 * Who hears about, sees and acts on a conversation, and whether an offer still stands: pure
 * functions of a conversation row, a viewer and the clock. The SQL filters that mirror them
 * for speed (store/sql/sql-tx.ts) are held to them by server/test/store/contract.ts.
 */
import type { ConversationRow, Viewer } from '../store/port.ts';

/** An offer stands until its expiry. */
export function offerIsLive(c: Pick<ConversationRow, 'offerAgentId' | 'offerExpiresAt'>, now: number): boolean {
  return c.offerAgentId !== null && (c.offerExpiresAt ?? 0) > now;
}

/** Who hears about a conversation's changes: its agent, or the agent it is offered to. */
export function audienceOf(c: Pick<ConversationRow, 'assignedAgentId' | 'offerAgentId'>): string | null {
  return c.assignedAgentId ?? c.offerAgentId;
}

/** Reading: the assigned agent, the agent it is offered to (to preview it), or a supervisor. */
export function canRead(c: ConversationRow, viewer: Viewer, now: number): boolean {
  return viewer.supervisor || c.assignedAgentId === viewer.agentId || (c.offerAgentId === viewer.agentId && offerIsLive(c, now));
}

/** Acting (sending, notes, state, links) needs the assignment; supervisors may act on any. */
export function canAct(c: ConversationRow, viewer: Viewer): boolean {
  return viewer.supervisor || c.assignedAgentId === viewer.agentId;
}
