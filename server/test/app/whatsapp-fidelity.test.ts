/**
 * WhatsApp as customers use it (issue 15), through the signed webhook and the agent API:
 * every inbound kind with Twilio's parameter names, ad referrals, opt-out end to end,
 * errors an agent can act on, and Twilio's Content API failing (msw fake).
 */
import assert from 'node:assert/strict';
import { after, beforeEach, describe, it } from 'node:test';
import { FREE_ENTRY_MS } from '../../src/window/free-entry.ts';
import { closeFakeTwilio, relayWithConversation, type TestRelay } from '../helpers/harness.ts';
import { twilioSid } from '../fakes/twilio-api.ts';

const CUSTOMER = '+5511987654321';
const TEMPLATE = { contentSid: 'HX' + '1'.repeat(32), variables: { '1': 'Ana', '2': 'A-1001' } };

interface ApiMessage {
  id: string;
  body: string;
  status: string;
  location?: unknown;
  contacts?: unknown;
  button?: unknown;
  forwarded?: boolean;
  unsupported?: boolean;
  messageType?: string;
  error?: { code: number; title: string; action: string };
  [key: string]: unknown;
}

describe('WhatsApp fidelity', () => {
  let relay: TestRelay;
  let agent: string;
  let conversationId: string;
  beforeEach(async () => {
    await relay?.close();
    ({ relay, agent, conversationId } = await relayWithConversation(CUSTOMER, 'Olá'));
  });
  after(async () => {
    await relay.close();
    closeFakeTwilio();
  });

  const messages = async () => (await relay.api(agent, 'GET', `/api/v1/conversations/${conversationId}/messages`)).json().items as ApiMessage[];
  const latest = async () => (await messages()).at(-1)!;
  const conversation = async () => (await relay.api(agent, 'GET', `/api/v1/conversations/${conversationId}`)).json();
  const send = (payload: object) => relay.api(agent, 'POST', `/api/v1/conversations/${conversationId}/messages`, payload);
  const customer = (params: Record<string, string>) => relay.inbound({ From: `whatsapp:${CUSTOMER}`, ...params });

  describe('inbound kinds', () => {
    it('shows a shared location with its address and label, and text for the transcript', async () => {
      const r = await customer({ MessageType: 'location', Body: '', Latitude: '-23.5613', Longitude: '-46.6565', Address: 'Av. Paulista, 1578 - São Paulo', Label: 'MASP' });
      assert.equal(r.statusCode, 200);
      const m = await latest();
      assert.deepEqual(m.location, { latitude: -23.5613, longitude: -46.6565, address: 'Av. Paulista, 1578 - São Paulo', label: 'MASP' });
      assert.equal(m.body, 'Location: MASP, Av. Paulista, 1578 - São Paulo');
      await customer({ MessageType: 'location', Body: '', Latitude: '51.5', Longitude: '-0.12' });
      const bare = await latest();
      assert.deepEqual(bare.location, { latitude: 51.5, longitude: -0.12, address: null, label: null });
      assert.equal(bare.body, 'Location: 51.5, -0.12');
    });

    it('shows a location at 0,0 with a label only', async () => {
      await customer({ MessageType: 'location', Body: '', Latitude: '0', Longitude: '0', Label: 'Null Island' });
      const m = await latest();
      assert.deepEqual(m.location, { latitude: 0, longitude: 0, address: null, label: 'Null Island' });
      assert.equal(m.body, 'Location: Null Island');
    });

    it('reads a shared contact card (text/vcard) into names and E.164 numbers', async () => {
      const card = 'BEGIN:VCARD\r\nVERSION:3.0\r\nN:Lima;Bruno;;;\r\nFN:Bruno Lima\r\nitem1.TEL;waid=5511912345678:+55 11 91234-5678\r\nTEL;type=HOME:(11) 3333-4444\r\nEND:VCARD\r\n';
      const url = relay.twilio.addMedia('text/vcard', new TextEncoder().encode(card));
      await customer({ MessageType: 'contacts', Body: '', NumMedia: '1', MediaUrl0: url, MediaContentType0: 'text/vcard' });
      const m = await latest();
      // The national number is read in the customer's country (Brazil).
      assert.deepEqual(m.contacts, [{ name: 'Bruno Lima', phones: ['+5511912345678', '+551133334444'] }]);
      assert.equal(m.body, 'Contact: Bruno Lima (+5511912345678, +551133334444)');
      assert.equal((m.media as unknown[]).length, 1, 'the card itself stays downloadable');
    });

    it('reads every card when a customer shares several contacts in one message (one text/vcard attachment each)', async () => {
      const vcard = (name: string, phone: string) => new TextEncoder().encode(`BEGIN:VCARD\r\nVERSION:3.0\r\nFN:${name}\r\nTEL;type=CELL:${phone}\r\nEND:VCARD\r\n`);
      const first = relay.twilio.addMedia('text/vcard', vcard('Ana Souza', '+55 11 98888-0001'));
      const second = relay.twilio.addMedia('text/vcard', vcard('Caio Reis', '+55 21 97777-0002'));
      await customer({ MessageType: 'contacts', Body: '', NumMedia: '2', MediaUrl0: first, MediaContentType0: 'text/vcard', MediaUrl1: second, MediaContentType1: 'text/vcard' });
      const m = await latest();
      assert.deepEqual(m.contacts, [
        { name: 'Ana Souza', phones: ['+5511988880001'] },
        { name: 'Caio Reis', phones: ['+5521977770002'] },
      ]);
    });

    it('keeps a contact message whose card cannot be fetched, marked as a contact card', async () => {
      const url = relay.twilio.addMedia('text/vcard', new Uint8Array());
      await customer({ MessageType: 'contacts', Body: '', NumMedia: '1', MediaUrl0: url.replace(/ME\w+$/, 'ME' + '0'.repeat(32)), MediaContentType0: 'text/vcard' });
      const m = await latest();
      assert.deepEqual(m.contacts, []);
      assert.equal(m.body, 'Contact card');
    });

    it('shows a tapped button as the customer choice, with its payload', async () => {
      await customer({ MessageType: 'button', Body: 'Reschedule', ButtonText: 'Reschedule', ButtonPayload: 'reschedule' });
      const m = await latest();
      assert.deepEqual(m.button, { text: 'Reschedule', payload: 'reschedule' });
      assert.equal(m.body, 'Reschedule');
    });

    it('marks forwarded messages', async () => {
      await customer({ Body: 'Look at this', Forwarded: 'true' });
      assert.equal((await latest()).forwarded, true);
      await customer({ Body: 'Chain letter', FrequentlyForwarded: 'true' });
      assert.equal((await latest()).forwarded, true);
      await customer({ Body: 'My own words' });
      assert.equal((await latest()).forwarded, undefined);
    });

    it('never shows an empty bubble: a reaction or an unknown type is a placeholder with the raw MessageType', async () => {
      await customer({ MessageType: 'reaction', Body: '' });
      const reaction = await latest();
      assert.equal(reaction.unsupported, true);
      assert.equal(reaction.messageType, 'reaction');
      assert.match(reaction.body, /cannot show \(reaction\)/);
      assert.equal(reaction.raw, undefined, 'the raw parameters stay in the store');
      const stored = (await relay.store.getMessage(reaction.id))!;
      assert.equal(stored.whatsapp?.raw?.MessageType, 'reaction');
      await customer({ MessageType: 'poll_v2', Body: '' });
      assert.equal((await latest()).messageType, 'poll_v2');
      await customer({ Body: '' });
      assert.equal((await latest()).messageType, 'unknown', 'an empty message without a type is a placeholder too');
      assert.ok((await messages()).every((m) => m.body !== '' || (m.media as unknown[]).length > 0));
    });

    it('refuses a half-given location with 400', async () => {
      const r = await customer({ MessageType: 'location', Latitude: '10' });
      assert.equal(r.statusCode, 400);
      assert.match(r.json().message, /Longitude/);
    });
  });

  describe('ad referrals and the free entry point', () => {
    const AD_CUSTOMER = '+447700900555';
    /** A conversation the customer began from a Click-to-WhatsApp ad, accepted by the agent. */
    async function adConversation() {
      const adAt = relay.clock.now();
      const r = await relay.inbound({
        From: `whatsapp:${AD_CUSTOMER}`,
        Body: 'Is the sale still on?',
        ReferralSourceType: 'ad',
        ReferralSourceId: '120200000000000',
        ReferralSourceUrl: 'https://fb.me/2ZulEu42P',
        ReferralHeadline: 'Spring sale',
        ReferralBody: '20% off everything',
        ReferralCtwaClid: 'ARAkLkA8rmlFeiCktEJQ-QTwRiyYHAFDLMNDBH0CD',
        ReferralNumMedia: '0',
      });
      assert.equal(r.statusCode, 200);
      await relay.app.relay.router.kick();
      const id: string = (await relay.api(agent, 'GET', '/api/v1/conversations?state=open')).json().items.find((c: { customer: { phone: string } }) => c.customer.phone === AD_CUSTOMER).id;
      assert.equal((await relay.api(agent, 'POST', `/api/v1/conversations/${id}/accept`)).statusCode, 200);
      const get = async () => (await relay.api(agent, 'GET', `/api/v1/conversations/${id}`)).json();
      const reply = async (payload: object) => {
        const sent = await relay.api(agent, 'POST', `/api/v1/conversations/${id}/messages`, payload);
        assert.equal(sent.statusCode, 202);
        await relay.app.relay.outbox.drain();
        return sent.json().id as string;
      };
      return { id, adAt, get, reply };
    }

    it('shows where the customer came from, and the 72-hour clock from the business first reply', async () => {
      const { get, reply } = await adConversation();
      const before = await get();
      assert.deepEqual(before.referral, {
        sourceType: 'ad',
        sourceUrl: 'https://fb.me/2ZulEu42P',
        headline: 'Spring sale',
        body: '20% off everything',
        ctwaClid: 'ARAkLkA8rmlFeiCktEJQ-QTwRiyYHAFDLMNDBH0CD',
      });
      assert.equal(before.freeEntryExpiresAt, null, 'the clock starts with the first reply');
      relay.clock.advance(60_000);
      const repliedAt = relay.clock.now();
      const seen = (await relay.store.readEvents({ agentId: 'alice', supervisor: false }, 0, 1000)).at(-1)?.id ?? 0;
      await reply({ body: 'Yes, until Sunday!' });
      // Once Twilio took the reply, the agent's panel is told the clock started, with no reload.
      const told = (await relay.store.readEvents({ agentId: 'alice', supervisor: false }, seen, 50)).find((e) => e.type === 'state');
      assert.equal(Date.parse((told?.data as { conversation: { freeEntryExpiresAt: string } }).conversation.freeEntryExpiresAt), repliedAt + FREE_ENTRY_MS);
      relay.clock.advance(60_000);
      await reply({ body: 'Anything else?' });
      assert.equal(Date.parse((await get()).freeEntryExpiresAt), repliedAt + FREE_ENTRY_MS);
    });

    // Meta opens the free entry point only for an answer within the 24-hour window of the ad's message.
    it('shows no free entry clock when the first answer is a template sent after the 24-hour window closed', async () => {
      const { adAt, get, reply } = await adConversation();
      relay.clock.advance(30 * 60 * 60_000);
      await reply({ template: TEMPLATE });
      assert.equal(relay.twilio.sent.length, 1, 'the template went out');
      const after = await get();
      assert.equal(after.freeEntryExpiresAt, null);
      assert.equal(Date.parse(after.freeEntryReplyBy), adAt + 24 * 3600_000, 'still past: the panel no longer promises the free entry point');
    });

    // The panel promises 72 free hours only while a reply can still open them; the relay says until when.
    it('tells until when a first reply opens the free entry point: 24 hours from the ad message, none once a reply opened it', async () => {
      const { get, reply } = await adConversation();
      const adAt = Date.parse((await get()).createdAt);
      relay.clock.advance(5 * 3600_000);
      assert.equal(Date.parse((await get()).freeEntryReplyBy), adAt + 24 * 3600_000, 'the ad message’s window, however late the agent looks');
      const seen = (await relay.store.readEvents({ agentId: 'alice', supervisor: false }, 0, 1000)).at(-1)?.id ?? 0;
      await reply({ body: 'Yes, until Sunday!' });
      const after = await get();
      assert.equal(after.freeEntryReplyBy, null, 'the reply opened it: nothing left to open');
      assert.equal(Date.parse(after.freeEntryExpiresAt), adAt + 5 * 3600_000 + FREE_ENTRY_MS);
      // The agent's panel learns it with the clock that started, with no reload.
      const told = (await relay.store.readEvents({ agentId: 'alice', supervisor: false }, seen, 50)).find((e) => e.type === 'state');
      assert.equal((told?.data as { conversation: { freeEntryReplyBy: string | null } }).conversation.freeEntryReplyBy, null);
    });

    it('does not start the free entry clock with a reply Twilio refused; the next reply Twilio takes starts it', async () => {
      const { id, get, reply } = await adConversation();
      relay.twilio.failNext(1, { status: 400, code: 63024, message: 'Invalid message recipient' });
      await reply({ body: 'Yes, until Sunday!' });
      const failed = (await relay.api(agent, 'GET', `/api/v1/conversations/${id}/messages`)).json().items.at(-1);
      assert.equal(failed.status, 'failed');
      assert.equal((await get()).freeEntryExpiresAt, null);
      relay.clock.advance(60_000);
      const repliedAt = relay.clock.now();
      await reply({ body: 'Sorry, yes: until Sunday!' });
      assert.equal(Date.parse((await get()).freeEntryExpiresAt), repliedAt + FREE_ENTRY_MS);
    });

    it('has no referral and no free entry clock for a conversation the customer began', async () => {
      await send({ body: 'Hello' });
      const c = await conversation();
      assert.equal(c.referral, null);
      assert.equal(c.freeEntryExpiresAt, null);
      assert.equal(c.freeEntryReplyBy, null, 'no free entry point to promise');
      assert.equal(c.optedOut, false);
    });
  });

  describe('opt-out', () => {
    it('STOP opts out: every send is refused with 422 opted_out and nothing reaches Twilio; START opts back in', async () => {
      await customer({ Body: ' Stop ' });
      assert.equal((await conversation()).optedOut, true);
      const text = await send({ body: 'Please stay with us' });
      assert.equal(text.statusCode, 422);
      assert.equal(text.json().error, 'opted_out');
      assert.match(text.json().message, /opted out/);
      const template = await send({ template: TEMPLATE });
      assert.equal(template.statusCode, 422);
      assert.equal(template.json().error, 'opted_out');
      await relay.app.relay.outbox.drain();
      assert.equal(relay.twilio.createRequests.length, 0);
      await customer({ Body: 'START' });
      assert.equal((await conversation()).optedOut, false);
      assert.equal((await send({ body: 'Welcome back' })).statusCode, 202);
      await relay.app.relay.outbox.drain();
      assert.equal(relay.twilio.sent.length, 1);
      const log = (await relay.api(agent, 'GET', `/api/v1/conversations/${conversationId}/consent`)).json().items;
      assert.deepEqual(
        log.map((e: { optedOut: boolean; cause: string }) => [e.optedOut, e.cause]),
        [
          [true, 'keyword:STOP'],
          [false, 'keyword:START'],
        ],
      );
      assert.ok(log.every((e: { createdAt: string; messageId: string }) => Date.parse(e.createdAt) > 0 && e.messageId.startsWith('msg')));
    });

    it('stores a STOP Twilio delivered twice at once, once, and logs one consent change', async () => {
      const MessageSid = twilioSid('SM');
      const replies = await Promise.all([1, 2].map(() => customer({ MessageSid, Body: 'STOP' })));
      assert.deepEqual(replies.map((r) => r.statusCode), [200, 200]);
      assert.equal((await messages()).filter((m) => m.body === 'STOP').length, 1);
      assert.equal((await conversation()).optedOut, true);
      const businessPhone = (await relay.store.getConversation(conversationId))!.businessPhone;
      assert.equal((await relay.store.consentLog(CUSTOMER, businessPhone)).length, 1);
    });

    it("Twilio's 21610 on a send opts the customer out, and the message says what to do", async () => {
      relay.twilio.failNext(1, { status: 400, code: 21610, message: 'Attempt to send to unsubscribed recipient' });
      const r = await send({ body: 'Hi' });
      await relay.app.relay.outbox.drain();
      const failed = (await messages()).find((m) => m.id === r.json().id)!;
      assert.equal(failed.status, 'failed');
      assert.equal(failed.error?.code, 21610);
      assert.match(failed.error!.action, /START/);
      assert.equal((await conversation()).optedOut, true);
      const retry = await relay.api(agent, 'POST', `/api/v1/conversations/${conversationId}/messages/${failed.id}/retry`);
      assert.equal(retry.statusCode, 422);
      assert.equal(retry.json().error, 'opted_out');
    });

    it("a status callback with 63014 opts the customer out", async () => {
      const r = await send({ body: 'Hi' });
      await relay.app.relay.outbox.drain();
      const [sent] = relay.twilio.sent;
      await relay.status({ MessageSid: sent!.sid, MessageStatus: 'undelivered', ErrorCode: '63014', To: `whatsapp:${CUSTOMER}`, From: 'whatsapp:+14155238886' }, `?messageId=${r.json().id}`);
      assert.equal((await conversation()).optedOut, true);
      assert.equal((await latest()).error?.code, 63014);
    });

    it('a customer who had blocked the business (63014) and writes again may be answered; one who sent STOP still needs START', async () => {
      const r = await send({ body: 'Your refund is on its way' });
      await relay.app.relay.outbox.drain();
      await relay.status({ MessageSid: relay.twilio.sent[0]!.sid, MessageStatus: 'undelivered', ErrorCode: '63014' }, `?messageId=${r.json().id}`);
      assert.equal((await conversation()).optedOut, true);
      relay.clock.advance(60_000);
      // A WhatsApp user who blocked a business cannot write to it: this message means they unblocked it.
      const MessageSid = twilioSid('SM');
      await customer({ MessageSid, Body: 'Sorry, I had blocked you by mistake. Any news on my refund?' });
      assert.equal((await conversation()).optedOut, false);
      assert.equal((await send({ body: 'Yes: it left today.' })).statusCode, 202);
      const causes = async () => ((await relay.api(agent, 'GET', `/api/v1/conversations/${conversationId}/consent`)).json().items as { optedOut: boolean; cause: string }[]).map((e) => [e.optedOut, e.cause]);
      assert.deepEqual(await causes(), [
        [true, 'twilio:63014'],
        [false, 'customer:wrote-after-block'],
      ]);
      // STOP is the customer's own word: a later message is no START.
      await customer({ Body: 'STOP' });
      await customer({ Body: 'Actually, one more question' });
      assert.equal((await conversation()).optedOut, true);
      assert.equal((await causes()).length, 3);
    });

    it('ends the block for a message Twilio delivers again after the relay stopped before answering', async () => {
      const r = await send({ body: 'Hi' });
      await relay.app.relay.outbox.drain();
      await relay.status({ MessageSid: relay.twilio.sent[0]!.sid, MessageStatus: 'undelivered', ErrorCode: '63014' }, `?messageId=${r.json().id}`);
      relay.clock.advance(60_000);
      const MessageSid = twilioSid('SM');
      // The message is stored, the relay stops before the block is lifted (as if killed), Twilio delivers it again.
      const reEngage = relay.store.reEngage.bind(relay.store);
      relay.store.reEngage = () => Promise.reject(new Error('killed'));
      await customer({ MessageSid, Body: 'Hello again' });
      assert.equal((await conversation()).optedOut, true);
      relay.store.reEngage = reEngage;
      await customer({ MessageSid, Body: 'Hello again' });
      assert.equal((await conversation()).optedOut, false);
      assert.equal((await messages()).filter((m) => m.body === 'Hello again').length, 1);
    });
  });

  describe('quick-reply buttons in a session reply', () => {
    const BUTTONS = [
      { id: 'yes', title: 'Yes, please' },
      { id: 'no', title: 'No, thanks' },
    ];

    it('creates the twilio/quick-reply content once per distinct set and sends the reply by its ContentSid', async () => {
      const r = await send({ body: 'Shall I reschedule your delivery?', buttons: BUTTONS });
      assert.equal(r.statusCode, 202);
      assert.deepEqual(r.json().buttons, BUTTONS);
      await send({ body: 'And the second parcel?', buttons: BUTTONS });
      await relay.app.relay.outbox.drain();
      assert.equal(relay.twilio.contentCreates, 1, 'one content for one set of buttons');
      const [first, second] = relay.twilio.sent;
      assert.ok(first?.contentSid?.startsWith('HX'));
      assert.equal(second?.contentSid, first?.contentSid);
      assert.deepEqual(first?.contentVariables, { '1': 'Shall I reschedule your delivery?' });
      assert.equal(first?.body, 'Shall I reschedule your delivery?');
      const created = relay.twilio.templates.find((t) => t.sid === first?.contentSid)!;
      assert.deepEqual(created.types['twilio/quick-reply'], { body: '{{1}}', actions: [{ title: 'Yes, please', id: 'yes' }, { title: 'No, thanks', id: 'no' }] });
      await send({ body: 'Pick one', buttons: [{ id: 'a', title: 'A' }] });
      await relay.app.relay.outbox.drain();
      assert.equal(relay.twilio.contentCreates, 2);
      assert.deepEqual((await messages()).filter((m) => m.buttons).map((m) => (m.buttons as unknown[]).length), [2, 2, 1]);
      const templates = (await relay.api(agent, 'GET', '/api/v1/templates')).json().items as { name: string }[];
      assert.ok(!templates.some((t) => t.name.startsWith('wcp_quick_reply_')), 'the relay own contents are not templates');
      // The customer's tap comes back as a button.
      await customer({ MessageType: 'button', Body: 'Yes, please', ButtonText: 'Yes, please', ButtonPayload: 'yes' });
      assert.deepEqual((await latest()).button, { text: 'Yes, please', payload: 'yes' });
    });

    it('refuses more than 3 buttons, a title over 20 characters, repeated ids or titles or buttons without text (400), text over 1,024 characters (422) and outside the window (422)', async () => {
      const four = [1, 2, 3, 4].map((n) => ({ id: `b${n}`, title: `Option ${n}` }));
      for (const payload of [
        { body: 'Pick', buttons: four },
        { body: 'Pick', buttons: [{ id: 'x', title: 'x'.repeat(21) }] },
        { body: 'Pick', buttons: [] },
        { body: 'Pick', buttons: [{ id: 'x', title: 'One' }, { id: 'x', title: 'Two' }] },
        { body: 'Pick', buttons: [{ id: 'a', title: 'Yes' }, { id: 'b', title: ' yes ' }] },
        { template: TEMPLATE, buttons: BUTTONS },
      ]) {
        const r = await send(payload);
        assert.equal(r.statusCode, 400, JSON.stringify(payload));
        assert.equal(r.json().error, 'invalid_request');
      }
      // Twilio's twilio/quick-reply takes 1,024 characters above the buttons, not a message's 1,600.
      const long = await send({ body: 'x'.repeat(1025), buttons: BUTTONS });
      assert.equal(long.statusCode, 422);
      assert.match(long.json().message, /text above reply buttons holds at most 1024 characters; this one has 1025/);
      relay.clock.advance(24 * 3600_000);
      assert.equal((await send({ body: 'Still there?', buttons: BUTTONS })).json().error, 'window_expired');
      await relay.app.relay.outbox.drain();
      assert.equal(relay.twilio.createRequests.length, 0);
      assert.equal(relay.twilio.contentCreates, 0);
    });
  });

  describe('typing indicator', () => {
    it("calls Twilio's typing indicator on the customer's latest message, at most once per 20 s per conversation", async () => {
      const typing = () => relay.api(agent, 'POST', `/api/v1/conversations/${conversationId}/typing`);
      const sid = (await relay.store.latestInbound(conversationId))!.twilioSid!;
      assert.equal((await typing()).statusCode, 204);
      assert.deepEqual(relay.twilio.typingIndicators, [{ channel: 'whatsapp', messageId: sid }]);
      relay.clock.advance(19_999);
      assert.equal((await typing()).statusCode, 204);
      assert.equal(relay.twilio.typingIndicators.length, 1, 'not again within 20 s');
      const r = await customer({ Body: 'Are you there?' });
      assert.equal(r.statusCode, 200);
      relay.clock.advance(1);
      await typing();
      const newest = (await relay.store.latestInbound(conversationId))!.twilioSid!;
      assert.deepEqual(relay.twilio.typingIndicators.at(-1), { channel: 'whatsapp', messageId: newest });
    });

    it('shows nothing outside the window or to an opted-out customer, and a refusal by Twilio still answers 204', async () => {
      const typing = () => relay.api(agent, 'POST', `/api/v1/conversations/${conversationId}/typing`);
      relay.clock.advance(24 * 3600_000);
      assert.equal((await typing()).statusCode, 204);
      assert.equal(relay.twilio.typingIndicators.length, 0);
      await customer({ Body: 'STOP' });
      assert.equal((await typing()).statusCode, 204);
      assert.equal(relay.twilio.typingIndicators.length, 0);
      await customer({ Body: 'START', MessageSid: 'SM' + 'Z'.repeat(32).replace(/Z/g, 'A') });
      assert.equal((await typing()).statusCode, 204, 'Twilio refuses an upper-case sid in the fake; the agent is not bothered');
      assert.equal(relay.twilio.typingIndicators.length, 0);
    });
  });

  describe('errors an agent can act on', () => {
    it('gives a failed or undelivered message a title and an action, in plain words', async () => {
      for (const code of [63016, 63018, 63024, 63032, 63049, 63003, 63005, 63019, 63021, 63014, 21408, 21610, 21211]) {
        const { agentErrorOf } = await import('../../src/twilio/errors.ts');
        const e = agentErrorOf(code);
        assert.equal(e.code, code);
        assert.ok(e.title.length > 10 && e.action.length > 10 && !e.action.includes('twilio.com/docs'), String(code));
      }
      relay.twilio.failNext(1, { status: 400, code: 63024, message: 'Invalid message recipient' });
      const before = await relay.store.latestEventId();
      await send({ body: 'Hi' });
      await relay.app.relay.outbox.drain();
      const status = (await relay.store.readEvents({ agentId: 'alice', supervisor: false }, before, 50)).find((e) => e.type === 'status');
      assert.equal((status?.data as { error?: { code: number } }).error?.code, 63024, 'the status event carries it too');
      assert.deepEqual((await latest()).error, {
        code: 63024,
        title: "The customer's number is not an active WhatsApp account.",
        action: 'Confirm the number with the customer, or reach them another way.',
      });
    });

    it("names an unknown code and links Twilio's page for it", async () => {
      const r = await send({ body: 'Hi' });
      await relay.app.relay.outbox.drain();
      const [sent] = relay.twilio.sent;
      await relay.status({ MessageSid: sent!.sid, MessageStatus: 'undelivered', ErrorCode: '30450' }, `?messageId=${r.json().id}`);
      assert.deepEqual((await latest()).error, {
        code: 30450,
        title: 'Twilio error 30450.',
        action: 'See https://www.twilio.com/docs/api/errors/30450 for what it means and what to do.',
      });
    });

    it('has no error on a message that did not fail', async () => {
      await send({ body: 'Hi' });
      await relay.app.relay.outbox.drain();
      assert.equal((await latest()).error, undefined);
    });
  });

  describe('limits and templates', () => {
    it('refuses a body over 1,600 characters with 422 body_too_long, counting as Twilio does', async () => {
      const tooLong = await send({ body: 'a'.repeat(1601) });
      assert.equal(tooLong.statusCode, 422);
      assert.equal(tooLong.json().error, 'body_too_long');
      assert.match(tooLong.json().message, /1601/);
      assert.equal((await send({ body: 'a'.repeat(1600) })).statusCode, 202);
      // Twilio counts UTF-16 units: an emoji is two.
      assert.equal((await send({ body: '😀'.repeat(800) })).statusCode, 202);
      assert.equal((await send({ body: '😀'.repeat(801) })).json().error, 'body_too_long');
      await relay.app.relay.outbox.drain();
      assert.equal(relay.twilio.sent.length, 2);
    });

    it("answers 502 templates_unavailable when the Content API fails and no list is held, for the list and a send", async () => {
      relay.twilio.contentFailure = { status: 503, code: 20503, message: 'Service Unavailable' };
      const list = await relay.api(agent, 'GET', '/api/v1/templates');
      assert.equal(list.statusCode, 502);
      assert.equal(list.json().error, 'templates_unavailable');
      const sendTemplate = await send({ template: TEMPLATE });
      assert.equal(sendTemplate.statusCode, 502);
      assert.equal(sendTemplate.json().error, 'templates_unavailable');
      relay.twilio.contentFailure = 'network';
      assert.equal((await relay.api(agent, 'GET', '/api/v1/templates')).statusCode, 502);
      relay.twilio.contentFailure = null;
      const back = await relay.api(agent, 'GET', '/api/v1/templates');
      assert.equal(back.statusCode, 200);
      assert.equal(back.json().stale, false);
    });

    it('serves the last good list marked stale while the Content API fails, and sends from it', async () => {
      assert.equal((await relay.api(agent, 'GET', '/api/v1/templates')).json().stale, false);
      relay.twilio.contentFailure = { status: 500, code: 20500, message: 'Internal Server Error' };
      relay.clock.advance(5 * 60_000);
      const stale = (await relay.api(agent, 'GET', '/api/v1/templates')).json();
      assert.equal(stale.stale, true);
      assert.equal(stale.items.length, 4);
      const sent = await send({ template: TEMPLATE });
      assert.equal(sent.statusCode, 202);
      const unknown = await send({ template: { contentSid: 'HX' + 'a'.repeat(32), variables: {} } });
      assert.equal(unknown.statusCode, 422);
      assert.equal(unknown.json().error, 'unknown_template');
      relay.twilio.contentFailure = null;
      relay.clock.advance(5 * 60_000);
      assert.equal((await relay.api(agent, 'GET', '/api/v1/templates')).json().stale, false, 'fresh again once Twilio answers');
    });
  });
});
