/** An agent moves their conversation along the state table (@wcp/protocol/states): waiting, wrap-up, closed, ... */
import type { ConversationState } from '@wcp/protocol';
import { canTransition } from '@wcp/protocol/states';
import { DomainError } from '../domain/errors.ts';
import type { ConversationRow, Viewer } from '../store/port.ts';
import type { Database } from '../store/tx.ts';
import { requireActionable } from './conversation-access.ts';
import { emitConversation } from './emit-conversation.ts';

export function changeState(db: Database, conversationId: string, viewer: Viewer, state: ConversationState, now: number): Promise<ConversationRow> {
  return db.transaction(async (tx) => {
    // Locked: a transition decided on a stale read would skip the table.
    const c = await requireActionable(tx, conversationId, viewer);
    if (c.state === state) return c;
    if (!canTransition(c.state, state)) throw new DomainError('invalid_transition', `A conversation cannot move from ${c.state} to ${state}.`);
    const changed = await tx.updateConversation(conversationId, { state }, now);
    emitConversation(tx, changed);
    return changed;
  });
}
