/** A supervisor offers an open conversation to one agent, whatever its queue and earlier declines. */
import { DomainError } from '../domain/errors.ts';
import type { ConversationRow } from '../store/port.ts';
import type { Database } from '../store/tx.ts';
import { requireConversation } from './conversation-access.ts';
import { handOver, requireAvailableAgent } from './hand-over.ts';

export function assignConversation(db: Database, conversationId: string, agentId: string, offerExpiresAt: number, now: number): Promise<ConversationRow> {
  return db.transaction(async (tx) => {
    const c = await requireConversation(tx, conversationId);
    if (c.state !== 'open') throw new DomainError('invalid_transition', 'Only an open conversation (waiting for an agent) can be assigned; transfer an accepted one.');
    await requireAvailableAgent(tx, agentId, now);
    return handOver(tx, c, {}, { agentId, expiresAt: offerExpiresAt }, now);
  });
}
