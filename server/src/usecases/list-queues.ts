/** The queues a viewer sees with their counts: a supervisor every queue, an agent those it works. */
import { queuesOf } from '../domain/queues.ts';
import type { QueueView, Viewer } from '../store/port.ts';
import type { Tx } from '../store/tx.ts';
import { toQueueView } from './queue-counts.ts';

export async function listQueues(tx: Tx, viewer: Viewer | null): Promise<QueueView[]> {
  const queues = await tx.listQueues();
  const counts = await tx.queueCounts(null);
  const mine = viewer && !viewer.supervisor ? new Set(queuesOf(viewer.agentId, queues)) : null;
  return queues.filter((q) => !mine || mine.has(q.id)).map((q) => toQueueView(q, counts));
}
