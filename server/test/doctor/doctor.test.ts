import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { http, HttpResponse } from 'msw';
import { runDoctor } from '../../src/doctor/checks.ts';
import { startedRelayDatabase } from '../helpers/relay-database.ts';
import { FAKE_ACCOUNT_SID, FAKE_AUTH_TOKEN, fakeSender, setupFakeTwilio, TWILIO_ORIGINS } from '../fakes/twilio-api.ts';

const TENANT = '11111111-2222-3333-4444-555555555555';
const PUBLIC_URL = 'https://relay.example.com';
const FROM = '+14155550100';

const LOCAL_TWILIO = 'https://twilio.fake.test:8443';
const { server, twilio } = setupFakeTwilio({ origins: [...TWILIO_ORIGINS, LOCAL_TWILIO] });
const requested: string[] = [];
server.events.on('request:start', ({ request }) => {
  requested.push(request.url);
});
server.use(
  http.get(`https://login.microsoftonline.com/${TENANT}/discovery/v2.0/keys`, () =>
    HttpResponse.json({ keys: [{ kty: 'RSA', use: 'sig', kid: 'k1', n: 'AQAB', e: 'AQAB' }] }),
  ),
);

let dir: string;
before(async () => {
  server.listen({ onUnhandledRequest: 'error' });
  dir = mkdtempSync(join(tmpdir(), 'doctor-'));
  // The relay's database, as its first start leaves it: the doctor checks it, never creates it.
  await startedRelayDatabase(dir);
});
afterEach(() => {
  twilio.reset();
  requested.length = 0;
});
after(() => {
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

function env(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_URL: `sqlite:${join(dir, 'relay.db')}`,
    PUBLIC_URL,
    TWILIO_ACCOUNT_SID: FAKE_ACCOUNT_SID,
    TWILIO_AUTH_TOKEN: FAKE_AUTH_TOKEN,
    TWILIO_WHATSAPP_FROM: `whatsapp:${FROM}`,
    AUTH_MODE: 'entra',
    ENTRA_TENANT_ID: TENANT,
    ENTRA_AUDIENCE: 'api://relay',
    ENTRA_CLIENT_ID: '66666666-7777-8888-9999-000000000000',
    ...overrides,
  };
}

async function doctor(e: Record<string, string>): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const code = await runDoctor(e, { write: (line) => lines.push(line) });
  return { code, lines };
}

function goodSenders() {
  twilio.senders = [
    fakeSender('whatsapp:+14155550999', 'https://elsewhere.example.com/in', null),
    fakeSender(`whatsapp:${FROM}`, `${PUBLIC_URL}/twilio/inbound`, `${PUBLIC_URL}/twilio/status`),
  ];
}

