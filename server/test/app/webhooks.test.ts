import assert from 'node:assert/strict';
import { after, beforeEach, describe, it } from 'node:test';
import { closeFakeTwilio, startRelay, type TestRelay } from '../helpers/harness.ts';
import { twilioSid } from '../fakes/twilio-api.ts';

describe('POST /twilio/inbound', () => {
  let relay: TestRelay;
  beforeEach(async () => {
    await relay?.close();
    relay = await startRelay();
  });
  after(async () => {
    await relay.close();
    closeFakeTwilio();
  });

  const supervisor = () => relay.token('sue', 'Sue', { role: 'supervisor' });
  const conversations = async () => (await relay.api(await supervisor(), 'GET', '/api/v1/conversations')).json().items as { id: string; state: string; customer: { phone: string; profileName: string } }[];

  it('stores a signed message, then answers 200 with empty TwiML', async () => {
    const r = await relay.inbound({ From: 'whatsapp:+447700900123', Body: "Where's my order?", ProfileName: 'Oliver' });
    assert.equal(r.statusCode, 200);
    assert.match(r.headers['content-type'] as string, /^text\/xml/);
    assert.equal(r.body, '<?xml version="1.0" encoding="UTF-8"?><Response/>');
    assert.equal(r.headers['content-security-policy'], undefined, 'TwiML for Twilio, not a page: no browser headers spent on it');
    const [c] = await conversations();
    assert.equal(c?.state, 'open');
    assert.deepEqual(c?.customer.phone, '+447700900123');
    assert.equal(c?.customer.profileName, 'Oliver');
  });

  it('scores the customer\'s text once, at ingest, and serves the figures with the message', async () => {
    await relay.inbound({ From: 'whatsapp:+447700900123', Body: 'This is the worst service ever, I am furious.' });
    await relay.inbound({ From: 'whatsapp:+447700900123', Body: '', ButtonText: 'Thank you, wonderful!' });
    const [c] = await conversations();
    const page = (await relay.api(await supervisor(), 'GET', `/api/v1/conversations/${c!.id}/messages`)).json();
    assert.deepEqual(
      page.items.map((m: { sentiment: unknown }) => m.sentiment),
      [
        { score: -6, comparative: -6 / 9, tokens: 9 },
        { score: 6, comparative: 2, tokens: 3 },
      ],
    );
  });

  it('refuses a wrong or missing signature with 403 and stores nothing', async () => {
    const wrong = await relay.inbound({ From: 'whatsapp:+447700900123' }, { signature: 'AAAAAAAAAAAAAAAAAAAAAAAAAAA=' });
    assert.equal(wrong.statusCode, 403);
    const missing = await relay.app.inject({ method: 'POST', url: '/twilio/inbound', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'From=whatsapp%3A%2B447700900123&Body=hi' });
    assert.equal(missing.statusCode, 403);
    assert.deepEqual(await conversations(), []);
  });

  it('stores the same MessageSid once and answers 200 both times', async () => {
    const MessageSid = twilioSid('SM');
    const first = await relay.inbound({ From: 'whatsapp:+447700900123', MessageSid });
    const second = await relay.inbound({ From: 'whatsapp:+447700900123', MessageSid });
    assert.equal(first.statusCode, 200);
    assert.equal(second.statusCode, 200);
    const [c] = await conversations();
    const page = (await relay.api(await supervisor(), 'GET', `/api/v1/conversations/${c!.id}/messages`)).json();
    assert.equal(page.items.length, 1);
  });

  it('stores a message Twilio retried while the first delivery was still being handled once, with one message event', async () => {
    const before = await relay.store.latestEventId();
    const MessageSid = twilioSid('SM');
    const replies = await Promise.all([1, 2, 3].map(() => relay.inbound({ From: 'whatsapp:+447700900123', MessageSid, Body: 'Is anyone there?' })));
    assert.deepEqual(replies.map((r) => r.statusCode), [200, 200, 200]);
    const [c] = await conversations();
    assert.equal((await relay.api(await supervisor(), 'GET', `/api/v1/conversations/${c!.id}/messages`)).json().items.length, 1);
    const events = (await relay.store.readEvents({ agentId: 'sue', supervisor: true }, before, 50)).filter((e) => e.type === 'message');
    assert.equal(events.length, 1);
  });

  it('keeps the profile name when a later message has none, and takes a new one', async () => {
    await relay.inbound({ From: 'whatsapp:+447700900123', Body: 'a', ProfileName: 'Oliver' });
    await relay.inbound({ From: 'whatsapp:+447700900123', Body: 'b', ProfileName: '' });
    assert.equal((await conversations())[0]?.customer.profileName, 'Oliver');
    await relay.inbound({ From: 'whatsapp:+447700900123', Body: 'c', ProfileName: 'Olly' });
    assert.equal((await conversations())[0]?.customer.profileName, 'Olly');
  });

  it('links a quoted message to ours, and keeps a reply quoting one never stored, with an empty quote', async () => {
    const agent = await relay.availableAgent('alice');
    const id = await relay.activeConversation(agent, '+15550003333');
    const sent = await relay.api(agent, 'POST', `/api/v1/conversations/${id}/messages`, { body: 'Your parcel ships today' });
    await relay.app.relay.outbox.drain();
    await relay.inbound({ From: 'whatsapp:+15550003333', Body: 'Great', OriginalRepliedMessageSid: relay.twilio.sent.at(-1)!.sid });
    await relay.inbound({ From: 'whatsapp:+15550003333', Body: 'This one', OriginalRepliedMessageSid: twilioSid('SM') });
    const items = (await relay.api(agent, 'GET', `/api/v1/conversations/${id}/messages`)).json().items as { body: string; replyTo: unknown }[];
    assert.deepEqual(items.slice(-2).map((m) => [m.body, m.replyTo]), [
      ['Great', { id: sent.json().id, body: 'Your parcel ships today' }],
      ['This one', { id: null, body: null }],
    ]);
  });

  it('refuses malformed input with 400 and a clear reason', async () => {
    const notWhatsApp = await relay.inbound({ From: '+447700900123' });
    assert.equal(notWhatsApp.statusCode, 400);
    assert.match(notWhatsApp.json().message, /From/);
    const absurdMedia = await relay.inbound({ From: 'whatsapp:+447700900123', NumMedia: '5000' });
    assert.equal(absurdMedia.statusCode, 400);
    assert.match(absurdMedia.json().message, /NumMedia/);
    assert.deepEqual(await conversations(), []);
  });

  it('a new message for a closed conversation opens a new one; for an open one it joins it', async () => {
    const agent = await relay.availableAgent('alice');
    const id = await relay.activeConversation(agent, '+15550001111');
    await relay.inbound({ From: 'whatsapp:+15550001111', Body: 'and another thing' });
    assert.equal((await conversations()).length, 1);
    await relay.api(agent, 'PUT', `/api/v1/conversations/${id}/state`, { state: 'wrapup' });
    await relay.api(agent, 'PUT', `/api/v1/conversations/${id}/state`, { state: 'closed', disposition: 'resolved' });
    await relay.inbound({ From: 'whatsapp:+15550001111', Body: 'me again' });
    const all = await conversations();
    assert.equal(all.length, 2);
    assert.equal(all.filter((c) => c.state === 'open').length, 1);
  });
});

