/**
 * Keys for per-route rate limits. They must name the caller, not something the caller
 * chooses: the raw Authorization header (one token spelled "Bearer x", "bearer x",
 * "Bearer  x", ...) or X-Forwarded-For (trusted for the demo page's URL, but anyone can
 * send it) would each give a client as many buckets as it likes.
 */
import type { FastifyRequest } from 'fastify';

/** The verified agent (the agent API's auth hook runs before any route's preHandler). */
export const perAgent = (request: FastifyRequest): string => (request.agent?.id ? `agent:${request.agent.id}` : `ip:${peerAddress(request)}`);

/** The TCP peer; behind a proxy that is the proxy, so all its clients share one bucket. */
export const peerAddress = (request: FastifyRequest): string => request.socket.remoteAddress ?? request.ip;
