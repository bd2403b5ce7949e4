/**
 * The demo CRM form (AUTH_MODE=dev only): the widget's demo page with <wcp-panel>
 * mounted, and a dev token for the chosen agent (`/?agent=bob`); and the supervisor's page
 * (`/supervisor`, a dev token for the demo supervisor).
 */
import type { FastifyPluginAsync } from 'fastify';
import { existsSync } from 'node:fs';
import { Type } from '@sinclair/typebox';
import { fileURLToPath } from 'node:url';
import { DEMO_DATAVERSE_PATH, demoCrmWanted } from '../demo/demo-crm.ts';
import { peerAddress } from './rate-keys.ts';

const WIDGET_DIST = fileURLToPath(new URL('../../../widget/dist/', import.meta.url));

export const DEMO_AGENTS: Record<string, string> = {
  'agent-1': 'Alex Morgan',
  'agent-2': 'Sam Rivera',
  supervisor: 'Jordan Lee',
};

export const demoRoutes: FastifyPluginAsync = async (app) => {
  const { mintToken } = app.relay.deps;

  if (existsSync(WIDGET_DIST)) {
    // Loaded here, in dev auth only: @fastify/static and its glob are ~2 MB of heap an Entra relay never uses.
    const { default: fastifyStatic } = await import('@fastify/static');
    await app.register(fastifyStatic, { root: WIDGET_DIST, prefix: '/widget/', decorateReply: false, index: false });
  }
  app.get('/', { schema: { hide: true } }, async (request, reply) => {
    const page = `${WIDGET_DIST}demo/index.html`;
    if (!existsSync(page)) {
      return reply.code(503).type('text/plain').send('The panel is not built yet: run "npm run build -w widget" (npm start does it).');
    }
    const query = new URLSearchParams(request.url.split('?')[1] ?? '').toString();
    return reply.redirect(`/widget/demo/index.html${query ? `?${query}` : ''}`);
  });

  // The supervisor's page: every agent, queue and conversation live; its own dev supervisor token.
  app.get('/supervisor', { schema: { hide: true } }, async (request, reply) => {
    if (!existsSync(`${WIDGET_DIST}supervisor/index.html`)) {
      return reply.code(503).type('text/plain').send('The supervisor page is not built yet: run "npm run build -w widget" (npm start does it).');
    }
    const query = new URLSearchParams(request.url.split('?')[1] ?? '').toString();
    return reply.redirect(`/widget/supervisor/index.html${query ? `?${query}` : ''}`);
  });

  app.get<{ Querystring: { agent?: string } }>(
    '/demo/config',
    {
      schema: { hide: true, querystring: Type.Object({ agent: Type.Optional(Type.String({ pattern: '^[a-z0-9-]{1,40}$' })) }) },
      // It hands out tokens as /auth/dev-token does: limited per TCP peer too, more loosely (every
      // demo page load asks once, and a test run opens many).
      preHandler: app.rateLimit({ max: 120, timeWindow: '1 minute', keyGenerator: peerAddress, groupId: 'demo-config' }),
    },
    async (request, reply) => {
      const id = request.query.agent ?? 'agent-1';
      const name = DEMO_AGENTS[id] ?? id;
      const role = id === 'supervisor' ? 'supervisor' : 'agent';
      // A supervisor sees every customer. Handed to anyone who asks only when no customer is real
      // (the simulator's, or a test rig's fake Twilio): a dev-auth relay on live Twilio gives out
      // agents only, as /auth/dev-token does.
      if (role === 'supervisor' && app.relay.deps.config.realCustomers) {
        return reply.code(403).send({ error: 'forbidden', message: 'The demo supervisor exists only where no customer is real (simulator mode, or a fake Twilio); with live Twilio, sign supervisors in with Entra (AUTH_MODE=entra).' });
      }
      const token = await mintToken!({ id, name, role });
      return {
        relayUrl: `${request.protocol}://${request.host}`,
        token,
        agent: { id, name, role },
        agents: Object.entries(DEMO_AGENTS).map(([agentId, agentName]) => ({ id: agentId, name: agentName })),
        // The fake CRM's Web API the page reads its timeline from (same origin); null when there is none.
        dataverseUrl: demoCrmWanted(app.relay.deps) ? `${request.protocol}://${request.host}${DEMO_DATAVERSE_PATH}` : null,
      };
    },
  );
};
