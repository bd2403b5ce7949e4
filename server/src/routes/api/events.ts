/**
 * The agent's live events as Server-Sent Events. A stream replays the durable event log
 * from its cursor (Last-Event-ID), then takes live events from the process's EventHub;
 * ids at or below its cursor are dropped, so an agent sees every event once, in order,
 * across relay restarts and instances.
 */
import type { FastifyPluginAsync } from 'fastify';
import { sseText } from '../../events/sse-frames.ts';
import type { StoredEvent } from '../../store/port.ts';
import { isMembersCopyOfQueueCounts } from '../../usecases/queue-counts.ts';
import { viewerOf } from './access.ts';

const BATCH = 500;
const HEARTBEAT_MS = 15_000;
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;
/** setTimeout's longest delay. */
const MAX_TIMER_MS = 2_147_483_647;
/**
 * Streams one agent may hold open on one relay (tabs, the form's panel and the supervisor page):
 * past it, its oldest ends. One token cannot open streams until memory runs out, and the streams
 * a sleeping laptop left half-open are let go rather than locking the agent out.
 */
export const MAX_STREAMS_PER_AGENT = 20;

export function parseLastEventId(header: string | string[] | undefined, query: unknown): number | null {
  const raw = Array.isArray(header) ? header[0] : header ?? (typeof query === 'string' ? query : undefined);
  if (raw === undefined || raw === '') return null;
  return /^\d{1,15}$/.test(raw) ? Number(raw) : null;
}

