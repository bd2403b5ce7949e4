/** What a supervisor watches: every agent (presence, load, capacity), every queue, every conversation not closed. */
import { LOAD_STATES } from "../routing/policy.js";
import { listQueues } from "./list-queues.js";
export async function supervisorOverview(tx, now) {
    return {
        agents: await tx.listAgentsWithLoad(LOAD_STATES, now),
        queues: await listQueues(tx, null),
        conversations: await tx.listLiveConversations(1000),
    };
}
//# sourceMappingURL=supervisor-overview.js.map