import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createTwilioTransport, rebaseTwilioUrl } from '../../src/transport/twilio.ts';
import type { OutboundSend, Transport } from '../../src/transport/port.ts';
import { WINDOW_EXPIRED_MESSAGE } from '@wcp/protocol';
import { defaultTemplates, FAKE_ACCOUNT_SID, FAKE_AUTH_TOKEN, setupFakeTwilio } from '../fakes/twilio-api.ts';

const BUSINESS = '+14155238886';
const CUSTOMER = '+5511987654321';
const SID = /^(SM|MM)[0-9a-f]{32}$/;

const text = (over: Partial<OutboundSend> = {}): OutboundSend => ({
  messageId: 'msg_1',
  from: BUSINESS,
  to: CUSTOMER,
  body: 'Hello Ana, how can I help?',
  statusCallbackUrl: 'https://relay.example.com/twilio/status?messageId=msg_1',
  ...over,
});

describe('Twilio transport against Twilio hosts (msw)', () => {
  const { server, twilio: fake } = setupFakeTwilio();
  let transport: Transport;
  before(() => server.listen({ onUnhandledRequest: 'error' }));
  after(() => server.close());
  beforeEach(() => {
    fake.reset();
    transport = createTwilioTransport({ accountSid: FAKE_ACCOUNT_SID, authToken: FAKE_AUTH_TOKEN, timeoutMs: 2000 });
  });

  describe('send', () => {
    it('creates one WhatsApp message with the status callback', async () => {
      const outcome = await transport.send(text());
      assert.equal(outcome.kind, 'sent');
      assert.ok(outcome.kind === 'sent' && SID.test(outcome.sid));
      assert.equal(outcome.kind === 'sent' && outcome.status, 'queued');
      assert.equal(fake.createRequests.length, 1);
      assert.deepEqual(fake.createRequests[0]?.form, {
        From: ['whatsapp:+14155238886'],
        To: ['whatsapp:+5511987654321'],
        Body: ['Hello Ana, how can I help?'],
        StatusCallback: ['https://relay.example.com/twilio/status?messageId=msg_1'],
      });
      assert.equal(fake.sent[0]?.sid, outcome.kind === 'sent' ? outcome.sid : '');
    });

    it('sends every media URL as a repeated MediaUrl', async () => {
      const mediaUrls = ['https://relay.example.com/media/a.jpg', 'https://relay.example.com/media/b.pdf'];
      const outcome = await transport.send(text({ body: 'See attached', mediaUrls }));
      assert.equal(outcome.kind, 'sent');
      assert.deepEqual(fake.createRequests[0]?.form['MediaUrl'], mediaUrls);
      assert.equal(fake.sent[0]?.sid.startsWith('MM'), true);
    });

    it('sends a template as ContentSid + ContentVariables JSON, without Body', async () => {
      const contentSid = 'HX' + '1'.repeat(32);
      const outcome = await transport.send(
        text({ body: undefined, template: { contentSid, variables: { '1': 'Ana', '2': 'A-77' } } }),
      );
      assert.equal(outcome.kind, 'sent');
      const form = fake.createRequests[0]?.form ?? {};
      assert.deepEqual(form['ContentSid'], [contentSid]);
      assert.deepEqual(JSON.parse(form['ContentVariables']?.[0] ?? 'null'), { '1': 'Ana', '2': 'A-77' });
      assert.equal(form['Body'], undefined);
      assert.equal(fake.sent[0]?.body, 'Hi Ana, your order A-77 has shipped.');
    });

    it('maps 63016 to a failure with the 24-hour window message', async () => {
      fake.failNext(1, { status: 400, code: 63016, message: 'Failed to send freeform message because you are outside the allowed window.' });
      assert.deepEqual(await transport.send(text()), {
        kind: 'failed',
        code: 63016,
        message: WINDOW_EXPIRED_MESSAGE,
      });
      assert.equal(fake.sent.length, 0);
    });

    it("refuses an invalid number with Twilio's own 21211", async () => {
      const outcome = await transport.send(text({ to: '+1555CALLME' }));
      assert.equal(outcome.kind, 'failed');
      assert.equal(outcome.kind === 'failed' && outcome.code, 21211);
    });

    it('asks to retry on rate limits and server errors', async () => {
      fake.failNext(1, { status: 429, code: 20429, message: 'Too Many Requests' });
      fake.failNext(1, { status: 503, code: 20500, message: 'Service Unavailable' });
      fake.failNext(1, { status: 400, code: 63018, message: 'Rate limit exceeded for Channel' });
      for (const code of [20429, 20500, 63018]) {
        const outcome = await transport.send(text());
        assert.equal(outcome.kind, 'retry', String(code));
        assert.equal(outcome.kind === 'retry' && outcome.code, code);
      }
      assert.equal((await transport.send(text())).kind, 'sent');
      assert.equal(fake.sent.length, 1);
    });

    it('asks to retry when the connection fails', async () => {
      fake.failNext(1, 'network');
      const outcome = await transport.send(text());
      assert.equal(outcome.kind, 'retry');
      assert.equal(outcome.kind === 'retry' && outcome.code, null);
    });

    it('asks to retry on a timeout, and findSent then finds the message Twilio took', async () => {
      const slow = createTwilioTransport({ accountSid: FAKE_ACCOUNT_SID, authToken: FAKE_AUTH_TOKEN, timeoutMs: 100 });
      const since = new Date(Date.now() - 1000);
      fake.delayNext(400);
      const outcome = await slow.send(text());
      assert.equal(outcome.kind, 'retry');
      assert.equal(fake.sent.length, 1, 'the create reached Twilio exactly once');
      const found = await slow.findSent(text(), since);
      assert.deepEqual(found, { sid: fake.sent[0]?.sid, status: 'queued', errorCode: null, errorMessage: null });
    });

    it("waits as long as Twilio's Retry-After asks on a 429 or 503, and its own backoff without one", async () => {
      fake.failNext(1, { status: 429, code: 20429, message: 'Too Many Requests', retryAfter: 7 });
      const limited = await transport.send(text());
      assert.deepEqual([limited.kind, limited.kind === 'retry' && limited.code, limited.kind === 'retry' && limited.retryAfterMs], ['retry', 20429, 7000]);
      fake.failNext(1, { status: 503, code: null, message: 'Service Unavailable', retryAfter: 2 });
      const unavailable = await transport.send(text());
      assert.equal(unavailable.kind === 'retry' && unavailable.retryAfterMs, 2000);
      fake.failNext(1, { status: 503, code: null, message: 'Service Unavailable' });
      const plain = await transport.send(text());
      assert.equal(plain.kind === 'retry' && plain.retryAfterMs, undefined, 'the outbox backs off by itself');
    });

    it('fails without retrying when the credentials are wrong', async () => {
      const wrong = createTwilioTransport({ accountSid: FAKE_ACCOUNT_SID, authToken: 'not-the-token' });
      const outcome = await wrong.send(text());
      assert.equal(outcome.kind, 'failed');
      assert.equal(outcome.kind === 'failed' && outcome.code, 20003);
      assert.equal(fake.createRequests.length, 0);
    });

    it('logs the outcome without the body or phone numbers', async () => {
      const lines: string[] = [];
      const logged = createTwilioTransport({
        accountSid: FAKE_ACCOUNT_SID,
        authToken: FAKE_AUTH_TOKEN,
        logger: { warn: (details, message) => lines.push(JSON.stringify(details) + message) },
      });
      fake.failNext(1, { status: 400, code: 63016, message: 'outside window' });
      await logged.send(text());
      assert.equal(lines.length, 1);
      assert.match(lines[0] ?? '', /63016/);
      assert.doesNotMatch(lines[0] ?? '', /Hello Ana|5511987654321|4155238886/);
    });
  });

  describe('findSent', () => {
    it('is null when Twilio has no such message', async () => {
      assert.equal(await transport.findSent(text(), new Date(Date.now() - 60_000)), null);
    });

    it('matches To, From and body, not another message to the same customer', async () => {
      const since = new Date(Date.now() - 1000);
      await transport.send(text({ body: 'first' }));
      await transport.send(text({ body: 'second' }));
      await transport.send(text({ to: '+5511900000000', body: 'third' }));
      const found = await transport.findSent(text({ body: 'second' }), since);
      assert.equal(found?.sid, fake.sent[1]?.sid);
      assert.equal(await transport.findSent(text({ body: 'third' }), since), null);
      assert.equal(await transport.findSent(text({ body: 'fourth' }), since), null);
    });

    it('finds a message Twilio still has queued (no date_sent yet) as well as one it sent', async () => {
      const since = new Date(Date.now() - 1000);
      await transport.send(text({ body: 'still queued' }));
      await transport.send(text({ body: 'on its way' }));
      fake.setStatus(fake.sent[1]!.sid, 'sent');
      assert.equal(fake.sent[0]!.dateSent, null, "Twilio's date_sent is empty until it sends");
      assert.equal((await transport.findSent(text({ body: 'still queued' }), since))?.sid, fake.sent[0]!.sid);
      assert.deepEqual(await transport.findSent(text({ body: 'on its way' }), since), { sid: fake.sent[1]!.sid, status: 'sent', errorCode: null, errorMessage: null });
    });

    it('picks the earliest identical message after `since`: the one the interrupted attempt made', async () => {
      const since = new Date(Date.now() - 1000);
      await transport.send(text({ body: 'ok' }));
      await transport.send(text({ body: 'ok' }));
      assert.equal((await transport.findSent(text({ body: 'ok' }), since))?.sid, fake.sent[0]?.sid);
    });

    it('ignores messages sent before `since`, past a few seconds for the two clocks', async () => {
      await transport.send(text());
      assert.equal(await transport.findSent(text(), new Date(Date.now() + 10_000)), null);
      // Our clock a second or two ahead of Twilio's: the message it took is still ours.
      assert.equal((await transport.findSent(text(), new Date(Date.now() + 2_000)))?.sid, fake.sent[0]!.sid);
    });

    it('reports the current status of the message', async () => {
      const since = new Date(Date.now() - 1000);
      await transport.send(text());
      fake.setStatus(fake.sent[0]?.sid ?? '', 'read');
      assert.equal((await transport.findSent(text(), since))?.status, 'read');
    });

    it("reports why a message it finds failed: the Message resource's error_code and error_message", async () => {
      const since = new Date(Date.now() - 1000);
      const sent = await transport.send(text());
      assert.deepEqual(sent.kind === 'sent' && [sent.errorCode, sent.errorMessage], [null, null], 'none while it is on its way');
      fake.setStatus(fake.sent[0]?.sid ?? '', 'undelivered', 63016, 'Failed to send freeform message because you are outside the allowed window.');
      const found = await transport.findSent(text(), since);
      assert.deepEqual(found, {
        sid: fake.sent[0]?.sid,
        status: 'undelivered',
        errorCode: 63016,
        errorMessage: 'Failed to send freeform message because you are outside the allowed window.',
      });
    });

    it('matches a template by its rendered text', async () => {
      const since = new Date(Date.now() - 1000);
      const template = { contentSid: 'HX' + '2'.repeat(32), variables: { '1': 'amanhã', '2': '09:30' } };
      await transport.send(text({ body: undefined, template }));
      const found = await transport.findSent(text({ body: undefined, template }), since);
      assert.equal(found?.sid, fake.sent[0]?.sid);
      const other = { ...template, variables: { '1': 'hoje', '2': '09:30' } };
      assert.equal(await transport.findSent(text({ body: undefined, template: other }), since), null);
    });

    it('rejects, rather than answering null, when Twilio cannot be asked', async () => {
      const wrong = createTwilioTransport({ accountSid: FAKE_ACCOUNT_SID, authToken: 'not-the-token' });
      await assert.rejects(wrong.findSent(text(), new Date()));
    });
  });

  describe('listTemplates', () => {
    it('lists every template with its WhatsApp category and approval status, lower case', async () => {
      const templates = await transport.listTemplates();
      assert.deepEqual(templates.slice(0, 2), [
        {
          contentSid: 'HX' + '1'.repeat(32),
          name: 'order_update',
          language: 'en',
          body: 'Hi {{1}}, your order {{2}} has shipped.',
          variables: [
            { key: '1', label: 'Ana', source: null },
            { key: '2', label: '12345', source: null },
          ],
          category: 'utility',
          status: 'approved',
        },
        {
          contentSid: 'HX' + '2'.repeat(32),
          name: 'appointment_reminder',
          language: 'pt_BR',
          body: 'Lembrete: sua consulta é {{1}} às {{2}}.',
          variables: [
            { key: '1', label: 'amanhã', source: null },
            { key: '2', label: '10:00', source: null },
          ],
          category: 'utility',
          status: 'approved',
        },
      ]);
      assert.deepEqual(
        templates.slice(2).map((t) => [t.name, t.category, t.status]),
        [
          ['spring_sale', 'marketing', 'rejected'],
          ['draft_greeting', undefined, 'unsubmitted'],
        ],
      );
    });

    it('follows Twilio paging and orders variables numerically', async () => {
      const base = defaultTemplates()[0];
      assert.ok(base);
      fake.templates = Array.from({ length: 130 }, (_, i) => ({
        ...base,
        sid: 'HX' + i.toString(16).padStart(32, '0'),
        friendly_name: `t${i}`,
        variables: { '10': 'ten', '2': 'two', '1': 'one' },
      }));
      const templates = await transport.listTemplates();
      assert.equal(templates.length, 130);
      assert.deepEqual(templates[129]?.variables.map((v) => v.key), ['1', '2', '10']);
    });

    it('accepts the nested { whatsapp: { status } } approval shape', async () => {
      const base = defaultTemplates()[3];
      assert.ok(base);
      fake.templates = [{ ...base, approval_requests: { whatsapp: { status: 'approved' } } as never }];
      assert.equal((await transport.listTemplates()).length, 1);
    });
  });
});

