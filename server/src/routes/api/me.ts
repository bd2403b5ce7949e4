import type { FastifyPluginAsync } from 'fastify';
import { Agent, PresenceRequest } from '@wcp/protocol';
import { notFound } from '../../domain/errors.ts';
import type { AgentRow } from '../../store/port.ts';

const toApiAgent = ({ lastOfferedAt: _lastOfferedAt, ...agent }: AgentRow): Agent => agent;

export const meRoutes: FastifyPluginAsync = async (app) => {
  const { deps } = app.relay;

  app.get('/me', { schema: { tags: ['agent'], response: { 200: Agent } } }, async (request) => {
    const agent = await deps.store.getAgent(request.agent.id);
    if (!agent) throw notFound('Agent');
    return toApiAgent(agent);
  });

  app.put<{ Body: PresenceRequest }>(
    '/me/presence',
    { schema: { tags: ['agent'], body: PresenceRequest, response: { 200: Agent } } },
    async (request) => {
      const agent = await deps.store.setPresence(request.agent.id, request.body.presence, deps.clock.now());
      app.relay.notify();
      // Becoming available may be what a waiting customer needs.
      void app.relay.router.kick();
      return toApiAgent(agent);
    },
  );
};
