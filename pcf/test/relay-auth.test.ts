import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DevTokenProvider, EntraTokenProvider, RelayAuthError, jwtExpiry, type MsalLike, type MsalResult } from '../WhatsAppPanel/relay-auth.ts';

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

interface Account {
  homeAccountId: string;
}

function fakeMsal(behaviour: { accounts?: Account[]; silent?: 'ok' | 'fail'; sso?: 'ok' | 'fail'; popup?: 'ok' | 'fail' }) {
  const calls: string[] = [];
  let active: Account | null = null;
  const result = (name: string): Promise<MsalResult<Account>> => {
    calls.push(name);
    const outcome = name === 'acquireTokenSilent' ? behaviour.silent : name === 'ssoSilent' ? behaviour.sso : behaviour.popup;
    return outcome === 'ok' ? Promise.resolve({ accessToken: `token-from-${name}`, account: { homeAccountId: 'u1' } }) : Promise.reject(new Error(`${name}: interaction_required`));
  };
  const msal: MsalLike<Account> = {
    initialize: async () => void calls.push('initialize'),
    getActiveAccount: () => active,
    getAllAccounts: () => behaviour.accounts ?? [],
    setActiveAccount: (account) => {
      active = account;
    },
    acquireTokenSilent: () => result('acquireTokenSilent'),
    ssoSilent: () => result('ssoSilent'),
    acquireTokenPopup: () => result('acquireTokenPopup'),
  };
  return { msal, calls };
}

describe('EntraTokenProvider', () => {
  const scope = 'api://wcp-relay/Agent.Access';

  test('uses the cached account silently', async () => {
    const { msal, calls } = fakeMsal({ accounts: [{ homeAccountId: 'u1' }], silent: 'ok' });
    assert.equal(await new EntraTokenProvider(msal, scope).getToken(), 'token-from-acquireTokenSilent');
    assert.deepEqual(calls, ['initialize', 'acquireTokenSilent']);
  });

  test('without an account tries SSO with the Entra session, then a pop-up', async () => {
    const { msal, calls } = fakeMsal({ sso: 'fail', popup: 'ok' });
    const provider = new EntraTokenProvider(msal, scope);
    assert.equal(await provider.getToken(), 'token-from-acquireTokenPopup');
    assert.deepEqual(calls, ['initialize', 'ssoSilent', 'acquireTokenPopup']);
    assert.deepEqual(msal.getActiveAccount(), { homeAccountId: 'u1' });
  });

  test('a failed pop-up is an error the agent can act on', async () => {
    const { msal } = fakeMsal({ sso: 'fail', popup: 'fail' });
    await assert.rejects(
      new EntraTokenProvider(msal, scope).getToken(),
      (error: unknown) => error instanceof RelayAuthError && error.code === 'entra_sign_in_failed' && /Allow pop-ups/.test(error.message),
    );
  });
});
