/**
 * Starts the relay: configuration, store, transport (Twilio or the simulator), HTTP.
 * SIGTERM/SIGINT drain in-flight requests and sends before exiting.
 */
import { randomBytes } from 'node:crypto';
import { buildApp, type AppDeps } from './app.ts';
import { devSecret } from './auth/dev-secret.ts';
import { devTokenVerifier, entraTokenVerifier, mintDevToken } from './auth/tokens.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { OffsetClock, systemClock } from './domain/clock.ts';
import { errorMessage } from './domain/errors.ts';
import type { Simulator } from './simulator/simulator.ts';
import { openStore } from './store/open-store.ts';
import { seedLibrary } from './services/seed.ts';
import { tracedStore } from './telemetry/spans.ts';

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`Configuration error: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }

  // Before anything else, so Fastify's instrumentation sees the instance created; loaded only when asked for.
  const tracing = config.otelEndpoint ? await (await import('./telemetry/otel.ts')).startTracing(config.otelEndpoint) : null;
  const opened = await openStore(config.databaseUrl).catch((error: unknown) => {
    // The URL is not repeated: it may carry a password. The advice only where it is the cause.
    throw new Error(`DATABASE_URL: the store could not be opened (${errorMessage(error)}).${openAdvice(config.databaseUrl, error)}`);
  });
  const { bus } = opened;
  const store = tracing ? tracedStore(opened.store) : opened.store;
  await seedLibrary(store);

  const secret = config.authMode === 'dev' ? devSecret(config, { create: true }) : null;
  const verifyToken =
    config.authMode === 'dev'
      ? devTokenVerifier(secret!)
      : entraTokenVerifier({ tenantId: config.entraTenantId!, audience: config.entraAudience!, authorityHost: config.entraAuthorityHost });
  const mintToken = secret ? (agent: { id: string; name: string; role: 'agent' | 'supervisor' }) => mintDevToken(secret, agent) : undefined;

  let deps: AppDeps;
  let simulator: Simulator | undefined;
  /** The app's logger, once the app is made (after the transport). */
  const appLog: { current?: { warn(details: object, message: string): void } } = {};
  if (config.twilio) {
    // Loaded only in Twilio mode: the twilio package is ~23 MB of RSS the simulator never uses.
    const { createTwilioTransport } = await import('./transport/twilio.ts');
    deps = {
      config,
      store,
      bus,
      clock: systemClock,
      verifyToken,
      mintToken,
      webhookAuthToken: config.twilio.authToken,
      transport: createTwilioTransport({
        accountSid: config.twilio.accountSid,
        authToken: config.twilio.authToken,
        apiBaseUrl: config.twilio.apiBaseUrl,
        // The app's logger is made with the app, after the transport: Twilio's refusals (with
        // their HTTP status) go to it once it is there.
        logger: { warn: (details, message) => appLog.current?.warn(details, message) },
      }),
    };
  } else {
    const clock = new OffsetClock();
    const webhookAuthToken = randomBytes(24).toString('hex');
    const { Simulator } = await import('./simulator/simulator.ts');
    simulator = new Simulator({ store, clock, config, webhookAuthToken });
    deps = { config, store, bus, clock, verifyToken, mintToken, webhookAuthToken, simulator, transport: simulator.transport };
  }

  const app = await buildApp(deps);
  appLog.current = app.log;
  simulator?.attach(app);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down: draining requests and sends');
    const force = setTimeout(() => process.exit(1), 10_000).unref();
    try {
      await app.close();
      await bus.close();
      await store.close();
      await tracing?.stop();
    } finally {
      clearTimeout(force);
      process.exit(0);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  const address = await app.listen({ port: config.port, host: config.host }).catch((error: unknown) => {
    const inUse = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
    throw new Error(inUse ? `PORT ${config.port} on ${config.host} is in use by another process: stop it, or set PORT (or HOST) to another.` : `PORT/HOST: ${errorMessage(error)}`);
  });
  const base = config.port === 0 ? address : config.publicUrl;
  app.log.info({ address, store: store.kind, transport: deps.transport.name, authMode: config.authMode }, 'relay listening');
  // One line a machine can read (tests start the relay on port 0 and need the address).
  process.stdout.write(`${JSON.stringify({ event: 'listening', address, mode: deps.transport.name })}\n`);
  if (config.authMode === 'dev' && mintToken) {
    // For the person at the terminal, on stderr: stdout stays JSON lines for log collectors.
    // No token here (tokens are never logged): the demo page gets its own, `npm run token` prints one.
    process.stderr.write(
      [
        '',
        `  WhatsApp communication panel relay (${simulator ? 'simulator mode — no Twilio account' : 'Twilio'}, ${store.kind})`,
        `  Agent demo form:   ${base}/          (second agent: ${base}/?agent=agent-2)`,
        `  Supervisor:        ${base}/supervisor`,
        simulator ? `  Customer phone:    ${base}/simulator` : null,
        `  An API token:      npm run token -- agent-1 "Alex Morgan"`,
        '',
      ]
        .filter((line) => line !== null)
        .join('\n') + '\n',
    );
  }
}

void main().catch((error: unknown) => {
  process.stderr.write(`The relay could not start: ${errorMessage(error)}\n`);
  process.exit(1);
});

/** What to check when the store would not open, for the store DATABASE_URL names and only where it is the cause. */
function openAdvice(databaseUrl: string, error: unknown): string {
  const code = String((error as { code?: unknown }).code);
  if (databaseUrl.startsWith('sqlite:')) {
    if (code.startsWith('SQLITE_READONLY') || code === 'EROFS') return ' The database file (or its folder) is read-only to this user: make both writable.';
    if (['ENOENT', 'EACCES', 'ENOTDIR', 'SQLITE_CANTOPEN'].includes(code)) return " Check the file's folder exists and is writable by this user.";
    return '';
  }
  return ['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ETIMEDOUT', 'EAI_AGAIN'].includes(code) ? ' Check that the PostgreSQL server is reachable from here.' : '';
}
