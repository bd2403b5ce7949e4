/**
 * The Store contract: every adapter (SQLite, PostgreSQL) must pass this same suite.
 * `makeStore` returns a fresh, migrated, empty store.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { canRead, offerIsLive } from '../../src/domain/conversation-rules.ts';
import { LOAD_STATES } from '../../src/routing/policy.ts';
import type { ConversationRow, InboundRecord, Store, Viewer, WhatsAppExtras } from '../../src/store/port.ts';
import { reopenWindow } from '../../src/window/policy.ts';

const T0 = Date.parse('2026-03-01T10:00:00Z');
let sidCounter = 0;
export const sid = (prefix = 'SM'): string => `${prefix}${(++sidCounter).toString(16).padStart(32, '0')}`;

export function inbound(overrides: Partial<InboundRecord> = {}): InboundRecord {
  return {
    messageSid: sid(),
    from: '+14155550100',
    to: '+14155238886',
    body: 'Hello, my order has not arrived',
    profileName: 'Maria',
    waId: '14155550100',
    media: [],
    originalRepliedMessageSid: null,
    sentiment: { score: 0, comparative: 0, tokens: 6 },
    receivedAt: T0,
    ...overrides,
  };
}

const alice: Viewer = { agentId: 'alice', supervisor: false };
const bob: Viewer = { agentId: 'bob', supervisor: false };
const supervisor: Viewer = { agentId: 'sue', supervisor: true };
const RESOLVED = { disposition: 'resolved', summary: null };

export function storeContract(name: string, makeStore: () => Promise<Store>, dispose?: () => Promise<void>): void {
  describe(`Store contract: ${name}`, () => {
    let store: Store;
    const fresh = async () => {
      if (store) await store.close();
      store = await makeStore();
      await store.upsertAgent({ id: 'alice', name: 'Alice', role: 'agent' }, 3, T0);
      await store.upsertAgent({ id: 'bob', name: 'Bob', role: 'agent' }, 3, T0);
      return store;
    };
    before(fresh);
    after(async () => {
      await store?.close();
      await dispose?.();
    });

    /** An inbound message accepted by alice: an active conversation. */
    async function activeConversation(overrides: Partial<InboundRecord> = {}) {
      const r = await store.recordInbound(inbound(overrides));
      assert.ok(await store.createOffer(r.conversation.id, 'alice', T0 + 120_000, T0));
      return store.acceptOffer(r.conversation.id, 'alice', T0 + 1000);
    }

    describe('inbound messages', () => {
      before(fresh);
      it('opens a conversation in state open with the window 24 h from the message', async () => {
        const r = await store.recordInbound(inbound({ from: '+447700900123' }));
        assert.equal(r.duplicate, false);
        assert.equal(r.opened, true);
        assert.equal(r.conversation.state, 'open');
        assert.equal(r.conversation.customerPhone, '+447700900123');
        assert.equal(r.conversation.lastInboundAt, T0);
        assert.equal(r.message.direction, 'inbound');
        assert.equal(r.message.status, 'received');
      });

      it('counts conversations by state and the outbox for /metrics', async () => {
        const gauges = await store.metricGauges();
        assert.equal(gauges.conversations.find((c) => c.state === 'open')?.count, 1);
        assert.equal(gauges.outboxDepth, 0);
      });

      it('stores the same MessageSid once', async () => {
        const msg = inbound({ from: '+447700900124' });
        const first = await store.recordInbound(msg);
        const second = await store.recordInbound(msg);
        assert.equal(second.duplicate, true);
        assert.equal(second.message.id, first.message.id);
        const page = await store.listMessages(first.conversation.id, null, 50);
        assert.equal(page.items.length, 1);
      });

      it('adds later messages to the open conversation and re-opens the window from the newest', async () => {
        const a = await store.recordInbound(inbound({ from: '+447700900125' }));
        const b = await store.recordInbound(inbound({ from: '+447700900125', receivedAt: T0 + 5000 }));
        assert.equal(b.conversation.id, a.conversation.id);
        assert.equal(b.opened, false);
        assert.equal(b.conversation.lastInboundAt, T0 + 5000);
        // A late-delivered older message never shortens the window.
        const c = await store.recordInbound(inbound({ from: '+447700900125', receivedAt: T0 + 1000 }));
        assert.equal(c.conversation.lastInboundAt, T0 + 5000);
      });

      it('keeps media references and resolves reply-to quotes', async () => {
        const first = await store.recordInbound(inbound({ from: '+447700900126', body: 'original' }));
        const r = await store.recordInbound(
          inbound({
            from: '+447700900126',
            body: '',
            media: [{ url: 'https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1', contentType: 'image/jpeg' }],
            originalRepliedMessageSid: (await store.getMessage(first.message.id))!.twilioSid,
          }),
        );
        assert.equal(r.message.media.length, 1);
        assert.equal(r.message.media[0]!.contentType, 'image/jpeg');
        const media = await store.getMedia(r.message.media[0]!.id);
        assert.equal(media?.sourceUrl, 'https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1');
        assert.equal(r.message.replyToId, first.message.id);
        assert.equal(r.message.replyToBody, 'original');
      });

      it('keeps the sentiment figures of inbound messages; outbound ones have none', async () => {
        const sentiment = { score: -6, comparative: -2 / 3, tokens: 9 };
        const c = await activeConversation({ from: '+447700900128', body: 'This is the worst service ever, I am furious.', sentiment });
        const [received] = (await store.listMessages(c.id, null, 50)).items;
        assert.deepEqual(received!.sentiment, sentiment);
        assert.deepEqual((await store.getMessage(received!.id))!.sentiment, sentiment);
        const { message } = await store.queueOutbound({ conversationId: c.id, agentId: 'alice', body: 'Sorry to hear that', mediaId: null, template: null, replyToId: null, clientId: null, sender: c.businessPhone, now: T0 + 2000 });
        assert.equal(message.sentiment, null);
      });

      it('opens a new conversation after the previous one closed', async () => {
        const c = await activeConversation({ from: '+447700900127' });
        await store.changeState(c.id, alice, 'wrapup', T0 + 2000);
        await store.changeState(c.id, alice, 'closed', T0 + 3000, RESOLVED);
        const again = await store.recordInbound(inbound({ from: '+447700900127', receivedAt: T0 + 4000 }));
        assert.equal(again.opened, true);
        assert.notEqual(again.conversation.id, c.id);
      });
    });

    describe('offers and routing', () => {
      before(fresh);
      it('offers once: a second createOffer on a live offer fails', async () => {
        const r = await store.recordInbound(inbound({ from: '+15550000001' }));
        assert.equal(await store.createOffer(r.conversation.id, 'alice', T0 + 120_000, T0), true);
        assert.equal(await store.createOffer(r.conversation.id, 'bob', T0 + 120_000, T0), false);
        const unoffered = await store.listUnoffered(T0 + 1, 10);
        assert.ok(!unoffered.some((c) => c.id === r.conversation.id));
      });

      it('accept assigns to the offered agent only, once', async () => {
        const r = await store.recordInbound(inbound({ from: '+15550000002' }));
        await store.createOffer(r.conversation.id, 'alice', T0 + 120_000, T0);
        await assert.rejects(store.acceptOffer(r.conversation.id, 'bob', T0 + 10), { code: 'offer_not_yours' });
        const accepted = await store.acceptOffer(r.conversation.id, 'alice', T0 + 10);
        assert.equal(accepted.state, 'active');
        assert.equal(accepted.assignedAgentId, 'alice');
        assert.equal(accepted.offerAgentId, null);
      });

      it('an expired offer cannot be accepted and is recorded as declined', async () => {
        const r = await store.recordInbound(inbound({ from: '+15550000003' }));
        await store.createOffer(r.conversation.id, 'alice', T0 + 120_000, T0);
        await assert.rejects(store.acceptOffer(r.conversation.id, 'alice', T0 + 120_000), { code: 'offer_expired' });
        const expired = await store.expireOffers(T0 + 120_000);
        assert.ok(expired.includes(r.conversation.id));
        assert.ok((await store.declinedBy(r.conversation.id, T0)).has('alice'));
        assert.ok((await store.listUnoffered(T0 + 120_000, 50)).some((c) => c.id === r.conversation.id));
      });

      it('reject frees the conversation for the next agent', async () => {
        const r = await store.recordInbound(inbound({ from: '+15550000004' }));
        await store.createOffer(r.conversation.id, 'alice', T0 + 120_000, T0);
        await store.rejectOffer(r.conversation.id, 'alice', T0 + 5);
        assert.ok((await store.declinedBy(r.conversation.id, T0)).has('alice'));
        assert.equal(await store.createOffer(r.conversation.id, 'bob', T0 + 120_000, T0 + 6), true);
      });

      it('routing snapshot counts assigned conversations and live offers as load', async () => {
        await store.setPresence('alice', 'available', T0);
        await store.setPresence('bob', 'dnd', T0);
        const snap = await store.routingSnapshot(T0 + 20);
        const a = snap.agents.find((x) => x.id === 'alice');
        assert.ok(a, 'available agents are in the snapshot');
        assert.ok(a.load >= 1);
        assert.ok(!snap.agents.some((x) => x.id === 'bob'), 'dnd agents are not routable');
      });
    });

    describe('SQL filters agree with the pure rules they mirror', () => {
      before(fresh);
      it('keeps the newest inbound time however late messages arrive (reopenWindow)', async () => {
        const times = [T0 + 50_000, T0 + 10_000, T0 + 90_000, T0 + 90_000, T0 + 20_000];
        let expected: number | null = null;
        let last: ConversationRow | undefined;
        for (const receivedAt of times) {
          last = (await store.recordInbound(inbound({ from: '+15550009000', receivedAt }))).conversation;
          expected = reopenWindow(expected, receivedAt);
          assert.equal(last.lastInboundAt, expected, `after a message received at +${receivedAt - T0} ms`);
        }
      });

      it('lists unoffered, visible and loading conversations exactly as offerIsLive, canRead and LOAD_STATES say', async () => {
        await store.setPresence('alice', 'available', T0);
        await store.setPresence('bob', 'busy', T0);
        const now = T0 + 60_000;
        // One of each: never offered, offer live, offer lapsed (not yet expired by the router), accepted, waiting, closed.
        const open = async (n: number) => (await store.recordInbound(inbound({ from: `+1555001${String(n).padStart(4, '0')}` }))).conversation;
        await open(1);
        await store.createOffer((await open(2)).id, 'alice', now + 30_000, T0);
        await store.createOffer((await open(3)).id, 'bob', now - 1, T0);
        await store.createOffer((await open(4)).id, 'bob', now, T0);
        const accepted = await open(5);
        await store.createOffer(accepted.id, 'alice', now + 30_000, T0);
        await store.acceptOffer(accepted.id, 'alice', T0 + 1);
        const waiting = await open(6);
        await store.createOffer(waiting.id, 'bob', now + 30_000, T0);
        await store.acceptOffer(waiting.id, 'bob', T0 + 1);
        await store.changeState(waiting.id, bob, 'waiting', T0 + 2);
        const closed = await open(7);
        await store.createOffer(closed.id, 'alice', now + 30_000, T0);
        await store.acceptOffer(closed.id, 'alice', T0 + 1);
        await store.changeState(closed.id, alice, 'wrapup', T0 + 2);
        await store.changeState(closed.id, alice, 'closed', T0 + 3, RESOLVED);

        const all = await store.listConversations(supervisor, null, now);
        const ids = (rows: ConversationRow[]) => rows.map((c) => c.id).sort();
        assert.deepEqual(ids(await store.listUnoffered(now, 500)), ids(all.filter((c) => c.state === 'open' && !offerIsLive(c, now))));
        for (const viewer of [alice, bob]) {
          assert.deepEqual(ids(await store.listConversations(viewer, null, now)), ids(all.filter((c) => canRead(c, viewer, now))), viewer.agentId);
        }
        const snapshot = await store.routingSnapshot(now);
        for (const agent of ['alice', 'bob']) {
          const load = all.filter(
            (c) => (c.assignedAgentId === agent && LOAD_STATES.includes(c.state)) || (c.state === 'open' && c.offerAgentId === agent && offerIsLive(c, now)),
          ).length;
          assert.equal(snapshot.agents.find((a) => a.id === agent)?.load, load, `${agent}'s load`);
        }
      });
    });

    describe('the CRM record queue', () => {
      before(fresh);
      it('marks a conversation due once per pass of the event log, and keeps a write due when it changed meanwhile', async () => {
        const c = await activeConversation({ from: '+15550007001' });
        while ((await store.followEventsForCrm(T0 + 10)) > 0);
        const [write] = await store.claimCrmWrites(T0 + 10, 10);
        assert.equal(write?.conversationId, c.id);
        assert.deepEqual(await store.claimCrmWrites(T0 + 10, 10), [], 'a claimed write is leased');
        // The conversation changes while its write is in flight: the write finishes, the newer change stays due.
        await store.changeState(c.id, alice, 'waiting', T0 + 11);
        assert.ok((await store.followEventsForCrm(T0 + 11)) > 0);
        await store.recordCrmWrite(write!, { kind: 'done' }, T0 + 12);
        const [again] = await store.claimCrmWrites(T0 + 12, 10);
        assert.equal(again?.conversationId, c.id);
        assert.ok(again!.version > write!.version);
        await store.recordCrmWrite(again!, { kind: 'done' }, T0 + 13);
        assert.deepEqual(await store.claimCrmWrites(T0 + 100_000, 10), []);
        assert.equal(await store.followEventsForCrm(T0 + 14), 0, 'the cursor moved past what it read');
      });

      it('retries after the delay, and keeps a failed write out of the queue until the next change', async () => {
        const c = await activeConversation({ from: '+15550007002' });
        while ((await store.followEventsForCrm(T0)) > 0);
        const [write] = await store.claimCrmWrites(T0, 10);
        await store.recordCrmWrite(write!, { kind: 'retry', retryAfterMs: 30_000, error: 'Dataverse 429' }, T0);
        assert.deepEqual(await store.claimCrmWrites(T0 + 29_999, 10), []);
        const [retried] = await store.claimCrmWrites(T0 + 30_000, 10);
        assert.equal(retried?.attempts, 2);
        await store.recordCrmWrite(retried!, { kind: 'failed', error: 'Dataverse 403: no role' }, T0 + 30_001);
        assert.deepEqual(await store.claimCrmWrites(T0 + 10_000_000, 10), []);
        assert.equal((await store.listFailedCrmWrites(10)).find((w) => w.conversationId === c.id)?.lastError, 'Dataverse 403: no role');
        await store.changeState(c.id, alice, 'waiting', T0 + 40_000);
        while ((await store.followEventsForCrm(T0 + 40_000)) > 0);
        assert.equal((await store.claimCrmWrites(T0 + 40_000, 10))[0]?.conversationId, c.id);
      });
    });

    describe('conversation states', () => {
      before(fresh);
      it('allows only valid transitions and hides other agents conversations', async () => {
        const c = await activeConversation({ from: '+15550000010' });
        await assert.rejects(store.changeState(c.id, alice, 'closed', T0 + 2), { code: 'invalid_transition' });
        await assert.rejects(store.changeState(c.id, bob, 'waiting', T0 + 2), { code: 'not_found' });
        assert.equal((await store.changeState(c.id, alice, 'waiting', T0 + 2)).state, 'waiting');
        assert.equal((await store.changeState(c.id, alice, 'active', T0 + 3)).state, 'active');
        assert.equal((await store.changeState(c.id, supervisor, 'wrapup', T0 + 4)).state, 'wrapup');
        assert.equal((await store.changeState(c.id, alice, 'closed', T0 + 5, RESOLVED)).state, 'closed');
      });

      it('lists an agent only its own conversations, by state', async () => {
        const c = await activeConversation({ from: '+15550000011' });
        const mine = await store.listConversations(alice, 'active', T0 + 10);
        assert.ok(mine.some((x) => x.id === c.id));
        assert.ok(!(await store.listConversations(bob, null, T0 + 10)).some((x) => x.id === c.id));
        assert.ok((await store.listConversations(supervisor, null, T0 + 10)).some((x) => x.id === c.id));
      });

      it('links and unlinks a CRM record', async () => {
        const c = await activeConversation({ from: '+15550000012' });
        const linked = await store.setLinkedRecord(c.id, alice, { entityType: 'incident', id: 'case-1', name: 'Late delivery' }, T0 + 9);
        assert.deepEqual(linked.linkedRecord, { entityType: 'incident', id: 'case-1', name: 'Late delivery' });
        assert.equal((await store.setLinkedRecord(c.id, alice, null, T0 + 10)).linkedRecord, null);
      });
    });

    describe('outbound messages and the outbox', () => {
      beforeEach(fresh);
      it('queues a message once per clientId and claims it for sending', async () => {
        const c = await activeConversation({ from: '+15550000020' });
        const record = { conversationId: c.id, agentId: 'alice', body: 'On its way', mediaId: null, template: null, replyToId: null, clientId: 'c-1', sender: c.businessPhone, now: T0 + 100 };
        const first = await store.queueOutbound(record);
        const again = await store.queueOutbound(record);
        assert.equal(first.message.status, 'queued');
        assert.equal(again.duplicate, true);
        assert.equal(again.message.id, first.message.id);
        const claimed = await store.claimOutbox(T0 + 100, 10);
        assert.equal(claimed.length, 1);
        assert.equal(claimed[0]!.to, '+15550000020');
        assert.equal(claimed[0]!.inDoubtSince, null);
        assert.deepEqual(await store.claimOutbox(T0 + 101, 10), [], 'a claimed item is not claimed twice');
      });

      it('paces a sender at 80 messages a second, shared by every claim', async () => {
        const c = await activeConversation({ from: '+15550000021' });
        for (let i = 0; i < 200; i++) {
          await store.queueOutbound({ conversationId: c.id, agentId: 'alice', body: `m${i}`, mediaId: null, template: null, replyToId: null, clientId: null, sender: c.businessPhone, now: T0 + 200 });
        }
        const claimed = await store.claimOutbox(T0 + 200, 500);
        assert.ok(claimed.length > 0 && claimed.length <= 80, `claimed ${claimed.length}: never more than 80 in a second`);
        const times = claimed.map((x) => x.sendAt);
        for (let i = 1; i < times.length; i++) assert.ok(times[i]! - times[i - 1]! >= 12.5, 'slots are at least 12.5 ms apart');
      });

      it('lets a second sender proceed while the first has a long backlog', async () => {
        const a = await activeConversation({ from: '+15550000027' });
        const b = await activeConversation({ from: '+15550000028', to: '+14155238887' });
        for (let i = 0; i < 300; i++) {
          await store.queueOutbound({ conversationId: a.id, agentId: 'alice', body: `a${i}`, mediaId: null, template: null, replyToId: null, clientId: null, sender: a.businessPhone, now: T0 + 900 });
        }
        await store.queueOutbound({ conversationId: b.id, agentId: 'alice', body: 'b0', mediaId: null, template: null, replyToId: null, clientId: null, sender: b.businessPhone, now: T0 + 901 });
        const claimed = await store.claimOutbox(T0 + 1000, 100);
        const fromB = claimed.filter((x) => x.sender === '+14155238887');
        assert.equal(fromB.length, 1, 'the second sender is not starved by the first one\'s backlog');
        assert.equal(fromB[0]!.sendAt, T0 + 1000, 'and is sent at once');
      });

      it('records sent, applies status forward only, and parks callbacks that arrive first', async () => {
        const c = await activeConversation({ from: '+15550000022' });
        const { message } = await store.queueOutbound({ conversationId: c.id, agentId: 'alice', body: 'Hi', mediaId: null, template: null, replyToId: null, clientId: null, sender: c.businessPhone, now: T0 + 300 });
        const twilioSid = sid();
        // Twilio's "delivered" overtakes our own record of the send.
        assert.deepEqual(await store.applyStatus({ messageSid: twilioSid, messageId: null, status: 'delivered', errorCode: null, errorMessage: null, now: T0 + 301 }), { applied: false, parked: true });
        await store.recordSendResult(message.id, { kind: 'sent', sid: twilioSid, status: 'queued' }, T0 + 302);
        assert.equal((await store.getMessage(message.id))!.status, 'delivered');
        await store.applyStatus({ messageSid: twilioSid, messageId: null, status: 'sent', errorCode: null, errorMessage: null, now: T0 + 303 });
        assert.equal((await store.getMessage(message.id))!.status, 'delivered', 'never moves back');
        await store.applyStatus({ messageSid: twilioSid, messageId: null, status: 'read', errorCode: null, errorMessage: null, now: T0 + 304 });
        assert.equal((await store.getMessage(message.id))!.status, 'read');
      });

      it('a callback naming our message id adopts the sid so it is never resent', async () => {
        const c = await activeConversation({ from: '+15550000023' });
        const { message } = await store.queueOutbound({ conversationId: c.id, agentId: 'alice', body: 'Hi', mediaId: null, template: null, replyToId: null, clientId: null, sender: c.businessPhone, now: T0 + 400 });
        await store.claimOutbox(T0 + 400, 10);
        await store.applyStatus({ messageSid: sid(), messageId: message.id, status: 'sent', errorCode: null, errorMessage: null, now: T0 + 401 });
        assert.equal((await store.getMessage(message.id))!.status, 'sent');
        assert.deepEqual(await store.claimOutbox(T0 + 1_000_000, 10), []);
      });

      it('retries later, fails with the reason, and requeues a failed message', async () => {
        const c = await activeConversation({ from: '+15550000024' });
        const { message } = await store.queueOutbound({ conversationId: c.id, agentId: 'alice', body: 'Hi', mediaId: null, template: null, replyToId: null, clientId: null, sender: c.businessPhone, now: T0 + 500 });
        await store.claimOutbox(T0 + 500, 10);
        await store.recordSendResult(message.id, { kind: 'retry', nextAttemptAt: T0 + 5000, code: 20429, message: 'Too many requests', ambiguous: false }, T0 + 501);
        assert.deepEqual(await store.claimOutbox(T0 + 4999, 10), []);
        const again = await store.claimOutbox(T0 + 5000, 10);
        assert.equal(again[0]?.attempts, 1);
        assert.equal(again[0]?.inDoubtSince, null, 'a refused send is not in doubt');
        await store.recordSendResult(message.id, { kind: 'failed', code: 21211, message: 'Invalid To number' }, T0 + 5001);
        const failed = (await store.getMessage(message.id))!;
        assert.equal(failed.status, 'failed');
        assert.equal(failed.errorCode, 21211);
        assert.equal(failed.errorMessage, 'Invalid To number');
        const requeued = await store.requeueOutbound(message.id, T0 + 6000);
        assert.equal(requeued.status, 'queued');
        assert.equal((await store.claimOutbox(T0 + 6000, 10)).length, 1);
      });

      it('hands back an in-flight item whose lease ran out as in doubt', async () => {
        const c = await activeConversation({ from: '+15550000025' });
        const { message } = await store.queueOutbound({ conversationId: c.id, agentId: 'alice', body: 'Hi', mediaId: null, template: null, replyToId: null, clientId: null, sender: '+19990000001', now: T0 + 700 });
        const [claimed] = await store.claimOutbox(T0 + 700, 10);
        assert.equal(claimed?.messageId, message.id);
        const later = await store.claimOutbox(T0 + 700 + 61_000, 10);
        assert.equal(later[0]?.messageId, message.id);
        assert.equal(later[0]?.inDoubtSince, claimed!.sendAt);
      });

      it('keeps an item in doubt after an ambiguous failure (timeout) until it is resolved', async () => {
        const c = await activeConversation({ from: '+15550000026' });
        const { message } = await store.queueOutbound({ conversationId: c.id, agentId: 'alice', body: 'Hi', mediaId: null, template: null, replyToId: null, clientId: null, sender: c.businessPhone, now: T0 + 800 });
        const [claimed] = await store.claimOutbox(T0 + 800, 10);
        await store.recordSendResult(message.id, { kind: 'retry', nextAttemptAt: T0 + 2000, code: null, message: 'timeout', ambiguous: true }, T0 + 900);
        const [again] = await store.claimOutbox(T0 + 2000, 10);
        assert.equal(again?.inDoubtSince, claimed!.sendAt);
      });
    });

    describe('webhooks arriving together (one group commit)', () => {
      before(fresh);
      const phone = (i: number) => `+1555020${String(i).padStart(4, '0')}`;

      it('refuses only the webhook that fails; the rest of its group is stored once, with its events', async () => {
        const start = await store.latestEventId();
        const burst = Array.from({ length: 40 }, (_, i) => inbound({ from: phone(i), body: `burst ${i}` }));
        // Media without a content type breaks a NOT NULL constraint inside its own unit of work.
        const broken = inbound({ from: phone(999), media: [{ url: 'https://api.twilio.com/x', contentType: null as unknown as string }] });
        const calls = [...burst.slice(0, 20), broken, ...burst.slice(20)];
        const results = await Promise.allSettled(calls.map((m) => store.recordInbound(m)));
        assert.equal(results[20]!.status, 'rejected', 'the broken webhook is refused');
        const stored = results.filter((r): r is PromiseFulfilledResult<Awaited<ReturnType<Store['recordInbound']>>> => r.status === 'fulfilled');
        assert.equal(stored.length, 40, 'every other webhook of the group is acknowledged');
        assert.ok(stored.every((r) => !r.value.duplicate && r.value.opened));
        for (const r of stored) {
          const page = await store.listMessages(r.value.conversation.id, null, 10);
          assert.deepEqual(page.items.map((m) => m.id), [r.value.message.id], 'stored once, in its own conversation');
        }
        const everyone = await store.listConversations(supervisor, null, T0);
        assert.ok(!everyone.some((c) => c.customerPhone === phone(999)), 'the refused one left no conversation behind');
        const events = await store.readEvents(supervisor, start, 1000);
        assert.equal(events.filter((e) => e.type === 'message').length, 40, 'one message event per stored webhook, none for the refused one');
        assert.equal(events.filter((e) => e.type === 'window').length, 40);
        // Twilio retries the refused webhook once it is fixed: it is stored then.
        const retried = await store.recordInbound({ ...broken, media: [] });
        assert.equal(retried.duplicate, false);
      });

      it('dedupes a MessageSid sent several times in one group and keeps one customer in one conversation, in order', async () => {
        const repeated = inbound({ from: phone(100), body: 'said three times' });
        const sameCustomer = Array.from({ length: 10 }, (_, i) => inbound({ from: phone(101), body: `part ${i}`, receivedAt: T0 + i }));
        const results = await Promise.all([repeated, ...sameCustomer, repeated, repeated].map((m) => store.recordInbound(m)));
        const copies = results.filter((r) => r.message.twilioSid === repeated.messageSid);
        assert.equal(copies.length, 3);
        assert.equal(copies.filter((r) => !r.duplicate).length, 1, 'stored once');
        assert.equal(new Set(copies.map((r) => r.message.id)).size, 1, 'every delivery answers with the stored message');
        assert.equal((await store.listMessages(copies[0]!.conversation.id, null, 10)).items.length, 1);

        const parts = results.filter((r) => r.conversation.customerPhone === phone(101));
        assert.equal(new Set(parts.map((r) => r.conversation.id)).size, 1, 'one conversation for the customer');
        assert.equal(parts.filter((r) => r.opened).length, 1, 'opened once');
        const page = await store.listMessages(parts[0]!.conversation.id, null, 50);
        assert.deepEqual(page.items.map((m) => m.body), sameCustomer.map((m) => m.body), 'in the order they arrived');
        const conversation = await store.getConversation(parts[0]!.conversation.id);
        assert.equal(conversation?.lastInboundAt, T0 + 9, 'the window runs from the newest');
      });

      it('applies status callbacks arriving together, each once, beside inbound messages', async () => {
        const c = await activeConversation({ from: phone(200) });
        const sent = [];
        for (let i = 0; i < 5; i++) {
          const { message } = await store.queueOutbound({ conversationId: c.id, agentId: 'alice', body: `out ${i}`, mediaId: null, template: null, replyToId: null, clientId: null, sender: c.businessPhone, now: T0 + 10 });
          const twilioSid = sid();
          await store.recordSendResult(message.id, { kind: 'sent', sid: twilioSid, status: 'queued' }, T0 + 11);
          sent.push({ id: message.id, twilioSid });
        }
        const unknown = sid();
        const status = (messageSid: string, s: 'sent' | 'delivered' | 'read') => store.applyStatus({ messageSid, messageId: null, status: s, errorCode: null, errorMessage: null, now: T0 + 12 });
        const results = await Promise.all([
          ...sent.map((m) => status(m.twilioSid, 'delivered')),
          store.recordInbound(inbound({ from: phone(200), body: 'thanks', receivedAt: T0 + 12 })),
          ...sent.map((m) => status(m.twilioSid, 'sent')),
          status(unknown, 'read'),
        ]);
        assert.deepEqual(results.slice(0, 5), Array(5).fill({ applied: true, parked: false }));
        assert.deepEqual(results.slice(6, 11), Array(5).fill({ applied: false, parked: false }), 'never moves back');
        assert.deepEqual(results[11], { applied: false, parked: true });
        for (const m of sent) assert.equal((await store.getMessage(m.id))!.status, 'delivered');
      });

      it('keeps quotes, backslashes and emoji intact in the events written with the commit', async () => {
        const start = await store.latestEventId();
        const body = `It's "broken" \\ C:\\path $$ $1 '; COMMIT; -- 😀 ção\nnew line`;
        const r = await store.recordInbound(inbound({ from: phone(300), body }));
        assert.equal(r.message.body, body);
        const [message] = (await store.readEvents(supervisor, start, 10)).filter((e) => e.type === 'message');
        assert.equal((message!.data as { message: { body: string } }).message.body, body);
      });
    });

    describe('the event log', () => {
      before(fresh);
      it('gives each agent its own events in order by increasing id, and supervisors all', async () => {
        const start = await store.latestEventId();
        const r = await store.recordInbound(inbound({ from: '+15550000030' }));
        await store.createOffer(r.conversation.id, 'bob', T0 + 120_000, T0);
        await store.acceptOffer(r.conversation.id, 'bob', T0 + 1);
        // Queue counts go to every member of the queue (here: everyone) and are checked in team-contract.ts.
        const bobs = (await store.readEvents(bob, start, 100)).filter((e) => e.type !== 'queue');
        assert.deepEqual(
          bobs.map((e) => e.type),
          ['offer', 'offer_withdrawn', 'state'],
        );
        assert.ok(bobs.every((e, i) => i === 0 || e.id > bobs[i - 1]!.id));
        assert.equal((await store.readEvents(alice, start, 100)).filter((e) => e.type !== 'queue').length, 0);
        const all = (await store.readEvents(supervisor, start, 100)).filter((e) => e.type !== 'queue');
        assert.deepEqual(all.map((e) => e.type), ['message', 'window', 'offer', 'offer_withdrawn', 'state']);
        const resumed = (await store.readEvents(bob, bobs[0]!.id, 100)).filter((e) => e.type !== 'queue');
        assert.deepEqual(resumed.map((e) => e.id), bobs.slice(1).map((e) => e.id));
        assert.ok((await store.latestEventId()) >= all.at(-1)!.id);
      });
    });

    describe('notes, media, search and configuration data', () => {
      before(fresh);
      it('adds notes for the assigned agent', async () => {
        const c = await activeConversation({ from: '+15550000040' });
        await store.addNote(c.id, { ...alice, agentName: 'Alice' }, 'Customer prefers email', T0 + 10);
        await assert.rejects(store.addNote(c.id, { ...bob, agentName: 'Bob' }, 'x', T0 + 11), { code: 'not_found' });
        const notes = await store.listNotes(c.id);
        assert.deepEqual(notes.map((n) => [n.agentName, n.body]), [['Alice', 'Customer prefers email']]);
      });

      it('keeps uploads with an expiring public token', async () => {
        const bytes = new Uint8Array([0x25, 0x50, 0x44, 0x46]);
        const m = await store.saveUpload({ bytes, contentType: 'application/pdf', filename: 'invoice.pdf', publicToken: 'tok-1', publicExpiresAt: T0 + 1000, agentId: 'alice' });
        assert.deepEqual(await store.getMediaBytes(m.id), bytes);
        assert.equal((await store.getMediaByPublicToken('tok-1', T0))?.id, m.id);
        assert.equal(await store.getMediaByPublicToken('tok-1', T0 + 1000), null);
      });

      it('finds messages by words across the agent own conversations only', async () => {
        const c = await activeConversation({ from: '+15550000041', body: 'My parcel tracking number is wrong' });
        const hits = await store.searchMessages(alice, 'parcel track', 10);
        assert.equal(hits[0]?.conversationId, c.id);
        assert.match(hits[0]!.snippet, /parcel/);
        assert.deepEqual(await store.searchMessages(bob, 'parcel', 10), []);
        assert.deepEqual(await store.searchMessages(alice, '"; DROP TABLE messages; --', 10), []);
      });

      it('finds words whatever their accents, typed with or without them', async () => {
        const c = await activeConversation({ from: '+15550000042', body: 'Não recebi o café' });
        assert.equal((await store.searchMessages(alice, 'nao cafe', 10))[0]?.conversationId, c.id);
        assert.equal((await store.searchMessages(alice, 'Café', 10))[0]?.conversationId, c.id);
      });

      it('seeds configuration data once, keeping order', async () => {
        const quickReplies = [
          { id: 'qr1', title: 'Greeting', body: 'Hi {customer.name}', tags: ['hello'] },
          { id: 'qr2', title: 'Bye', body: 'Bye', tags: [] },
        ];
        await store.seedConfigData({ quickReplies, scripts: [], templates: [] });
        await store.seedConfigData({ quickReplies, scripts: [], templates: [] });
        assert.deepEqual(await store.listQuickReplies(), quickReplies);
      });
    });

    describe('WhatsApp fidelity', () => {
      beforeEach(fresh);
      const reply = (c: ConversationRow, now: number, body = 'Hi') =>
        store.queueOutbound({ conversationId: c.id, agentId: 'alice', body, mediaId: null, template: null, replyToId: null, clientId: null, sender: c.businessPhone, now });

      it('stores and serves what a message carries beyond text: location, contacts, button, forwarded, unsupported with its raw parameters', async () => {
        const kinds: WhatsAppExtras[] = [
          { location: { latitude: -23.5613, longitude: -46.6565, address: 'Av. Paulista, 1578', label: 'MASP' } },
          { contacts: [{ name: 'Ana Souza', phones: ['+5511987654321'] }] },
          { button: { text: 'Track my order', payload: 'track' }, forwarded: true },
          { unsupported: true, messageType: 'reaction', raw: { MessageType: 'reaction', Body: '' } },
        ];
        const stored = [];
        for (const whatsapp of kinds) stored.push(await store.recordInbound(inbound({ from: '+15550000070', body: 'x', whatsapp })));
        assert.deepEqual(stored.map((r) => r.message.whatsapp), kinds, 'as the store answers the webhook');
        const page = await store.listMessages(stored[0]!.conversation.id, null, 10);
        assert.deepEqual(page.items.map((m) => m.whatsapp), kinds, 'as it reads them back');
        const again = await store.recordInbound(inbound({ from: '+15550000070', messageSid: stored[1]!.message.twilioSid!, whatsapp: kinds[1] }));
        assert.equal(again.duplicate, true);
        assert.deepEqual(again.message.whatsapp, kinds[1], 'a duplicate answers the stored copy');
        const plain = await store.recordInbound(inbound({ from: '+15550000070' }));
        assert.equal(plain.message.whatsapp, null);
      });

      it('keeps the referral of the message that opens a conversation, and the business first reply time once', async () => {
        const referral = { sourceType: 'ad', sourceUrl: 'https://fb.me/abc', headline: 'Spring sale', body: '20% off', ctwaClid: 'ARAkLkA8' };
        const first = await store.recordInbound(inbound({ from: '+15550000071', referral }));
        assert.deepEqual(first.conversation.referral, referral);
        assert.equal(first.conversation.firstReplyAt, null);
        const later = await store.recordInbound(inbound({ from: '+15550000071', referral: { ...referral, headline: 'Another ad' } }));
        assert.deepEqual(later.conversation.referral, referral, 'a later message does not replace it');
        const c = await activeConversation({ from: '+15550000072', referral });
        await reply(c, T0 + 5000);
        await reply(c, T0 + 9000);
        assert.equal((await store.getConversation(c.id))!.firstReplyAt, T0 + 5000);
        const plain = await store.recordInbound(inbound({ from: '+15550000073' }));
        assert.equal(plain.conversation.referral, null);
      });

      it('opts a customer out on STOP and back in on START, logging each change with its time and cause', async () => {
        const c = await activeConversation({ from: '+15550000074' });
        const stop = await store.recordInbound(inbound({ from: '+15550000074', body: '  stop ', receivedAt: T0 + 2000 }));
        assert.equal(stop.conversation.optedOut, true);
        assert.equal((await store.getConversation(c.id))!.optedOut, true);
        await assert.rejects(reply(c, T0 + 3000), (e: Error & { code?: string }) => e.code === 'opted_out');
        assert.equal((await store.listMessages(c.id, null, 50)).items.filter((m) => m.direction === 'outbound').length, 0, 'nothing queued');
        // Another STOP changes nothing: it is not logged again.
        await store.recordInbound(inbound({ from: '+15550000074', body: 'UNSUBSCRIBE', receivedAt: T0 + 2500 }));
        const start = await store.recordInbound(inbound({ from: '+15550000074', body: 'Start', receivedAt: T0 + 4000 }));
        assert.equal(start.conversation.optedOut, false);
        assert.equal((await reply(c, T0 + 5000)).message.status, 'queued');
        const log = await store.consentLog('+15550000074', c.businessPhone);
        assert.deepEqual(
          log.map((e) => [e.optedOut, e.cause, e.createdAt, e.messageId]),
          [
            [true, 'keyword:STOP', T0 + 2000, stop.message.id],
            [false, 'keyword:START', T0 + 4000, start.message.id],
          ],
        );
        assert.equal((await store.recordInbound(inbound({ from: '+15550000074', body: 'stop it please' }))).conversation.optedOut, false, 'only the exact keyword');
      });

      it('tells the agent the consent changed, and a new conversation with the customer keeps it', async () => {
        const c = await activeConversation({ from: '+15550000075' });
        const before = await store.latestEventId();
        await store.recordInbound(inbound({ from: '+15550000075', body: 'QUIT' }));
        const events = await store.readEvents(alice, before, 50);
        const state = events.find((e) => e.type === 'state');
        assert.equal((state?.data as { conversation: { optedOut?: boolean } } | undefined)?.conversation.optedOut, true);
        await store.changeState(c.id, alice, 'wrapup', T0 + 3000);
        await store.changeState(c.id, alice, 'closed', T0 + 3001);
        const next = await store.recordInbound(inbound({ from: '+15550000075', body: 'Hello again' }));
        assert.notEqual(next.conversation.id, c.id);
        assert.equal(next.conversation.optedOut, true);
        assert.equal((await store.recordInbound(inbound({ from: '+15550000075', to: '+14155230000', body: 'hi' }))).conversation.optedOut, false, 'per business number');
      });

      it('opts out on Twilio 21610 from a send and 63014 from a status callback', async () => {
        const c = await activeConversation({ from: '+15550000076' });
        const { message } = await reply(c, T0 + 2000);
        await store.claimOutbox(T0 + 2000, 10);
        await store.recordSendResult(message.id, { kind: 'failed', code: 21610, message: 'Attempt to send to unsubscribed recipient' }, T0 + 2001);
        assert.equal((await store.getConversation(c.id))!.optedOut, true);
        await store.recordInbound(inbound({ from: '+15550000076', body: 'yes', receivedAt: T0 + 3000 }));
        const second = await reply(c, T0 + 4000);
        await store.claimOutbox(T0 + 4000, 10);
        const sid = 'SM' + 'e'.repeat(32);
        await store.recordSendResult(second.message.id, { kind: 'sent', sid, status: 'sent' }, T0 + 4001);
        await store.applyStatus({ messageSid: sid, messageId: null, status: 'undelivered', errorCode: 63014, errorMessage: 'blocked', now: T0 + 5000 });
        assert.equal((await store.getConversation(c.id))!.optedOut, true);
        assert.deepEqual(
          (await store.consentLog('+15550000076', c.businessPhone)).map((e) => [e.optedOut, e.cause]),
          [
            [true, 'twilio:21610'],
            [false, 'keyword:YES'],
            [true, 'twilio:63014'],
          ],
        );
        await assert.rejects(store.requeueOutbound(message.id, T0 + 6000), (e: Error & { code?: string }) => e.code === 'opted_out');
      });

      it('fails replies still waiting in the outbox when the customer opts out: they never reach Twilio', async () => {
        const c = await activeConversation({ from: '+15550000080' });
        const waiting = await reply(c, T0 + 2000);
        await store.recordInbound(inbound({ from: '+15550000080', body: 'STOP', receivedAt: T0 + 2500 }));
        assert.deepEqual(await store.claimOutbox(T0 + 3000, 10), []);
        const failed = (await store.getMessage(waiting.message.id))!;
        assert.equal(failed.status, 'failed');
        assert.match(failed.errorMessage ?? '', /opted out/);
        assert.equal(failed.twilioSid, null);
      });

      it('changes consent inside a group of webhooks without disturbing the others', async () => {
        const results = await Promise.all([
          store.recordInbound(inbound({ from: '+15550000077', body: 'hello' })),
          store.recordInbound(inbound({ from: '+15550000078', body: 'STOP' })),
          store.recordInbound(inbound({ from: '+15550000079', body: 'hello' })),
        ]);
        assert.deepEqual(results.map((r) => r.conversation.optedOut), [false, true, false]);
        assert.equal((await store.consentLog('+15550000078', '+14155238886')).length, 1);
      });
    });
  });
}
