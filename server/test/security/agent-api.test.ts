/**
 * Agent API access control beyond test/app/routing-and-access.test.ts: every route in
 * the OpenAPI document (so new routes are covered too) refuses bad tokens in dev and
 * Entra mode; what one agent cannot reach of another's (media, notes, links, retry,
 * history, the event stream); rate limits that cannot be sidestepped; CORS; headers.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLocalJWKSet, createRemoteJWKSet, exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { buildApp, type App } from '../../src/app.ts';
import { entraTokenVerifier } from '../../src/auth/tokens.ts';
import { InProcessBus } from '../../src/bus/in-process.ts';
import { loadConfig } from '../../src/config.ts';
import { ManualClock, OffsetClock } from '../../src/domain/clock.ts';
import { seedLibrary } from '../../src/services/seed.ts';
import { Simulator } from '../../src/simulator/simulator.ts';
import { SqliteStore } from '../../src/store/sqlite-store.ts';
import { SAMPLES } from '../fakes/media-samples.ts';
import { closeFakeTwilio, SECRET, startRelay, type TestRelay } from '../helpers/harness.ts';
import { connectSse } from '../helpers/sse.ts';

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** Every agent-API operation the relay documents, with its path parameters filled in. */
async function documentedRoutes(app: App): Promise<[Method, string][]> {
  const doc = (await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
  const routes: [Method, string][] = [];
  for (const [path, operations] of Object.entries(doc.paths)) {
    for (const method of Object.keys(operations)) {
      const url = path.replace('{phone}', '+14155550100').replace(/\{[^}]+\}/g, 'x_1') + (path.endsWith('/search') ? '?q=x' : '');
      routes.push([method.toUpperCase() as Method, url]);
    }
  }
  return routes;
}