describe('POST /twilio/status', () => {
  let relay: TestRelay;
  beforeEach(async () => {
    await relay?.close();
    relay = await startRelay();
  });
  after(async () => {
    await relay.close();
    closeFakeTwilio();
  });

  async function sentMessage() {
    const agent = await relay.availableAgent('alice');
    const id = await relay.activeConversation(agent, '+15550002222');
    const queued = await relay.api(agent, 'POST', `/api/v1/conversations/${id}/messages`, { body: 'Your parcel ships today' });
    assert.equal(queued.statusCode, 202);
    await relay.app.relay.outbox.drain();
    const sid = relay.twilio.sent.at(-1)!.sid;
    const read = async () => (await relay.api(agent, 'GET', `/api/v1/conversations/${id}/messages`)).json().items.at(-1) as { status: string; errorCode: number | null };
    return { sid, messageId: queued.json().id as string, read };
  }

  it('moves status forward only, whatever order callbacks arrive in', async () => {
    const { sid, read } = await sentMessage();
    for (const status of ['delivered', 'sent', 'queued', 'read', 'delivered']) {
      const r = await relay.status({ MessageSid: sid, MessageStatus: status, AccountSid: relay.twilio.accountSid });
      assert.equal(r.statusCode, 200);
    }
    assert.equal((await read()).status, 'read');
  });

  it('records failed with Twilio error code; a late sent or delivered does not undo it', async () => {
    const { sid, read } = await sentMessage();
    await relay.status({ MessageSid: sid, MessageStatus: 'undelivered', ErrorCode: '63024', AccountSid: relay.twilio.accountSid });
    await relay.status({ MessageSid: sid, MessageStatus: 'delivered', AccountSid: relay.twilio.accountSid });
    const m = await read();
    assert.equal(m.status, 'undelivered');
    assert.equal(m.errorCode, 63024);
  });

  it('tells the agent once when Twilio repeats a status callback', async () => {
    const { sid } = await sentMessage();
    const before = await relay.store.latestEventId();
    const callbacks: Record<string, string>[] = [{ MessageStatus: 'delivered' }, { MessageStatus: 'delivered' }, { MessageStatus: 'undelivered', ErrorCode: '63024' }, { MessageStatus: 'undelivered', ErrorCode: '63024' }];
    for (const callback of callbacks) {
      assert.equal((await relay.status({ MessageSid: sid, AccountSid: relay.twilio.accountSid, ...callback })).statusCode, 200);
    }
    const told = (await relay.store.readEvents({ agentId: 'alice', supervisor: false }, before, 50)).filter((e) => e.type === 'status');
    assert.deepEqual(told.map((e) => (e.data as { status: string }).status), ['delivered', 'undelivered']);
  });

  it('keeps a callback for an unknown MessageSid and applies it when the send is recorded', async () => {
    const sid = twilioSid('SM');
    const early = await relay.status({ MessageSid: sid, MessageStatus: 'delivered', AccountSid: relay.twilio.accountSid });
    assert.equal(early.statusCode, 200);
    const parked = await relay.store.applyStatus({ messageSid: sid, messageId: null, status: 'delivered', errorCode: null, errorMessage: null, now: relay.clock.now() });
    assert.equal(parked.parked, true);
  });

  it("leaves a customer's message as received when a status callback names its sid", async () => {
    const agent = await relay.availableAgent('alice');
    const sid = twilioSid('SM');
    await relay.inbound({ From: 'whatsapp:+15550003333', Body: 'Where is my order?', MessageSid: sid });
    const id = await relay.activeConversation(agent, '+15550003333');
    // A callback meant for a send (a Messaging Service's, say) that names the customer's message:
    // it must not mark what the customer wrote as "Not delivered" in the agent's transcript.
    assert.equal((await relay.status({ MessageSid: sid, MessageStatus: 'undelivered', ErrorCode: '63024', AccountSid: relay.twilio.accountSid })).statusCode, 200);
    const items = (await relay.api(agent, 'GET', `/api/v1/conversations/${id}/messages`)).json().items as { body: string; status: string; error?: unknown }[];
    const theirs = items.find((m) => m.body === 'Where is my order?')!;
    assert.equal(theirs.status, 'received');
    assert.equal(theirs.error, undefined);
  });

  it('refuses a bad signature and malformed status', async () => {
    const bad = await relay.app.inject({ method: 'POST', url: '/twilio/status', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': 'x' }, payload: 'MessageSid=SM1&MessageStatus=sent' });
    assert.equal(bad.statusCode, 403);
    const malformed = await relay.status({ MessageSid: 'nope', MessageStatus: 'exploded' });
    assert.equal(malformed.statusCode, 400);
  });
});
