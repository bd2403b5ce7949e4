/**
 * An offer taken back from the agent it waits on, without their answer: they stopped taking work
 * (set-presence.ts) or no longer work the customer's queue (put-queue.ts). Not a decline: the
 * router offers the customer again at once, to this agent too once it may take them.
 */
import type { RelayEvents } from '@wcp/protocol';
import type { ConversationRow } from '../store/port.ts';
import type { Tx } from '../store/tx.ts';
import { emitConversation } from './emit-conversation.ts';

export async function withdrawOffer(tx: Tx, c: ConversationRow, reason: RelayEvents['offer_withdrawn']['reason'], now: number): Promise<void> {
  const withdrawn = await tx.updateConversation(c.id, { offerAgentId: null, offerExpiresAt: null }, now);
  tx.emit('offer_withdrawn', c.offerAgentId, { conversationId: c.id, reason });
  emitConversation(tx, withdrawn);
}
