import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DevTokenProvider, EntraTokenProvider, RelayAuthError, jwtExpiry, retryAfterMs, type DevTokenState, type EntraSignInState, type PopupHost, type PopupWindow } from '../WhatsAppPanel/relay-auth.ts';

function jwt(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}.signature`;
}

function fakeRelay(mode: string, tokens: string[]) {
  const requests: { url: string; method: string; body?: unknown }[] = [];
  const fetchImpl = async (input: string | URL | Request, init?: RequestInit) => {
    const url = String(input);
    requests.push({ url, method: init?.method ?? 'GET', ...(init?.body ? { body: JSON.parse(String(init.body)) } : {}) });
    if (url.endsWith('/auth/config')) return Response.json({ mode });
    if (url.endsWith('/auth/dev-token') && mode === 'dev') return Response.json({ token: tokens.shift() });
    return Response.json({ error: 'not_found', message: 'Not found' }, { status: 404 });
  };
  return { requests, fetchImpl: fetchImpl as typeof fetch };
}

describe('DevTokenProvider', () => {
  const base = { relayUrl: 'http://localhost:3000', agentId: '4a1c1c8e-0c6b-ef11-a670-000d3a8b1234', agentName: 'Avery Agent' };

  test('asks the relay for its mode, then for a token for the Dynamics user; caches it until shortly before exp', async () => {
    let now = 1_700_000_000_000;
    const first = jwt({ sub: base.agentId, exp: now / 1000 + 3600 });
    const second = jwt({ sub: base.agentId, exp: now / 1000 + 7200 });
    const relay = fakeRelay('dev', [first, second]);
    const provider = new DevTokenProvider({ ...base, fetchImpl: relay.fetchImpl, now: () => now });

    const [a, b] = await Promise.all([provider.getToken(), provider.getToken()]);
    assert.equal(a, first);
    assert.equal(b, first);
    now += 3600_000 - 30_000; // within the renewal margin
    assert.equal(await provider.getToken(), second);
    assert.deepEqual(relay.requests, [
      { url: 'http://localhost:3000/auth/config', method: 'GET' },
      { url: 'http://localhost:3000/auth/dev-token', method: 'POST', body: { agentId: base.agentId, name: 'Avery Agent' } },
      { url: 'http://localhost:3000/auth/dev-token', method: 'POST', body: { agentId: base.agentId, name: 'Avery Agent' } },
    ]);
  });

  test('refuses to ask a relay that is not in dev mode for tokens', async () => {
    const relay = fakeRelay('entra', []);
    const provider = new DevTokenProvider({ ...base, fetchImpl: relay.fetchImpl });
    await assert.rejects(provider.getToken(), (error: unknown) => error instanceof RelayAuthError && error.code === 'relay_not_dev');
    assert.deepEqual(relay.requests.map((r) => r.url), ['http://localhost:3000/auth/config']);
  });

  test('an unreachable relay is a clear error', async () => {
    const provider = new DevTokenProvider({ ...base, fetchImpl: (() => Promise.reject(new TypeError('fetch failed'))) as typeof fetch });
    await assert.rejects(provider.getToken(), /The relay at http:\/\/localhost:3000 cannot be reached/);
  });
});

/** A dev relay whose /auth/dev-token answers with `answer` (a status and headers, or a network error). */
function refusingRelay(answer: () => Response | Error) {
  const tokenRequests: { agentId: string; name: string }[] = [];
  let configRequests = 0;
  const fetchImpl = async (input: string | URL | Request, init?: RequestInit) => {
    const url = String(input);
    if (url.endsWith('/auth/config')) {
      configRequests++;
      return Response.json({ mode: 'dev' });
    }
    tokenRequests.push(JSON.parse(String(init?.body)) as { agentId: string; name: string });
    const result = answer();
    if (result instanceof Error) throw result;
    return result;
  };
  return { tokenRequests, configRequests: () => configRequests, fetchImpl: fetchImpl as typeof fetch };
}

/** Calls getToken once a second (as the panel's event stream does) for `seconds`, on a simulated clock. */
async function pollEverySecond(provider: DevTokenProvider, clock: { now: number }, seconds: number): Promise<RelayAuthError[]> {
  const errors: RelayAuthError[] = [];
  for (let s = 0; s < seconds; s++) {
    await provider.getToken().then(
      () => undefined,
      (error: unknown) => void errors.push(error as RelayAuthError),
    );
    clock.now += 1000;
  }
  return errors;
}

describe('DevTokenProvider backoff (a relay that refuses, limits or fails)', () => {
  const base = { relayUrl: 'http://localhost:3000', agentId: '4a1c1c8e-0c6b-ef11-a670-000d3a8b1234', agentName: 'Avery Agent' };
  const badRequest = () => Response.json({ error: 'validation', message: 'body/name must NOT have fewer than 1 characters' }, { status: 400 });

  test('a 400 is not retried once a second: 1 s doubling to 5 min, and shown once', async () => {
    const clock = { now: 1_700_000_000_000 };
    const relay = refusingRelay(badRequest);
    const states: DevTokenState[] = [];
    const provider = new DevTokenProvider({ ...base, fetchImpl: relay.fetchImpl, now: () => clock.now, onStateChange: (s) => states.push(s) });

    const errors = await pollEverySecond(provider, clock, 600);
    // Requests at 0, 1, 3, 7, 15, 31, 63, 127, 255 and 511 s; the next would be at 811 s.
    assert.equal(relay.tokenRequests.length, 10);
    assert.equal(relay.configRequests(), 1);
    assert.equal(errors.length, 600, 'every caller still gets the error');
    assert.ok(errors.every((e) => e instanceof RelayAuthError && e.code === 'http_400'));
    assert.match(errors[0]!.message, /HTTP 400: body\/name must NOT have fewer than 1 characters/);
    assert.equal(states.length, 1, 'the error is raised once, not per attempt');
    assert.equal(states[0]!.status, 'failed');

    // Capped at 5 minutes: the next hour brings 12 more requests at most, never more.
    await pollEverySecond(provider, clock, 3600);
    assert.ok(relay.tokenRequests.length <= 10 + 13, `${relay.tokenRequests.length} requests`);
    assert.ok(relay.tokenRequests.length >= 10 + 11, `${relay.tokenRequests.length} requests`);
  });

  test('an empty or blank user name is never sent: the user id stands in', async () => {
    for (const agentName of ['', '   ']) {
      const clock = { now: 1_700_000_000_000 };
      const relay = refusingRelay(badRequest);
      const provider = new DevTokenProvider({ ...base, agentName, fetchImpl: relay.fetchImpl, now: () => clock.now });
      await pollEverySecond(provider, clock, 120);
      assert.ok(relay.tokenRequests.length > 0);
      for (const body of relay.tokenRequests) {
        assert.notEqual(body.name.trim(), '');
        assert.equal(body.name, base.agentId);
      }
    }
  });

  test('5xx and network errors back off the same way', async () => {
    for (const answer of [() => new Response('oops', { status: 503 }), () => new TypeError('fetch failed')]) {
      const clock = { now: 1_700_000_000_000 };
      const relay = refusingRelay(answer);
      const provider = new DevTokenProvider({ ...base, fetchImpl: relay.fetchImpl, now: () => clock.now });
      await pollEverySecond(provider, clock, 600);
      assert.equal(relay.tokenRequests.length, 10);
    }
  });

  test('429 waits for Retry-After when it is longer than the backoff', async () => {
    const clock = { now: 1_700_000_000_000 };
    const times: number[] = [];
    const relay = refusingRelay(() => {
      times.push(clock.now);
      return Response.json({ message: 'Rate limit exceeded' }, { status: 429, headers: { 'retry-after': '42' } });
    });
    const provider = new DevTokenProvider({ ...base, fetchImpl: relay.fetchImpl, now: () => clock.now });
    await pollEverySecond(provider, clock, 400);
    const gaps = times.slice(1).map((t, i) => (t - times[i]!) / 1000);
    // 42 s while the backoff is shorter (1..32 s), then the backoff (64 s) once it is longer.
    assert.deepEqual(gaps, [42, 42, 42, 42, 42, 42, 64]);
  });

  test('after the relay recovers: a token, the error cleared, the backoff reset', async () => {
    const clock = { now: 1_700_000_000_000 };
    let failing = true;
    const good = jwt({ sub: base.agentId, exp: clock.now / 1000 + 3600 });
    const relay = refusingRelay(() => (failing ? new Response('', { status: 502 }) : Response.json({ token: good })));
    const states: DevTokenState[] = [];
    const provider = new DevTokenProvider({ ...base, fetchImpl: relay.fetchImpl, now: () => clock.now, onStateChange: (s) => states.push(s) });
    await pollEverySecond(provider, clock, 10); // requests at 0, 1, 3, 7
    assert.equal(relay.tokenRequests.length, 4);
    failing = false;
    await assert.rejects(provider.getToken(), /HTTP 502/); // still waiting until 15 s
    clock.now += 5000;
    assert.equal(await provider.getToken(), good);
    assert.deepEqual(states.map((s) => s.status), ['failed', 'signed-in']);
  });

  // The control restarts the panel only if it never signed in (index.ts): a first token that went
  // unreported made a relay restarting at renewal look like that, and the panel (drafts, selection,
  // stream) was built again.
  test('reports its first token, so trouble at a later renewal is told as passing', async () => {
    const clock = { now: 1_700_000_000_000 };
    let failing = false;
    const token = (at: number) => jwt({ sub: base.agentId, exp: at / 1000 + 600 });
    const relay = refusingRelay(() => (failing ? new Response('', { status: 502 }) : Response.json({ token: token(clock.now) })));
    const states: DevTokenState[] = [];
    const provider = new DevTokenProvider({ ...base, fetchImpl: relay.fetchImpl, now: () => clock.now, onStateChange: (s) => states.push(s) });
    await provider.getToken();
    assert.deepEqual(states.map((s) => s.status), ['signed-in']);
    clock.now += 600_000; // renewal time, while the relay restarts
    failing = true;
    await assert.rejects(provider.getToken());
    failing = false;
    clock.now += 2000;
    await provider.getToken();
    assert.deepEqual(states.map((s) => s.status), ['signed-in', 'failed', 'signed-in']);
  });
});

test('retryAfterMs reads seconds and HTTP dates', () => {
  const now = Date.parse('2026-06-01T08:00:00Z');
  assert.equal(retryAfterMs('30', now), 30_000);
  assert.equal(retryAfterMs('Mon, 01 Jun 2026 08:01:00 GMT', now), 60_000);
  assert.equal(retryAfterMs('soon', now), undefined);
  assert.equal(retryAfterMs(null, now), undefined);
});

test('jwtExpiry reads exp in milliseconds and tolerates garbage', () => {
  assert.equal(jwtExpiry(jwt({ exp: 1_700_000_000 })), 1_700_000_000_000);
  assert.equal(jwtExpiry('not-a-jwt'), undefined);
  assert.equal(jwtExpiry('a.%%%.c'), undefined);
});

const ORG = 'https://contoso.crm.dynamics.com';
const RELAY = 'https://relay.contoso.com';

class FakePopup implements PopupWindow {
  closed = false;
  focused = 0;
  constructor(readonly url: string) {}
  close(): void {
    this.closed = true;
  }
  focus(): void {
    this.focused++;
  }
}

/** The browser window the control runs in: window.open (or a pop-up blocker) and message events. */
function fakeWindow() {
  const listeners = new Set<(event: MessageEvent) => void>();
  const popups: FakePopup[] = [];
  const calls: { url: string; target: string; features: string }[] = [];
  const state = { blocked: false };
  const host: PopupHost = {
    location: { origin: ORG },
    open(url, target, features) {
      calls.push({ url, target, features });
      if (state.blocked) return null;
      const popup = new FakePopup(url);
      popups.push(popup);
      return popup;
    },
    addEventListener: (_type, listener) => void listeners.add(listener),
    removeEventListener: (_type, listener) => void listeners.delete(listener),
  };
  /** A message arriving at the control's window, by default from the relay's pop-up. */
  const post = (data: unknown, from: { origin?: string; source?: unknown } = {}) => {
    const event = { data, origin: from.origin ?? RELAY, source: 'source' in from ? from.source : popups.at(-1) } as unknown as MessageEvent;
    for (const listener of [...listeners]) listener(event);
  };
  return { host, popups, calls, listeners, post, state };
}

const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));

/** 'pending' while the promise has not settled. */
async function settled<T>(promise: Promise<T>): Promise<T | 'pending'> {
  return Promise.race([promise, tick(20).then(() => 'pending' as const)]);
}

describe('EntraTokenProvider (the relay sign-in pop-up)', () => {
  let now = Date.parse('2026-06-01T08:00:00Z');
  const clock = () => now;
  const token = (n: number) => jwt({ oid: 'agent', n, exp: Math.floor(now / 1000) + 3600 });

  function provider(win: ReturnType<typeof fakeWindow>, extra: { timeoutMs?: number; pollMs?: number } = {}) {
    const states: EntraSignInState[] = [];
    const tokens = new EntraTokenProvider({ relayUrl: RELAY, host: win.host, now: clock, pollMs: 5, onStateChange: (s) => states.push(s), ...extra });
    return { tokens, states };
  }

  test("opens the relay's sign-in page with this page's origin, once for concurrent callers", async () => {
    const win = fakeWindow();
    const { tokens, states } = provider(win);
    const a = tokens.getToken();
    const b = tokens.getToken();
    assert.deepEqual(win.calls, [{ url: `${RELAY}/auth/entra/popup?origin=${encodeURIComponent(ORG)}`, target: 'wcp-relay-sign-in', features: 'popup=yes,width=480,height=560' }]);
    const first = token(1);
    win.post({ type: 'wcp-token', token: first, expiresOn: now + 3600_000 });
    assert.equal(await a, first);
    assert.equal(await b, first);
    assert.deepEqual(states, [{ status: 'signing-in' }, { status: 'signed-in', expiresAt: now + 3600_000 }]);
    assert.equal(win.listeners.size, 0, 'stops listening once it has the token');
  });

  test('ignores messages from another origin, from another window, or of another shape', async () => {
    const win = fakeWindow();
    const { tokens } = provider(win);
    const pending = tokens.getToken();
    const good = token(2);
    win.post({ type: 'wcp-token', token: good, expiresOn: now + 3600_000 }, { origin: 'https://evil.example.com' });
    win.post({ type: 'wcp-token', token: good, expiresOn: now + 3600_000 }, { origin: ORG });
    win.post({ type: 'wcp-token', token: good, expiresOn: now + 3600_000 }, { source: {} });
    win.post({ type: 'wcp-token', token: good, expiresOn: now + 3600_000 }, { source: null });
    for (const data of [
      null,
      good,
      JSON.stringify({ type: 'wcp-token', token: good }),
      { type: 'token', token: good },
      { type: 'wcp-token' },
      { type: 'wcp-token', token: 42 },
      { type: 'wcp-token', token: '' },
      { type: 'wcp-token', token: '<img src=x onerror=alert(1)>' },
    ]) {
      win.post(data);
    }
    assert.equal(await settled(pending), 'pending');
    win.post({ type: 'wcp-token', token: good, expiresOn: now + 3600_000 });
    assert.equal(await pending, good);
  });

  test('caches the token until a minute before it expires, then renews it through the pop-up', async () => {
    const win = fakeWindow();
    const { tokens } = provider(win);
    const first = token(3);
    const pending = tokens.getToken();
    win.post({ type: 'wcp-token', token: first, expiresOn: now + 3600_000 });
    assert.equal(await pending, first);

    now += 3600_000 - 61_000;
    assert.equal(await tokens.getToken(), first);
    assert.equal(win.calls.length, 1, 'no pop-up while the token is good');

    now += 2_000; // 59 s left: renew
    const renewal = tokens.getToken();
    assert.equal(win.calls.length, 2);
    const second = token(4);
    win.post({ type: 'wcp-token', token: second, expiresOn: now + 3600_000 });
    assert.equal(await renewal, second);
    assert.equal(await tokens.getToken(), second);
  });

  test("without expiresOn, the token's exp decides when to renew", async () => {
    const win = fakeWindow();
    const { tokens } = provider(win);
    const short = jwt({ oid: 'agent', exp: Math.floor(now / 1000) + 30 });
    const pending = tokens.getToken();
    win.post({ type: 'wcp-token', token: short });
    assert.equal(await pending, short);
    const renewal = tokens.getToken(); // 30 s left: already within the renewal minute
    assert.equal(win.calls.length, 2);
    tokens.dispose();
    await assert.rejects(renewal, (error: unknown) => error instanceof RelayAuthError && error.code === 'disposed');
  });

  test('a blocked pop-up is a clear error for the agent, and a later call tries again', async () => {
    const win = fakeWindow();
    win.state.blocked = true;
    const { tokens, states } = provider(win);
    await assert.rejects(
      tokens.getToken(),
      (error: unknown) => error instanceof RelayAuthError && error.code === 'popup_blocked' && /blocked the sign-in window/.test(error.message) && /Sign in/.test(error.message),
    );
    const last = states.at(-1);
    assert.equal(last?.status, 'needs-sign-in');
    assert.equal(last?.status === 'needs-sign-in' && last.error.code, 'popup_blocked');
    assert.equal(win.listeners.size, 0);

    win.state.blocked = false; // e.g. the agent's "Sign in" click
    const pending = tokens.signIn();
    const good = token(5);
    win.post({ type: 'wcp-token', token: good, expiresOn: now + 3600_000 });
    assert.equal(await pending, good);
  });

  test('a pop-up the agent closed stops automatic pop-ups until the agent selects "Sign in"', async () => {
    const win = fakeWindow();
    const { tokens, states } = provider(win);
    const pending = tokens.getToken();
    win.popups[0]!.close();
    await assert.rejects(pending, (error: unknown) => error instanceof RelayAuthError && error.code === 'popup_closed' && /closed before signing in/.test(error.message));
    assert.equal(states.at(-1)?.status, 'needs-sign-in');
    await assert.rejects(tokens.getToken(), (error: unknown) => error instanceof RelayAuthError && error.code === 'popup_closed');
    assert.equal(win.calls.length, 1, 'no new window without the agent');

    const again = tokens.signIn();
    assert.equal(win.calls.length, 2);
    assert.equal(tokens.signIn(), again, 'a second click brings the open pop-up forward');
    assert.equal(win.popups[1]!.focused, 1);
    const good = token(6);
    win.post({ type: 'wcp-token', token: good, expiresOn: now + 3600_000 });
    assert.equal(await again, good);
  });

  test('a token posted just before the pop-up closed itself is still taken', async () => {
    const win = fakeWindow();
    const { tokens } = provider(win, { pollMs: 50 });
    const pending = tokens.getToken();
    win.popups[0]!.close();
    await tick(70); // one poll has seen it closed
    const good = token(7);
    win.post({ type: 'wcp-token', token: good, expiresOn: now + 3600_000 });
    assert.equal(await pending, good);
  });

  test('gives up on a pop-up left open too long, and closes it', async () => {
    const win = fakeWindow();
    const { tokens } = provider(win, { timeoutMs: 30 });
    await assert.rejects(tokens.getToken(), (error: unknown) => error instanceof RelayAuthError && error.code === 'sign_in_timeout');
    assert.equal(win.popups[0]!.closed, true);
    assert.equal(win.listeners.size, 0);
  });

  test('dispose closes an open pop-up and stops listening', async () => {
    const win = fakeWindow();
    const { tokens } = provider(win);
    const pending = tokens.getToken();
    tokens.dispose();
    await assert.rejects(pending, (error: unknown) => error instanceof RelayAuthError && error.code === 'disposed');
    assert.equal(win.popups[0]!.closed, true);
    assert.equal(win.listeners.size, 0);
  });
});
