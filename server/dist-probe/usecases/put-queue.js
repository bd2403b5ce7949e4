/** A supervisor creates or replaces a queue: its name, members and business numbers. */
import { DEFAULT_QUEUE_ID } from "../domain/queues.js";
import { listQueues } from "./list-queues.js";
import { emitQueueCounts } from "./queue-counts.js";
export function putQueue(db, queue) {
    return db.transaction(async (tx) => {
        // The default queue's members are the agents in no other queue: it lists none.
        await tx.putQueue(queue.id === DEFAULT_QUEUE_ID ? { ...queue, agentIds: [] } : queue);
        await emitQueueCounts(tx, queue.id);
        return (await listQueues(tx, null)).find((q) => q.id === queue.id);
    });
}
//# sourceMappingURL=put-queue.js.map