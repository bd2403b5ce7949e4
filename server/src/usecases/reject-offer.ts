/** An agent rejects the conversation offered to them: it counts as a decline and the router offers it to someone else. */
import { DomainError } from '../domain/errors.ts';
import type { Database } from '../store/tx.ts';
import { requireConversation } from './conversation-access.ts';

export function rejectOffer(db: Database, conversationId: string, agentId: string, now: number): Promise<void> {
  return db.transaction(async (tx) => {
    const c = await requireConversation(tx, conversationId);
    if (c.offerAgentId !== agentId || c.state !== 'open') throw new DomainError('offer_not_yours', 'This conversation is not offered to you.');
    await tx.recordDecline(conversationId, agentId, now);
    await tx.updateConversation(conversationId, { offerAgentId: null, offerExpiresAt: null }, now);
    tx.emit('offer_withdrawn', agentId, { conversationId, reason: 'rejected' });
  });
}
