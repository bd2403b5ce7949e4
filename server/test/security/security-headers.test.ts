/**
 * Which security headers each kind of response carries (src/routes/security-headers.ts):
 * the full document set everywhere by default, nosniff and CORP only on the agent's event
 * stream, none on routes that opt out (Twilio's webhooks, /metrics); and the headers come from
 * middleware built once at start, so a bad directive fails the start, not each request.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Fastify from 'fastify';
import { addSecurityHeaders } from '../../src/routes/security-headers.ts';
import { closeFakeTwilio, startRelay, type TestRelay } from '../helpers/harness.ts';

const CRM = 'https://contoso.crm.dynamics.com';

/** What @fastify/helmet 13.2 set on every response with the relay's options (the headers did not change). */
const DOCUMENT_HEADERS: Record<string, string> = {
  'content-security-policy':
    `default-src 'self';base-uri 'self';font-src 'self' https: data:;form-action 'self';frame-ancestors 'self' ${CRM};img-src 'self' blob: data:;object-src 'none';script-src 'self';script-src-attr 'none';style-src 'self' 'unsafe-inline';upgrade-insecure-requests;media-src 'self' blob:;connect-src 'self'`,
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-site',
  'origin-agent-cluster': '?1',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-frame-options': 'SAMEORIGIN',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
};
const NAMES = Object.keys(DOCUMENT_HEADERS);

function securityHeadersOf(headers: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(NAMES.filter((name) => headers[name] !== undefined).map((name) => [name, String(headers[name])]));
}

describe('security headers', () => {
  let relay: TestRelay;
  before(async () => {
    relay = await startRelay({ env: { CORS_ORIGINS: CRM } });
  });
  after(async () => {
    await relay.close();
    closeFakeTwilio();
  });

  it('every ordinary response carries the full document set: pages, API answers, refusals, 404s', async () => {
    const token = await relay.token('alice');
    for (const [url, headers] of [
      ['/healthz', {}],
      ['/api/v1/me', { authorization: `Bearer ${token}` }],
      ['/api/v1/me', {}],
      ['/no-such-page', {}],
    ] as const) {
      const r = await relay.app.inject({ method: 'GET', url, headers });
      assert.deepEqual(securityHeadersOf(r.headers), DOCUMENT_HEADERS, `${url} (${r.statusCode})`);
    }
  });

  it('the event stream carries nosniff and CORP only, and so do its refusals', async () => {
    const base = await relay.app.listen({ port: 0, host: '127.0.0.1' });
    const abort = new AbortController();
    const r = await fetch(`${base}/api/v1/events`, { headers: { authorization: `Bearer ${await relay.token('alice')}` }, signal: abort.signal });
    assert.equal(r.status, 200);
    assert.match(String(r.headers.get('content-type')), /^text\/event-stream/);
    assert.deepEqual(securityHeadersOf(Object.fromEntries(r.headers)), { 'cross-origin-resource-policy': 'same-site', 'x-content-type-options': 'nosniff' });
    abort.abort();
    // A JSON error with nothing of the agent's in it (no token reaches it: it is the refusal).
    const refused = await fetch(`${base}/api/v1/events`);
    assert.equal(refused.status, 401);
    assert.match(String(refused.headers.get('content-type')), /^application\/json/);
    assert.deepEqual(securityHeadersOf(Object.fromEntries(refused.headers)), { 'cross-origin-resource-policy': 'same-site', 'x-content-type-options': 'nosniff' });
  });

  it('routes for callers that are not browsers opt out: Twilio webhooks, /metrics', async () => {
    const webhook = await relay.inbound({ From: 'whatsapp:+447700900123', Body: 'Hello' });
    assert.equal(webhook.statusCode, 200);
    assert.deepEqual(securityHeadersOf(webhook.headers), {});
    const metrics = await relay.app.inject({ method: 'GET', url: '/metrics', remoteAddress: '127.0.0.1' });
    assert.equal(metrics.statusCode, 200);
    assert.deepEqual(securityHeadersOf(metrics.headers), {});
  });
});

describe('addSecurityHeaders', () => {
  it('applies the kind a route names in its config, the document set when it names none', async () => {
    const app = Fastify();
    addSecurityHeaders(app, []);
    app.get('/page', async () => 'page');
    app.get('/stream', { config: { securityHeaders: 'stream' } }, async () => 'stream');
    app.get('/machine', { config: { securityHeaders: false } }, async () => 'machine');
    const page = await app.inject({ method: 'GET', url: '/page' });
    assert.equal(page.headers['x-frame-options'], 'SAMEORIGIN');
    assert.match(String(page.headers['content-security-policy']), /frame-ancestors 'self';/);
    assert.deepEqual(securityHeadersOf((await app.inject({ method: 'GET', url: '/stream' })).headers), { 'cross-origin-resource-policy': 'same-site', 'x-content-type-options': 'nosniff' });
    assert.deepEqual(securityHeadersOf((await app.inject({ method: 'GET', url: '/machine' })).headers), {});
    await app.close();
  });

  it('builds its middleware at start: a bad CSP origin fails there, not on each request', () => {
    // @fastify/helmet built Helmet per request, so this surfaced as a 500 on every page instead.
    assert.throws(() => addSecurityHeaders(Fastify(), ['https://crm.example;script-src *']), /Content-Security-Policy/);
  });
});
