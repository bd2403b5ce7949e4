/**
 * The holder (or a supervisor) hands a conversation to another agent (an offer that says who
 * and why) or to a queue; the transcript, notes and links travel with it, and the holder no
 * longer sees it.
 */
import { canHandOver } from '@wcp/protocol/states';
import { DomainError, notFound } from '../domain/errors.ts';
import type { ConversationRow, TransferTarget, Viewer } from '../store/port.ts';
import type { Database } from '../store/tx.ts';
import { requireActionable } from './conversation-access.ts';
import { writeNote } from './add-note.ts';
import { handOver, requireAvailableAgent } from './hand-over.ts';

export function transferConversation(
  db: Database,
  conversationId: string,
  viewer: Viewer & { agentName: string },
  target: TransferTarget,
  offerExpiresAt: number,
  now: number,
): Promise<ConversationRow> {
  return db.transaction(async (tx) => {
    const c = await requireActionable(tx, conversationId, viewer, now);
    if (c.state === 'closed') throw new DomainError('conversation_closed', 'This conversation is closed.');
    // The conversation is over for the customer; what is left is its agent's wrap-up.
    if (!canHandOver(c.state)) throw new DomainError('invalid_transition', 'A conversation in wrap-up stays with its agent until it is closed.');
    const transfer = { fromAgentId: viewer.agentId, fromAgentName: viewer.agentName, note: target.note };
    let moved: ConversationRow;
    if (target.agentId !== undefined) {
      if (target.agentId === viewer.agentId || target.agentId === c.assignedAgentId) throw new DomainError('transfer_to_self', 'The conversation is already yours.');
      await requireAvailableAgent(tx, target.agentId, now);
      moved = await handOver(tx, c, { transfer }, { agentId: target.agentId, expiresAt: offerExpiresAt }, now);
    } else {
      if (!(await tx.getQueue(target.queueId))) throw notFound('Queue');
      moved = await handOver(tx, c, { transfer, queueId: target.queueId }, null, now);
    }
    // The offer shows the note; accepted, the offer is gone: kept with the conversation's notes.
    if (target.note) await writeNote(tx, moved, viewer, target.note, now);
    return moved;
  });
}
