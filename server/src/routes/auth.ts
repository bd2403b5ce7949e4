/**
 * How the panel signs in. `GET /auth/config` tells a client which mode the relay runs
 * in (and, for Entra, which tenant and audience to ask a token for).
 * `POST /auth/dev-token` exists only with AUTH_MODE=dev: it signs a token for whichever
 * agent is named, which is exactly what dev mode is — never run it on a public address.
 */
import type { FastifyPluginAsync } from 'fastify';
import { Type } from '@sinclair/typebox';

export const authRoutes: FastifyPluginAsync = async (app) => {
  const { config, mintToken } = app.relay.deps;

  app.get('/auth/config', { schema: { hide: true } }, async () =>
    config.authMode === 'entra' ? { mode: 'entra', tenantId: config.entraTenantId, audience: config.entraAudience } : { mode: 'dev' },
  );

  if (config.authMode !== 'dev' || !mintToken) return;
  app.post<{ Body: { agentId: string; name: string } }>(
    '/auth/dev-token',
    {
      schema: {
        hide: true,
        body: Type.Object(
          { agentId: Type.String({ minLength: 1, maxLength: 100 }), name: Type.String({ minLength: 1, maxLength: 200 }) },
          { additionalProperties: false },
        ),
      },
      preHandler: app.rateLimit({ max: 30, timeWindow: '1 minute' }),
    },
    async (request) => ({ token: await mintToken({ id: request.body.agentId, name: request.body.name, role: 'agent' }) }),
  );
};
