/**
 * The agent API. Every route needs `Authorization: Bearer <token>`; the agent it names
 * sees only conversations offered or assigned to it (supervisors see all).
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { AuthError, AuthUnavailableError } from '../../auth/tokens.ts';
import { conversationRoutes } from './conversations.ts';
import { documentSharedErrors } from './documented-errors.ts';
import { eventRoutes } from './events.ts';
import { libraryRoutes } from './library.ts';
import { mediaRoutes } from './media.ts';
import { meRoutes } from './me.ts';
import { messageRoutes } from './messages.ts';
import { whatsappRoutes } from './whatsapp.ts';
import { teamRoutes } from './team.ts';

export const agentApi: FastifyPluginAsync = async (app) => {
  const { deps } = app.relay;
  // The agent row is refreshed once per identity per process, not on every request.
  const known = new Map<string, string>();

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  app.addHook('onRoute', documentSharedErrors);

  app.decorateRequest('agent', null as unknown as FastifyRequest['agent']);
  app.addHook('onRequest', async (request, reply) => {
    if (request.url.startsWith('/api/v1/openapi.json') || request.method === 'OPTIONS') return;
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) {
      return reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'unauthorized', message: 'Sign in: this request needs an Authorization: Bearer token.' });
    }
    try {
      request.agent = await deps.verifyToken(match[1]!);
    } catch (error) {
      if (error instanceof AuthUnavailableError) return reply.code(503).send({ error: 'auth_unavailable', message: error.message });
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
