/** A supervisor creates or replaces a queue: its name, members and business numbers. */
import type { QueueRow, QueueView } from '../store/port.ts';
import type { Database } from '../store/tx.ts';
import { emitQueueCounts, toQueueView } from './queue-counts.ts';

export function putQueue(db: Database, queue: QueueRow): Promise<QueueView> {
  return db.transaction(async (tx) => {
    await tx.putQueue(queue);
    await emitQueueCounts(tx, queue.id);
    return toQueueView((await tx.getQueue(queue.id))!, await tx.queueCounts(queue.id));
  });
}
