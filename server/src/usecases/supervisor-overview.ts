/** What a supervisor watches: every agent (presence, load, capacity), every queue, every conversation not closed. */
import { LOAD_STATES } from '../routing/policy.ts';
import type { Overview } from '../store/port.ts';
import type { Tx } from '../store/tx.ts';
import { listQueues } from './list-queues.ts';

export async function supervisorOverview(tx: Tx, now: number): Promise<Overview> {
  return {
    agents: await tx.listAgentsWithLoad(LOAD_STATES, now),
    queues: await listQueues(tx, null),
    conversations: await tx.listLiveConversations(1000),
  };
}
