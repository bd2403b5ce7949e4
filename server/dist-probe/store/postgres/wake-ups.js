const TOPICS = ['events', 'outbox'];
/** Instances on the same schema hear each other; other schemas (other deployments, test runs) do not. */
export function wakeUpChannel(schema) {
    return `wcp_${schema ?? 'default'}`;
}
export function wakeUpPayload(topic, origin, upToEventId) {
    return upToEventId === undefined ? `${topic}:${origin}` : `${topic}:${origin}:${upToEventId}`;
}
/** null for a payload that is not ours (anything may NOTIFY on a channel). */
export function parseWakeUp(payload) {
    const [topic, origin, upTo] = (payload ?? '').split(':');
    if (!TOPICS.includes(topic) || !origin)
        return null;
    const upToEventId = upTo === undefined ? undefined : Number(upTo);
    if (upToEventId !== undefined && !Number.isSafeInteger(upToEventId))
        return null;
    return { topic: topic, origin, ...(upToEventId === undefined ? {} : { upToEventId }) };
}
//# sourceMappingURL=wake-ups.js.map