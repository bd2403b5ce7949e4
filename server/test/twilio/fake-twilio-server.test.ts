import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createTwilioTransport } from '../../src/transport/twilio.ts';
import { fetchTwilioMedia } from '../../src/media/twilio-media.ts';
import type { OutboundSend } from '../../src/transport/port.ts';
import { FAKE_ACCOUNT_SID, FAKE_AUTH_TOKEN } from '../fakes/twilio-api.ts';
import { startFakeTwilioServer, type FakeTwilioServer } from '../fakes/twilio-api-server.ts';
import { SAMPLES } from '../fakes/media-samples.ts';

const send: OutboundSend = {
  messageId: 'msg_9',
  from: '+14155238886',
  to: '+447700900123',
  body: 'Your parcel is on its way',
  statusCallbackUrl: 'https://relay.example.com/twilio/status?messageId=msg_9',
};

describe('fake Twilio on a real socket', () => {
  let fake: FakeTwilioServer;
  before(async () => {
    fake = await startFakeTwilioServer({ port: 0, host: '127.0.0.1' });
  });
  after(() => fake.close());
  beforeEach(() => fake.twilio.reset());

  const transport = () =>
    createTwilioTransport({ accountSid: FAKE_ACCOUNT_SID, authToken: FAKE_AUTH_TOKEN, apiBaseUrl: fake.url, timeoutMs: 2000 });

  it('serves the transport: send, findSent, listTemplates', async () => {
    const since = new Date(Date.now() - 1000);
    const outcome = await transport().send(send);
    assert.equal(outcome.kind, 'sent');
    assert.equal((await transport().findSent(send, since))?.sid, outcome.kind === 'sent' ? outcome.sid : '');
    assert.deepEqual((await transport().listTemplates()).map((t) => t.name), ['order_update', 'appointment_reminder', 'spring_sale', 'draft_greeting']);
  });

  it('exposes what reached it over HTTP', async () => {
    await transport().send(send);
    const sent = (await (await fetch(`${fake.url}/__fake/sent`)).json()) as { sid: string; to: string; body: string }[];
    assert.equal(sent.length, 1);
    assert.equal(sent[0]?.to, 'whatsapp:+447700900123');
    assert.equal(sent[0]?.body, 'Your parcel is on its way');
  });

  it('is controllable over HTTP', async () => {
    const post = (path: string, body?: unknown) =>
      fetch(`${fake.url}/__fake/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) });
    assert.equal((await post('fail-next', { n: 1, failure: { status: 400, code: 63016, message: 'outside window' } })).status, 204);
    const failed = await transport().send(send);
    assert.equal(failed.kind === 'failed' && failed.code, 63016);
    await post('fail-next', { n: 1, failure: 'network' });
    assert.equal((await transport().send(send)).kind, 'retry');
    const requests = (await (await fetch(`${fake.url}/__fake/create-requests`)).json()) as unknown[];
    assert.equal(requests.length, 2);
    assert.equal((await post('reset')).status, 204);
    assert.equal(fake.twilio.createRequests.length, 0);
  });

  it('answers without credentials as Twilio does', async () => {
    const response = await fetch(`${fake.url}/2010-04-01/Accounts/${FAKE_ACCOUNT_SID}/Messages.json`);
    assert.equal(response.status, 401);
    assert.deepEqual(await response.json(), {
      code: 20003,
      message: 'Authenticate',
      more_info: 'https://www.twilio.com/docs/errors/20003',
      status: 401,
      detail: 'Your AccountSid or AuthToken was incorrect.',
    });
  });

  it('serves media through a same-origin redirect that fetchTwilioMedia accepts', async () => {
    const url = fake.twilio.addMedia('audio/ogg', SAMPLES.oggOpus);
    const result = await fetchTwilioMedia(url, { accountSid: FAKE_ACCOUNT_SID, authToken: FAKE_AUTH_TOKEN, apiBaseUrl: fake.url, maxBytes: 10_000 });
    assert.ok(result.ok);
    assert.equal(result.contentType, 'audio/ogg');
    assert.deepEqual(new Uint8Array(await new Response(result.body).arrayBuffer()), SAMPLES.oggOpus);
  });
  it("fetches media a webhook names on api.twilio.com from TWILIO_API_BASE_URL, as every Twilio host is rebased", async () => {
    const url = fake.twilio.addMedia('text/vcard', new TextEncoder().encode('BEGIN:VCARD\r\nFN:Zed\r\nEND:VCARD'));
    const asTwilioNamesIt = url.replace(fake.url, 'https://api.twilio.com');
    const result = await fetchTwilioMedia(asTwilioNamesIt, { accountSid: FAKE_ACCOUNT_SID, authToken: FAKE_AUTH_TOKEN, apiBaseUrl: fake.url, maxBytes: 10_000 });
    assert.ok(result.ok, result.ok ? '' : result.message);
    assert.match(await new Response(result.body).text(), /FN:Zed/);
    const elsewhere = await fetchTwilioMedia(url.replace(fake.url, 'https://media.example.com'), { accountSid: FAKE_ACCOUNT_SID, authToken: FAKE_AUTH_TOKEN, apiBaseUrl: fake.url, maxBytes: 10_000 });
    assert.equal(!elsewhere.ok && elsewhere.error, 'media_url_not_allowed', 'only Twilio\'s own API host is rebased');
  });
});

describe('fake Twilio as its own process', () => {
  it('prints its URL and serves until stopped', async () => {
    const script = fileURLToPath(new URL('../fakes/twilio-api-server.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', script, '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const lines = createInterface({ input: child.stdout });
      const [line] = (await once(lines, 'line')) as [string];
      const { url, accountSid } = JSON.parse(line) as { url: string; accountSid: string };
      assert.equal(accountSid, FAKE_ACCOUNT_SID);
      const response = await fetch(`${url}/__fake/sent`);
      assert.deepEqual(await response.json(), []);
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });
});