function multipartBody(filename: string, contentType: string, bytes: Uint8Array) {
  const boundary = '----wcp' + Math.random().toString(16).slice(2);
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${contentType}\r\n\r\n`);
  return { payload: Buffer.concat([head, Buffer.from(bytes), Buffer.from(`\r\n--${boundary}--\r\n`)]), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** A relay on an in-memory SQLite store in simulator mode, workers stopped, with the given sign-in. */
async function memoryApp(
  config: ReturnType<typeof loadConfig>,
  auth: Pick<Parameters<typeof buildApp>[0], 'verifyToken' | 'mintToken'>,
  clock = new OffsetClock(),
  seed = false,
): Promise<{ app: App; store: SqliteStore }> {
  const store = new SqliteStore(':memory:');
  await store.migrate();
  if (seed) await seedLibrary(store);
  const simulator = new Simulator({ store, clock, config, webhookAuthToken: 'sim' });
  const app = await buildApp({
    config,
    store,
    bus: new InProcessBus(),
    clock,
    ...auth,
    webhookAuthToken: 'sim',
    simulator,
    transport: simulator.transport,
    logger: false,
    startWorkers: false,
  });
  return { app, store };
}

/** A simulator-mode relay (dev auth, demo page, /simulator/, dev sign-in). */
async function simulatorApp(): Promise<{ app: App; close(): Promise<void> }> {
  const { app, store } = await memoryApp(
    loadConfig({ DATABASE_URL: 'sqlite::memory:' }),
    { verifyToken: async () => ({ id: 'x', name: 'x', role: 'agent', expiresAt: Date.now() + 3_600_000 }), mintToken: async () => 'token' },
    new OffsetClock(new ManualClock()),
  );
  return {
    app,
    close: async () => {
      await app.close();
      await store.close();
    },
  };
}

describe('agent API: tokens (dev mode)', () => {
  let relay: TestRelay;
  before(async () => {
    relay = await startRelay();
  });
  after(async () => {
    await relay?.close();
    closeFakeTwilio();
  });

  it('every documented route refuses a token with the wrong issuer, no exp, alg none, or for no agent', async () => {
    const key = new TextEncoder().encode(SECRET);
    const wrongIssuer = await new SignJWT({ name: 'M' }).setProtectedHeader({ alg: 'HS256' }).setSubject('alice').setIssuer('someone-else').setExpirationTime('1h').sign(key);
    const noExp = await new SignJWT({ name: 'M' }).setProtectedHeader({ alg: 'HS256' }).setSubject('alice').setIssuer('whatsapp-panel-relay').sign(key);
    const noSub = await new SignJWT({ name: 'M' }).setProtectedHeader({ alg: 'HS256' }).setIssuer('whatsapp-panel-relay').setExpirationTime('1h').sign(key);
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const algNone = `${b64({ alg: 'none' })}.${b64({ sub: 'alice', iss: 'whatsapp-panel-relay', exp: Math.floor(Date.now() / 1000) + 3600 })}.`;
    const routes = await documentedRoutes(relay.app);
    assert.ok(routes.length >= 20, `documented routes: ${routes.length}`);
    for (const [method, url] of routes) {
      for (const [what, token] of Object.entries({ wrongIssuer, noExp, noSub, algNone })) {
        const r = await relay.app.inject({ method, url, headers: { authorization: `Bearer ${token}` } });
        assert.equal(r.statusCode, 401, `${method} ${url} with ${what}`);
        assert.ok(r.json().message.length > 5);
      }
      const none = await relay.app.inject({ method, url });
      assert.equal(none.statusCode, 401, `${method} ${url} without a token`);
      assert.equal(none.headers['www-authenticate'], 'Bearer');
    }
  });
});

describe('agent API: dev auth on live Twilio (AUTH_SECRET set)', () => {
  it("gives the demo's agent tokens to anyone, never the demo supervisor's (it sees every customer)", async () => {
    // The harness's relay: dev auth on (fake) live Twilio, with the demo page's routes.
    const relay = await startRelay({ demo: true });
    try {
      const supervisor = await relay.app.inject({ method: 'GET', url: '/demo/config?agent=supervisor' });
      assert.deepEqual([supervisor.statusCode, supervisor.json().error], [403, 'forbidden']);
      assert.equal((await relay.app.inject({ method: 'GET', url: '/demo/config?agent=agent-1' })).json().agent.role, 'agent');
    } finally {
      await relay.close();
    }
  });

  it('gives the demo supervisor on a test rig, whose Twilio is a fake one (no customer is real)', async () => {
    const relay = await startRelay({ demo: true, env: { TWILIO_API_BASE_URL: 'http://127.0.0.1:9' } });
    try {
      const supervisor = await relay.app.inject({ method: 'GET', url: '/demo/config?agent=supervisor' });
      assert.deepEqual([supervisor.statusCode, supervisor.json().agent.role], [200, 'supervisor']);
    } finally {
      await relay.close();
    }
  });
});

describe('agent API: tokens (Entra mode, local JWKS)', () => {
  const tenant = randomUUID();
  const audience = 'api://wcp-relay';
  let app: App;
  let store: SqliteStore;
  let sign: (claims: Record<string, unknown>, opts?: { iss?: string; aud?: string; exp?: string | number; key?: 'good' | 'other' }) => Promise<string>;

  before(async () => {
    const good = await generateKeyPair('RS256');
    const other = await generateKeyPair('RS256');
    const jwk: JWK = { ...(await exportJWK(good.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    const config = loadConfig({ AUTH_MODE: 'entra', ENTRA_TENANT_ID: tenant, ENTRA_AUDIENCE: audience, ENTRA_CLIENT_ID: randomUUID(), DATABASE_URL: 'sqlite::memory:' });
    ({ app, store } = await memoryApp(config, { verifyToken: entraTokenVerifier({ tenantId: tenant, audience, keys: createLocalJWKSet({ keys: [jwk] }) }) }, new OffsetClock(), true));
    await app.ready();
    // A signed-in agent's token carries the delegated scope the panel asks for.
    sign = async (claims, opts = {}) =>
      new SignJWT({ scp: 'Agent.Access', ...claims })
        .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
        .setIssuer(opts.iss ?? `https://login.microsoftonline.com/${tenant}/v2.0`)
        .setAudience(opts.aud ?? audience)
        .setIssuedAt()
        .setExpirationTime(opts.exp ?? '1h')
        .sign((opts.key === 'other' ? other : good).privateKey);
  });
  after(async () => {
    await app.close();
    await store.close();
  });

  const me = (token: string) => app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });

  it('accepts a valid v2.0 or v1.0 token, naming the agent by oid', async () => {
    const r = await me(await sign({ oid: 'oid-alice', name: 'Alice Entra' }));
    assert.equal(r.statusCode, 200, r.body);
    assert.deepEqual([r.json().id, r.json().name], ['oid-alice', 'Alice Entra']);
    const v1 = await me(await sign({ oid: 'oid-alice', name: 'Alice Entra' }, { iss: `https://sts.windows.net/${tenant}/` }));
    assert.equal(v1.statusCode, 200);
  });

  it('refuses wrong audience, wrong issuer or tenant, expired, and another key — on every documented route', async () => {
    const bad = {
      audience: await sign({ oid: 'x' }, { aud: 'api://another-app' }),
      issuer: await sign({ oid: 'x' }, { iss: 'https://login.microsoftonline.com/common/v2.0' }),
      tenant: await sign({ oid: 'x' }, { iss: `https://login.microsoftonline.com/${randomUUID()}/v2.0` }),
      expired: await sign({ oid: 'x' }, { exp: Math.floor(Date.now() / 1000) - 600 }),
      otherKey: await sign({ oid: 'x' }, { key: 'other' }),
      hs256: await new SignJWT({ oid: 'x' }).setProtectedHeader({ alg: 'HS256' }).setIssuer(`https://login.microsoftonline.com/${tenant}/v2.0`).setAudience(audience).setExpirationTime('1h').sign(new TextEncoder().encode(SECRET)),
    };
    assert.match((await me(bad.audience)).json().message, /aud/);
    assert.match((await me(bad.expired)).json().message, /expired/);
    for (const [method, url] of await documentedRoutes(app)) {
      for (const [what, token] of Object.entries(bad)) {
        const r = await app.inject({ method, url, headers: { authorization: `Bearer ${token}` } });
        assert.equal(r.statusCode, 401, `${method} ${url} with ${what}`);
      }
    }
  });

  it("allows the 5 minutes of clock skew Microsoft's own validation allows on exp and nbf, not more", async () => {
    const now = Math.floor(Date.now() / 1000);
    assert.equal((await me(await sign({ oid: 'oid-alice' }, { exp: now - 120 }))).statusCode, 200, 'expired 2 minutes ago by the relay clock');
    assert.equal((await me(await sign({ oid: 'oid-alice', nbf: now + 120 }))).statusCode, 200, 'valid from 2 minutes ahead');
    assert.equal((await me(await sign({ oid: 'oid-alice' }, { exp: now - 400 }))).statusCode, 401, 'expired almost 7 minutes ago');
  });

  it("refuses an application's own token (client credentials: no delegated scope), though issuer and audience match", async () => {
    const appOnly = await sign({ oid: 'sp-of-some-daemon', scp: undefined, idtyp: 'app', roles: [] });
    const r = await me(appOnly);
    assert.equal(r.statusCode, 401);
    assert.match(r.json().message, /application/);
  });

  it('takes the supervisor role from `roles`', async () => {
    assert.equal((await me(await sign({ oid: 'oid-sue', name: 'Sue', roles: ['Supervisor'] }))).json().role, 'supervisor');
    assert.equal((await me(await sign({ oid: 'oid-al', name: 'Al', roles: ['Reader'] }))).json().role, 'agent');
  });
});

