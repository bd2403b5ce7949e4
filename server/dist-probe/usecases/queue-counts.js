import { isoOrNull } from "../domain/clock.js";
import { membersOf } from "../domain/queues.js";
import { LOAD_STATES } from "../routing/policy.js";
/** A queue's counts among all queues' (a queue with nothing waiting has no row). */
const countsFor = (queueId, counts) => counts.find((c) => c.queueId === queueId) ?? { queueId, waiting: 0, longestWaitSince: null };
export const toQueueView = (q, counts) => {
    const { waiting, longestWaitSince } = countsFor(q.id, counts);
    return { ...q, waiting, longestWaitSince };
};
export async function emitQueueCounts(tx, queueId) {
    const counts = countsFor(queueId, await tx.queueCounts(queueId));
    const data = { ...counts, longestWaitSince: isoOrNull(counts.longestWaitSince) };
    const agents = await tx.listAgentsWithLoad(LOAD_STATES, 0);
    tx.emit('queue', null, data);
    for (const agentId of membersOf(queueId, await tx.listQueues(), agents.map((a) => a.id)))
        tx.emit('queue', agentId, data);
}
/** After a conversation opened in a queue (the webhook stays one statement; this is its own unit). */
export function announceQueue(db, queueId) {
    return db.transaction((tx) => emitQueueCounts(tx, queueId));
}
//# sourceMappingURL=queue-counts.js.map