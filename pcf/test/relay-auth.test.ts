import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DevTokenProvider, EntraTokenProvider, RelayAuthError, jwtExpiry, type EntraSignInState, type PopupHost, type PopupWindow } from '../WhatsAppPanel/relay-auth.ts';

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
