/** What a supervisor watches: every agent (presence, load, capacity), every queue, every conversation not closed. */
import { LOAD_STATES } from '../routing/policy.ts';
import type { Overview } from '../store/port.ts';
import type { Tx } from '../store/tx.ts';
import { listQueues } from './list-queues.ts';

/**
 * The overview lists at most this many live conversations, the newest: each refresh of the page
 * carries them all (~0.5 KB each). The queues' counts and longest waits cover every one, and
 * `conversationsTotal` says how many there are, so the page can say it shows only some.
 */
export const OVERVIEW_CONVERSATIONS = 1000;

export async function supervisorOverview(tx: Tx, now: number): Promise<Overview> {
  const conversations = await tx.listLiveConversations(OVERVIEW_CONVERSATIONS);
  return {
    agents: await tx.listAgentsWithLoad(LOAD_STATES, now),
    queues: await listQueues(tx, null),
    conversations,
    conversationsTotal: conversations.length < OVERVIEW_CONVERSATIONS ? conversations.length : await tx.countLiveConversations(),
  };
}
