/**
 * An agent sets their presence (Available, Busy, Do not disturb, Away, Offline); the router reads
 * it. An agent who stops taking work gives back the offers waiting for their answer, so those
 * customers go to the next agent now rather than after the offer timeout (as Twilio Flex rejects
 * a worker's pending reservations when it goes unavailable). Not a decline: the agent may be
 * offered the customer again once back.
 */
import type { Presence } from '@wcp/protocol';
import { notFound } from '../domain/errors.ts';
import { ROUTABLE_PRESENCES } from '../routing/policy.ts';
import type { AgentRow } from '../store/port.ts';
import type { Database, Tx } from '../store/tx.ts';
import { withdrawOffer } from './withdraw-offer.ts';

export function setPresence(db: Database, agentId: string, presence: Presence, now: number): Promise<AgentRow> {
  return db.transaction((tx) => changePresence(tx, agentId, presence, now));
}

/** The agent's presence, told to its panels; its pending offers given back when it stops taking work. */
export async function changePresence(tx: Tx, agentId: string, presence: Presence, now: number): Promise<AgentRow> {
  const agent = await tx.updatePresence(agentId, presence, now);
  if (!agent) throw notFound('Agent');
  tx.emit('presence', agentId, { agentId, presence });
  if (!ROUTABLE_PRESENCES.includes(presence)) {
    for (const c of await tx.listLiveOffersTo(agentId, now)) await withdrawOffer(tx, c, 'unavailable', now);
  }
  return agent;
}
