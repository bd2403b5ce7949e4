/**
 * Twilio failures the faked API can produce, beyond test/app/window-and-sending.test.ts
 * (63016, 20429, 21211, one timeout): each is retried or surfaced with a clear message,
 * and nothing is marked sent that Twilio did not take. Plus the window: it is computed
 * from stored inbound times on the relay's clock; nothing a client or a webhook claims
 * about time reopens it.
 */
import assert from 'node:assert/strict';
import { after, beforeEach, describe, it } from 'node:test';
import { WINDOW_EXPIRED_MESSAGE } from '@wcp/protocol';
import { WINDOW_MS } from '../../src/window/policy.ts';
import { closeFakeTwilio, startRelay, type TestRelay } from '../helpers/harness.ts';
import { conversationRow } from '../helpers/row-counts.ts';

describe('Twilio failures', () => {
  let relay: TestRelay;
  let agent: string;
  let id: string;
  beforeEach(async () => {
    await relay?.close();
    relay = await startRelay();
    agent = await relay.availableAgent('alice');
    id = await relay.activeConversation(agent, '+14155550100');
  });
  after(async () => {
    await relay?.close();
    closeFakeTwilio();
  });

  const send = async (body: string) => (await relay.api(agent, 'POST', `/api/v1/conversations/${id}/messages`, { body })).json().id as string;
  const stored = (messageId: string) => relay.store.getMessage(messageId);
  /** Runs the outbox until nothing is due, moving the clock past every backoff. */
  const settle = async (rounds = 12) => {
    for (let i = 0; i < rounds; i += 1) {
      await relay.app.relay.outbox.drain();
      relay.clock.advance(6 * 60_000);
    }
  };

  for (const [name, failure, retried] of [
    ['HTTP 500', { status: 500, code: 20500, message: 'Internal Server Error' }, true],
    ['HTTP 503 from a load balancer (no Twilio error body)', { status: 503, code: null, message: 'Service Unavailable' }, true],
    ['HTTP 429 from a proxy (no Twilio error body)', { status: 429, code: null, message: 'Too Many Requests' }, true],
    ['63018 channel rate limit', { status: 429, code: 63018, message: 'Rate limit exceeded for Channel' }, true],
    ['63019 media download failed', { status: 400, code: 63019, message: 'Media failed to download' }, false],
    ['21211 invalid To', { status: 400, code: 21211, message: "Invalid 'To' Phone Number" }, false],
    ['63016 outside the window', { status: 400, code: 63016, message: 'outside the allowed window' }, false],
  ] as const) {
    it(`${name}: ${retried ? 'retried, then sent once' : 'failed with a clear message, never marked sent'}`, async () => {
      relay.twilio.failNext(2, failure);
      const messageId = await send(`about ${name}`);
      await relay.app.relay.outbox.drain();
      const first = await stored(messageId);
      assert.equal(first?.twilioSid, null, 'no sid before Twilio took it');
      assert.notEqual(first?.status, 'sent');
      await settle();
      const m = await stored(messageId);
      if (retried) {
        assert.equal(relay.twilio.sent.length, 1);
        assert.equal(m?.twilioSid, relay.twilio.sent[0]!.sid);
        assert.equal(relay.twilio.createRequests.length, 3);
      } else {
        assert.equal(relay.twilio.sent.length, 0);
        assert.equal(relay.twilio.createRequests.length, 1, 'a permanent error is not retried');
        assert.equal(m?.status, 'failed');
        assert.equal(m?.twilioSid, null);
        assert.equal(m?.errorCode, failure.code);
        assert.ok((m?.errorMessage ?? '').length > 20, m?.errorMessage ?? '');
        if (failure.code === 63016) assert.equal(m?.errorMessage, WINDOW_EXPIRED_MESSAGE);
      }
    });
  }

  /** Runs the outbox every `step` of the relay's clock for `ms` (Twilio's outage, say). */
  const runFor = async (ms: number, step: number) => {
    for (const end = relay.clock.now() + ms; relay.clock.now() < end; relay.clock.advance(step)) await relay.app.relay.outbox.drain();
  };
  const outages = [
    ['HTTP 503', { status: 503, code: 20503, message: 'Service Unavailable' }],
    ['HTTP 500', { status: 500, code: 20500, message: 'Internal Server Error' }],
    ['HTTP 429', { status: 429, code: 20429, message: 'Too Many Requests' }],
    ['no connection', 'network'],
  ] as const;

  for (const [name, failure] of outages) {
    it(`a reply waits out a 3-minute Twilio outage (${name}) and goes out once Twilio is back, once`, async () => {
      relay.twilio.failNext(10_000, failure);
      const messageId = await send(`written during the outage (${name})`);
      await runFor(3 * 60_000, 5_000);
      assert.equal((await stored(messageId))?.status, 'queued', 'the agent still sees it waiting to go, not failed');
      relay.twilio.recover();
      await settle();
      const m = await stored(messageId);
      assert.equal(relay.twilio.sent.length, 1, 'the customer gets it once');
      assert.equal(m?.twilioSid, relay.twilio.sent[0]!.sid);
    });
  }

  it("a reply Twilio could not take before the customer's 24-hour window closed fails then, saying why", async () => {
    relay.clock.advance(WINDOW_MS - 20 * 60_000);
    relay.twilio.failNext(10_000, { status: 503, code: 20503, message: 'Service Unavailable' });
    const messageId = await send('too late');
    await runFor(10 * 60_000, 60_000);
    assert.equal((await stored(messageId))?.status, 'queued', 'still tried while the window is open');
    await runFor(20 * 60_000, 60_000);
    const shown = (await relay.api(agent, 'GET', `/api/v1/conversations/${id}/messages`)).json().items.find((x: { id: string }) => x.id === messageId);
    assert.equal(shown.status, 'failed');
    assert.match(shown.errorMessage, /24-hour window closed/);
    assert.match(shown.errorMessage, /template/, 'says what the agent can do');
    const attempts = relay.twilio.createRequests.length;
    relay.twilio.recover();
    await settle();
    assert.equal(relay.twilio.createRequests.length, attempts, 'not tried again after it failed');
    assert.equal(relay.twilio.sent.length, 0);
  });

  it('a customer message keeps a waiting reply going: the window it waits on is the one open now', async () => {
    relay.clock.advance(WINDOW_MS - 20 * 60_000);
    relay.twilio.failNext(10_000, { status: 503, code: 20503, message: 'Service Unavailable' });
    const messageId = await send('still wanted');
    await runFor(10 * 60_000, 60_000);
    assert.equal((await relay.inbound({ From: 'whatsapp:+14155550100', Body: 'hello?' })).statusCode, 200);
    await runFor(60 * 60_000, 60_000);
    assert.equal((await stored(messageId))?.status, 'queued');
    relay.twilio.recover();
    await settle();
    assert.equal(relay.twilio.sent.length, 1);
  });

  it("a template waits out an outage past the customer's window, and fails after Twilio's own 10 hours", async () => {
    const template = { contentSid: 'HX' + '1'.repeat(32), variables: { '1': 'Maria', '2': 'A-1001' } };
    const sendTemplate = async () => (await relay.api(agent, 'POST', `/api/v1/conversations/${id}/messages`, { template })).json().id as string;
    relay.clock.advance(WINDOW_MS - 60 * 60_000);
    relay.twilio.failNext(10_000, { status: 503, code: 20503, message: 'Service Unavailable' });
    const delivered = await sendTemplate();
    await runFor(3 * 60 * 60_000, 5 * 60_000);
    assert.equal((await stored(delivered))?.status, 'queued', 'the window closed meanwhile; a template may still go');
    relay.twilio.recover();
    await settle();
    assert.equal(relay.twilio.sent.length, 1);
    assert.equal((await stored(delivered))?.twilioSid, relay.twilio.sent[0]!.sid);

    relay.twilio.failNext(10_000, { status: 503, code: 20503, message: 'Service Unavailable' });
    const lost = await sendTemplate();
    await runFor(11 * 60 * 60_000, 5 * 60_000);
    const m = await stored(lost);
    assert.equal(m?.status, 'failed');
    assert.match(m?.errorMessage ?? '', /10 hours/);
    assert.equal(relay.twilio.sent.length, 1);

    // The agent retries it: it has its own 10 hours again, so one more 503 does not fail it.
    relay.twilio.recover();
    relay.twilio.failNext(1, { status: 503, code: 20503, message: 'Service Unavailable' });
    assert.equal((await relay.api(agent, 'POST', `/api/v1/conversations/${id}/messages/${lost}/retry`)).statusCode, 202);
    await settle();
    assert.equal(relay.twilio.sent.length, 2);
    assert.equal((await stored(lost))?.twilioSid, relay.twilio.sent[1]!.sid);
  });

  it('a permanent refusal (a 4xx other than 429) still fails at once', async () => {
    relay.twilio.failNext(1, { status: 400, code: 63005, message: 'Channel did not accept given content' });
    const messageId = await send('refused');
    await relay.app.relay.outbox.drain();
    assert.equal((await stored(messageId))?.status, 'failed');
    assert.equal(relay.twilio.createRequests.length, 1);
  });

  it('an attempt with no answer just before the window closed is not marked failed when Twilio took it, nor sent again', async () => {
    relay.clock.advance(WINDOW_MS - 10 * 60_000);
    relay.twilio.failNext(10_000, { status: 503, code: 20503, message: 'Service Unavailable' });
    const messageId = await send('slow at the end');
    await runFor(8 * 60_000, 30_000);
    relay.twilio.recover();
    relay.twilio.delayNext(2500); // the next attempt: Twilio takes it, but answers after the harness transport's 2 s timeout
    await runFor(90_000, 30_000);
    assert.equal(relay.twilio.sent.length, 1, 'tried before the window closed');
    await settle();
    const m = await stored(messageId);
    assert.equal(relay.twilio.sent.length, 1, 'the customer got it once');
    assert.notEqual(m?.status, 'failed', 'the agent is not told it failed (a retry would send it twice)');
    assert.equal(m?.twilioSid, relay.twilio.sent[0]!.sid);
  });

  it('fails once the window closed when Twilio, asked after an attempt with no answer, does not have it', async () => {
    relay.clock.advance(WINDOW_MS - 10 * 60_000);
    relay.twilio.failNext(10_000, 'network');
    const messageId = await send('never arrives');
    await runFor(30 * 60_000, 60_000);
    const m = await stored(messageId);
    assert.equal(m?.status, 'failed');
    assert.match(m?.errorMessage ?? '', /24-hour window closed/);
    assert.equal(relay.twilio.sent.length, 0);
  });

  it('a dropped connection is checked with Twilio before resending; an unanswerable check sends nothing', async () => {
    relay.twilio.failNext(1, 'network');
    const messageId = await send('dropped');
    await relay.app.relay.outbox.drain();
    assert.equal((await stored(messageId))?.status, 'queued');
    await settle(3);
    assert.equal(relay.twilio.sent.length, 1, 'sent once after Twilio said it had none');
    assert.equal((await stored(messageId))?.twilioSid, relay.twilio.sent[0]!.sid);
  });

  it('timeouts on every attempt never double a message', async () => {
    relay.twilio.delayNext(2500, 3); // the harness transport times out after 2 s; Twilio still takes it
    const messageId = await send('slow twilio');
    await relay.app.relay.outbox.drain();
    await settle(4);
    assert.equal(relay.twilio.sent.length, 1);
    assert.equal((await stored(messageId))?.twilioSid, relay.twilio.sent[0]!.sid);
  });

  it("a reply retried after Twilio's 429 still reaches the customer before the replies written after it", async () => {
    relay.twilio.failNext(1, { status: 429, code: 20429, message: 'Too Many Requests' });
    await send('first');
    await send('second');
    await send('third');
    await settle(4);
    assert.deepEqual(
      relay.twilio.sent.map((m) => m.body),
      ['first', 'second', 'third'],
      'the customer reads the replies in the order the agent wrote them',
    );
  });

  it('the failure reaches the agent as a status event with the message', async () => {
    relay.twilio.failNext(1, { status: 400, code: 21211, message: 'bad' });
    const messageId = await send('x');
    await relay.app.relay.outbox.drain();
    const events = await relay.store.readEvents({ agentId: 'alice', supervisor: false }, 0, 500);
    const status = events.filter((e) => e.type === 'status').at(-1)?.data as { messageId: string; status: string; errorMessage: string };
    assert.equal(status.messageId, messageId);
    assert.equal(status.status, 'failed');
    assert.match(status.errorMessage, /Invalid 'To' Phone Number/);
  });
});

