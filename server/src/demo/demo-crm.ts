/**
 * The demo's CRM record: a simulator-mode relay in dev auth with no DATAVERSE_URL mounts the
 * fake Dataverse Web API and Entra ID token endpoint (./fake-dataverse.ts) under /demo/… and
 * points its real CRM writer at itself, over HTTP, with client credentials — so the demo
 * page's timeline shows the activity exactly as the writer would leave it in Dynamics. A
 * relay with a Twilio account (production, the bench) never mounts it, nor one in Entra
 * auth, nor one with DATAVERSE_URL set.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { DataverseConfig } from '../config.ts';
import type { AppDeps } from '../deps.ts';
import type { FakeDataverseService } from './fake-dataverse.ts';

/** The fake org's URL path (DATAVERSE_URL of the demo) and the fake authority's (ENTRA_AUTHORITY_HOST). */
export const DEMO_DATAVERSE_PATH = '/demo/dataverse';
export const DEMO_ENTRA_PATH = '/demo/entra';

/** The one rule for whether the demo CRM is there. */
export function demoCrmWanted(deps: Pick<AppDeps, 'config' | 'simulator'>): boolean {
  return deps.config.authMode === 'dev' && !deps.config.dataverse && deps.simulator !== undefined;
}

export interface DemoCrm {
  /** What the CRM writer is configured with: this relay's own address, known once it listens. */
  config: DataverseConfig;
  service: FakeDataverseService;
  routes: FastifyPluginAsync;
}

/** `server` is the relay's HTTP server: the writer calls the relay back on its loopback address. */
export async function createDemoCrm(deps: Pick<AppDeps, 'verifyToken'>, server: () => Server): Promise<DemoCrm> {
  // The fake is loaded only where it is mounted: a production relay never carries its code.
  const { FAKE_CLIENT_ID, FAKE_TENANT, FakeDataverseService } = await import('./fake-dataverse.ts');
  const origin = () => loopbackOrigin(server());
  const service = new FakeDataverseService({
    url: () => `${origin()}${DEMO_DATAVERSE_PATH}`,
    // The demo page reads its timeline as the signed-in agent, as a Dynamics user would.
    acceptsReader: (token) => deps.verifyToken(token).then(
      () => true,
      () => false,
    ),
  });
  const config: DataverseConfig = {
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

  const routes: FastifyPluginAsync = async (app) => {
    // The fake reads bodies as the services do: raw JSON (its own 400 for bad JSON) and forms.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: 4 * 1024 * 1024 }, (_request, body, done) => done(null, body));
    const forward = (root: string) => async (request: FastifyRequest, reply: FastifyReply) => {
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
function loopbackOrigin(server: Server): string {
  const address = server.address() as AddressInfo | null;
  if (!address || typeof address === 'string') return 'http://127.0.0.1:0'; // not listening (inject-only): writes fail and are retried
  const host = address.address === '0.0.0.0' ? '127.0.0.1' : address.address === '::' ? '::1' : address.address;
  return `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
}
