import { notFound } from "../domain/errors.js";
export function setPresence(db, agentId, presence, now) {
    return db.transaction(async (tx) => {
        const agent = await tx.updatePresence(agentId, presence, now);
        if (!agent)
            throw notFound('Agent');
        tx.emit('presence', agentId, { agentId, presence });
        return agent;
    });
}
//# sourceMappingURL=set-presence.js.map