/**
 * A relay built for tests: SQLite (in memory or a file), a hand-moved clock, Twilio's
 * REST API faked with msw, dev tokens, and workers driven by hand (no sleeps).
 */
import type { LightMyRequestResponse } from 'fastify';
import type { SetupServer } from 'msw/node';
import { buildApp, type App } from '../../src/app.ts';
import type { DestinationStream } from 'pino';
import { devTokenVerifier, mintDevToken } from '../../src/auth/tokens.ts';
import { InProcessBus } from '../../src/bus/in-process.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import { ManualClock } from '../../src/domain/clock.ts';
import { seedLibrary } from '../../src/services/seed.ts';
import { SqliteStore } from '../../src/store/sqlite-store.ts';
import { createTwilioTransport } from '../../src/transport/twilio.ts';
import { signTwilioRequest } from '../../src/twilio/signature.ts';
import { openApiConformance } from './openapi-conformance.ts';
import { FAKE_ACCOUNT_SID, FAKE_AUTH_TOKEN, setupFakeTwilio, twilioSid, type FakeTwilioController } from '../fakes/twilio-api.ts';

export const SECRET = 'test-secret-that-is-at-least-32-characters-long';
export const PUBLIC_URL = 'https://relay.example.com';
export const BUSINESS = '+14155238886';

let fake: { server: SetupServer; twilio: FakeTwilioController } | null = null;

/** One msw server per test file; the harness resets it per relay. */
export function fakeTwilio(): { server: SetupServer; twilio: FakeTwilioController } {
  if (!fake) {
    fake = setupFakeTwilio();
    fake.server.listen({ onUnhandledRequest: 'bypass' });
  }
  return fake;
}

export interface TestRelay {
  app: App;
  store: SqliteStore;
  clock: ManualClock;
  config: Config;
  twilio: FakeTwilioController;
  token(agentId: string, name?: string, opts?: { role?: 'agent' | 'supervisor'; ttl?: string }): Promise<string>;
  /** Sends a signed inbound webhook as Twilio would. */
  inbound(params: Partial<Record<string, string>> & { From: string }, opts?: { signature?: string }): Promise<LightMyRequestResponse>;
  status(params: Record<string, string>, query?: string): Promise<LightMyRequestResponse>;
  api(agentToken: string, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown): Promise<LightMyRequestResponse>;
  /** Makes an agent available and returns its token. */
  availableAgent(agentId: string, name?: string): Promise<string>;
  /** A customer message accepted by the agent: returns the conversation id. */
  activeConversation(agentToken: string, from: string, body?: string): Promise<string>;
  close(): Promise<void>;
}

