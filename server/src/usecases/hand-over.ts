/** What a transfer and a supervisor's assignment share: the target agent must be able to take it, and the conversation goes back to waiting for an agent. */
import { toApiConversation } from '../api-mapping.ts';
import { DomainError, notFound } from '../domain/errors.ts';
import { offerIsLive } from '../domain/conversation-rules.ts';
import { canTakeWork, LOAD_STATES } from '../routing/policy.ts';
import type { AgentRow, ConversationRow } from '../store/port.ts';
import type { ConversationPatch, Tx } from '../store/tx.ts';
import { emitConversation } from './emit-conversation.ts';
import { tellConsultEnded } from './end-consult.ts';
import { offerTo } from './offer-conversation.ts';
import { emitQueueCounts } from './queue-counts.ts';

/** The agent, if it is known and has room now (presence and capacity as routing counts them). */
export async function requireAvailableAgent(tx: Tx, agentId: string, now: number): Promise<AgentRow> {
  const agent = (await tx.listAgentsWithLoad(LOAD_STATES, now)).find((a) => a.id === agentId);
  if (!agent) throw notFound('Agent');
  if (!canTakeWork(agent)) throw new DomainError('agent_unavailable', `${agent.name} is ${agent.presence === 'offline' ? 'offline' : 'not taking conversations now'}.`);
  return agent;
}

/**
 * Back to open, unassigned, in `patch.queueId` (or its own queue), then offered to `offerAgentId`
 * or left for the router. The holder loses it (offered it again only when no one else can take
 * it, or, taken by a supervisor, not soon); a live
 * offer to someone else is withdrawn; the holder's consults end (the next holder did not invite them).
 */
export async function handOver(
  tx: Tx,
  c: ConversationRow,
  patch: Pick<ConversationPatch, 'queueId' | 'transfer'>,
  offer: { agentId: string; expiresAt: number } | null,
  now: number,
): Promise<ConversationRow> {
  // A customer handed over by a holder starts waiting now; one still waiting for a first agent
  // (a supervisor's assign) keeps the wait it has (null: since the conversation began), for the
  // queue's "longest wait" and the overview.
  const waitingSince = c.assignedAgentId ? now : c.waitingSince;
  let moved = await tx.updateConversation(
    c.id,
    { ...patch, state: 'open', assignedAgentId: null, offerAgentId: null, offerExpiresAt: null, waitingSince, consultants: [] },
    now,
  );
  tellConsultEnded(tx, moved, c.consultants);
  if (c.offerAgentId && offerIsLive(c, now) && c.offerAgentId !== offer?.agentId) tx.emit('offer_withdrawn', c.offerAgentId, { conversationId: c.id, reason: 'reassigned' });
  if (c.assignedAgentId) {
    // A holder who handed it over is its last resort (routing/policy.ts chooseAgent); one a
    // supervisor took it from is left out of its rotation a while.
    if (patch.transfer?.fromAgentId !== c.assignedAgentId) await tx.recordDecline(c.id, c.assignedAgentId, now);
    tx.emit('state', c.assignedAgentId, { conversationId: c.id, conversation: toApiConversation(moved) });
  }
  if (offer) moved = await offerTo(tx, moved, offer.agentId, offer.expiresAt, now, true);
  else emitConversation(tx, moved);
  for (const queueId of new Set([c.queueId, moved.queueId])) await emitQueueCounts(tx, queueId);
  return moved;
}
