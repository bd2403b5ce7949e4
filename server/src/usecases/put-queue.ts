/** A supervisor creates or replaces a queue: its name, members and business numbers. */
import { DEFAULT_QUEUE_ID } from '../domain/queues.ts';
import type { QueueRow, QueueView } from '../store/port.ts';
import type { Database } from '../store/tx.ts';
import { listQueues } from './list-queues.ts';
import { emitQueueCounts } from './queue-counts.ts';

export function putQueue(db: Database, queue: QueueRow): Promise<QueueView> {
  return db.transaction(async (tx) => {
    // The default queue's members are the agents in no other queue: it lists none.
    await tx.putQueue(queue.id === DEFAULT_QUEUE_ID ? { ...queue, agentIds: [] } : queue);
    await emitQueueCounts(tx, queue.id);
    return (await listQueues(tx, null)).find((q) => q.id === queue.id)!;
  });
}
