/**
 * The router offers an open conversation to one agent (the incoming notification with
 * Accept). Of two instances offering at once, the second finds the offer live and stands down.
 */
import { toApiConversation, toApiMessage } from '../api-mapping.ts';
import { offerIsLive } from '../domain/conversation-rules.ts';
import type { Database } from '../store/tx.ts';

export function offerConversation(db: Database, conversationId: string, agentId: string, expiresAt: number, now: number): Promise<boolean> {
  return db.transaction(async (tx) => {
    const c = await tx.getConversation(conversationId, true);
    if (!c || c.state !== 'open' || offerIsLive(c, now)) return false;
    const offered = await tx.updateConversation(conversationId, { offerAgentId: agentId, offerExpiresAt: expiresAt }, now);
    await tx.markOffered(agentId, now);
    const latest = await tx.latestInbound(conversationId);
    tx.emit('offer', agentId, { conversationId, conversation: toApiConversation(offered), firstMessage: latest ? toApiMessage(latest) : null });
    return true;
  });
}
