/**
 * The agent's live events as Server-Sent Events. The stream reads the durable event log
 * by cursor: a bus notification only wakes it, and a slow poll covers a missed one, so
 * an agent sees every event once, in order, across relay restarts and instances.
 */
import type { FastifyPluginAsync } from 'fastify';
import { viewerOf } from './index.ts';

const BATCH = 500;
const HEARTBEAT_MS = 15_000;
const SAFETY_POLL_MS = 5_000;

export function parseLastEventId(header: string | string[] | undefined, query: unknown): number | null {
  const raw = Array.isArray(header) ? header[0] : header ?? (typeof query === 'string' ? query : undefined);
  if (raw === undefined || raw === '') return null;
  return /^\d{1,15}$/.test(raw) ? Number(raw) : null;
}

export const eventRoutes: FastifyPluginAsync = async (app) => {
  const { deps } = app.relay;
  // Open streams end when the relay shuts down, so a graceful close does not wait on them.
  const open = new Set<() => void>();
  app.addHook('preClose', async () => {
    for (const end of open) end();
  });

  app.get('/events', { schema: { tags: ['events'], produces: ['text/event-stream'] } }, async (request, reply) => {
    const viewer = viewerOf(request);
    const resumeFrom = parseLastEventId(request.headers['last-event-id'], (request.query as Record<string, unknown>).lastEventId);
    let cursor = resumeFrom ?? (await deps.store.latestEventId());

    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      ...corsHeaders(request.headers.origin, deps.config.corsOrigins),
    });
    // serverTime: the relay's clock (the simulator can move it), so panels count windows down on it.
    res.write(`retry: 2000\nid: ${cursor}\nevent: ready\ndata: ${JSON.stringify({ agentId: viewer.agentId, serverTime: new Date(deps.clock.now()).toISOString() })}\n\n`);

    let closed = false;
    let reading = false;
    let again = false;
    const pump = async (): Promise<void> => {
      if (closed) return;
      if (reading) {
        again = true;
        return;
      }
      reading = true;
      try {
        do {
          again = false;
          for (;;) {
            const events = await deps.store.readEvents(viewer, cursor, BATCH);
            if (closed || events.length === 0) break;
            let chunk = '';
            for (const e of events) chunk += `id: ${e.id}\nevent: ${e.type}\ndata: ${JSON.stringify(e.data)}\n\n`;
            cursor = events[events.length - 1]!.id;
            if (!res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve));
            if (events.length < BATCH) break;
          }
        } while (again && !closed);
      } catch (err) {
        request.log.error({ err }, 'event stream read failed');
        res.destroy();
      } finally {
        reading = false;
      }
    };

    const unsubscribe = deps.bus.subscribe('events', () => void pump());
    const heartbeat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS);
    const safety = setInterval(() => void pump(), SAFETY_POLL_MS);
    const stop = () => {
      closed = true;
      unsubscribe();
      clearInterval(heartbeat);
      clearInterval(safety);
    };
    const end = () => {
      stop();
      res.end();
    };
    open.add(end);
    res.on('close', () => {
      stop();
      open.delete(end);
    });
    await pump();
  });
};

/** The stream is hijacked, so @fastify/cors cannot add its headers: add them here. */
function corsHeaders(origin: string | undefined, allowed: string[]): Record<string, string> {
  if (!origin || !allowed.includes(origin)) return {};
  return { 'access-control-allow-origin': origin, vary: 'Origin' };
}
