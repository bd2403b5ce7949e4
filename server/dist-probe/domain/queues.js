export const DEFAULT_QUEUE_ID = 'general';
/** The queues an agent works: those listing it, or the default queue when none does. */
export function queuesOf(agentId, queues) {
    const listed = queues.filter((q) => q.id !== DEFAULT_QUEUE_ID && q.agentIds.includes(agentId)).map((q) => q.id);
    return listed.length ? listed : [DEFAULT_QUEUE_ID];
}
/** A queue's members among these agents. */
export function membersOf(queueId, queues, agentIds) {
    return agentIds.filter((id) => queuesOf(id, queues).includes(queueId));
}
/** Business numbers travel as `whatsapp:+…` on the wire and are stored as E.164. */
export const toStoredNumber = (n) => n.replace(/^whatsapp:/, '');
export const toWireNumber = (n) => `whatsapp:${n}`;
//# sourceMappingURL=queues.js.map