/** The queues a viewer sees with their counts: a supervisor every queue, an agent those it works. */
import { DEFAULT_QUEUE_ID, membersOf, queuesOf } from "../domain/queues.js";
import { LOAD_STATES } from "../routing/policy.js";
import { toQueueView } from "./queue-counts.js";
export async function listQueues(tx, viewer) {
    const queues = await tx.listQueues();
    const counts = await tx.queueCounts(null);
    const mine = viewer && !viewer.supervisor ? new Set(queuesOf(viewer.agentId, queues)) : null;
    // The default queue lists no one: its members are the agents (of those known) in no other queue.
    const everyone = (await tx.listAgentsWithLoad(LOAD_STATES, 0)).filter((a) => a.role !== 'supervisor').map((a) => a.id);
    return queues
        .filter((q) => !mine || mine.has(q.id))
        .map((q) => toQueueView(q.id === DEFAULT_QUEUE_ID ? { ...q, agentIds: membersOf(q.id, queues, everyone) } : q, counts));
}
//# sourceMappingURL=list-queues.js.map