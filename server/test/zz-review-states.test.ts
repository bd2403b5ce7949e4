/** Review probes: conversation states, auto-close, wrap-up, retry after close, supervisor view. */
import assert from 'node:assert/strict';
import { after, beforeEach, describe, it } from 'node:test';
import { scoreMessage } from '../src/sentiment/score.ts';
import { BUSINESS, closeFakeTwilio, startRelay, type TestRelay } from './helpers/harness.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const TEMPLATE = { contentSid: 'HX' + '1'.repeat(32), variables: { '1': 'Maria', '2': 'A-1001' } };

describe('review: states', () => {
  let relay: TestRelay;
  let alice: string;
  let sue: string;
  beforeEach(async () => {
    await relay?.close();
    relay = await startRelay({ env: { AUTO_CLOSE_AFTER: '24h' } });
    alice = await relay.availableAgent('alice', 'Alice');
    sue = await relay.token('sue', 'Sue', { role: 'supervisor' });
  });
  after(async () => {
    await relay.close();
    closeFakeTwilio();
  });

  const state = (token: string, id: string, body: object) => relay.api(token, 'PUT', `/api/v1/conversations/${id}/state`, body);
  const send = (id: string, payload: object) => relay.api(alice, 'POST', `/api/v1/conversations/${id}/messages`, payload);

  it('R1 a failed reply cannot be retried to the customer once the conversation is closed', async () => {
    const id = await relay.activeConversation(alice, '+15550009001', 'hi');
    relay.twilio.failNext(1, { status: 400, code: 21211, message: "The 'To' number is not a valid phone number." });
    const r = await send(id, { body: 'Sorry for the wait' });
    await relay.app.relay.outbox.drain();
    assert.equal((await relay.store.getMessage(r.json().id))?.status, 'failed');
    assert.equal((await state(alice, id, { state: 'wrapup' })).statusCode, 200);
    assert.equal((await state(alice, id, { state: 'closed', disposition: 'resolved' })).statusCode, 200);
    // A new send is refused in a closed conversation ...
    assert.equal((await send(id, { body: 'one more thing' })).statusCode, 409);
    // ... but the retry button still reaches the customer.
    const retry = await relay.api(alice, 'POST', `/api/v1/conversations/${id}/messages/${r.json().id}/retry`);
    await relay.app.relay.outbox.drain();
    assert.deepEqual([retry.statusCode, relay.twilio.sent.length], [409, 0], `retry answered ${retry.statusCode}, Twilio got ${relay.twilio.sent.length} message(s) after close`);
  });

  it('R2 auto-close does not close a conversation the agent has just written in and set to Waiting (template outside the window)', async () => {
    const id = await relay.activeConversation(alice, '+15550009002', 'is my parcel coming?');
    relay.clock.advance(30 * HOUR);
    // Outside the window: the agent re-engages with an approved template and waits for the answer.
    assert.equal((await send(id, { template: TEMPLATE })).statusCode, 202);
    assert.equal((await state(alice, id, { state: 'waiting' })).statusCode, 200);
    relay.clock.advance(MINUTE); // the closer's next tick
    const closed = await relay.app.relay.autoCloser.pass();
    assert.deepEqual(closed, [], 'closed one minute after the agent wrote and chose Waiting');
  });

  it('R3 auto-close does not close a conversation one minute after the agent asked "are you still there?"', async () => {
    const id = await relay.activeConversation(alice, '+15550009003', 'hello');
    relay.clock.advance(24 * HOUR - 2 * MINUTE);
    assert.equal((await send(id, { body: 'Are you still there?' })).statusCode, 202);
    assert.equal((await state(alice, id, { state: 'waiting' })).statusCode, 200);
    relay.clock.advance(2 * MINUTE);
    assert.deepEqual(await relay.app.relay.autoCloser.pass(), [], 'closed two minutes after the agent wrote');
  });

  it('R4 wrap-up never ends: a week later it is still wrap-up, still counts as load, and the customer message after it is not routed', async () => {
    const id = await relay.activeConversation(alice, '+15550009004', 'hello');
    assert.equal((await state(alice, id, { state: 'wrapup' })).statusCode, 200);
    await relay.api(alice, 'PUT', '/api/v1/me/presence', { presence: 'offline' });
    relay.clock.advance(7 * 24 * HOUR);
    await relay.app.relay.autoCloser.pass();
    const bob = await relay.availableAgent('bob', 'Bob');
    await relay.inbound({ From: 'whatsapp:+15550009004', Body: 'hello? anyone?' });
    await relay.app.relay.router.kick();
    const c = (await relay.api(sue, 'GET', `/api/v1/conversations/${id}`)).json();
    const overview = (await relay.api(sue, 'GET', '/api/v1/supervisor/overview')).json();
    const aliceLoad = overview.agents.find((a: { id: string }) => a.id === 'alice')?.load;
    const bobOffers = (await relay.api(bob, 'GET', '/api/v1/conversations?state=open')).json().items.length;
    assert.deepEqual(
      { state: c.state, aliceLoad, bobOffers },
      { state: 'closed', aliceLoad: 0, bobOffers: 1 },
      'the new message sits in a wrap-up owned by an offline agent, routed to nobody',
    );
  });

  it('R5 the supervisor overview lists every live conversation (the oldest waiting one included)', async () => {
    const t0 = relay.clock.now();
    const base = { to: BUSINESS, body: 'hi', profileName: null, waId: null, media: [], originalRepliedMessageSid: null, sentiment: scoreMessage('hi') };
    await relay.store.recordInbound({ ...base, messageSid: 'SM' + 'a'.repeat(32), from: '+15551000000', receivedAt: t0 });
    for (let i = 1; i <= 1000; i++) {
      await relay.store.recordInbound({ ...base, messageSid: 'SM' + String(i).padStart(32, '0'), from: `+1555200${String(i).padStart(4, '0')}`, receivedAt: t0 + i });
    }
    const res = await relay.api(sue, 'GET', '/api/v1/supervisor/overview');
    assert.equal(res.statusCode, 200, res.body.slice(0, 300));
    const overview = res.json();
    const queued = overview.queues.reduce((n: number, q: { waiting: number }) => n + q.waiting, 0);
    const phones = new Set(overview.conversations.map((c: { customer: { phone: string } }) => c.customer.phone));
    assert.deepEqual(
      { listed: overview.conversations.length, queued, oldestListed: phones.has('+15551000000') },
      { listed: 1001, queued: 1001, oldestListed: true },
    );
  });
});
