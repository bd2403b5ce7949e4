import { notFound } from "../../domain/errors.js";
import { actionable, canRead } from "../../domain/conversation-rules.js";
/** The signed-in agent as the store sees it. */
export const viewerOf = (request) => ({
    agentId: request.agent.id,
    supervisor: request.agent.role === 'supervisor',
});
export async function readableConversation(store, id, viewer, now) {
    const c = await store.getConversation(id);
    if (!c || !canRead(c, viewer, now))
        throw notFound('Conversation');
    return c;
}
/** Acting (sending, notes) needs the assignment; supervisors may act on any. */
export async function ownedConversation(store, id, viewer) {
    return actionable(await store.getConversation(id), viewer);
}
//# sourceMappingURL=access.js.map