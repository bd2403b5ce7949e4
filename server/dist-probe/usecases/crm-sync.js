/** A claimed write not recorded by then belongs to a stopped process: another takes it. */
export const CRM_LEASE_MS = 60_000;
const MAX_BACKOFF_MS = 5 * 60_000;
const EVENTS_PER_PASS = 500;
/** 1 s, 2 s, 4 s … up to 5 minutes; Dataverse's Retry-After (service protection limits) wins. */
export function crmRetryDelay(attempts, retryAfterMs) {
    return retryAfterMs ?? Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.max(0, attempts - 1));
}
/** Reads the event log past the writer's cursor and marks the conversations that changed; how many events it read. */
export function followEventsForCrm(db, now) {
    return db.transaction(async (tx) => {
        // Locked: instances following at once take turns, and each event is looked at once.
        const cursor = await tx.crmCursor();
        const events = await tx.readEvents(null, cursor, EVENTS_PER_PASS);
        const changed = new Set(events.filter((e) => e.type === 'state').map((e) => e.data.conversationId));
        for (const conversationId of changed)
            await tx.markCrmDue(conversationId, now);
        if (events.length)
            await tx.setCrmCursor(events[events.length - 1].id);
        return events.length;
    });
}
export function claimCrmWrites(db, now, limit) {
    return db.transaction((tx) => tx.claimCrmWrites(now, now + CRM_LEASE_MS, limit));
}
/** Everything the activity row is made from, read as it is now. */
export function crmActivityInput(db, conversationId) {
    return db.read(async (tx) => {
        const conversation = await tx.getConversation(conversationId);
        if (!conversation)
            return null;
        const messages = [];
        for (let before = Number.MAX_SAFE_INTEGER;;) {
            const page = await tx.listMessages(conversationId, before, 200);
            messages.unshift(...page.items);
            if (page.next === null)
                break;
            before = Number(page.next);
        }
        const notes = await tx.listNotes(conversationId);
        const agent = conversation.assignedAgentId ? await tx.getAgent(conversation.assignedAgentId) : null;
        return { conversation, messages, notes, agentName: agent?.name ?? null };
    });
}
export function recordCrmWrite(db, write, outcome, now) {
    return db.transaction(async (tx) => {
        if (outcome.kind === 'done')
            await tx.finishCrmWrite(write.conversationId, write.version);
        else if (outcome.kind === 'retry')
            await tx.retryCrmWrite(write.conversationId, now + crmRetryDelay(write.attempts, outcome.retryAfterMs), outcome.error);
        else
            await tx.failCrmWrite(write.conversationId, now, outcome.error);
    });
}
//# sourceMappingURL=crm-sync.js.map