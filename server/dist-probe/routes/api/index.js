import { AuthError } from "../../auth/tokens.js";
import { conversationRoutes } from "./conversations.js";
import { documentSharedErrors } from "./documented-errors.js";
import { eventRoutes } from "./events.js";
import { libraryRoutes } from "./library.js";
import { mediaRoutes } from "./media.js";
import { meRoutes } from "./me.js";
import { messageRoutes } from "./messages.js";
import { whatsappRoutes } from "./whatsapp.js";
import { teamRoutes } from "./team.js";
export const agentApi = async (app) => {
    const { deps } = app.relay;
    // The agent row is refreshed once per identity per process, not on every request.
    const known = new Map();
    app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
    app.addHook('onRoute', documentSharedErrors);
    app.decorateRequest('agent', null);
    app.addHook('onRequest', async (request, reply) => {
        if (request.url.startsWith('/api/v1/openapi.json') || request.method === 'OPTIONS')
            return;
        const header = request.headers.authorization ?? '';
        const match = /^Bearer\s+(\S+)$/i.exec(header);
        if (!match) {
            return reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'unauthorized', message: 'Sign in: this request needs an Authorization: Bearer token.' });
        }
        try {
            request.agent = await deps.verifyToken(match[1]);
        }
        catch (error) {
            const message = error instanceof AuthError ? error.message : 'The token is not valid.';
            return reply.code(401).header('www-authenticate', 'Bearer error="invalid_token"').send({ error: 'unauthorized', message });
        }
        const fingerprint = `${request.agent.name}|${request.agent.role}`;
        if (known.get(request.agent.id) !== fingerprint) {
            await deps.store.upsertAgent(request.agent, deps.config.agentCapacity, deps.clock.now());
            known.set(request.agent.id, fingerprint);
        }
    });
    await app.register(meRoutes);
    await app.register(conversationRoutes);
    await app.register(messageRoutes);
    await app.register(libraryRoutes);
    await app.register(mediaRoutes);
    await app.register(eventRoutes);
    await app.register(whatsappRoutes);
    await app.register(teamRoutes);
};
//# sourceMappingURL=index.js.map