describe("agent API: Entra's key endpoint down (Entra mode)", () => {
  const tenant = randomUUID();
  const audience = 'api://wcp-relay';
  let jwks: Server;
  let jwksUrl: URL;
  /** While true the key endpoint answers 503, as during an Entra incident or a relay egress outage. */
  let down = false;
  type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>;
  let good: KeyPair;
  let other: KeyPair;
  const apps: { app: App; store: SqliteStore }[] = [];

  before(async () => {
    good = await generateKeyPair('RS256');
    other = await generateKeyPair('RS256');
    const body = JSON.stringify({ keys: [{ ...(await exportJWK(good.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }] });
    jwks = createServer((_request, response) => {
      if (down) response.writeHead(503).end();
      else response.writeHead(200, { 'content-type': 'application/json' }).end(body);
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    jwksUrl = new URL(`http://127.0.0.1:${(jwks.address() as AddressInfo).port}/discovery/v2.0/keys`);
  });
  beforeEach(() => {
    down = false;
  });
  after(async () => {
    for (const { app, store } of apps) {
      await app.close();
      await store.close();
    }
    await new Promise((resolve) => jwks.close(resolve));
  });

  /** A relay whose key set is always due for a refresh (jose refreshes it every 10 minutes). */
  async function entraApp(keysAt: URL): Promise<App> {
    const config = loadConfig({ AUTH_MODE: 'entra', ENTRA_TENANT_ID: tenant, ENTRA_AUDIENCE: audience, ENTRA_CLIENT_ID: randomUUID(), DATABASE_URL: 'sqlite::memory:' });
    const keys = createRemoteJWKSet(keysAt, { cacheMaxAge: 0, timeoutDuration: 2_000 });
    const { app, store } = await memoryApp(config, { verifyToken: entraTokenVerifier({ tenantId: tenant, audience, keys }) });
    apps.push({ app, store });
    return app;
  }
  const sign = (key: KeyPair, kid = 'k1') =>
    new SignJWT({ scp: 'Agent.Access', oid: 'oid-alice', name: 'Alice' })
      .setProtectedHeader({ alg: 'RS256', kid })
      .setIssuer(`https://login.microsoftonline.com/${tenant}/v2.0`)
      .setAudience(audience)
      .setExpirationTime('1h')
      .sign(key.privateKey);
  const me = (app: App, token: string) => app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });

  it("keeps accepting signed-in agents with the keys it last fetched (a 401 made the panel drop the agent's queued replies)", async () => {
    const app = await entraApp(jwksUrl);
    const token = await sign(good);
    assert.equal((await me(app, token)).statusCode, 200);
    down = true;
    const r = await me(app, token);
    assert.equal(r.statusCode, 200, r.body);
    // The kept keys are still checked: a token signed with another key is refused.
    assert.equal((await me(app, await sign(other))).statusCode, 401);
  });

  it('answers 503 (retry shortly), not 401, when it has no key to check a token with', async () => {
    down = true;
    const app = await entraApp(jwksUrl);
    const r = await me(app, await sign(good));
    assert.deepEqual([r.statusCode, r.json().error], [503, 'auth_unavailable'], r.body);
    assert.match(r.json().message, /Entra/);
    // A key id it never fetched, while the endpoint is down, cannot be judged either.
    down = false;
    assert.equal((await me(app, await sign(good))).statusCode, 200);
    down = true;
    assert.equal((await me(app, await sign(good, 'k-new'))).statusCode, 503);
  });
});

describe("agent API: one agent cannot reach another's conversation", () => {
  let relay: TestRelay;
  let alice: string;
  let bob: string;
  let id: string;
  beforeEach(async () => {
    await relay?.close();
    relay = await startRelay();
    alice = await relay.availableAgent('alice', 'Alice');
    id = await relay.activeConversation(alice, '+14155550177', 'my private order 991');
    bob = await relay.availableAgent('bob', 'Bob');
    await relay.activeConversation(bob, '+14155550178', 'bob customer');
  });
  after(async () => {
    await relay?.close();
    closeFakeTwilio();
  });

  it('notes list, link removal, retry, reply-to and history of another agent are refused', async () => {
    await relay.api(alice, 'POST', `/api/v1/conversations/${id}/notes`, { body: 'secret note' });
    relay.twilio.failNext(1, { status: 400, code: 21211, message: 'bad number' });
    const sent = (await relay.api(alice, 'POST', `/api/v1/conversations/${id}/messages`, { body: 'will fail' })).json();
    await relay.app.relay.outbox.drain();
    await relay.api(alice, 'PUT', `/api/v1/conversations/${id}/link`, { entityType: 'contact', id: 'c-1', name: 'A' });
    for (const [method, url] of [
      ['GET', `/api/v1/conversations/${id}/notes`],
      ['DELETE', `/api/v1/conversations/${id}/link`],
      ['POST', `/api/v1/conversations/${id}/messages/${sent.id}/retry`],
      ['POST', `/api/v1/conversations/${id}/accept`],
      ['POST', `/api/v1/conversations/${id}/reject`],
    ] as const) {
      const r = await relay.api(bob, method, url);
      assert.ok([404, 409].includes(r.statusCode), `${method} ${url}: ${r.statusCode}`);
      assert.ok(r.json().message);
    }
    const bobs = (await relay.api(bob, 'GET', '/api/v1/conversations')).json().items[0].id as string;
    // Bob's own conversation cannot quote or retry Alice's message either.
    assert.equal((await relay.api(bob, 'POST', `/api/v1/conversations/${bobs}/messages`, { body: 'x', replyToMessageId: sent.id })).statusCode, 400);
    assert.equal((await relay.api(bob, 'POST', `/api/v1/conversations/${bobs}/messages/${sent.id}/retry`)).statusCode, 404);
    assert.deepEqual((await relay.api(bob, 'GET', '/api/v1/customers/+14155550177/conversations')).json().items, []);
    // Nothing changed for Alice.
    const mine = await relay.api(alice, 'GET', `/api/v1/conversations/${id}`);
    assert.equal(mine.json().linkedRecord.id, 'c-1');
    assert.equal((await relay.api(alice, 'GET', `/api/v1/conversations/${id}/notes`)).json().items.length, 1);
  });

  it("media: another agent's upload cannot be fetched or attached; inbound media is the assignee's", async () => {
    const { payload, contentType } = multipartBody('a.pdf', 'application/pdf', SAMPLES.pdf);
    const up = await relay.app.inject({ method: 'POST', url: '/api/v1/media', headers: { authorization: `Bearer ${alice}`, 'content-type': contentType }, payload });
    assert.equal(up.statusCode, 201);
    const mediaId = up.json().id as string;
    assert.equal((await relay.api(bob, 'GET', `/api/v1/media/${mediaId}`)).statusCode, 404);
    const bobs = (await relay.api(bob, 'GET', '/api/v1/conversations')).json().items[0].id as string;
    const steal = await relay.api(bob, 'POST', `/api/v1/conversations/${bobs}/messages`, { mediaId });
    assert.equal(steal.statusCode, 404);
    assert.equal(steal.json().error, 'media_not_found');
    assert.equal((await relay.api(alice, 'GET', `/api/v1/media/${mediaId}`)).statusCode, 200);
  });

  it("the event stream carries none of another agent's events, even replayed from id 0", async () => {
    const base = await relay.app.listen({ port: 0, host: '127.0.0.1' });
    const stream = await connectSse(`${base}/api/v1/events`, bob, '0');
    await relay.inbound({ From: 'whatsapp:+14155550177', Body: 'more private things' });
    await relay.api(alice, 'POST', `/api/v1/conversations/${id}/notes`, { body: 'private note' });
    await relay.inbound({ From: 'whatsapp:+14155550178', Body: 'for bob' });
    relay.app.relay.notify();
    const events = await stream.until((e) => e.some((x) => x.event === 'message' && JSON.stringify(x.data).includes('for bob')));
    stream.close();
    const leaked = events.filter((e) => JSON.stringify(e.data).includes(id) || JSON.stringify(e.data).includes('private'));
    assert.deepEqual(leaked, []);
  });
});

describe('agent API: rate limits cannot be sidestepped', () => {
  let relay: TestRelay;
  beforeEach(async () => {
    await relay?.close();
    relay = await startRelay();
  });
  after(async () => {
    await relay?.close();
    closeFakeTwilio();
  });

  it('sends: 120 a minute per agent, however the Authorization header is spelled', async () => {
    const token = await relay.availableAgent('alice');
    const id = await relay.activeConversation(token, '+14155550190');
    const spellings = [`Bearer ${token}`, `bearer ${token}`, `BEARER ${token}`, `Bearer  ${token}`, `Bearer\t${token}`];
    let accepted = 0;
    let last = 0;
    for (let i = 0; i < 130; i += 1) {
      const r = await relay.app.inject({ method: 'POST', url: `/api/v1/conversations/${id}/messages`, headers: { authorization: spellings[i % spellings.length]! }, payload: { body: `m${i}` } });
      if (r.statusCode === 202) accepted += 1;
      last = r.statusCode;
    }
    assert.equal(accepted, 120);
    assert.equal(last, 429);
  });

  it('search: 60 a minute per agent, with a clear message', async () => {
    const token = await relay.availableAgent('alice');
    const codes: number[] = [];
    for (let i = 0; i < 62; i += 1) {
      const r = await relay.app.inject({ method: 'GET', url: '/api/v1/search?q=order', headers: { authorization: i % 2 ? `bearer ${token}` : `Bearer ${token}` } });
      codes.push(r.statusCode);
      if (r.statusCode === 429) {
        assert.equal(r.json().error, 'rate_limited');
        assert.match(r.json().message, /limit is 60 a minute\. Try again in /);
      }
    }
    assert.equal(codes.filter((c) => c === 200).length, 60);
    assert.equal(codes.at(-1), 429);
  });

  it('dev sign-in: 30 a minute per client, even with forged X-Forwarded-For', async () => {
    const { app, close } = await simulatorApp();
    try {
      const codes: number[] = [];
      for (let i = 0; i < 32; i += 1) {
        const r = await app.inject({ method: 'POST', url: '/auth/dev-token', headers: { 'x-forwarded-for': `203.0.113.${i}` }, payload: { agentId: 'a', name: 'A' } });
        codes.push(r.statusCode);
      }
      assert.equal(codes.filter((c) => c === 200).length, 30);
      assert.equal(codes.at(-1), 429);
    } finally {
      await close();
    }
  });

  it("the demo page's sign-in (/demo/config): 120 a minute per client, even with forged X-Forwarded-For", async () => {
    const { app, close } = await simulatorApp();
    try {
      const codes: number[] = [];
      for (let i = 0; i < 122; i += 1) {
        const r = await app.inject({ method: 'GET', url: `/demo/config?agent=agent-${i}`, headers: { 'x-forwarded-for': `203.0.113.${i % 250}` } });
        codes.push(r.statusCode);
      }
      assert.equal(codes.filter((c) => c === 200).length, 120);
      assert.equal(codes.at(-1), 429);
    } finally {
      await close();
    }
  });
});

describe('CORS and security headers', () => {
  const ORG = 'https://contoso.crm.dynamics.com';
  let relay: TestRelay;
  before(async () => {
    relay = await startRelay({ env: { CORS_ORIGINS: `${ORG},https://contoso.crm4.dynamics.com` } });
  });
  after(async () => {
    await relay?.close();
    closeFakeTwilio();
  });

  const preflight = (origin: string) =>
    relay.app.inject({
      method: 'OPTIONS',
      url: '/api/v1/conversations/x/messages',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
    });

  it('answers a preflight from an allowed origin, and not from another', async () => {
    const ok = await preflight(ORG);
    assert.equal(ok.statusCode, 204);
    assert.equal(ok.headers['access-control-allow-origin'], ORG);
    assert.match(String(ok.headers['access-control-allow-headers']), /Authorization/i);
    assert.match(String(ok.headers['access-control-allow-methods']), /POST/);
    for (const origin of ['https://evil.example', 'https://contoso.crm.dynamics.com.evil.example', 'http://contoso.crm.dynamics.com', 'null']) {
      const r = await preflight(origin);
      assert.equal(r.headers['access-control-allow-origin'], undefined, origin);
    }
    const token = await relay.token('alice');
    const get = await relay.app.inject({ method: 'GET', url: '/api/v1/me', headers: { origin: ORG, authorization: `Bearer ${token}` } });
    assert.equal(get.headers['access-control-allow-origin'], ORG);
    const evil = await relay.app.inject({ method: 'GET', url: '/api/v1/me', headers: { origin: 'https://evil.example', authorization: `Bearer ${token}` } });
    assert.equal(evil.headers['access-control-allow-origin'], undefined);
    assert.equal(evil.headers['access-control-allow-credentials'], undefined);
  });

  it('the event stream allows only the configured origins too', async () => {
    const base = await relay.app.listen({ port: 0, host: '127.0.0.1' });
    const token = await relay.token('alice');
    for (const [origin, expected] of [[ORG, ORG], ['https://evil.example', null]] as const) {
      const abort = new AbortController();
      const r = await fetch(`${base}/api/v1/events`, { headers: { authorization: `Bearer ${token}`, origin }, signal: abort.signal });
      assert.equal(r.headers.get('access-control-allow-origin'), expected);
      abort.abort();
    }
  });

  it('served pages carry a strict CSP and nosniff: /, /healthz, /simulator/', async () => {
    const { app: sim, close } = await simulatorApp();
    try {
      for (const [app, url] of [[sim, '/'], [sim, '/simulator/'], [sim, '/healthz'], [relay.app, '/healthz'], [relay.app, '/readyz'], [sim, '/widget/demo/index.html']] as const) {
        const r = await app.inject({ method: 'GET', url });
        assert.ok(r.statusCode < 500, `${url}: ${r.statusCode}`);
        const csp = String(r.headers['content-security-policy']);
        assert.match(csp, /default-src 'self'/, url);
        assert.match(csp, /script-src 'self'(;|$)/, `${url}: scripts only from the relay`);
        assert.match(csp, /object-src 'none'/, url);
        assert.match(csp, /frame-ancestors 'self'/, url);
        assert.doesNotMatch(csp, /unsafe-eval/, url);
        assert.equal(r.headers['x-content-type-options'], 'nosniff', url);
      }
      const page = await sim.inject({ method: 'GET', url: '/simulator/' });
      assert.equal(page.statusCode, 200);
      assert.match(String(page.headers['content-type']), /text\/html/);
    } finally {
      await close();
    }
  });

  it('lets the configured CRM origins frame the panel, no one else', async () => {
    const csp = String((await relay.app.inject({ method: 'GET', url: '/healthz' })).headers['content-security-policy']);
    assert.match(csp, /frame-ancestors 'self' https:\/\/contoso\.crm\.dynamics\.com https:\/\/contoso\.crm4\.dynamics\.com/);
  });
});
