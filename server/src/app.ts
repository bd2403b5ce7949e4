/**
 * buildApp(deps) assembles the relay; main.ts listens. Tests call buildApp with a
 * fake clock, an in-memory store and a faked Twilio, and use app.inject() or a socket.
 */
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type { AgentIdentity } from './auth/tokens.ts';
import { DomainError } from './domain/errors.ts';
import { EventHub } from './events/hub.ts';
import { isStoreUnavailable } from './store/unavailable.ts';
import { loggerOptions } from './logging.ts';
import { OutboxWorker } from './outbox/worker.ts';
import { CrmWriter } from './crm/crm-writer.ts';
import { QueueAnnouncer } from './routing/queue-announcer.ts';
import { DataverseClient } from './crm/dataverse.ts';
import { createDemoCrm, demoCrmWanted } from './demo/demo-crm.ts';
import { ErrorBody } from '@wcp/protocol';
import { AutoCloser } from './routing/auto-closer.ts';
import { EventLogPruner } from './events/event-log-pruner.ts';
import { Router } from './routing/router.ts';
import { agentApi } from './routes/api/index.ts';
import { authRoutes } from './routes/auth.ts';
import { demoRoutes } from './routes/demo.ts';
import { healthRoutes } from './routes/health.ts';
import { createMetrics, type Metrics } from './metrics/metrics.ts';
import { metricsRoutes } from './metrics/route.ts';
import { publicMediaRoutes } from './routes/public-media.ts';
import { addSecurityHeaders } from './routes/security-headers.ts';
import { sharedRateLimitStore } from './routes/shared-rate-limit.ts';
import { twilioWebhooks } from './routes/twilio.ts';
import { AbsentAgents } from './services/absent-agents.ts';
import { Housekeeping } from './services/housekeeping.ts';
import { TemplateCatalogue } from './services/templates.ts';
import type { AppDeps } from './deps.ts';

export type { AppDeps } from './deps.ts';

export interface Relay {
  deps: AppDeps;
  router: Router;
  autoCloser: AutoCloser;
  /** Keeps the event log to EVENT_LOG_RETENTION. */
  eventLogPruner: EventLogPruner;
  /** The store's small cleanups: lapsed request limits, unsent uploads. */
  housekeeping: Housekeeping;
  absentAgents: AbsentAgents;
  outbox: OutboxWorker;
  /** Tells queues' members their counts when conversations open, coalesced. */
  queues: QueueAnnouncer;
  /** Writes each conversation's CRM activity; null without Dataverse settings. */
  crm: CrmWriter | null;
  templates: TemplateCatalogue;
  /** Fans the event log out to this process's open event streams. */
  hub: EventHub;
  /** Wakes event streams and other instances after a write. */
  notify(): void;
  metrics: Metrics;
}

declare module 'fastify' {
  interface FastifyInstance {
    relay: Relay;
  }
  interface FastifyRequest {
    agent: AgentIdentity;
    /** What a handler adds to its request's one log line (e.g. the conversation a webhook was stored in). */
    logFields: Record<string, unknown> | null;
  }
}

export type App = FastifyInstance;