describe('npm run doctor', () => {
  test('all good: every check passes and the exit code is 0', async () => {
    goodSenders();
    const { code, lines } = await doctor(env());
    assert.equal(code, 0, lines.join('\n'));
    assert.equal(lines.length, 5, lines.join('\n'));
    for (const line of lines) assert.match(line, /^✓ /);
    assert.ok(lines.some((l) => l.includes('store opens and is migrated')));
    assert.ok(lines.some((l) => l.includes('Entra signing keys load')));
  });

  test('Twilio refuses the credentials: the credentials line fails with the fix, exit 1', async () => {
    goodSenders();
    const { code, lines } = await doctor(env({ TWILIO_AUTH_TOKEN: 'wrong-token' }));
    assert.equal(code, 1);
    const line = lines.find((l) => l.includes('Twilio accepts'));
    assert.ok(line, lines.join('\n'));
    assert.match(line, /^✗ /);
    assert.ok(line.includes('Twilio refused TWILIO_ACCOUNT_SID/TWILIO_AUTH_TOKEN: copy them from the console'), line);
  });

  test('the sender webhook points elsewhere: the line names the expected and actual URL, exit 1', async () => {
    twilio.senders = [fakeSender(`whatsapp:${FROM}`, 'https://old-host.example.com/hook', `${PUBLIC_URL}/twilio/status`)];
    const { code, lines } = await doctor(env());
    assert.equal(code, 1);
    const line = lines.find((l) => l.includes('WhatsApp sender'));
    assert.ok(line, lines.join('\n'));
    assert.match(line, /^✗ /);
    assert.ok(line.includes('https://old-host.example.com/hook'), line);
    assert.ok(line.includes(`${PUBLIC_URL}/twilio/inbound`), line);
    assert.ok(lines.filter((l) => l.startsWith('✗')).length === 1, lines.join('\n'));
  });

  test('PUBLIC_URL left at this machine: the fix is to set PUBLIC_URL, not to point Twilio at 127.0.0.1', async () => {
    twilio.senders = [fakeSender(`whatsapp:${FROM}`, 'https://old-host.example.com/hook', null)];
    const e = env();
    delete e['PUBLIC_URL'];
    const { code, lines } = await doctor(e);
    assert.equal(code, 1);
    const line = lines.find((l) => l.includes('WhatsApp sender'))!;
    assert.match(line, /set PUBLIC_URL to the relay's public https address \(http:\/\/127\.0\.0\.1:3000 is this machine/, line);
  });

  test('a DATABASE_URL naming no file fails, and creates none', async () => {
    goodSenders();
    const missing = join(dir, 'typo', 'relay.db');
    const { code, lines } = await doctor(env({ DATABASE_URL: `sqlite:${missing}` }));
    assert.equal(code, 1);
    assert.ok(lines.some((l) => l.startsWith('✗') && l.includes(`no database file at ${missing}`)), lines.join('\n'));
    assert.equal(existsSync(missing), false);
  });

  test('the sender is found on a later page', async () => {
    twilio.senders = Array.from({ length: 60 }, (_, i) => fakeSender(`whatsapp:+1415555${String(1000 + i)}`, null, null));
    twilio.senders.push(fakeSender(`whatsapp:${FROM}`, `${PUBLIC_URL}/twilio/inbound`, `${PUBLIC_URL}/twilio/status`));
    const { code, lines } = await doctor(env());
    assert.equal(code, 0, lines.join('\n'));
  });

  test('no such sender: fails naming it', async () => {
    const { code, lines } = await doctor(env());
    assert.equal(code, 1);
    assert.ok(lines.some((l) => l.startsWith('✗') && l.includes(`no WhatsApp sender whatsapp:${FROM}`)), lines.join('\n'));
  });

  test('TWILIO_API_BASE_URL: every Twilio host (api, messaging) is rebased onto it', async () => {
    goodSenders();
    const { code, lines } = await doctor(env({ TWILIO_API_BASE_URL: LOCAL_TWILIO }));
    assert.equal(code, 0, lines.join('\n'));
    const twilioCalls = requested.filter((u) => !u.startsWith('https://login.microsoftonline.com'));
    assert.deepEqual(
      twilioCalls.map((u) => new URL(u).origin + new URL(u).pathname),
      [`${LOCAL_TWILIO}/2010-04-01/Accounts/${FAKE_ACCOUNT_SID}.json`, `${LOCAL_TWILIO}/v2/Channels/Senders`],
    );
  });

  test('a bad config value: one failed line naming the variable, exit 1', async () => {
    const { code, lines } = await doctor(env({ PUBLIC_URL: 'not a url' }));
    assert.equal(code, 1);
    assert.equal(lines.length, 1, lines.join('\n'));
    assert.match(lines[0]!, /^✗ .*PUBLIC_URL/);
  });

  test('the CLI prints the lines and exits 1 on a failure', async () => {
    const cli = fileURLToPath(new URL('../../src/cli/doctor.ts', import.meta.url));
    const result = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      const child = execFile(process.execPath, ['--import', 'tsx', cli], { env: { PATH: process.env['PATH'] ?? '', AUTH_MODE: 'bogus' }, timeout: 30_000 }, (_error, stdout) => {
        resolve({ code: child.exitCode, stdout });
      });
    });
    assert.equal(result.code, 1);
    assert.match(result.stdout, /^✗ configuration \(AUTH_MODE\): .*\n$/);
  });
});
