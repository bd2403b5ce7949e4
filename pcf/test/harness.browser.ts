/**
 * The built control in pcf-start's test harness (served offline by scripts/harness.cjs), in
 * headless Chromium: with the harness's empty user name, dev sign-in must still work and
 * `<wcp-panel>` must render without console errors. The relay is faked with page.route.
 *
 * Not part of `npm test` (it needs a build and a browser): `npm run test:harness -w pcf`.
 * Chromium: /usr/bin/chromium, or CHROMIUM_PATH.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { chromium, type Browser } from 'playwright-core';

const RELAY = 'http://localhost:3999';
/** The harness's own Segoe UI fonts come from Microsoft's CDN, which is not reachable offline. */
const HARNESS_FONT_CDN = 'https://res-1.cdn.office.net/';

let harness: ChildProcess | undefined;
let browser: Browser | undefined;
let baseUrl = '';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

before(async () => {
  const port = await freePort();
  harness = spawn(process.execPath, [path.join(import.meta.dirname, '..', 'scripts', 'harness.cjs'), '--port', String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    harness!.once('exit', (code) => reject(new Error(`harness exited with ${code} (run \`npm run build -w pcf\` first)`)));
    harness!.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('PCF harness')) resolve();
    });
  });
  baseUrl = `http://127.0.0.1:${port}/`;
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
});

after(async () => {
  await browser?.close();
  harness?.kill();
});

function token(agentId: string): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ sub: agentId, exp: Math.floor(Date.now() / 1000) + 3600 })}.signature`;
}

test('in the PCF harness (empty user name), dev sign-in works and <wcp-panel> renders with no console error', { timeout: 60_000 }, async () => {
  const page = await browser!.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    if (message.location().url.startsWith(HARNESS_FONT_CDN)) return;
    errors.push(`${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));

  const devTokenBodies: { agentId: string; name: string }[] = [];
  await page.route(`${RELAY}/**`, async (route) => {
    const request = route.request();
    const { pathname } = new URL(request.url());
    const json = (body: unknown, status = 200) => route.fulfill({ status, contentType: 'application/json', body: JSON.stringify(body) });
    switch (pathname) {
      case '/auth/config':
        return json({ mode: 'dev' });
      case '/auth/dev-token': {
        const body = JSON.parse(request.postData() ?? '{}') as { agentId: string; name: string };
        devTokenBodies.push(body);
        // As the relay: a blank name or id is a 400.
        if (!body.name || !body.agentId) return json({ error: 'validation', message: 'body/name must NOT have fewer than 1 characters' }, 400);
        return json({ token: token(body.agentId) });
      }
      case '/api/v1/me':
        return json({ id: devTokenBodies.at(-1)?.agentId ?? 'agent', name: devTokenBodies.at(-1)?.name ?? 'agent', presence: 'available', role: 'agent', capacity: 3 });
      case '/api/v1/conversations':
      case '/api/v1/quick-replies':
      case '/api/v1/dispositions':
      case '/api/v1/scripts':
      case '/api/v1/queues':
      case '/api/v1/agents':
        return json({ items: [] });
      case '/api/v1/templates':
        return json({ items: [], stale: false });
      case '/api/v1/events':
        return route.fulfill({ status: 200, contentType: 'text/event-stream', body: 'event: ready\ndata: {}\n\n: ping\n\n' });
      default:
        return json({ error: 'not_found', message: 'Not found' }, 404);
    }
  });

  await page.goto(baseUrl);
  // Data inputs, in manifest order: phone, relayUrl, templateLanguage, (authMode select), knowledgeUrlTemplate.
  const texts = page.locator('input[type=text]');
  await texts.nth(0).fill('+15550101234');
  await texts.nth(1).fill(RELAY);
  await texts.nth(1).press('Tab');
  await page.locator('select').filter({ has: page.locator('option[value="dev"]') }).selectOption('dev');

  await page.locator('wcp-panel').waitFor({ state: 'attached', timeout: 20_000 });
  await page.waitForTimeout(3000); // let the panel load and the event stream connect and reconnect

  assert.ok(devTokenBodies.length >= 1, 'the control asked the relay for a dev token');
  for (const body of devTokenBodies) assert.notEqual(body.name.trim(), '', 'never an empty name');
  assert.ok(devTokenBodies.length <= 3, `${devTokenBodies.length} token requests in a few seconds`);
  assert.equal(await page.locator('wcp-panel').count(), 1);
  assert.doesNotMatch(await page.locator('body').innerText(), /refused to sign in|cannot be reached|relay URL/);
  assert.deepEqual(errors, []);
  await page.close();
});
