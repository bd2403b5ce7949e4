/** The fake org's URL path (DATAVERSE_URL of the demo) and the fake authority's (ENTRA_AUTHORITY_HOST). */
export const DEMO_DATAVERSE_PATH = '/demo/dataverse';
export const DEMO_ENTRA_PATH = '/demo/entra';
/** The one rule for whether the demo CRM is there. */
export function demoCrmWanted(deps) {
    return deps.config.authMode === 'dev' && !deps.config.dataverse && deps.simulator !== undefined;
}
/** `server` is the relay's HTTP server: the writer calls the relay back on its loopback address. */
export async function createDemoCrm(deps, server) {
    // The fake is loaded only where it is mounted: a production relay never carries its code.
    const { FAKE_CLIENT_ID, FAKE_TENANT, FakeDataverseService } = await import("./fake-dataverse.js");
    const origin = () => loopbackOrigin(server());
    const service = new FakeDataverseService({
        url: () => `${origin()}${DEMO_DATAVERSE_PATH}`,
        // The demo page reads its timeline as the signed-in agent, as a Dynamics user would.
        acceptsReader: (token) => deps.verifyToken(token).then(() => true, () => false),
    });
    const config = {
        get url() {
            return `${origin()}${DEMO_DATAVERSE_PATH}`;
        },
        get authorityHost() {
            return `${origin()}${DEMO_ENTRA_PATH}`;
        },
        tenantId: FAKE_TENANT,
        clientId: FAKE_CLIENT_ID,
        clientSecret: service.clientSecret,
    };
    const routes = async (app) => {
        // The fake reads bodies as the services do: raw JSON (its own 400 for bad JSON) and forms.
        app.removeAllContentTypeParsers();
        app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: 4 * 1024 * 1024 }, (_request, body, done) => done(null, body));
        const forward = (root) => async (request, reply) => {
            const url = new URL(request.url, 'http://relay.invalid');
            const answer = await service.handle({
                method: request.method,
                path: url.pathname.slice(root.length),
                query: url.searchParams,
                headers: request.headers,
                body: typeof request.body === 'string' ? request.body : '',
            });
            return reply.code(answer.status).headers(answer.headers).send(answer.body ?? '');
        };
        const schema = { hide: true };
        app.route({ method: ['GET', 'PATCH', 'POST', 'DELETE'], url: `${DEMO_DATAVERSE_PATH}/*`, schema, handler: forward(DEMO_DATAVERSE_PATH) });
        app.route({ method: 'POST', url: `${DEMO_ENTRA_PATH}/*`, schema, handler: forward(DEMO_ENTRA_PATH) });
    };
    return { config, service, routes };
}
/** How this process reaches itself: a wildcard listen address is reached on loopback. */
function loopbackOrigin(server) {
    const address = server.address();
    if (!address || typeof address === 'string')
        return 'http://127.0.0.1:0'; // not listening (inject-only): writes fail and are retried
    const host = address.address === '0.0.0.0' ? '127.0.0.1' : address.address === '::' ? '::1' : address.address;
    return `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
}
//# sourceMappingURL=demo-crm.js.map