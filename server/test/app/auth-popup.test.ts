/**
 * The Entra sign-in page the Power Apps control opens (`GET /auth/entra/popup`): only in
 * entra mode, strict CSP, configuration as escaped JSON in a data attribute (no inline
 * script), and a page script that hands the token only to an allowed opener origin.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { runInNewContext } from 'node:vm';
import { after, before, describe, it } from 'node:test';
import { closeFakeTwilio, startRelay, type TestRelay } from '../helpers/harness.ts';

const ORG = 'https://contoso.crm.dynamics.com';
const ORG2 = 'https://contoso2.crm4.dynamics.com';
const TENANT = '8b7e1c2a-1111-2222-3333-444455556666';
const CLIENT = '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
// ENTRA_AUDIENCE is free text: it must not be able to break out of the attribute.
const AUDIENCE = 'api://relay"><script>alert(1)</script>&';

const ENTRA_ENV = { AUTH_MODE: 'entra', ENTRA_TENANT_ID: TENANT, ENTRA_AUDIENCE: AUDIENCE, ENTRA_CLIENT_ID: CLIENT, CORS_ORIGINS: `${ORG},${ORG2}` };

function unescapeAttribute(text: string): string {
  return text.replace(/&(quot|#39|lt|gt|amp);/g, (_m, e: string) => ({ quot: '"', '#39': "'", lt: '<', gt: '>', amp: '&' })[e]!);
}

function pageConfig(html: string): Record<string, unknown> {
  const match = /data-config="([^"]*)"/.exec(html);
  assert.ok(match, 'the page carries data-config');
  return JSON.parse(unescapeAttribute(match[1]!)) as Record<string, unknown>;
}

describe('GET /auth/entra/popup', () => {
  let entra: TestRelay;
  let dev: TestRelay;
  before(async () => {
    entra = await startRelay({ env: ENTRA_ENV });
    dev = await startRelay();
  });
  after(async () => {
    await entra.close();
    await dev.close();
    closeFakeTwilio();
  });

  it('says what is missing when ENTRA_CLIENT_ID is not set, while the relay still starts and checks tokens', async () => {
    const { ENTRA_CLIENT_ID: _unset, ...withoutClient } = ENTRA_ENV;
    const relay = await startRelay({ env: withoutClient });
    try {
      const page = await relay.app.inject({ method: 'GET', url: `/auth/entra/popup?origin=${encodeURIComponent(ORG)}` });
      assert.equal(page.statusCode, 503);
      assert.match(page.body, /ENTRA_CLIENT_ID/);
      assert.equal((await relay.app.inject({ method: 'GET', url: '/api/v1/conversations' })).statusCode, 401);
    } finally {
      await relay.close();
    }
  });

  it('does not exist on a dev relay', async () => {
    const page = await dev.app.inject({ method: 'GET', url: `/auth/entra/popup?origin=${encodeURIComponent(ORG)}` });
    assert.equal(page.statusCode, 404);
    const html = (await entra.app.inject({ method: 'GET', url: '/auth/entra/popup' })).body;
    for (const src of html.matchAll(/(?:src|href)="([^"]+)"/g)) {
      assert.equal((await dev.app.inject({ method: 'GET', url: `/auth/entra/${src[1]}` })).statusCode, 404, src[1]);
    }
  });

  it('is served in entra mode with a strict CSP, no framing, no caching, and an opener-friendly COOP', async () => {
    const page = await entra.app.inject({ method: 'GET', url: `/auth/entra/popup?origin=${encodeURIComponent(ORG)}` });
    assert.equal(page.statusCode, 200);
    assert.match(String(page.headers['content-type']), /^text\/html/);
    const csp = Object.fromEntries(String(page.headers['content-security-policy']).split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1).join(' ')]));
    assert.deepEqual(csp, {
      'default-src': "'none'",
      'script-src': "'self'",
      'style-src': "'self'",
      'connect-src': 'https://login.microsoftonline.com',
      'base-uri': "'none'",
      'form-action': "'none'",
      'frame-ancestors': "'none'",
    });
    assert.equal(page.headers['cross-origin-opener-policy'], 'unsafe-none');
    assert.equal(page.headers['x-frame-options'], 'DENY');
    assert.equal(page.headers['cache-control'], 'no-store');
    assert.equal(page.headers['x-content-type-options'], 'nosniff');
  });

  it("signs in at ENTRA_AUTHORITY_HOST (a national cloud's, or a test's fake): its authority, and the only host the page may call", async () => {
    const relay = await startRelay({ env: { ...ENTRA_ENV, ENTRA_AUTHORITY_HOST: 'https://login.microsoftonline.us/' } });
    try {
      const page = await relay.app.inject({ method: 'GET', url: '/auth/entra/popup' });
      assert.match(String(page.headers['content-security-policy']), /(^|; )connect-src https:\/\/login\.microsoftonline\.us(;|$)/);
      assert.equal(pageConfig(page.body).authority, `https://login.microsoftonline.us/${TENANT}`);
    } finally {
      await relay.close();
    }
  });

  it('embeds tenant, client, scope and allowed origins as escaped JSON, with no inline script', async () => {
    const html = (await entra.app.inject({ method: 'GET', url: '/auth/entra/popup' })).body;
    assert.doesNotMatch(html, /<script>alert/);
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    assert.equal(scripts.length, 1);
    assert.match(scripts[0]![1]!, /\bsrc="popup\.[0-9a-f]{12}\.js"/);
    assert.equal(scripts[0]![2], '');
    assert.doesNotMatch(html, /\son[a-z]+=/i, 'no inline event handlers');
    const config = pageConfig(html);
    assert.deepEqual(config, {
      tenantId: TENANT,
      clientId: CLIENT,
      authority: `https://login.microsoftonline.com/${TENANT}`,
      scope: `${AUDIENCE}/.default`,
      allowedOrigins: [ORG, ORG2],
      msalScript: config.msalScript,
      bridgeScript: config.bridgeScript,
    });
    assert.match(String(config.msalScript), /^msal-browser\.\d+\.\d+\.\d+\.min\.js$/);
    assert.match(String(config.bridgeScript), /^msal-redirect-bridge\.\d+\.\d+\.\d+\.min\.js$/);
  });

  it("serves its script, style and MSAL's prebuilt browser bundles, cacheable for good", async () => {
    const html = (await entra.app.inject({ method: 'GET', url: '/auth/entra/popup' })).body;
    const config = pageConfig(html);
    const names = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!).concat([String(config.msalScript), String(config.bridgeScript)]);
    assert.equal(names.length, 4);
    const msalDir = createRequire(import.meta.url).resolve('@azure/msal-browser/package.json').replace(/package\.json$/, '');
    for (const name of names) {
      const asset = await entra.app.inject({ method: 'GET', url: `/auth/entra/${name}` });
      assert.equal(asset.statusCode, 200, name);
      assert.equal(asset.headers['cache-control'], 'public, max-age=31536000, immutable');
      assert.match(String(asset.headers['content-type']), name.endsWith('.css') ? /^text\/css/ : /^text\/javascript/);
    }
    const msal = await entra.app.inject({ method: 'GET', url: `/auth/entra/${String(config.msalScript)}` });
    assert.equal(msal.body, readFileSync(`${msalDir}lib/msal-browser.min.js`, 'utf8'));
  });

  it('tells a client the sign-in page in /auth/config', async () => {
    assert.deepEqual((await entra.app.inject({ method: 'GET', url: '/auth/config' })).json(), {
      mode: 'entra',
      tenantId: TENANT,
      audience: AUDIENCE,
      clientId: CLIENT,
      signInPath: '/auth/entra/popup',
    });
  });
});

/**
 * The page script in a fake browser window: MSAL replaced by a stub, so what is tested is
 * the script's own rule — a token goes only to an allowed origin, by postMessage.
 */
