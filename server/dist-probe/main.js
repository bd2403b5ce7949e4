import { writeFileSync as __wfs } from 'node:fs';
setInterval(() => { const a = globalThis.__pm ?? []; __wfs('/tmp/probe-marks2.json', JSON.stringify(a.map(([l, t]) => [l, Number(t)]))); }, 1000).unref();
/**
 * Starts the relay: configuration, store, transport (Twilio or the simulator), HTTP.
 * SIGTERM/SIGINT drain in-flight requests and sends before exiting.
 */
import { randomBytes } from 'node:crypto';
import { buildApp } from "./app.js";
import { devSecret } from "./auth/dev-secret.js";
import { devTokenVerifier, entraTokenVerifier, mintDevToken } from "./auth/tokens.js";
import { ConfigError, loadConfig } from "./config.js";
import { OffsetClock, systemClock } from "./domain/clock.js";
import { openStore } from "./store/open-store.js";
import { seedLibrary } from "./services/seed.js";
import { tracedStore } from "./telemetry/spans.js";
async function main() {
    let config;
    try {
        config = loadConfig();
    }
    catch (error) {
        if (error instanceof ConfigError) {
            process.stderr.write(`Configuration error: ${error.message}\n`);
            process.exit(2);
        }
        throw error;
    }
    // Before anything else, so Fastify's instrumentation sees the instance created; loaded only when asked for.
    const tracing = config.otelEndpoint ? await (await import("./telemetry/otel.js")).startTracing(config.otelEndpoint) : null;
    const opened = await openStore(config.databaseUrl);
    const { bus } = opened;
    const store = tracing ? tracedStore(opened.store) : opened.store;
    await seedLibrary(store);
    const secret = config.authMode === 'dev' ? devSecret(config, { create: true }) : null;
    const verifyToken = config.authMode === 'dev'
        ? devTokenVerifier(secret)
        : entraTokenVerifier({ tenantId: config.entraTenantId, audience: config.entraAudience });
    const mintToken = secret ? (agent) => mintDevToken(secret, agent) : undefined;
    let deps;
    let simulator;
    if (config.twilio) {
        // Loaded only in Twilio mode: the twilio package is ~23 MB of RSS the simulator never uses.
        const { createTwilioTransport } = await import("./transport/twilio.js");
        deps = {
            config,
            store,
            bus,
            clock: systemClock,
            verifyToken,
            mintToken,
            webhookAuthToken: config.twilio.authToken,
            transport: createTwilioTransport({ accountSid: config.twilio.accountSid, authToken: config.twilio.authToken, apiBaseUrl: config.twilio.apiBaseUrl }),
        };
    }
    else {
        const clock = new OffsetClock();
        const webhookAuthToken = randomBytes(24).toString('hex');
        const { Simulator } = await import("./simulator/simulator.js");
        simulator = new Simulator({ store, clock, config, webhookAuthToken });
        deps = { config, store, bus, clock, verifyToken, mintToken, webhookAuthToken, simulator, transport: simulator.transport };
    }
    const app = await buildApp(deps);
    simulator?.attach(app);
    let stopping = false;
    const shutdown = async (signal) => {
        if (stopping)
            return;
        stopping = true;
        app.log.info({ signal }, 'shutting down: draining requests and sends');
        const force = setTimeout(() => process.exit(1), 10_000).unref();
        try {
            await app.close();
            await bus.close();
            await store.close();
            await tracing?.stop();
        }
        finally {
            clearTimeout(force);
            process.exit(0);
        }
    };
    process.on('SIGTERM', () => void shutdown('SIGTERM'));
    process.on('SIGINT', () => void shutdown('SIGINT'));
    const address = await app.listen({ port: config.port, host: config.host });
    const base = config.port === 0 ? address : config.publicUrl;
    app.log.info({ address, store: store.kind, transport: deps.transport.name, authMode: config.authMode }, 'relay listening');
    // One line a machine can read (tests start the relay on port 0 and need the address).
    process.stdout.write(`${JSON.stringify({ event: 'listening', address, mode: deps.transport.name })}\n`);
    if (config.authMode === 'dev' && mintToken) {
        const token = await mintToken({ id: 'agent-1', name: 'Alex Morgan', role: 'agent' });
        process.stdout.write([
            '',
            `  WhatsApp communication panel relay (${simulator ? 'simulator mode — no Twilio account' : 'Twilio'}, ${store.kind})`,
            `  Agent demo form:   ${base}/          (second agent: ${base}/?agent=agent-2)`,
            `  Supervisor:        ${base}/supervisor`,
            simulator ? `  Customer phone:    ${base}/simulator` : null,
            `  Dev agent token:   ${token}`,
            '',
        ]
            .filter((line) => line !== null)
            .join('\n') + '\n');
    }
}
void main().catch((error) => {
    process.stderr.write(`The relay could not start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
});
//# sourceMappingURL=main.js.map