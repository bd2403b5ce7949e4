/** The Store contract: WhatsApp fidelity (what messages carry, referrals, consent) on every adapter. */
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import type { ConversationRow, WhatsAppExtras } from '../../src/store/port.ts';
import { WINDOW_MS } from '../../src/window/policy.ts';
import { alice, inbound, RESOLVED, sid, T0, type ContractContext } from './contract.ts';

const REFERRAL = { sourceType: 'ad', sourceUrl: 'https://fb.me/abc', headline: 'Spring sale', body: '20% off', ctwaClid: 'ARAkLkA8' };

export function fidelityContract(ctx: ContractContext): void {
  describe('WhatsApp fidelity', () => {
    beforeEach(ctx.fresh);
    const reply = (c: ConversationRow, now: number, body = 'Hi') =>
      ctx.store().queueOutbound({ conversationId: c.id, agentId: 'alice', body, mediaId: null, template: null, replyToId: null, clientId: null, sender: c.businessPhone, now });

    it('stores and serves what a message carries beyond text: location, contacts, button, forwarded, unsupported with its raw parameters', async () => {
      const kinds: WhatsAppExtras[] = [
        { location: { latitude: -23.5613, longitude: -46.6565, address: 'Av. Paulista, 1578', label: 'MASP' } },
        { contacts: [{ name: 'Ana Souza', phones: ['+5511987654321'] }] },
        { button: { text: 'Track my order', payload: 'track' }, forwarded: true },
        { unsupported: true, messageType: 'reaction', raw: { MessageType: 'reaction', Body: '' } },
      ];
      const stored = [];
      for (const whatsapp of kinds) stored.push(await ctx.store().recordInbound(inbound({ from: '+15550000070', body: 'x', whatsapp })));
      assert.deepEqual(stored.map((r) => r.message.whatsapp), kinds, 'as the store answers the webhook');
      const page = await ctx.store().listMessages(stored[0]!.conversation.id, null, 10);
      assert.deepEqual(page.items.map((m) => m.whatsapp), kinds, 'as it reads them back');
      const again = await ctx.store().recordInbound(inbound({ from: '+15550000070', messageSid: stored[1]!.message.twilioSid!, whatsapp: kinds[1] }));
      assert.equal(again.duplicate, true);
      assert.deepEqual(again.message.whatsapp, kinds[1], 'a duplicate answers the stored copy');
      const plain = await ctx.store().recordInbound(inbound({ from: '+15550000070' }));
      assert.equal(plain.message.whatsapp, null);
    });

    it('keeps the referral of the message that opens a conversation', async () => {
      const first = await ctx.store().recordInbound(inbound({ from: '+15550000071', referral: REFERRAL }));
      assert.deepEqual(first.conversation.referral, REFERRAL);
      assert.equal(first.conversation.firstReplyAt, null);
      const later = await ctx.store().recordInbound(inbound({ from: '+15550000071', referral: { ...REFERRAL, headline: 'Another ad' } }));
      assert.deepEqual(later.conversation.referral, REFERRAL, 'a later message does not replace it');
      const plain = await ctx.store().recordInbound(inbound({ from: '+15550000073' }));
      assert.equal(plain.conversation.referral, null);
    });

    it('opens the free entry point with the first reply Twilio took, queued within 24 hours of the ad message, whichever report comes first', async () => {
      const c = await ctx.activeConversation({ from: '+15550000072', referral: REFERRAL });
      const firstReplyAt = async () => (await ctx.store().getConversation(c.id))!.firstReplyAt;
      const refused = await reply(c, T0 + 5000);
      await ctx.store().recordSendResult(refused.message.id, { kind: 'failed', code: 63024, message: 'Invalid message recipient' }, T0 + 5001);
      assert.equal(await firstReplyAt(), null, 'a reply Twilio refused opens nothing');
      assert.equal(await reply(c, T0 + 6000).then(() => firstReplyAt()), null, 'nor one only queued');
      const taken = await reply(c, T0 + 7000);
      const twilioSid = sid();
      const before = await ctx.store().latestEventId();
      // Its status callback comes before Twilio's answer to the send: it opens it, once.
      assert.equal((await ctx.store().applyStatus({ messageSid: twilioSid, messageId: taken.message.id, status: 'sent', errorCode: null, errorMessage: null, now: T0 + 7001 })).applied, true);
      assert.equal(await firstReplyAt(), T0 + 7000);
      const told = (await ctx.store().readEvents(alice, before, 50)).filter((e) => e.type === 'state');
      assert.equal(told.length, 1, 'the agent learns when it ends');
      await ctx.store().recordSendResult(taken.message.id, { kind: 'sent', sid: twilioSid, status: 'queued' }, T0 + 7002);
      const later = await reply(c, T0 + 9000);
      await ctx.store().recordSendResult(later.message.id, { kind: 'sent', sid: sid(), status: 'queued' }, T0 + 9001);
      assert.equal(await firstReplyAt(), T0 + 7000, 'later replies change nothing');
      assert.equal((await ctx.store().readEvents(alice, before, 50)).filter((e) => e.type === 'state').length, 1);

      const late = await ctx.activeConversation({ from: '+15550000076', referral: REFERRAL });
      const lateAnswer = await reply(late, T0 + WINDOW_MS);
      await ctx.store().recordSendResult(lateAnswer.message.id, { kind: 'sent', sid: sid(), status: 'queued' }, T0 + WINDOW_MS + 1);
      assert.equal((await ctx.store().getConversation(late.id))!.firstReplyAt, null, 'an answer after the 24-hour window opens nothing');

      const plain = await ctx.activeConversation({ from: '+15550000073' });
      const answer = await reply(plain, T0 + 2000);
      await ctx.store().recordSendResult(answer.message.id, { kind: 'sent', sid: sid(), status: 'queued' }, T0 + 2001);
      assert.equal((await ctx.store().getConversation(plain.id))!.firstReplyAt, null, 'no free entry point without an ad');
    });

    it('opts a customer out on STOP and back in on START, logging each change with its time and cause', async () => {
      const c = await ctx.activeConversation({ from: '+15550000074' });
      const stop = await ctx.store().recordInbound(inbound({ from: '+15550000074', body: '  stop ', receivedAt: T0 + 2000 }));
      assert.equal(stop.conversation.optedOut, true);
      assert.equal((await ctx.store().getConversation(c.id))!.optedOut, true);
      await assert.rejects(reply(c, T0 + 3000), (e: Error & { code?: string }) => e.code === 'opted_out');
      assert.equal((await ctx.store().listMessages(c.id, null, 50)).items.filter((m) => m.direction === 'outbound').length, 0, 'nothing queued');
      // Another STOP changes nothing: it is not logged again.
      await ctx.store().recordInbound(inbound({ from: '+15550000074', body: 'UNSUBSCRIBE', receivedAt: T0 + 2500 }));
      const start = await ctx.store().recordInbound(inbound({ from: '+15550000074', body: 'Start', receivedAt: T0 + 4000 }));
      assert.equal(start.conversation.optedOut, false);
      assert.equal((await reply(c, T0 + 5000)).message.status, 'queued');
      const log = await ctx.store().consentLog('+15550000074', c.businessPhone);
      assert.deepEqual(
        log.map((e) => [e.optedOut, e.cause, e.createdAt, e.messageId]),
        [
          [true, 'keyword:STOP', T0 + 2000, stop.message.id],
          [false, 'keyword:START', T0 + 4000, start.message.id],
        ],
      );
      assert.equal((await ctx.store().recordInbound(inbound({ from: '+15550000074', body: 'stop it please' }))).conversation.optedOut, false, 'only the exact keyword');
    });

    it('tells the agent the consent changed, and a new conversation with the customer keeps it', async () => {
      const c = await ctx.activeConversation({ from: '+15550000075' });
      const before = await ctx.store().latestEventId();
      await ctx.store().recordInbound(inbound({ from: '+15550000075', body: 'QUIT' }));
      const events = await ctx.store().readEvents(alice, before, 50);
      const state = events.find((e) => e.type === 'state');
      assert.equal((state?.data as { conversation: { optedOut?: boolean } } | undefined)?.conversation.optedOut, true);
      await ctx.store().changeState(c.id, alice, 'wrapup', T0 + 3000);
      await ctx.store().changeState(c.id, alice, 'closed', T0 + 3001, RESOLVED);
      const next = await ctx.store().recordInbound(inbound({ from: '+15550000075', body: 'Hello again' }));
      assert.notEqual(next.conversation.id, c.id);
      assert.equal(next.conversation.optedOut, true);
      assert.equal((await ctx.store().recordInbound(inbound({ from: '+15550000075', to: '+14155230000', body: 'hi' }))).conversation.optedOut, false, 'per business number');
    });

    it('opts out on Twilio 21610 from a send and 63014 from a status callback', async () => {
      const c = await ctx.activeConversation({ from: '+15550000076' });
      const { message } = await reply(c, T0 + 2000);
      await ctx.store().claimOutbox(T0 + 2000, 10);
      await ctx.store().recordSendResult(message.id, { kind: 'failed', code: 21610, message: 'Attempt to send to unsubscribed recipient' }, T0 + 2001);
      assert.equal((await ctx.store().getConversation(c.id))!.optedOut, true);
      await ctx.store().recordInbound(inbound({ from: '+15550000076', body: 'yes', receivedAt: T0 + 3000 }));
      const second = await reply(c, T0 + 4000);
      await ctx.store().claimOutbox(T0 + 4000, 10);
      const sid = 'SM' + 'e'.repeat(32);
      await ctx.store().recordSendResult(second.message.id, { kind: 'sent', sid, status: 'sent' }, T0 + 4001);
      await ctx.store().applyStatus({ messageSid: sid, messageId: null, status: 'undelivered', errorCode: 63014, errorMessage: 'blocked', now: T0 + 5000 });
      assert.equal((await ctx.store().getConversation(c.id))!.optedOut, true);
      assert.deepEqual(
        (await ctx.store().consentLog('+15550000076', c.businessPhone)).map((e) => [e.optedOut, e.cause]),
        [
          [true, 'twilio:21610'],
          [false, 'keyword:YES'],
          [true, 'twilio:63014'],
        ],
      );
      await assert.rejects(ctx.store().requeueOutbound(message.id, T0 + 6000), (e: Error & { code?: string }) => e.code === 'opted_out');
    });

    it('fails replies still waiting in the outbox when the customer opts out: they never reach Twilio', async () => {
      const c = await ctx.activeConversation({ from: '+15550000080' });
      const waiting = await reply(c, T0 + 2000);
      await ctx.store().recordInbound(inbound({ from: '+15550000080', body: 'STOP', receivedAt: T0 + 2500 }));
      assert.deepEqual(await ctx.store().claimOutbox(T0 + 3000, 10), []);
      const failed = (await ctx.store().getMessage(waiting.message.id))!;
      assert.equal(failed.status, 'failed');
      assert.match(failed.errorMessage ?? '', /opted out/);
      assert.equal(failed.twilioSid, null);
    });

    it('changes consent inside a group of webhooks without disturbing the others', async () => {
      const results = await Promise.all([
        ctx.store().recordInbound(inbound({ from: '+15550000077', body: 'hello' })),
        ctx.store().recordInbound(inbound({ from: '+15550000078', body: 'STOP' })),
        ctx.store().recordInbound(inbound({ from: '+15550000079', body: 'hello' })),
      ]);
      assert.deepEqual(results.map((r) => r.conversation.optedOut), [false, true, false]);
      assert.equal((await ctx.store().consentLog('+15550000078', '+14155238886')).length, 1);
    });
  });
}