describe('the sign-in page script', () => {
  let html: string;
  let script: string;
  before(async () => {
    const relay = await startRelay({ env: ENTRA_ENV });
    html = (await relay.app.inject({ method: 'GET', url: '/auth/entra/popup' })).body;
    const name = /<script src="([^"]+)"/.exec(html)![1]!;
    script = (await relay.app.inject({ method: 'GET', url: `/auth/entra/${name}` })).body;
    await relay.close();
    closeFakeTwilio();
  });

  function runPage(url: string, msal: { silent: 'ok' | 'fail'; accounts: number }) {
    const posted: { message: unknown; targetOrigin: string }[] = [];
    const loaded: string[] = [];
    const elements: Record<string, { textContent: string; hidden: boolean; dataset?: Record<string, string>; focus(): void; addEventListener(type: string, fn: () => void): void; click?: () => void }> = {};
    for (const id of ['wcp-sign-in', 'wcp-status', 'wcp-sign-in-button']) {
      elements[id] = {
        textContent: '',
        hidden: id === 'wcp-sign-in-button',
        focus() {},
        addEventListener(type, fn) {
          if (type === 'click') this.click = fn;
        },
      };
    }
    elements['wcp-sign-in']!.dataset = { config: unescapeAttribute(/data-config="([^"]*)"/.exec(html)![1]!) };
    const location = new URL(url);
    let closed = false;
    const account = { homeAccountId: 'agent-1' };
    const result = { accessToken: 'eyJ.token.sig', account, expiresOn: new Date('2026-06-01T09:00:00Z') };
    const window: Record<string, unknown> = {
      location: { origin: location.origin, pathname: location.pathname, search: location.search, hash: location.hash },
      // Structured clone, as postMessage does (and out of the vm realm).
      opener: { postMessage: (message: unknown, targetOrigin: string) => posted.push({ message: JSON.parse(JSON.stringify(message)) as unknown, targetOrigin }) },
      close: () => {
        closed = true;
      },
    };
    const msalGlobal = {
      CacheLookupPolicy: { AccessTokenAndRefreshToken: 2 },
      PublicClientApplication: class {
        constructor(readonly options: unknown) {}
        initialize = async () => undefined;
        getActiveAccount = () => null;
        getAllAccounts = () => (msal.accounts ? [account] : []);
        setActiveAccount = () => undefined;
        acquireTokenSilent = async () => {
          if (msal.silent === 'ok') return result;
          throw new Error('interaction_required');
        };
        acquireTokenPopup = async () => result;
      },
    };
    const document = {
      getElementById: (id: string) => elements[id],
      createElement: () => ({}) as { src?: string; onload?: () => void },
      head: {
        appendChild: (el: { src: string; onload: () => void }) => {
          loaded.push(el.src);
          if (el.src.startsWith('msal-browser')) window.msal = msalGlobal;
          if (el.src.startsWith('msal-redirect-bridge')) window.msalRedirectBridge = { broadcastResponseToMainFrame: async () => loaded.push('broadcast') };
          setTimeout(() => el.onload(), 0);
        },
      },
    };
    runInNewContext(script, { window, document, URLSearchParams, setTimeout, Date, Promise, JSON, String, Error });
    /** Until `done` holds (at most 5 s: a loaded machine runs the page's timers late), or 150 ms for what must not happen. */
    const settle = async (done?: () => boolean) => {
      const deadline = Date.now() + 5_000;
      do {
        await new Promise((resolve) => setTimeout(resolve, done ? 10 : 150));
      } while (done && !done() && Date.now() < deadline);
    };
    return { posted, loaded, elements, settle, isClosed: () => closed };
  }

  it('hands a silently renewed token to an allowed opener origin only, then closes', async () => {
    const page = runPage(`https://relay.contoso.com/auth/entra/popup?origin=${encodeURIComponent(ORG2)}`, { silent: 'ok', accounts: 1 });
    await page.settle(() => page.isClosed());
    assert.deepEqual(page.posted, [{ message: { type: 'wcp-token', token: 'eyJ.token.sig', expiresOn: Date.parse('2026-06-01T09:00:00Z') }, targetOrigin: ORG2 }]);
    assert.equal(page.isClosed(), true);
  });

  it('refuses an origin outside CORS_ORIGINS without loading MSAL', async () => {
    for (const origin of ['https://evil.example.com', 'https://contoso.crm.dynamics.com.evil.example', '*', '']) {
      const page = runPage(`https://relay.contoso.com/auth/entra/popup?origin=${encodeURIComponent(origin)}`, { silent: 'ok', accounts: 1 });
      await page.settle();
      assert.deepEqual(page.posted, [], origin);
      assert.deepEqual(page.loaded, [], origin);
      assert.match(page.elements['wcp-status']!.textContent, /allowed Dynamics 365 organisation/);
    }
  });

  it('asks for a click before opening the Microsoft sign-in window when there is no session', async () => {
    const page = runPage(`https://relay.contoso.com/auth/entra/popup?origin=${encodeURIComponent(ORG)}`, { silent: 'fail', accounts: 0 });
    await page.settle(() => page.elements['wcp-sign-in-button']?.hidden === false);
    assert.equal(page.posted.length, 0, 'nothing before the click');
    const button = page.elements['wcp-sign-in-button']!;
    assert.equal(button.hidden, false);
    button.click!();
    await page.settle(() => page.posted.length > 0);
    assert.deepEqual(page.posted.map((p) => [(p.message as { type: string }).type, p.targetOrigin]), [['wcp-token', ORG]]);
  });

  it("runs MSAL's redirect bridge when Entra sends the second window back with an answer", async () => {
    const page = runPage('https://relay.contoso.com/auth/entra/popup#code=abc&state=xyz', { silent: 'ok', accounts: 1 });
    await page.settle(() => page.loaded.includes('broadcast'));
    assert.deepEqual(page.loaded, [String(pageConfig(html).bridgeScript), 'broadcast']);
    assert.deepEqual(page.posted, []);
  });
});
