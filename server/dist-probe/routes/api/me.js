import { Agent, PresenceRequest } from '@wcp/protocol';
import { notFound } from "../../domain/errors.js";
const toApiAgent = ({ lastOfferedAt: _lastOfferedAt, ...agent }) => agent;
export const meRoutes = async (app) => {
    const { deps } = app.relay;
    app.get('/me', { schema: { tags: ['agent'], response: { 200: Agent } } }, async (request) => {
        const agent = await deps.store.getAgent(request.agent.id);
        if (!agent)
            throw notFound('Agent');
        return toApiAgent(agent);
    });
    app.put('/me/presence', { schema: { tags: ['agent'], body: PresenceRequest, response: { 200: Agent } } }, async (request) => {
        const agent = await deps.store.setPresence(request.agent.id, request.body.presence, deps.clock.now());
        app.relay.notify();
        // Becoming available may be what a waiting customer needs.
        void app.relay.router.kick();
        return toApiAgent(agent);
    });
};
//# sourceMappingURL=me.js.map