/** The queues a viewer sees with their counts: a supervisor every queue, an agent those it works. */
import { DEFAULT_QUEUE_ID, membersOf, queuesOf } from '../domain/queues.ts';
import { LOAD_STATES } from '../routing/policy.ts';
import type { QueueView, Viewer } from '../store/port.ts';
import type { Tx } from '../store/tx.ts';
import { toQueueView } from './queue-counts.ts';

/**
 * `all`: every queue, for an agent choosing where to transfer; of a queue it does not work it
 * sees the name and counts, not who works it or which business numbers it takes.
 */
export async function listQueues(tx: Tx, viewer: Viewer | null, all = false): Promise<QueueView[]> {
  const queues = await tx.listQueues();
  const counts = await tx.queueCounts(null);
  const mine = viewer && !viewer.supervisor ? new Set(queuesOf({ id: viewer.agentId, role: 'agent' }, queues)) : null;
  // The default queue lists no one: its members are the agents (of those known) in no other queue.
  const everyone = await tx.listAgentsWithLoad(LOAD_STATES, 0);
  return queues
    .filter((q) => all || !mine || mine.has(q.id))
    .map((q) => (!mine || mine.has(q.id) ? (q.id === DEFAULT_QUEUE_ID ? { ...q, agentIds: membersOf(q.id, queues, everyone) } : q) : { ...q, agentIds: [], numbers: [] }))
    .map((q) => toQueueView(q, counts));
}
