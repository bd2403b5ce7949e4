import { timingSafeEqual, createHash } from 'node:crypto';
import { BlockList } from 'node:net';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { countConversations } from './metrics.ts';

/** Loopback is all of 127.0.0.0/8 (a scraper on 127.0.0.2 is as local as one on .1), and ::1. */
const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  return v4.includes('.') ? LOOPBACK.check(v4, 'ipv4') : LOOPBACK.check(address, 'ipv6');
}

function sameSecret(a: string, b: string): boolean {
  // Hashing first gives equal lengths, so the comparison does not leak the token's length.
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

function bearer(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer\s+(.+)$/i.exec(header) : null;
  return match?.[1]?.trim() ?? null;
}

/** GET /metrics: Prometheus text format. METRICS_TOKEN set → bearer token; unset → loopback only. */
export const metricsRoutes: FastifyPluginAsync = async (app) => {
  const { metrics, deps } = app.relay;
  const token = deps.config.metricsToken ?? null;
  app.get('/metrics', { schema: { hide: true }, config: { securityHeaders: false } }, async (request, reply) => {
    if (token) {
      const given = bearer(request);
      if (given === null || !sameSecret(given, token)) {
        return reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'unauthorized', message: 'GET /metrics needs Authorization: Bearer <METRICS_TOKEN>.' });
      }
    } else if (!isLoopback(request.socket.remoteAddress)) {
      return reply.code(403).send({ error: 'forbidden', message: 'Without METRICS_TOKEN, /metrics answers only loopback callers.' });
    }
    metrics.sseClients.set(app.relay.hub.clientCount);
    const gauges = await deps.store.metricGauges().catch((err: unknown) => {
      request.log.warn({ err }, 'metrics: store counts unavailable');
      return undefined;
    });
    if (gauges) {
      metrics.outboxDepth.set(gauges.outboxDepth);
      metrics.crmWritesFailed.set(gauges.crmWritesFailed);
      countConversations(metrics, gauges.conversations);
    }
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
};