export const eventRoutes: FastifyPluginAsync = async (app) => {
  const { deps } = app.relay;
  // Open streams end when the relay shuts down, so a graceful close does not wait on them.
  const open = new Set<() => void>();
  /** Each agent's open streams' ends, oldest first. */
  const byAgent = new Map<string, Set<() => void>>();
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
    for (const end of open) end();
  });

  const schema = {
    tags: ['events'],
    // The stream is the 200; the refusals before it (401, 429, 503) are JSON like every route's.
    response: {
      200: {
        description:
          'Server-Sent Events: `ready` first (its id: where the stream resumes from, the newest event without Last-Event-ID; `reload: true` when Last-Event-ID is outside the log), then every event for this agent with an `id:` (Last-Event-ID resumes after it), `: ping` comments between.',
        content: { 'text/event-stream': { schema: { type: 'string' } } },
      },
    },
  };
  app.get('/events', { schema, config: { securityHeaders: 'stream' } }, async (request, reply) => {
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
    // Sent now: the `ready` frame waits for the stream's resume point (below), the panel need not.
    res.flushHeaders();
    // A client gone while the stream is being set up: its close came before the handler below.
    let gone = false;
    res.once('close', () => (gone = true));

    let closed = false;
    const write = (events: StoredEvent[]): void => {
      // Ids at or below the cursor were already sent (from the backlog or an earlier batch).
      const fresh = events.filter((e) => e.id > cursor);
      if (closed || fresh.length === 0) return;
      // Passed over, not sent, but the cursor goes past them too: a backlog of nothing but
      // members' copies would otherwise be read again and again.
      cursor = fresh[fresh.length - 1]!.id;
      const sent = viewer.supervisor ? fresh.filter((e) => !isMembersCopyOfQueueCounts(e)) : fresh;
      if (sent.length === 0) return;
      let chunk = '';
      for (const e of sent) chunk += sseText(e);
      res.write(chunk);
      // Sent now, not at the end of this tick: Node's http corks a response's socket on each
      // write until the next tick, and the SQLite store syncs its log (~1 ms) right after
      // handing a webhook's events over — the agent need not wait for that (routes/twilio.ts).
      res.socket?.uncork();
      // A client that stopped reading resumes later with Last-Event-ID; don't hold its backlog in memory.
      if (res.writableLength > MAX_BUFFERED_BYTES) res.destroy();
    };

    // Subscribe before reading the backlog: live events arriving meanwhile wait in `pending`.
    let pending: StoredEvent[] | null = [];
    const unsubscribe = await app.relay.hub.subscribe({
      viewer,
      deliver: (events) => (pending ? pending.push(...events) : write(events)),
    });
    // Seen now, not at the next half-minute pass: an agent back within OFFLINE_AFTER_DISCONNECT
    // is never set Offline (services/absent-agents.ts). A failure only delays it to that pass.
    void deps.store.markPanelsSeen([viewer.agentId], deps.clock.now()).catch((err: unknown) => request.log.warn({ err }, 'panel not marked seen'));
    const heartbeat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS);
    // The token was checked once, when the stream opened: the stream ends when the token does
    // (real time, as the token's exp), and the panel reconnects with a fresh one from its
    // Last-Event-ID. Else an expired token, or a role taken away, would go on streaming.
    const tokenEnds = setTimeout(() => end(), Math.min(MAX_TIMER_MS, Math.max(0, request.agent.expiresAt - Date.now())));
    const stop = () => {
      closed = true;
      unsubscribe();
      clearInterval(heartbeat);
      clearTimeout(tokenEnds);
    };
    // At shutdown (a rolling restart) the stream ends with a short retry hint: clients reconnect
    // at once, to whichever instance answers, and resume from their Last-Event-ID.
    const end = () => {
      stop();
      res.end('retry: 500\n\n');
    };
    open.add(end);
    let own = byAgent.get(viewer.agentId);
    if (!own) byAgent.set(viewer.agentId, (own = new Set()));
    own.add(end);
    if (own.size > MAX_STREAMS_PER_AGENT) {
      const oldest = own.values().next().value!;
      own.delete(oldest);
      oldest();
    }
    const closeStream = () => {
      stop();
      open.delete(end);
      own.delete(end);
      if (own.size === 0 && byAgent.get(viewer.agentId) === own) byAgent.delete(viewer.agentId);
    };
    res.on('close', closeStream);
    // Gone during the subscribe: its subscription and heartbeat would have stayed for ever.
    if (gone) {
      closeStream();
      return;
    }
    // A stream still being set up when shutdown began was not in `open` then: left open, it
    // held the server's close until the forced exit (test/failover/graceful-close.test.ts).
    if (closing) {
      end();
      return;
    }

    try {
      // An id past the log's end (kept from before a restore of the database) would drop every
      // new event up to it: the stream goes on from the end instead. (Asked after the stream is
      // set up, so a stream opened while the relay shuts down still gets its retry hint.)
      const latest = resumeFrom !== null ? await deps.store.latestEventId() : null;
      if (latest !== null) cursor = Math.min(cursor, latest);
      // Resuming from before what the log still holds (EVENT_LOG_RETENTION): some of what the
      // panel missed is gone; from past its end: what the panel holds came from another log. Either
      // way it is told to load its conversations again.
      const reload = resumeFrom !== null && (resumeFrom > latest! || resumeFrom < (await deps.store.eventLogPrunedThrough()));
      if (closed) return;
      // Its id is where the panel resumes if the stream drops before an event comes: the clamped
      // cursor, or events written meanwhile would fall below the panel's out-of-range id.
      // serverTime: the relay's clock (the simulator can move it), so panels count windows down on it.
      const ready = { agentId: viewer.agentId, serverTime: new Date(deps.clock.now()).toISOString(), ...(reload ? { reload: true } : {}) };
      res.write(`retry: 2000\nid: ${cursor}\nevent: ready\ndata: ${JSON.stringify(ready)}\n\n`);
      for (;;) {
        const backlog = await deps.store.readEvents(viewer, cursor, BATCH);
        write(backlog);
        if (closed || backlog.length < BATCH) break;
      }
    } catch (err) {
      request.log.error({ err }, 'event stream backlog read failed');
      res.destroy();
      return;
    }
    const waiting = pending;
    pending = null;
    write(waiting);
  });
};

/** The stream is hijacked, so @fastify/cors cannot add its headers: add them here. */
function corsHeaders(origin: string | undefined, allowed: string[]): Record<string, string> {
  if (!origin || !allowed.includes(origin)) return {};
  return { 'access-control-allow-origin': origin, vary: 'Origin' };
}
