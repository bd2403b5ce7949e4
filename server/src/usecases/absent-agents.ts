/**
 * An agent who closed the browser (or lost the network) without setting Offline stayed Available
 * or Busy: the router went on offering it customers, each waiting out the offer timeout. Each
 * relay marks the agents whose panels have their event stream open on it (`markPanelsSeen`, on
 * opening and every half minute: services/absent-agents.ts); an agent whose panel no relay has
 * seen for OFFLINE_AFTER_DISCONNECT is set Offline, as it would have itself, and its pending
 * offers go back to the router. Omnichannel and Flex do the same with a disconnected agent.
 * An agent never seen (one only the API knows) is left as it is.
 */
import type { AgentRow } from '../store/port.ts';
import type { Database } from '../store/tx.ts';
import { changePresence } from './set-presence.ts';

export function markPanelsSeen(db: Database, agentIds: readonly string[], now: number): Promise<void> {
  return db.transaction((tx) => tx.markPanelsSeen(agentIds, now));
}

/** Sets Offline every agent not Offline whose panel was last seen before `cutoff`; returns them. */
export function signOutAbsentAgents(db: Database, cutoff: number, now: number): Promise<AgentRow[]> {
  return db.transaction(async (tx) => {
    // Locked: a panel marked seen meanwhile leaves the list (PostgreSQL tests the WHERE again
    // on a row it waited for), so an agent who just came back is not set Offline.
    const absent = await tx.listAgentsAbsentSince(cutoff);
    const signedOut: AgentRow[] = [];
    for (const agent of absent) signedOut.push(await changePresence(tx, agent.id, 'offline', now));
    return signedOut;
  });
}
