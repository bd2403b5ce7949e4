/**
 * Twilio failures the faked API can produce, beyond test/app/window-and-sending.test.ts
 * (63016, 20429, 21211, one timeout): each is retried or surfaced with a clear message,
 * and nothing is marked sent that Twilio did not take. Plus the window: it is computed
 * from stored inbound times on the relay's clock; nothing a client or a webhook claims
 * about time reopens it.
 */
import assert from 'node:assert/strict';
import { after, beforeEach, describe, it } from 'node:test';
import { MAX_ATTEMPTS } from '../../src/outbox/worker.ts';
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
    ['HTTP 503', { status: 503, code: 0, message: 'Service Unavailable' }, true],
    ['HTTP 429 without a Twilio code', { status: 429, code: 0, message: 'Too Many Requests' }, true],
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

  it(`gives up after ${MAX_ATTEMPTS} attempts with a message saying so`, async () => {
    relay.twilio.failNext(MAX_ATTEMPTS + 2, { status: 503, code: 0, message: 'down' });
    const messageId = await send('never gets through');
    await settle(MAX_ATTEMPTS + 4);
    const m = await stored(messageId);
    assert.equal(m?.status, 'failed');
    assert.match(m?.errorMessage ?? '', /gave up after \d+ attempts/);
    assert.equal(relay.twilio.createRequests.length, MAX_ATTEMPTS);
    assert.equal(relay.twilio.sent.length, 0);
  });

  it('a last attempt that timed out is not marked failed when Twilio took it, nor sent again', async () => {
    relay.twilio.failNext(MAX_ATTEMPTS - 1, { status: 503, code: 0, message: 'down' });
    relay.twilio.delayNext(2500); // the last attempt: Twilio takes it, but answers after the harness transport's 2 s timeout
    const messageId = await send('slow at the end');
    await settle(MAX_ATTEMPTS + 2);
    const m = await stored(messageId);
    assert.equal(relay.twilio.sent.length, 1, 'the customer got it once');
    assert.equal(relay.twilio.createRequests.length, MAX_ATTEMPTS, 'not sent again');
    assert.notEqual(m?.status, 'failed', 'the agent is not told it failed (a retry would send it twice)');
    assert.equal(m?.twilioSid, relay.twilio.sent[0]!.sid);
  });

  it(`gives up after ${MAX_ATTEMPTS} attempts when Twilio, asked after a last attempt with no answer, does not have it`, async () => {
    relay.twilio.failNext(MAX_ATTEMPTS - 1, { status: 503, code: 0, message: 'down' });
    relay.twilio.failNext(1, 'network'); // the last attempt: the connection drops, Twilio did not take it
    const messageId = await send('never arrives');
    await settle(MAX_ATTEMPTS + 2);
    const m = await stored(messageId);
    assert.equal(m?.status, 'failed');
    assert.match(m?.errorMessage ?? '', /gave up after \d+ attempts/);
    assert.equal(relay.twilio.createRequests.length, MAX_ATTEMPTS, 'no attempt beyond the last');
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
