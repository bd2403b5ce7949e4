/**
 * An agent moves their conversation along the state table (@wcp/protocol/states): waiting,
 * wrap-up, closed, ... Closing takes a wrap-up: a disposition from the configured list and an
 * optional summary. A supervisor may close from any state (force close).
 */
import type { ConversationState } from '@wcp/protocol';
import { canChangeState, offerIsLive, wrapUpEndsAt } from '../domain/conversation-rules.ts';
import { checkDisposition } from '../domain/dispositions.ts';
import { DomainError } from '../domain/errors.ts';
import type { ConversationRow, Viewer, WrapUp } from '../store/port.ts';
import type { ConversationPatch, Database, Tx } from '../store/tx.ts';
import { requireActionable } from './conversation-access.ts';
import { emitConversation } from './emit-conversation.ts';
import { emitQueueCounts } from './queue-counts.ts';
import { tellConsultEnded } from './end-consult.ts';

/** `wrapUpCloseAfterMs` (WRAP_UP_CLOSE_AFTER; 0 or none: never): how long a wrap-up entered now is left before it closes by itself. */
export function changeState(
  db: Database,
  conversationId: string,
  viewer: Viewer,
  state: ConversationState,
  now: number,
  wrapUp?: WrapUp,
  wrapUpCloseAfterMs = 0,
): Promise<ConversationRow> {
  return db.transaction(async (tx) => {
    // Locked: a transition decided on a stale read would skip the table.
    const c = await requireActionable(tx, conversationId, viewer, now);
    // Asked again (a retried request), the same state is done; a second close with another
    // wrap-up would be silently dropped, so it is refused: a closed conversation's stays.
    const otherWrapUp = !!wrapUp?.disposition && (wrapUp.disposition !== c.disposition || summaryOf(wrapUp.summary) !== c.summary);
    if (c.state === 'closed' && state === 'closed' && otherWrapUp) {
      throw new DomainError('conversation_closed', `This conversation is already closed (${c.disposition ?? 'no disposition'}); its disposition and summary stay as they are.`);
    }
    if (c.state === state) return c;
    // A close without its wrap-up is an incomplete request, whatever the state: told so first.
    const wrap = state === 'closed' ? { disposition: checkDisposition(wrapUp?.disposition ?? null), summary: summaryOf(wrapUp?.summary) } : null;
    if (!canChangeState(c.state, state, viewer)) throw new DomainError('invalid_transition', `A conversation cannot move from ${c.state} to ${state}.`);
    if (wrap === null) {
      // Each entry into wrap-up starts its clock afresh.
      const patch: ConversationPatch = state === 'wrapup' ? { state, wrapUpEndsAt: wrapUpEndsAt(now, wrapUpCloseAfterMs) } : { state };
      const changed = await tx.updateConversation(conversationId, patch, now);
      emitConversation(tx, changed);
      return changed;
    }
    return closeConversation(tx, c, wrap, now);
  });
}

/** A summary left empty is none (the panel sends null, which the request schema reads as ""): the CRM's summary column stays empty, not blank. */
function summaryOf(summary: string | null | undefined): string | null {
  return summary?.trim() ? summary : null;
}

/**
 * Closes with a wrap-up; a live offer on it (a force close of an open conversation) is withdrawn, and its consults end.
 * The close time is kept (`closedAt`): the CRM activity ends then, not at the conversation's last change.
 */
export async function closeConversation(tx: Tx, c: ConversationRow, wrapUp: WrapUp, now: number): Promise<ConversationRow> {
  const patch: ConversationPatch = { state: 'closed', closedAt: now, disposition: wrapUp.disposition, summary: wrapUp.summary, transfer: null };
  if (c.offerAgentId) Object.assign(patch, { offerAgentId: null, offerExpiresAt: null });
  if (c.consultants.length > 0) patch.consultants = [];
  const closed = await tx.updateConversation(c.id, patch, now);
  if (c.offerAgentId && offerIsLive(c, now)) tx.emit('offer_withdrawn', c.offerAgentId, { conversationId: c.id, reason: 'closed' });
  // As a transfer ends them (hand-over.ts): the consultants' read-only tabs close.
  tellConsultEnded(tx, closed, c.consultants);
  emitConversation(tx, closed);
  if (c.state === 'open') await emitQueueCounts(tx, c.queueId);
  return closed;
}
