/** Liveness (the process answers) and readiness (the store answers too). */
export const healthRoutes = async (app) => {
    app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
    app.get('/readyz', { schema: { hide: true } }, async (request, reply) => {
        try {
            await app.relay.deps.store.ping();
            return { status: 'ready', store: app.relay.deps.store.kind, transport: app.relay.deps.transport.name };
        }
        catch (err) {
            request.log.warn({ err }, 'store not ready');
            return reply.code(503).send({ status: 'unavailable', store: app.relay.deps.store.kind });
        }
    });
};
//# sourceMappingURL=health.js.map