const PREFERENCE = { available: 0, busy: 1 };
/** Presences that can be offered work. */
export const ROUTABLE_PRESENCES = ['available', 'busy'];
/** A conversation assigned to an agent in one of these states counts toward the agent's capacity. */
export const LOAD_STATES = ['active', 'waiting', 'wrapup'];
/** Presence and capacity: whether an agent can be offered one more conversation now. */
export function canTakeWork(c) {
    return PREFERENCE[c.presence] !== undefined && c.load < c.capacity;
}
/**
 * `queueId`: only the queue's members (candidates' `queueIds`, domain/queues.ts queuesOf);
 * null: anyone (is there room at all?).
 */
export function chooseAgent(candidates, declinedBy, queueId = null) {
    const eligible = candidates.filter((c) => canTakeWork(c) && !declinedBy.has(c.id) && (queueId === null || c.queueIds === undefined || c.queueIds.includes(queueId)));
    eligible.sort((a, b) => PREFERENCE[a.presence] - PREFERENCE[b.presence] ||
        a.load - b.load ||
        (a.lastOfferedAt ?? 0) - (b.lastOfferedAt ?? 0) ||
        a.id.localeCompare(b.id));
    return eligible[0]?.id ?? null;
}
//# sourceMappingURL=policy.js.map