export async function buildApp(deps: AppDeps): Promise<App> {
  const { requestTimeoutMs } = deps.config;
  const app = Fastify({
    logger:
      deps.logger === undefined || deps.logStream ? loggerOptions(deps.config.logLevel, deps.logStream) : deps.logger,
    // Request lines are logged by route pattern below, never with query strings or phone numbers.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 1024 * 1024,
    // A request must arrive whole in time (config.ts requestTimeout). Given to Node's server at
    // its creation: Fastify's own requestTimeout sets it afterwards, which Node 20 never acts on
    // (a body dripped a byte at a time stayed open, test/app/slow-clients.test.ts). Node looks for
    // late requests every 30 s by default, so a short limit is looked for more often.
    requestTimeout: requestTimeoutMs,
    http: { requestTimeout: requestTimeoutMs, connectionsCheckingInterval: Math.min(30_000, Math.max(250, requestTimeoutMs / 4)) },
    // Past find-my-way's default of 100 a long id was a bare 414; the routes' schemas refuse
    // it instead, as `400 invalid_request` like any other id they do not take.
    routerOptions: { maxParamLength: 2048 },
    trustProxy: true,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  const router = new Router(deps.store, deps.bus, deps.clock, deps.config, app.log);
  const metrics = deps.metrics ?? createMetrics();
  const outbox = new OutboxWorker(deps, app.log, metrics);
  // The demo's CRM: a fake Dataverse inside the relay, written by the real writer (demo/demo-crm.ts).
  const demoCrm = demoCrmWanted(deps) ? await createDemoCrm(deps, () => app.server) : null;
  const dataverse = deps.config.dataverse ?? demoCrm?.config ?? null;
  const crm = dataverse ? new CrmWriter(deps.store, new DataverseClient(dataverse), deps.clock, app.log) : null;
  const hub = new EventHub(deps.store, deps.bus, app.log);
  const relay: Relay = {
    deps,
    router,
    autoCloser: new AutoCloser(deps.store, deps.bus, deps.clock, deps.config, app.log),
    eventLogPruner: new EventLogPruner(deps.store, deps.clock, deps.config.eventLogRetentionMs ?? 0, crm !== null, app.log),
    housekeeping: new Housekeeping(deps.store, deps.clock, app.log),
    absentAgents: new AbsentAgents(deps.store, hub, deps.bus, deps.clock, deps.config.offlineAfterDisconnectMs ?? 0, app.log),
    outbox,
    queues: new QueueAnnouncer(deps.store, () => deps.bus.publish('events'), app.log, deps.startWorkers !== false),
    crm,
    templates: new TemplateCatalogue(deps.transport, deps.clock, app.log),
    hub,
    notify: () => deps.bus.publish('events'),
    metrics,
  };
  app.decorate('relay', relay);

  // One line per request, with what its handler added: a webhook is one line, not two
  // (half the log volume at webhook rates, and one write fewer on the hot path).
  app.decorateRequest('logFields', null);
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    // The conversation a request concerns, so one conversation's lines can be found together.
    const conversationId = route.startsWith('/api/v1/conversations/:id') ? (request.params as { id?: string }).id : undefined;
    // Who acted (a supervisor's force close, a queue change), and where a refused request came from.
    const who = request.agent ? { agentId: request.agent.id } : reply.statusCode === 401 || reply.statusCode === 403 ? { peer: request.socket.remoteAddress } : {};
    request.log.info(
      { method: request.method, route, ...(conversationId ? { conversationId } : {}), ...who, ...request.logFields, statusCode: reply.statusCode, ms: Math.round(reply.elapsedTime) },
      'request',
    );
  });

  app.setErrorHandler((error: Error & { statusCode?: number; code?: string; validation?: unknown }, request, reply) => {
    if (error instanceof DomainError) {
      if (error.code === 'window_expired') metrics.windowRefusals.inc();
      return reply.code(error.httpStatus).send({ error: error.code, message: error.message });
    }
    const status = error.statusCode ?? 500;
    if (error.validation) {
      return reply.code(400).send({ error: 'invalid_request', message: error.message });
    }
    // A body of a type the route does not read (a file posted raw, not as multipart): the
    // request's mistake, under the API's own code rather than Fastify's internal one.
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return reply.code(400).send({ error: 'invalid_request', message: `This route does not read a body of type ${request.headers['content-type'] ?? '(none)'}.` });
    }
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply.code(413).send({ error: 'body_too_large', message: 'The request body is over 1 MB; files go to POST /api/v1/media.' });
    }
    // The database cannot take it now (unreachable, full, read-only, locked, its file gone): the request may be retried.
    if (status >= 500 && isStoreUnavailable(error)) {
      request.log.warn({ err: error }, 'request failed: the store is unavailable');
      return reply.code(503).send({ error: 'store_unavailable', message: 'The relay cannot reach its database right now; try again shortly.' });
    }
    if (status >= 500) {
      request.log.error({ err: error }, 'request failed');
      return reply.code(500).send({ error: 'internal', message: 'Something went wrong in the relay; the request was not completed.' });
    }
    return reply.code(status).send({ error: error.code?.toLowerCase() ?? 'error', message: error.message });
  });
  // Bodiless POSTs (accept, reject, retry) are fine with or without a JSON content type.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      done(Object.assign(new Error('The body is not valid JSON.'), { statusCode: 400, code: 'INVALID_REQUEST' }), undefined);
    }
  });
  app.setNotFoundHandler((request, reply) => reply.code(404).send({ error: 'not_found', message: `${request.method} ${request.url.split('?')[0]} does not exist.` }));

  addSecurityHeaders(app, deps.config.corsOrigins);
  await app.register(cors, {
    origin: deps.config.corsOrigins.length ? deps.config.corsOrigins : false,
    allowedHeaders: ['Authorization', 'Content-Type', 'Last-Event-ID'],
    exposedHeaders: ['Date'],
    methods: ['GET', 'POST', 'PUT', 'DELETE'],
    maxAge: 600,
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'WhatsApp communication panel relay — agent API', version: '1.0.0' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
      security: [{ bearer: [] }],
    },
  });
  // Limits are per route (sends, search, dev tokens) and per agent API-wide; webhooks are not limited.
  await app.register(rateLimit, {
    global: false,
    // Counted in the database several instances share; in this process's memory otherwise.
    ...(deps.store.countRequest ? { store: sharedRateLimitStore(deps.store.countRequest.bind(deps.store)) } : {}),
    // A named error code (the default body's code fell through to a bare "error").
    errorResponseBuilder: (_request, context) =>
      Object.assign(new Error(`Too many requests: the limit is ${context.max} a minute. Try again in ${context.after}.`), { statusCode: 429, code: 'RATE_LIMITED' }),
  });
  app.addSchema(ErrorBody);

  await app.register(healthRoutes);
  await app.register(metricsRoutes);
  await app.register(twilioWebhooks);
  await app.register(authRoutes);
  await app.register(publicMediaRoutes);
  await app.register(agentApi, { prefix: '/api/v1' });
  if (deps.config.authMode === 'dev' && deps.mintToken) await app.register(demoRoutes);
  if (demoCrm) await app.register(demoCrm.routes);
  // The customer's phone page, with @fastify/static: loaded in simulator mode only.
  if (deps.simulator) await app.register((await import('./simulator/routes.ts')).simulatorRoutes);

  if (deps.startWorkers !== false) {
    app.addHook('onReady', async () => {
      router.start();
      relay.autoCloser.start();
      relay.eventLogPruner.start();
      outbox.start();
      crm?.start();
      relay.housekeeping.start();
      relay.absentAgents.start();
    });
  }
  // The server closes the keep-alive connections idle when the close starts; one whose
  // request is answered later would stay open as long as its client keeps it, holding the
  // close until the forced exit (test/failover/graceful-close.test.ts): close those as they go idle.
  let reaper: NodeJS.Timeout | undefined;
  app.addHook('preClose', async () => {
    reaper = setInterval(() => app.server.closeIdleConnections(), 100).unref();
    relay.hub.stop();
    router.stop();
    relay.autoCloser.stop();
    relay.eventLogPruner.stop();
    relay.housekeeping.stop();
    relay.absentAgents.stop();
    await outbox.stop();
    await crm?.stop();
    await relay.queues.flush();
  });
  app.addHook('onClose', async () => clearInterval(reaper));
  return app;
}
