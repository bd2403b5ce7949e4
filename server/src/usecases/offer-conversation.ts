/**
 * The router offers an open conversation to one agent (the incoming notification with
 * Accept). Of two instances offering at once, the second finds the offer live and stands down.
 */
import { transferShownTo } from '@wcp/protocol/values';
import { toApiConversation, toApiMessage } from '../api-mapping.ts';
import { offerIsLive } from '../domain/conversation-rules.ts';
import { canTakeWork, LOAD_STATES } from '../routing/policy.ts';
import type { ConversationRow } from '../store/port.ts';
import type { Database, Tx } from '../store/tx.ts';

/**
 * `routed`: the router chose the agent from a snapshot read before this transaction; the agent
 * may have gone Away or been given work (an assign, a transfer, another instance's offer) since,
 * so presence and capacity are asked again here, on the agent's locked row.
 */
export function offerConversation(db: Database, conversationId: string, agentId: string, expiresAt: number, now: number, routed = false): Promise<boolean> {
  return db.transaction(async (tx) => {
    const c = await tx.getConversation(conversationId, true);
    if (!c || c.state !== 'open' || offerIsLive(c, now)) return false;
    if (routed) {
      const agent = await tx.agentWithLoad(agentId, LOAD_STATES, now);
      if (!agent || !canTakeWork(agent)) return false;
    }
    await offerTo(tx, c, agentId, expiresAt, now, false);
    return true;
  });
}

/**
 * Offers the conversation to one agent; a transferred one's offer says who handed it over and why.
 * `named`: a person chose the agent (ConversationRow.offerNamed), not the router.
 */
export async function offerTo(tx: Tx, c: ConversationRow, agentId: string, expiresAt: number, now: number, named: boolean): Promise<ConversationRow> {
  const offered = await tx.updateConversation(c.id, { offerAgentId: agentId, offerExpiresAt: expiresAt, offerNamed: named }, now);
  await tx.markOffered(agentId, now);
  const latest = await tx.latestInbound(c.id);
  tx.emit('offer', agentId, { conversationId: c.id, conversation: toApiConversation(offered), firstMessage: latest ? toApiMessage(latest) : null, transfer: transferShownTo(offered.transfer, agentId) });
  return offered;
}
