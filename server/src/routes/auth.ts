/**
 * How the panel signs in. `GET /auth/config` tells a client which mode the relay runs
 * in (and, for Entra, which tenant and audience to ask a token for).
 * `GET /auth/entra/popup` (+ its scripts under /auth/entra/) exists only with AUTH_MODE=entra:
 * the sign-in page the Power Apps control opens in a pop-up (src/auth/entra-popup.ts).
 * `POST /auth/dev-token` exists only with AUTH_MODE=dev: it signs a token for whichever
 * agent is named, which is exactly what dev mode is — never run it on a public address.
 */
import type { FastifyPluginAsync } from 'fastify';
import { Type } from '@sinclair/typebox';
import { ENTRA_POPUP_PATH, buildEntraPopupPage, entraPopupCsp } from '../auth/entra-popup.ts';
import { peerAddress } from './rate-keys.ts';

export const authRoutes: FastifyPluginAsync = async (app) => {
  const { config, mintToken } = app.relay.deps;

  app.get('/auth/config', { schema: { hide: true } }, async () =>
    config.authMode === 'entra'
      ? { mode: 'entra', tenantId: config.entraTenantId, audience: config.entraAudience, clientId: config.entraClientId, signInPath: ENTRA_POPUP_PATH }
      : { mode: 'dev' },
  );

  if (config.authMode === 'entra' && !config.entraClientId) {
    app.log.warn('ENTRA_CLIENT_ID is not set: the panel sign-in page (/auth/entra/popup) answers 503 until it is; the API takes Entra tokens as ever');
    app.get(ENTRA_POPUP_PATH, { schema: { hide: true } }, (_request, reply) =>
      reply
        .code(503)
        .headers({ 'cache-control': 'no-store', 'x-frame-options': 'DENY' })
        .type('text/plain; charset=utf-8')
        .send("This relay's Entra sign-in page is not set up: its administrator must set ENTRA_CLIENT_ID, the application (client) ID of the panel sign-in app registration."),
    );
  } else if (config.authMode === 'entra') {
    const page = buildEntraPopupPage(config);
    const csp = entraPopupCsp(config);
    app.get(ENTRA_POPUP_PATH, { schema: { hide: true } }, (_request, reply) =>
      reply
        .headers({
          'content-security-policy': csp,
          // The Dynamics page that opened this window must keep its handle on it (postMessage,
          // `closed`): a COOP other than unsafe-none would cut the two apart.
          'cross-origin-opener-policy': 'unsafe-none',
          'x-frame-options': 'DENY',
          'cache-control': 'no-store',
        })
        .type('text/html; charset=utf-8')
        .send(page.html),
    );
    for (const asset of page.assets) {
      app.get(`/auth/entra/${asset.name}`, { schema: { hide: true } }, (_request, reply) =>
        reply
          .headers({ 'cache-control': 'public, max-age=31536000, immutable', 'x-content-type-options': 'nosniff' })
          .type(asset.contentType)
          .send(asset.body),
      );
    }
  }

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
      // Keyed by the TCP peer: with trustProxy, request.ip is whatever X-Forwarded-For claims.
      preHandler: app.rateLimit({ max: 30, timeWindow: '1 minute', keyGenerator: peerAddress, groupId: 'dev-token' }),
    },
    async (request) => ({ token: await mintToken({ id: request.body.agentId, name: request.body.name, role: 'agent' }) }),
  );
};