describe('Twilio transport with apiBaseUrl', () => {
  const origin = 'http://twilio.fake.test:8080';
  const { server, twilio: fake } = setupFakeTwilio({ origins: [origin] });
  // Only the fake origin answers; anything reaching api/content.twilio.com fails the test.
  before(() => server.listen({ onUnhandledRequest: 'error' }));
  after(() => server.close());
  afterEach(() => fake.reset());

  it('sends Messages and Content API calls to the configured origin', async () => {
    const transport = createTwilioTransport({ accountSid: FAKE_ACCOUNT_SID, authToken: FAKE_AUTH_TOKEN, apiBaseUrl: `${origin}/` });
    const since = new Date(Date.now() - 1000);
    assert.equal((await transport.send(text())).kind, 'sent');
    assert.equal((await transport.listTemplates()).length, 4);
    assert.equal((await transport.findSent(text(), since))?.sid, fake.sent[0]?.sid);
  });
});

describe('rebaseTwilioUrl', () => {
  const bases = { api: 'http://127.0.0.1:4010/', content: 'http://127.0.0.1:4020' };
  it('rebases api and content hosts, keeping path and query', () => {
    assert.equal(
      rebaseTwilioUrl('https://api.twilio.com/2010-04-01/Accounts/AC1/Messages.json?To=whatsapp%3A%2B1&PageSize=50', bases),
      'http://127.0.0.1:4010/2010-04-01/Accounts/AC1/Messages.json?To=whatsapp%3A%2B1&PageSize=50',
    );
    assert.equal(
      rebaseTwilioUrl('https://content.twilio.com/v1/ContentAndApprovals?PageSize=100&Page=1&PageToken=PT1', bases),
      'http://127.0.0.1:4020/v1/ContentAndApprovals?PageSize=100&Page=1&PageToken=PT1',
    );
  });
  it('sends every Twilio host to the api base when content has none, regional hosts included', () => {
    assert.equal(rebaseTwilioUrl('https://content.twilio.com/v1/Content/HX1', { api: 'http://fake' }), 'http://fake/v1/Content/HX1');
    assert.equal(rebaseTwilioUrl('https://api.dublin.ie1.twilio.com/2010-04-01/x', { api: 'http://fake' }), 'http://fake/2010-04-01/x');
  });
  it('leaves other hosts and an unconfigured client alone', () => {
    assert.equal(rebaseTwilioUrl('https://eviltwilio.com/x', bases), 'https://eviltwilio.com/x');
    assert.equal(rebaseTwilioUrl('https://api.twilio.com/x', {}), 'https://api.twilio.com/x');
  });
});
