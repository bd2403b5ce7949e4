import assert from 'node:assert/strict';
import { after, beforeEach, describe, it } from 'node:test';
import { WINDOW_EXPIRED_MESSAGE } from '@wcp/protocol';
import { WINDOW_MS } from '../../src/window/policy.ts';
import { PUBLIC_URL, closeFakeTwilio, startRelay, type TestRelay } from '../helpers/harness.ts';

// The fake Content API's approved `order_update`: "Hi {{1}}, your order {{2}} has shipped."
const TEMPLATE = { contentSid: 'HX' + '1'.repeat(32), variables: { '1': 'Maria', '2': 'A-1001' } };

describe('sending and the 24-hour window', () => {
  let relay: TestRelay;
  let agent: string;
  let conversationId: string;
  beforeEach(async () => {
    await relay?.close();
    relay = await startRelay();
    agent = await relay.availableAgent('alice', 'Alice');
    conversationId = await relay.activeConversation(agent, '+14155550100', 'My order is late');
  });
  after(async () => {
    await relay.close();
    closeFakeTwilio();
  });

  const send = (payload: object) => relay.api(agent, 'POST', `/api/v1/conversations/${conversationId}/messages`, payload);
  const conversation = async () => (await relay.api(agent, 'GET', `/api/v1/conversations/${conversationId}`)).json();

  it('exposes windowExpiresAt 24 h after the inbound message', async () => {
    const c = await conversation();
    assert.equal(Date.parse(c.windowExpiresAt) - Date.parse(c.lastInboundAt), WINDOW_MS);
  });

  it('sends a reply inside the window to Twilio with a status callback', async () => {
    const r = await send({ body: 'Sorry about that — checking now.' });
    assert.equal(r.statusCode, 202);
    assert.equal(r.json().status, 'queued');
    await relay.app.relay.outbox.drain();
    const [sent] = relay.twilio.sent;
    assert.equal(sent?.to, 'whatsapp:+14155550100');
    assert.equal(sent?.from, 'whatsapp:+14155238886');
    assert.equal(sent?.body, 'Sorry about that — checking now.');
    assert.equal(sent?.statusCallback, `${PUBLIC_URL}/twilio/status?messageId=${r.json().id}`);
    const last = (await relay.api(agent, 'GET', `/api/v1/conversations/${conversationId}/messages`)).json().items.at(-1);
    assert.equal(last.status, 'queued');
  });

  it('still sends at 23:59:59.999 after the last inbound message', async () => {
    relay.clock.advance(WINDOW_MS - 1);
    assert.equal((await send({ body: 'Just in time' })).statusCode, 202);
  });

  it('refuses free-form text at 24:00:00 with the exact error and sends nothing to Twilio', async () => {
    relay.clock.advance(WINDOW_MS);
    const r = await send({ body: 'Too late' });
    assert.equal(r.statusCode, 422);
    assert.deepEqual(r.json(), { error: 'window_expired', message: WINDOW_EXPIRED_MESSAGE });
    assert.equal(WINDOW_EXPIRED_MESSAGE, 'This conversation has exceeded the 24 hour limit to respond to the customer.');
    await relay.app.relay.outbox.drain();
    assert.equal(relay.twilio.createRequests.length, 0);
    const messages = (await relay.api(agent, 'GET', `/api/v1/conversations/${conversationId}/messages`)).json().items;
    assert.equal(messages.length, 1, 'nothing was queued');
  });

  it('agent messages never extend the window', async () => {
    relay.clock.advance(WINDOW_MS - 60_000);
    await send({ body: 'one' });
    relay.clock.advance(60_000);
    assert.equal((await send({ body: 'two' })).statusCode, 422);
  });

  it('allows an approved template outside the window, rendered in the transcript', async () => {
    relay.clock.advance(WINDOW_MS + 3600_000);
    const r = await send({ template: TEMPLATE });
    assert.equal(r.statusCode, 202);
    assert.equal(r.json().body, 'Hi Maria, your order A-1001 has shipped.');
    await relay.app.relay.outbox.drain();
    assert.equal(relay.twilio.createRequests.length, 1);
    const form = relay.twilio.createRequests[0]!.form;
    assert.deepEqual(form.ContentSid, [TEMPLATE.contentSid]);
    assert.deepEqual(JSON.parse(form.ContentVariables![0]!), TEMPLATE.variables);
  });

  it('lists every template from the Content API with its category and status', async () => {
    const list = (await relay.api(agent, 'GET', '/api/v1/templates')).json() as { items: { name: string; category?: string; status: string }[]; stale: boolean };
    assert.equal(list.stale, false);
    assert.deepEqual(
      list.items.map((t) => [t.name, t.category, t.status]),
      [
        ['order_update', 'utility', 'approved'],
        ['appointment_reminder', 'utility', 'approved'],
        ['spring_sale', 'marketing', 'rejected'],
        ['draft_greeting', undefined, 'unsubmitted'],
      ],
    );
  });

  it('refuses unknown and unapproved templates with 422, and missing variables with 400', async () => {
    const unknown = await send({ template: { contentSid: 'HX' + 'f'.repeat(32), variables: {} } });
    assert.equal(unknown.statusCode, 422);
    assert.equal(unknown.json().error, 'unknown_template');
    // Not in the list, whatever its form: a test double's "HX123" is as unknown as any.
    for (const contentSid of ['HX123', 'not-a-sid']) {
      const malformed = await send({ template: { contentSid, variables: {} } });
      assert.deepEqual([malformed.statusCode, malformed.json().error], [422, 'unknown_template'], contentSid);
    }
    const rejected = await send({ template: { contentSid: 'HX' + '3'.repeat(32), variables: { '1': 'Maria' } } });
    assert.equal(rejected.statusCode, 422);
    assert.equal(rejected.json().error, 'template_not_approved');
    const missing = await send({ template: { contentSid: TEMPLATE.contentSid, variables: { '1': 'Maria' } } });
    assert.equal(missing.statusCode, 400);
    assert.match(missing.json().message, /2/);
    await relay.app.relay.outbox.drain();
    assert.equal(relay.twilio.createRequests.length, 0);
  });

  // WhatsApp refuses these in a template's values after Twilio took the send: refused up front.
  for (const [what, value] of [
    ['a newline', 'A-1001\nBox 2'],
    ['a tab', 'A-1001\tBox 2'],
    ['more than four consecutive spaces', 'A-1001     Box 2'],
  ] as const) {
    it(`refuses a template variable with ${what} up front (400, naming it), and sends nothing`, async () => {
      relay.clock.advance(WINDOW_MS + 3_600_000);
      const r = await send({ template: { contentSid: TEMPLATE.contentSid, variables: { '1': 'Maria', '2': value } } });
      assert.equal(r.statusCode, 400, `answered ${r.statusCode} ${r.body}`);
      assert.equal(r.json().error, 'invalid_request');
      assert.match(r.json().message, /line breaks, tabs or more than four spaces in a row: 2\./);
      await relay.app.relay.outbox.drain();
      assert.equal(relay.twilio.createRequests.length, 0);
    });
  }

  it('a new customer message re-opens the window', async () => {
    relay.clock.advance(WINDOW_MS + 1);
    assert.equal((await send({ body: 'closed' })).statusCode, 422);
    await relay.inbound({ From: 'whatsapp:+14155550100', Body: 'Hello again' });
    const c = await conversation();
    assert.equal(Date.parse(c.windowExpiresAt), relay.clock.now() + WINDOW_MS);
    assert.equal((await send({ body: 'Welcome back' })).statusCode, 202);
  });

  it("maps Twilio's 63016 to the window error on the message", async () => {
    relay.twilio.failNext(1, { status: 400, code: 63016, message: 'Failed to send freeform message because you are outside the allowed window.' });
    const r = await send({ body: 'Hi' });
    await relay.app.relay.outbox.drain();
    const m = (await relay.api(agent, 'GET', `/api/v1/conversations/${conversationId}/messages`)).json().items.find((x: { id: string }) => x.id === r.json().id);
    assert.equal(m.status, 'failed');
    assert.equal(m.errorCode, 63016);
    assert.equal(m.errorMessage, WINDOW_EXPIRED_MESSAGE);
  });

  describe("WhatsApp's word that the window closed (63016)", () => {
    const windowCloses = async () => Date.parse((await conversation()).windowExpiresAt);
    const windowEvents = async () =>
      (await relay.store.readEvents({ agentId: 'alice', supervisor: false }, 0, 1000)).filter((e) => e.type === 'window').map((e) => (e.data as { windowExpiresAt: string }).windowExpiresAt);

    it('closes the window when Twilio refuses a reply with it: the next reply is refused with the exact error, a template still goes, and the panel is told', async () => {
      relay.clock.advance(WINDOW_MS - 60_000); // WhatsApp's clock ran a minute ahead of the webhook's arrival
      relay.twilio.failNext(1, { status: 400, code: 63016, message: 'Failed to send freeform message because you are outside the allowed window.' });
      await send({ body: 'Sorry for the wait' });
      await relay.app.relay.outbox.drain();
      assert.equal(await windowCloses(), relay.clock.now());
      assert.deepEqual(await windowEvents(), [new Date(relay.clock.now()).toISOString()]);
      const r = await send({ body: 'Are you still there?' });
      assert.equal(r.statusCode, 422);
      assert.deepEqual(r.json(), { error: 'window_expired', message: WINDOW_EXPIRED_MESSAGE });
      assert.equal((await send({ template: TEMPLATE })).statusCode, 202);
      // The customer writes again: a new day.
      await relay.inbound({ From: 'whatsapp:+14155550100', Body: 'Yes, still here' });
      assert.equal(await windowCloses(), relay.clock.now() + WINDOW_MS);
      assert.equal((await send({ body: 'Great, here is the update' })).statusCode, 202);
    });

    it('closes it when a status callback reports the refusal, and not when the customer wrote after the reply was queued', async () => {
      const id = (await send({ body: 'Let me check' })).json().id as string;
      await relay.app.relay.outbox.drain();
      const sid = relay.twilio.sent[0]!.sid;
      // The customer writes while the refusal of the earlier reply is on its way: their message re-opened the window.
      relay.clock.advance(5_000);
      await relay.inbound({ From: 'whatsapp:+14155550100', Body: 'Any news?' });
      const reopened = await windowCloses();
      const refusal = { MessageSid: sid, MessageStatus: 'failed', ErrorCode: '63016', AccountSid: relay.twilio.accountSid };
      assert.equal((await relay.status(refusal, `?messageId=${id}`)).statusCode, 200);
      assert.equal(await windowCloses(), reopened, 'a refusal of a reply queued before the customer wrote says nothing of the new window');
      // A reply queued after that, refused by its callback: the window closes.
      relay.clock.advance(60_000);
      const later = (await send({ body: 'Still checking' })).json().id as string;
      await relay.app.relay.outbox.drain();
      const laterSid = relay.twilio.sent[1]!.sid;
      relay.clock.advance(2_000);
      assert.equal((await relay.status({ ...refusal, MessageSid: laterSid }, `?messageId=${later}`)).statusCode, 200);
      assert.equal(await windowCloses(), relay.clock.now());
      assert.equal((await send({ body: 'Hello?' })).statusCode, 422);
    });
  });

  it('retries 20429 with backoff and sends once', async () => {
    relay.twilio.failNext(1, { status: 429, code: 20429, message: 'Too Many Requests' });
    await send({ body: 'Hi' });
    await relay.app.relay.outbox.drain();
    assert.equal(relay.twilio.sent.length, 0);
    relay.clock.advance(5 * 60_000);
    await relay.app.relay.outbox.drain();
    assert.equal(relay.twilio.sent.length, 1);
    assert.equal(relay.twilio.createRequests.length, 2);
  });

  it('marks a message failed with the reason on a permanent error, and retry re-sends it', async () => {
    relay.twilio.failNext(1, { status: 400, code: 21211, message: "The 'To' number is not a valid phone number." });
    const r = await send({ body: 'Hi' });
    await relay.app.relay.outbox.drain();
    const failed = (await relay.api(agent, 'GET', `/api/v1/conversations/${conversationId}/messages`)).json().items.at(-1);
    assert.equal(failed.status, 'failed');
    assert.equal(failed.errorCode, 21211);
    assert.ok(failed.errorMessage.length > 10);
    const before = await relay.store.latestEventId();
    const retry = await relay.api(agent, 'POST', `/api/v1/conversations/${conversationId}/messages/${r.json().id}/retry`);
    assert.equal(retry.statusCode, 202);
    // Every panel showing the failure (another tab, a consultant's) is told it is queued again.
    const told = (await relay.store.readEvents({ agentId: 'alice', supervisor: false }, before, 50)).find((e) => e.type === 'status');
    assert.deepEqual(told?.data, { conversationId, messageId: r.json().id, status: 'queued', errorCode: null, errorMessage: null, retried: true });
    await relay.app.relay.outbox.drain();
    assert.equal(relay.twilio.sent.length, 1);
  });

  it('does not retry a failed reply once the conversation is closed', async () => {
    relay.twilio.failNext(1, { status: 400, code: 21211, message: "The 'To' number is not a valid phone number." });
    const r = await send({ body: 'Sorry for the wait' });
    await relay.app.relay.outbox.drain();
    assert.equal((await relay.store.getMessage(r.json().id))?.status, 'failed');
    assert.equal((await relay.api(agent, 'PUT', `/api/v1/conversations/${conversationId}/state`, { state: 'wrapup' })).statusCode, 200);
    assert.equal((await relay.api(agent, 'PUT', `/api/v1/conversations/${conversationId}/state`, { state: 'closed', disposition: 'resolved' })).statusCode, 200);
    const retry = await relay.api(agent, 'POST', `/api/v1/conversations/${conversationId}/messages/${r.json().id}/retry`);
    assert.equal(retry.statusCode, 409, retry.body);
    assert.equal(retry.json().message, 'This conversation is closed.');
    await relay.app.relay.outbox.drain();
    assert.equal(relay.twilio.sent.length, 0, 'nothing reached the customer after the close');
    assert.equal((await relay.store.getMessage(r.json().id))?.status, 'failed');
  });

  it('a timeout is checked with Twilio before resending, so the message is not doubled', async () => {
    relay.twilio.delayNext(5000);
    const r = await send({ body: 'Slow network' });
    await relay.app.relay.outbox.drain();
    assert.equal(relay.twilio.sent.length, 1, 'Twilio took it although we timed out');
    relay.clock.advance(10 * 60_000);
    await relay.app.relay.outbox.drain();
    assert.equal(relay.twilio.sent.length, 1, 'not sent again');
    const stored = await relay.store.getMessage(r.json().id);
    assert.equal(stored?.twilioSid, relay.twilio.sent[0]!.sid, 'the message adopted the sid Twilio gave it');
  });

  // Two identical replies within a second match each other in Twilio's list: a sid is one message's only.
  it('an in-doubt check does not take an earlier identical reply for this one', async () => {
    const first = (await send({ body: 'ok' })).json().id as string;
    const second = (await send({ body: 'ok' })).json().id as string;
    relay.twilio.delayNext(0);
    relay.twilio.delayNext(5000); // Twilio takes the second, but answers after the timeout
    await relay.app.relay.outbox.drain();
    assert.equal(relay.twilio.sent.length, 2);
    relay.clock.advance(10 * 60_000);
    await relay.app.relay.outbox.drain();
    assert.equal(relay.twilio.sent.length, 2, 'not sent again');
    assert.equal((await relay.store.getMessage(first))?.twilioSid, relay.twilio.sent[0]!.sid);
    assert.equal((await relay.store.getMessage(second))?.twilioSid, relay.twilio.sent[1]!.sid, 'the second adopted its own sid');
  });

  it('an in-doubt reply Twilio never got is sent, though an identical one went out just before', async () => {
    await send({ body: 'ok' });
    await relay.app.relay.outbox.drain();
    const second = (await send({ body: 'ok' })).json().id as string;
    relay.twilio.failNext(1, 'network'); // the connection drops: Twilio did not take it
    await relay.app.relay.outbox.drain();
    relay.clock.advance(10 * 60_000);
    await relay.app.relay.outbox.drain();
    assert.equal(relay.twilio.sent.length, 2, 'the customer got both replies');
    assert.equal((await relay.store.getMessage(second))?.twilioSid, relay.twilio.sent[1]!.sid);
  });

  describe('a send Twilio took but answered too late, which WhatsApp refused', () => {
    const message = async (id: string) =>
      ((await relay.api(agent, 'GET', `/api/v1/conversations/${conversationId}/messages`)).json().items as { id: string; status: string; error?: { code: number } }[]).find((m) => m.id === id)!;
    const callback = (sid: string, MessageStatus: string, ErrorCode: string) => relay.status({ MessageSid: sid, MessageStatus, ErrorCode, AccountSid: relay.twilio.accountSid });
    /** The reply times out, Twilio took it, WhatsApp refuses it (its callback lost), then the in-doubt check asks Twilio. */
    async function refusedWhileInDoubt(errorCode: number | null) {
      relay.twilio.delayNext(5000);
      const id = (await send({ body: 'Your parcel ships today' })).json().id as string;
      await relay.app.relay.outbox.drain();
      const sid = relay.twilio.sent[0]!.sid;
      relay.twilio.setStatus(sid, 'undelivered', errorCode, errorCode === null ? null : 'Failed to send freeform message because you are outside the allowed window.');
      relay.clock.advance(10 * 60_000);
      await relay.app.relay.outbox.drain();
      assert.equal(relay.twilio.sent.length, 1, 'not sent twice');
      return { id, sid };
    }

    it('shows the error Twilio recorded for it, found by the in-doubt check', async () => {
      const { id } = await refusedWhileInDoubt(63016);
      const m = await message(id);
      assert.equal(m.status, 'undelivered');
      assert.equal(m.error?.code, 63016);
    });

    it('takes the error from a later status callback when the check found none, and never replaces it', async () => {
      const { id, sid } = await refusedWhileInDoubt(null);
      assert.equal((await message(id)).error, undefined);
      await callback(sid, 'undelivered', '63016');
      assert.equal((await message(id)).error?.code, 63016);
      await callback(sid, 'undelivered', '63024');
      await callback(sid, 'failed', '63024');
      const m = await message(id);
      assert.equal(m.status, 'undelivered');
      assert.equal(m.error?.code, 63016, 'the first error named stays');
    });
  });

  it('the same clientId is queued and sent once', async () => {
    await send({ body: 'from the outbox', clientId: 'panel-1' });
    await send({ body: 'from the outbox', clientId: 'panel-1' });
    await relay.app.relay.outbox.drain();
    assert.equal(relay.twilio.sent.length, 1);
  });

  // The panel's outbox posts again when the first answer was lost (a dropped connection, a reload).
  it('answers a resend with the stored message after the window closed since the first POST', async () => {
    relay.clock.advance(WINDOW_MS - 5_000);
    const first = await send({ body: 'Your refund is on its way', clientId: 'panel-late-1' });
    assert.equal(first.statusCode, 202);
    await relay.app.relay.outbox.drain();
    relay.clock.advance(10_000);
    const again = await send({ body: 'Your refund is on its way', clientId: 'panel-late-1' });
    assert.equal(again.statusCode, 202, again.body);
    assert.equal(again.json().id, first.json().id);
    assert.equal(again.json().clientId, 'panel-late-1', 'the panel knows its own send by it');
    assert.equal(relay.twilio.sent.length, 1, 'the customer got it once');
    // A new message with another clientId is still refused.
    assert.equal((await send({ body: 'And one more thing', clientId: 'panel-late-2' })).statusCode, 422);
  });

  it('answers a resend with the stored message after the conversation was closed since the first POST', async () => {
    const first = await send({ body: 'Bye, have a nice day', clientId: 'panel-bye-1' });
    assert.equal(first.statusCode, 202);
    assert.equal((await relay.api(agent, 'PUT', `/api/v1/conversations/${conversationId}/state`, { state: 'wrapup' })).statusCode, 200);
    assert.equal((await relay.api(agent, 'PUT', `/api/v1/conversations/${conversationId}/state`, { state: 'closed', disposition: 'resolved' })).statusCode, 200);
    const again = await send({ body: 'Bye, have a nice day', clientId: 'panel-bye-1' });
    assert.equal(again.statusCode, 202, again.body);
    assert.equal(again.json().id, first.json().id);
    // The key is the agent's own: the same value from another agent answers nothing of Alice's.
    const bob = await relay.availableAgent('bob');
    const other = await relay.api(bob, 'POST', `/api/v1/conversations/${conversationId}/messages`, { body: 'Bye', clientId: 'panel-bye-1' });
    assert.equal(other.statusCode, 404);
  });

  it('needs text (not spaces alone), a file or a template, and an accepted conversation', async () => {
    assert.equal((await send({})).statusCode, 400);
    // Spaces alone are no message (it was sent: an empty bubble, or Twilio's refusal later).
    const blank = await send({ body: ' \n\t ' });
    assert.deepEqual([blank.statusCode, blank.json().error], [400, 'invalid_request']);
    assert.equal((await send({ body: 'x', template: TEMPLATE })).statusCode, 400);
    const bob = await relay.availableAgent('bob');
    const other = await relay.api(bob, 'POST', `/api/v1/conversations/${conversationId}/messages`, { body: 'hijack' });
    assert.equal(other.statusCode, 404);
  });
});