export async function startRelay(
  /** `demo`: with a dev token minter, as main.ts builds a dev relay (the demo page's routes served). */
  opts: { dbPath?: string; env?: Record<string, string>; clock?: ManualClock; logStream?: DestinationStream; demo?: boolean } = {},
): Promise<TestRelay> {
  const { twilio } = fakeTwilio();
  twilio.reset();
  const config = loadConfig({
    PUBLIC_URL,
    TWILIO_ACCOUNT_SID: FAKE_ACCOUNT_SID,
    TWILIO_AUTH_TOKEN: FAKE_AUTH_TOKEN,
    TWILIO_WHATSAPP_FROM: `whatsapp:${BUSINESS}`,
    AUTH_MODE: 'dev',
    AUTH_SECRET: SECRET,
    INSECURE_DEV_AUTH_WITH_TWILIO: 'true',
    DATABASE_URL: `sqlite:${opts.dbPath ?? ':memory:'}`,
    ...opts.env,
  });
  const store = new SqliteStore(opts.dbPath ?? ':memory:');
  await store.migrate();
  await seedLibrary(store);
  const clock = opts.clock ?? new ManualClock(Date.parse('2026-06-01T08:00:00Z'));
  const app = await buildApp({
    config,
    store,
    bus: new InProcessBus(),
    clock,
    verifyToken: devTokenVerifier(SECRET),
    ...(opts.demo ? { mintToken: (agent: { id: string; name: string; role?: 'agent' | 'supervisor' }) => mintDevToken(SECRET, agent) } : {}),
    webhookAuthToken: FAKE_AUTH_TOKEN,
    transport: createTwilioTransport({ accountSid: FAKE_ACCOUNT_SID, authToken: FAKE_AUTH_TOKEN, timeoutMs: 2000 }),
    logger: false,
    ...(opts.logStream ? { logStream: opts.logStream } : {}),
    startWorkers: false,
  });
  await app.ready();

  let conformance: ReturnType<typeof openApiConformance> | undefined;
  const relay: TestRelay = {
    app,
    store,
    clock,
    config,
    twilio,
    token: (agentId, name = agentId, o = {}) => mintDevToken(SECRET, { id: agentId, name, role: o.role ?? 'agent' }, o.ttl ?? '1h'),
    inbound: (params, o = {}) => {
      const messageSid = params.MessageSid ?? twilioSid('SM');
      const form: Record<string, string> = {
        MessageSid: messageSid,
        SmsMessageSid: messageSid,
        AccountSid: FAKE_ACCOUNT_SID,
        To: `whatsapp:${BUSINESS}`,
        Body: 'Hello',
        NumMedia: '0',
        ProfileName: 'Customer',
        WaId: params.From.replace(/^whatsapp:\+?/, ''),
        ...Object.fromEntries(Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined)),
      };
      const signature = o.signature ?? signTwilioRequest(FAKE_AUTH_TOKEN, `${PUBLIC_URL}/twilio/inbound`, form);
      return app.inject({
        method: 'POST',
        url: '/twilio/inbound',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
        payload: new URLSearchParams(form).toString(),
      });
    },
    status: (params, query = '') => {
      const path = `/twilio/status${query}`;
      return app.inject({
        method: 'POST',
        url: path,
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signTwilioRequest(FAKE_AUTH_TOKEN, `${PUBLIC_URL}${path}`, params) },
        payload: new URLSearchParams(params).toString(),
      });
    },
    api: async (agentToken, method, url, payload) => {
      const response = await app.inject({ method, url, headers: { authorization: `Bearer ${agentToken}` }, ...(payload === undefined ? {} : { payload: payload as object }) });
      conformance ??= openApiConformance((await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json());
      conformance(method, url, response);
      return response;
    },
    availableAgent: async (agentId, name) => {
      const token = await relay.token(agentId, name);
      const r = await relay.api(token, 'PUT', '/api/v1/me/presence', { presence: 'available' });
      if (r.statusCode !== 200) throw new Error(`presence: ${r.statusCode} ${r.body}`);
      return token;
    },
    activeConversation: async (agentToken, from, body = 'Hello') => {
      const r = await relay.inbound({ From: `whatsapp:${from}`, Body: body });
      if (r.statusCode !== 200) throw new Error(`inbound: ${r.statusCode} ${r.body}`);
      await app.relay.router.kick();
      const list = (await relay.api(agentToken, 'GET', '/api/v1/conversations?state=open')).json() as { items: { id: string; customer: { phone: string } }[] };
      const c = list.items.find((x) => x.customer.phone === from);
      if (!c) throw new Error(`no offer for ${from}`);
      const accepted = await relay.api(agentToken, 'POST', `/api/v1/conversations/${c.id}/accept`);
      if (accepted.statusCode !== 200) throw new Error(`accept: ${accepted.statusCode} ${accepted.body}`);
      return c.id;
    },
    close: async () => {
      await app.close();
      await store.close();
    },
  };
  return relay;
}

export function closeFakeTwilio(): void {
  fake?.server.close();
  fake = null;
}

/** A fresh relay with agent alice (available) handling one customer's conversation. */
export async function relayWithConversation(from: string, body: string): Promise<{ relay: TestRelay; agent: string; conversationId: string }> {
  const relay = await startRelay();
  const agent = await relay.availableAgent('alice', 'Alice');
  return { relay, agent, conversationId: await relay.activeConversation(agent, from, body) };
}
