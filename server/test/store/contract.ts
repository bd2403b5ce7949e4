/**
 * The Store contract: every adapter (SQLite, PostgreSQL) must pass this same suite.
 * `makeStore` returns a fresh, migrated, empty store.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { crmQueueContract } from './crm-contract.ts';
import { eventLogContract } from './event-log-contract.ts';
import { fidelityContract } from './fidelity-contract.ts';
import { sqlRulesContract } from './sql-rules-contract.ts';
import type { ConversationRow, InboundRecord, Store, StoredEventData, Viewer } from '../../src/store/port.ts';
import { OUTBOX_LEASE_MS, SEND_INTERVAL_MS } from '../../src/outbox/pacing.ts';
import { PUBLIC_LINK_TTL_MS } from '../../src/usecases/public-media-link.ts';
import { UNSENT_UPLOAD_BATCH, UNSENT_UPLOAD_KEPT_MS } from '../../src/usecases/forget-unsent-uploads.ts';

export const T0 = Date.parse('2026-03-01T10:00:00Z');
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

export const alice: Viewer = { agentId: 'alice', supervisor: false };
export const bob: Viewer = { agentId: 'bob', supervisor: false };
export const supervisor: Viewer = { agentId: 'sue', supervisor: true };

/** What a suite in another file needs of the contract's store. */
export interface ContractContext {
  store(): Store;
  /** A fresh, migrated store with agents alice and bob (for `before`/`beforeEach`). */
  fresh(): Promise<Store>;
  /** An inbound message accepted by alice: an active conversation. */
  activeConversation(overrides?: Partial<InboundRecord>): Promise<ConversationRow>;
}
export const RESOLVED = { disposition: 'resolved', summary: null };

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

    // Suites in files of their own, over the same store.
    const context: ContractContext = { store: () => store, fresh, activeConversation };
    sqlRulesContract(context);
    crmQueueContract(context);
    eventLogContract(context);
    fidelityContract(context);

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

      it("answers the webhook's path with a receipt: the conversation and its queue, the events as the log has them, a duplicate as one", async () => {
        const c = await activeConversation({ from: '+447700900130' });
        const start = await store.latestEventId();
        const msg = inbound({ from: '+447700900130', receivedAt: T0 + 2000 });
        // The agents' streams are told from `committed`, before the answer (which waits for durability).
        const told: unknown[] = [];
        const receipt = await store.recordInboundReceipt(msg, (r) => told.push(r));
        assert.deepEqual(told, [receipt], 'committed gets the receipt once, before the promise resolves');
        assert.deepEqual(
          { duplicate: receipt.duplicate, opened: receipt.opened, conversationId: receipt.conversationId, queueId: receipt.queueId },
          { duplicate: false, opened: false, conversationId: c.id, queueId: c.queueId },
        );
        const log = await store.readEvents({ agentId: 'alice', supervisor: true }, start, 100);
        // One row: the message with the window it re-opened (streamed as `message` and `window`).
        assert.deepEqual(log.map((e) => e.type), ['message']);
        assert.equal((log[0]!.data as StoredEventData['message']).windowExpiresAt, new Date(T0 + 2000 + 24 * 3600_000).toISOString());
        // As recordInbound: an adapter that knows the events' ids when it answers hands them all back.
        if (receipt.events) assert.deepEqual(receipt.events.map((e) => [e.id, e.type, e.agentId, JSON.stringify(e.data)]), log.map((e) => [e.id, e.type, e.agentId, JSON.stringify(e.data)]));
        const again = await store.recordInboundReceipt(msg);
        assert.equal(again.duplicate, true);
        assert.equal(again.conversationId, c.id);
        assert.equal(again.events?.length ?? 0, 0);
        const opened = await store.recordInboundReceipt(inbound({ from: '+447700900131' }));
        assert.equal(opened.opened, true);
        const conversation = await store.getConversation(opened.conversationId);
        assert.equal(conversation?.customerPhone, '+447700900131');
        assert.equal(opened.queueId, conversation?.queueId);
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

      it('pages the waiting list oldest first, ties by id, each conversation once; reads the declines of a page at once', async () => {
        const now = T0 + 200_000;
        for (const from of ['+15550000011', '+15550000012', '+15550000013']) await store.recordInbound(inbound({ from, receivedAt: T0 + 100 }));
        const whole = await store.listUnoffered(now, 500);
        const paged: ConversationRow[] = [];
        for (let page = await store.listUnoffered(now, 2); page.length; page = await store.listUnoffered(now, 2, null, page.at(-1))) paged.push(...page);
        assert.deepEqual(paged.map((c) => c.id), whole.map((c) => c.id));
        assert.equal(new Set(paged.map((c) => c.id)).size, paged.length);

        const [first, second] = whole.slice(-2);
        await store.createOffer(first!.id, 'alice', T0 + 300, T0 + 150);
        await store.rejectOffer(first!.id, 'alice', T0 + 160);
        const declines = await store.declinesOf([first!.id, second!.id], T0 + 150);
        assert.deepEqual([...(declines.get(first!.id) ?? [])], ['alice']);
        assert.equal(declines.has(second!.id), false);
        assert.equal((await store.declinesOf([first!.id], T0 + 161)).size, 0, 'a decline older than `since` is forgotten');
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

    describe('conversation states', () => {
      before(fresh);
      it('allows only valid transitions and hides other agents conversations', async () => {
        const c = await activeConversation({ from: '+15550000010' });
        await assert.rejects(store.changeState(c.id, alice, 'closed', T0 + 2, RESOLVED), { code: 'invalid_transition' });
        // A close that names no disposition is told so first, whatever the state.
        await assert.rejects(store.changeState(c.id, alice, 'closed', T0 + 2), { code: 'disposition_required' });
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
      /** `n` customers' active conversations on one business number: a customer's replies go one at a time, so a sender's pace shows across customers. */
      const customers = async (n: number, prefix: string, to?: string) => {
        const list: ConversationRow[] = [];
        for (let i = 0; i < n; i++) list.push(await activeConversation({ from: `+1${prefix}${String(i).padStart(4, '0')}`, ...(to ? { to } : {}) }));
        return list;
      };
      const queueTo = (c: ConversationRow, body: string, now: number) =>
        store.queueOutbound({ conversationId: c.id, agentId: 'alice', body, mediaId: null, template: null, replyToId: null, clientId: null, sender: c.businessPhone, now });
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
        for (const [i, c] of (await customers(120, '55500021')).entries()) await queueTo(c, `m${i}`, T0 + 200);
        const claimed = await store.claimOutbox(T0 + 200, 500);
        assert.ok(claimed.length > 0 && claimed.length <= 80, `claimed ${claimed.length}: never more than 80 in a second`);
        const times = claimed.map((x) => x.sendAt);
        for (let i = 1; i < times.length; i++) assert.ok(times[i]! - times[i - 1]! >= 12.5, 'slots are at least 12.5 ms apart');
      });

      it('lets a second sender proceed while the first has a long backlog', async () => {
        const b = await activeConversation({ from: '+15550000028', to: '+14155238887' });
        for (const [i, a] of (await customers(120, '55500027')).entries()) await queueTo(a, `a${i}`, T0 + 900);
        await store.queueOutbound({ conversationId: b.id, agentId: 'alice', body: 'b0', mediaId: null, template: null, replyToId: null, clientId: null, sender: b.businessPhone, now: T0 + 901 });
        const claimed = await store.claimOutbox(T0 + 1000, 100);
        const fromB = claimed.filter((x) => x.sender === '+14155238887');
        assert.equal(fromB.length, 1, 'the second sender is not starved by the first one\'s backlog');
        assert.equal(fromB[0]!.sendAt, T0 + 1000, 'and is sent at once');
      });

      it('lets a sender with a free slot proceed while busy senders with older backlogs fill more than a claim', async () => {
        const busy = ['+14155238801', '+14155238802'];
        for (const [i, to] of busy.entries()) for (const [n, c] of (await customers(140, `5550001${i}`, to)).entries()) await queueTo(c, `m${n}`, T0 + 900);
        // The busy senders' first second of slots is taken.
        assert.ok((await store.claimOutbox(T0 + 1000, 1000)).length > 0);
        const quiet = await activeConversation({ from: '+15550000199', to: '+14155238899' });
        await store.queueOutbound({ conversationId: quiet.id, agentId: 'alice', body: 'quiet', mediaId: null, template: null, replyToId: null, clientId: null, sender: quiet.businessPhone, now: T0 + 1001 });
        // The busy senders' older items (2 × 61) would fill a claim of 100, few of them sendable yet.
        const claimed = await store.claimOutbox(T0 + 1002, 100);
        const fromQuiet = claimed.filter((x) => x.sender === '+14155238899');
        assert.deepEqual(fromQuiet.map((x) => x.sendAt), [T0 + 1002], 'the quiet sender is claimed, and sent at once');
        assert.ok(claimed.length < 20, `${claimed.length} claimed: the busy senders only as their slots come due`);
      });

      it("claims a customer's next reply only once the one before it is settled, so a retried one is not overtaken", async () => {
        const [c, d] = await customers(2, '55500029');
        const first = (await queueTo(c!, 'first', T0 + 600)).message;
        const second = (await queueTo(c!, 'second', T0 + 600)).message;
        const other = (await queueTo(d!, 'other customer', T0 + 600)).message;
        assert.deepEqual((await store.claimOutbox(T0 + 600, 10)).map((x) => x.messageId), [first.id, other.id], 'one at a time per customer; others are not held up');
        assert.equal(await store.nextOutboxDueAt(), T0 + 600 + OUTBOX_LEASE_MS, 'the one waiting is not due before the one ahead settles');
        await store.recordSendResult(first.id, { kind: 'retry', nextAttemptAt: T0 + 5000, code: 20429, message: 'Too many requests', ambiguous: false }, T0 + 601);
        assert.deepEqual(await store.claimOutbox(T0 + 602, 10), [], 'the second waits behind the retried first');
        assert.deepEqual((await store.claimOutbox(T0 + 5000, 10)).map((x) => x.messageId), [first.id]);
        await store.recordSendResult(first.id, { kind: 'sent', sid: sid(), status: 'queued' }, T0 + 5001);
        assert.deepEqual((await store.claimOutbox(T0 + 5002, 10)).map((x) => x.messageId), [second.id]);
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

      it("keeps the error of a send found failed, and takes a missing one from a later report of the same failure, never replacing one", async () => {
        const c = await activeConversation({ from: '+15550000023' });
        const queue = (now: number) => store.queueOutbound({ conversationId: c.id, agentId: 'alice', body: 'Hi', mediaId: null, template: null, replyToId: null, clientId: null, sender: c.businessPhone, now });
        const found = (await queue(T0 + 310)).message;
        await store.recordSendResult(found.id, { kind: 'sent', sid: sid(), status: 'undelivered', errorCode: 63016, errorMessage: 'Outside the window' }, T0 + 311);
        const recorded = (await store.getMessage(found.id))!;
        assert.deepEqual([recorded.status, recorded.errorCode, recorded.errorMessage], ['undelivered', 63016, 'Outside the window']);

        const silent = (await queue(T0 + 320)).message;
        const twilioSid = sid();
        await store.recordSendResult(silent.id, { kind: 'sent', sid: twilioSid, status: 'undelivered' }, T0 + 321);
        const before = await store.latestEventId();
        const report = (status: 'undelivered' | 'failed', errorCode: number | null) =>
          store.applyStatus({ messageSid: twilioSid, messageId: null, status, errorCode, errorMessage: errorCode === null ? null : `error ${errorCode}`, now: T0 + 322 });
        assert.equal((await report('undelivered', null)).applied, false, 'names nothing');
        assert.equal((await report('undelivered', 63016)).applied, true);
        assert.equal((await report('undelivered', 63024)).applied, false, 'an error is never replaced');
        assert.equal((await report('failed', 63024)).applied, false, 'nor the status moved sideways');
        const stored = (await store.getMessage(silent.id))!;
        assert.deepEqual([stored.status, stored.errorCode, stored.errorMessage], ['undelivered', 63016, 'error 63016']);
        const told = (await store.readEvents(alice, before, 50)).filter((e) => e.type === 'status');
        assert.deepEqual(told.map((e) => (e.data as { errorCode: number | null }).errorCode), [63016], 'the agent is told once');
      });

      it('hands back the events a status callback wrote, when it knows them, exactly as the log has them', async () => {
        const c = await activeConversation({ from: '+15550000024' });
        const { message } = await store.queueOutbound({ conversationId: c.id, agentId: 'alice', body: 'On its way', mediaId: null, template: null, replyToId: null, clientId: null, sender: c.businessPhone, now: T0 + 500 });
        await store.claimOutbox(T0 + 500, 10);
        const start = await store.latestEventId();
        const result = await store.applyStatus({ messageSid: sid(), messageId: message.id, status: 'sent', errorCode: null, errorMessage: null, now: T0 + 501 });
        assert.equal(result.applied, true);
        const log = await store.readEvents({ agentId: 'alice', supervisor: true }, start, 100);
        assert.ok(log.some((e) => e.type === 'status'));
        // An adapter that numbers events at commit (PostgreSQL) says nothing; one that knows them says all.
        if (result.events) assert.deepEqual(result.events.map((e) => [e.id, e.type]), log.map((e) => [e.id, e.type]));
      });

      it('a callback naming our message id adopts the sid so it is never resent', async () => {
        const c = await activeConversation({ from: '+15550000023' });
        const { message } = await store.queueOutbound({ conversationId: c.id, agentId: 'alice', body: 'Hi', mediaId: null, template: null, replyToId: null, clientId: null, sender: c.businessPhone, now: T0 + 400 });
        await store.claimOutbox(T0 + 400, 10);
        await store.applyStatus({ messageSid: sid(), messageId: message.id, status: 'sent', errorCode: null, errorMessage: null, now: T0 + 401 });
        assert.equal((await store.getMessage(message.id))!.status, 'sent');
        assert.deepEqual(await store.claimOutbox(T0 + 1_000_000, 10), []);
      });

      it("says whether recording a send's result told the agents anything (so the relay reads the log only then)", async () => {
        const c = await activeConversation({ from: '+15550000044' });
        const reply = (body: string) => store.queueOutbound({ conversationId: c.id, agentId: 'alice', body, mediaId: null, template: null, replyToId: null, clientId: null, sender: c.businessPhone, now: T0 + 450 });
        const raced = (await reply('callback first')).message;
        const plain = (await reply('answer first')).message;
        const refused = (await reply('refused')).message;
        await store.claimOutbox(T0 + 450, 10);
        const racedSid = sid();
        await store.applyStatus({ messageSid: racedSid, messageId: raced.id, status: 'sent', errorCode: null, errorMessage: null, now: T0 + 451 });
        const start = await store.latestEventId();
        assert.equal(await store.recordSendResult(raced.id, { kind: 'sent', sid: racedSid, status: 'queued' }, T0 + 452), false, 'Twilio answered queued after its sent callback: nothing moves');
        assert.equal(await store.recordSendResult(plain.id, { kind: 'sent', sid: sid(), status: 'queued' }, T0 + 452), false, 'queued, as it was');
        assert.equal(await store.latestEventId(), start, 'and no event was written');
        assert.equal(await store.recordSendResult(refused.id, { kind: 'failed', code: 21211, message: 'Invalid To number' }, T0 + 453), true);
        const log = await store.readEvents({ agentId: 'alice', supervisor: true }, start, 10);
        assert.deepEqual(log.map((e) => e.type), ['status']);
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

      // claimForSending: the reply's own transaction claims it, by the same rule as claimOutbox.
      const reply = (c: ConversationRow, body: string, now: number, claimForSending = true, sender = c.businessPhone) =>
        store.queueOutbound({ conversationId: c.id, agentId: 'alice', body, mediaId: null, template: null, replyToId: null, clientId: null, sender, now, claimForSending });

      it('claims a reply in the transaction that queues it when its sender is free, once, and takes it back after the lease', async () => {
        const c = await activeConversation({ from: '+15550000040' });
        const queued = await reply(c, 'On its way', T0 + 10_000);
        assert.deepEqual(queued.claimed.map((x) => [x.messageId, x.to, x.sendAt, x.inDoubtSince]), [[queued.message.id, '+15550000040', T0 + 10_000, null]]);
        // An adapter that numbers events at commit (PostgreSQL) says nothing; one that knows them says all.
        if (queued.events) assert.deepEqual(queued.events.map((e) => [e.type, e.agentId]), [['message', 'alice']]);
        assert.equal(queued.claimed[0]!.body, 'On its way');
        assert.deepEqual(await store.claimOutbox(T0 + 10_001, 10), [], 'the worker does not claim it a second time');
        assert.deepEqual(await store.claimOutbox(T0 + 10_000 + OUTBOX_LEASE_MS - 1, 10), [], 'nor while the lease holds');
        // The process that claimed it died before recording the send: it comes back, in doubt (Twilio is asked first).
        const [back] = await store.claimOutbox(T0 + 10_000 + OUTBOX_LEASE_MS, 10);
        assert.equal(back?.messageId, queued.message.id);
        assert.equal(back?.inDoubtSince, T0 + 10_000);
        assert.equal(await store.nextOutboxDueAt(), T0 + 10_000 + 2 * OUTBOX_LEASE_MS);
      });

      it('claims nothing unless asked, and nothing for a resend of the same clientId', async () => {
        const c = await activeConversation({ from: '+15550000041' });
        assert.deepEqual((await reply(c, 'Not claimed', T0 + 11_000, false)).claimed, []);
        const record = { conversationId: c.id, agentId: 'alice', body: 'Once', mediaId: null, template: null, replyToId: null, clientId: 'c-41', sender: c.businessPhone, now: T0 + 11_000, claimForSending: true };
        const first = await store.queueOutbound(record);
        const again = await store.queueOutbound(record);
        assert.equal(again.duplicate, true);
        assert.deepEqual(again.claimed, [], 'the first one is claimed already');
        // The first reply was due before the second: it is claimed, and the second waits for it (nothing jumps its customer's queue).
        assert.deepEqual(first.claimed.map((x) => x.body), ['Not claimed']);
        assert.deepEqual(await store.claimOutbox(T0 + 11_001, 10), []);
      });

      it("shares the sender's pacing slots with the worker's claims, and leaves other senders to the worker", async () => {
        const [a, other, late, ...backlog] = await customers(100, '55500042');
        const b = await activeConversation({ from: '+15550000043', to: '+14155238887' });
        const fromB = await reply(b, 'b0', T0 + 12_000, false);
        const first = await reply(a!, 'a0', T0 + 12_000);
        const second = await reply(other!, 'a1', T0 + 12_000);
        assert.deepEqual(first.claimed.map((x) => x.sendAt), [T0 + 12_000]);
        assert.deepEqual(second.claimed.map((x) => x.sendAt), [T0 + 12_000 + SEND_INTERVAL_MS], 'the next slot of the same sender');
        for (const [i, c] of backlog.entries()) await reply(c, `backlog ${i}`, T0 + 12_001, false);
        const worker = await store.claimOutbox(T0 + 12_001, 500);
        assert.deepEqual(worker.filter((x) => x.sender === b.businessPhone).map((x) => x.messageId), [fromB.message.id], "another sender's reply is the worker's to claim");
        const slotsOfA = [...first.claimed, ...second.claimed, ...worker].filter((x) => x.sender === a!.businessPhone).map((x) => x.sendAt);
        assert.ok(slotsOfA.length <= 80, `${slotsOfA.length} of sender A's sends in one second`);
        for (let i = 1; i < slotsOfA.length; i++) assert.ok(slotsOfA[i]! - slotsOfA[i - 1]! >= SEND_INTERVAL_MS - 0.01, 'slots stay 1/78 s apart');
        // The sender's slots are a second ahead now: a new reply waits for the worker, behind the backlog.
        assert.deepEqual((await reply(late!, 'a2', T0 + 12_002)).claimed, []);
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
        assert.ok(events.filter((e) => e.type === 'message').every((e) => typeof (e.data as StoredEventData['message']).windowExpiresAt === 'string'), 'each carries the window it re-opened');
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
        const outcome = (r: (typeof results)[number]) => ('applied' in r ? { applied: r.applied, parked: r.parked } : r);
        assert.deepEqual(results.slice(0, 5).map(outcome), Array(5).fill({ applied: true, parked: false }));
        assert.deepEqual(results.slice(6, 11).map(outcome), Array(5).fill({ applied: false, parked: false }), 'never moves back');
        assert.deepEqual(outcome(results[11]!), { applied: false, parked: true });
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
        assert.deepEqual(all.map((e) => e.type), ['message', 'offer', 'offer_withdrawn', 'state']);
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

      it('puts an upload into one conversation: sent again there, yes; into another, refused', async () => {
        const [first, second] = [await activeConversation({ from: '+15550000045' }), await activeConversation({ from: '+15550000046' })];
        const upload = await store.saveUpload({ bytes: new Uint8Array([1]), contentType: 'image/png', filename: null, publicToken: 'tok-2', publicExpiresAt: T0, agentId: 'alice' });
        const send = (c: ConversationRow, agentId = 'alice') =>
          store.queueOutbound({ conversationId: c.id, agentId, body: '', mediaId: upload.id, template: null, replyToId: null, clientId: null, sender: c.businessPhone, now: T0 + 2000 });
        assert.equal((await send(first)).message.media[0]?.id, upload.id);
        assert.equal((await send(first)).message.media[0]?.id, upload.id);
        await assert.rejects(send(second), { code: 'media_already_sent' });
        await assert.rejects(send(first, 'bob'), { code: 'media_not_found' }, "another agent's upload is not found");
        assert.equal((await store.getMedia(upload.id))?.conversationId, first.id);
      });

      it('forgets an upload no message carries a day after its link lapsed, in batches, keeping sent uploads and inbound media', async () => {
        const c = await activeConversation({ from: '+15550000048' });
        const upload = (token: string, lapsesAt: number) =>
          store.saveUpload({ bytes: new Uint8Array([7]), contentType: 'image/png', filename: null, publicToken: token, publicExpiresAt: lapsesAt, agentId: 'alice' });
        const dropped = await Promise.all(Array.from({ length: UNSENT_UPLOAD_BATCH + 2 }, (_, i) => upload(`unsent-${i}`, T0 + i)));
        const recent = await upload('unsent-recent', T0 + UNSENT_UPLOAD_KEPT_MS);
        const sent = await upload('sent', T0);
        await store.queueOutbound({ conversationId: c.id, agentId: 'alice', body: '', mediaId: sent.id, template: null, replyToId: null, clientId: null, sender: c.businessPhone, now: T0 });
        const now = T0 + UNSENT_UPLOAD_KEPT_MS + UNSENT_UPLOAD_BATCH + 2;
        assert.deepEqual(await store.forgetUnsentUploads(now), { forgotten: UNSENT_UPLOAD_BATCH, more: true });
        assert.deepEqual(await store.forgetUnsentUploads(now), { forgotten: 2, more: false });
        for (const m of dropped) assert.equal(await store.getMedia(m.id), null, m.id);
        assert.ok(await store.getMedia(recent.id), 'an upload of the last day stays');
        assert.deepEqual(await store.getMediaBytes(sent.id), new Uint8Array([7]), 'a sent upload stays: the transcript shows it');
        const received = await store.recordInbound(inbound({ from: '+15550000049', media: [{ url: 'https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1', contentType: 'image/jpeg' }] }));
        // Later, the recent one goes too (and any other test's upload left unsent); the sent one and inbound media stay.
        await store.forgetUnsentUploads(now + 10 * UNSENT_UPLOAD_KEPT_MS);
        assert.equal(await store.getMedia(recent.id), null);
        assert.ok(await store.getMedia(sent.id));
        const media = received.message.media[0]!;
        assert.equal((await store.getMedia(media.id))?.id, media.id, 'inbound media stays');
      });

      it("opens an upload's public link for a day from each queueing of its message: the send, then a retry", async () => {
        const c = await activeConversation({ from: '+15550000047' });
        const upload = await store.saveUpload({ bytes: new Uint8Array([1]), contentType: 'image/png', filename: null, publicToken: 'tok-3', publicExpiresAt: T0, agentId: 'alice' });
        const served = async (at: number) => (await store.getMediaByPublicToken('tok-3', at)) !== null;
        assert.equal(await served(T0), false, 'not served before a message carries it');
        const sentAt = T0 + 2000;
        const { message } = await store.queueOutbound({ conversationId: c.id, agentId: 'alice', body: '', mediaId: upload.id, template: null, replyToId: null, clientId: null, sender: c.businessPhone, now: sentAt });
        assert.equal(await served(sentAt + PUBLIC_LINK_TTL_MS - 1), true);
        assert.equal(await served(sentAt + PUBLIC_LINK_TTL_MS), false);
        await store.claimOutbox(sentAt, 10);
        await store.recordSendResult(message.id, { kind: 'failed', code: 20003, message: 'Authenticate' }, sentAt + 1);
        const retriedAt = sentAt + 2 * PUBLIC_LINK_TTL_MS;
        await store.requeueOutbound(message.id, retriedAt);
        assert.equal(await served(retriedAt + PUBLIC_LINK_TTL_MS - 1), true, 'the retry renews the link');
      });

      it('finds messages by words across the agent own conversations only', async () => {
        const c = await activeConversation({ from: '+15550000041', body: 'My parcel tracking number is wrong' });
        const hits = await store.searchMessages(alice, 'parcel track', 10);
        assert.equal(hits[0]?.conversationId, c.id);
        assert.match(hits[0]!.snippet, /parcel/);
        assert.deepEqual(await store.searchMessages(bob, 'parcel', 10), []);
        assert.deepEqual(await store.searchMessages(alice, '"; DROP TABLE messages; --', 10), []);
      });

      it('lists the newest match first', async () => {
        // The older message is the better match by relevance (both words twice, fewer others).
        const older = await activeConversation({ from: '+15550000043', body: 'Courier voucher: courier lost voucher' });
        const newer = await activeConversation({ from: '+15550000044', body: 'Could you ask the courier about the second voucher I was promised last week' });
        const hits = await store.searchMessages(alice, 'courier voucher', 10);
        assert.deepEqual(hits.map((h) => h.conversationId), [newer.id, older.id]);
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

  });
}