describe('clock and window: only stored inbound times on the relay clock count', () => {
  let relay: TestRelay;
  let agent: string;
  let id: string;
  beforeEach(async () => {
    await relay?.close();
    relay = await startRelay();
    agent = await relay.availableAgent('alice');
    id = await relay.activeConversation(agent, '+14155550100');
    relay.clock.advance(WINDOW_MS + 60_000); // the window has closed
  });
  after(async () => {
    await relay?.close();
    closeFakeTwilio();
  });

  it('a forged Date header or timestamp fields in the send do not reopen it', async () => {
    const now = new Date(relay.clock.now() - WINDOW_MS / 2);
    for (const [headers, payload] of [
      [{ date: now.toUTCString() }, { body: 'with a Date header' }],
      [{ 'x-client-time': now.toISOString(), 'if-modified-since': now.toUTCString() }, { body: 'client clock' }],
      [{}, { body: 'forged fields', createdAt: now.toISOString(), lastInboundAt: now.toISOString(), windowExpiresAt: new Date(relay.clock.now() + 3600_000).toISOString() }],
    ] as const) {
      const r = await relay.app.inject({ method: 'POST', url: `/api/v1/conversations/${id}/messages`, headers: { authorization: `Bearer ${agent}`, ...headers }, payload });
      assert.ok([400, 422].includes(r.statusCode), `${r.statusCode} ${r.body}`);
      if (r.statusCode === 422) assert.equal(r.json().message, WINDOW_EXPIRED_MESSAGE);
    }
    const c = (await relay.api(agent, 'GET', `/api/v1/conversations/${id}`)).json();
    assert.ok(Date.parse(c.windowExpiresAt) < relay.clock.now());
    await relay.app.relay.outbox.drain();
    assert.equal(relay.twilio.createRequests.length, 0);
  });

  it("an inbound webhook's own time fields (DateSent, Timestamp) are ignored: the relay clock stamps it", async () => {
    const before = conversationRow(relay.store, id)!;
    const future = new Date(relay.clock.now() + 10 * 24 * 3600_000).toUTCString();
    const r = await relay.inbound({ From: 'whatsapp:+14155550100', Body: 'hello again', DateSent: future, DateCreated: future, Timestamp: '9999999999' });
    assert.equal(r.statusCode, 200);
    const after = conversationRow(relay.store, id)!;
    assert.equal(after.last_inbound_at, relay.clock.now(), 'stamped with the relay clock');
    assert.notEqual(after.last_inbound_at, before.last_inbound_at);
    const c = (await relay.api(agent, 'GET', `/api/v1/conversations/${id}`)).json();
    assert.equal(Date.parse(c.windowExpiresAt), relay.clock.now() + WINDOW_MS);
  });

  it('a replayed old inbound message, a status callback or a retry do not reopen it', async () => {
    relay.twilio.failNext(1, { status: 400, code: 21211, message: 'bad' });
    relay.clock.advance(-(WINDOW_MS + 60_000) + 1000);
    const failedId = (await relay.api(agent, 'POST', `/api/v1/conversations/${id}/messages`, { body: 'fails' })).json().id as string;
    await relay.app.relay.outbox.drain();
    const oldSid = (await relay.store.listMessages(id, null, 10)).items.find((m) => m.direction === 'inbound')!.twilioSid!;
    relay.clock.advance(WINDOW_MS + 60_000);
    const before = conversationRow(relay.store, id);
    assert.equal((await relay.inbound({ From: 'whatsapp:+14155550100', MessageSid: oldSid, Body: 'Hello' })).statusCode, 200);
    assert.equal((await relay.status({ MessageSid: 'SM' + 'a'.repeat(32), MessageStatus: 'read', AccountSid: relay.twilio.accountSid }, `?messageId=${failedId}`)).statusCode, 200);
    assert.deepEqual(conversationRow(relay.store, id), before);
    const retry = await relay.api(agent, 'POST', `/api/v1/conversations/${id}/messages/${failedId}/retry`);
    assert.equal(retry.statusCode, 422);
    assert.equal(retry.json().message, WINDOW_EXPIRED_MESSAGE);
  });
});
