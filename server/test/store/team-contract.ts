/**
 * The Store contract for team work (queues, transfer, consult, wrap-up, supervisor): every
 * adapter (SQLite, PostgreSQL) passes the same suite. `makeStore` returns a fresh, migrated, empty store.
 */
import assert from 'node:assert/strict';
import { after, beforeEach, describe, it } from 'node:test';
import { autoCloseDue, canRead, wrapUpCloseDue } from '../../src/domain/conversation-rules.ts';
import { DEFAULT_QUEUE_ID } from '../../src/domain/queues.ts';
import type { Store, StoredEvent, Viewer } from '../../src/store/port.ts';
import { inbound } from './contract.ts';

const T0 = Date.parse('2026-03-01T10:00:00Z');
const HOUR = 3_600_000;
const alice: Viewer = { agentId: 'alice', supervisor: false };
const bob: Viewer = { agentId: 'bob', supervisor: false };
const carol: Viewer = { agentId: 'carol', supervisor: false };
const sue: Viewer = { agentId: 'sue', supervisor: true };
const RESOLVED = { disposition: 'resolved', summary: 'Refund sent' };
/** A field of an event's data, whatever its type. */
const field = (e: StoredEvent | undefined, key: string): unknown => (e?.data as Record<string, unknown> | undefined)?.[key];

export function teamContract(name: string, makeStore: () => Promise<Store>): void {
  describe(`Store contract, team work: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      if (store) await store.close();
      store = await makeStore();
      for (const [id, agentName] of [['alice', 'Alice'], ['bob', 'Bob'], ['carol', 'Carol']] as const) {
        await store.upsertAgent({ id, name: agentName, role: 'agent' }, 3, T0);
        await store.setPresence(id, 'available', T0);
      }
    });
    after(() => store?.close());

    /** A customer's conversation offered to and accepted by `agentId`. */
    async function held(agentId = 'alice', from = '+15550001000', at = T0) {
      const r = await store.recordInbound(inbound({ from, receivedAt: at }));
      assert.ok(await store.createOffer(r.conversation.id, agentId, at + 120_000, at));
      return store.acceptOffer(r.conversation.id, agentId, at + 1);
    }

    describe('wrap-up', () => {
      it('closes only with a disposition from the list, keeps it and the summary, and a supervisor may force close', async () => {
        const c = await held();
        await store.changeState(c.id, alice, 'wrapup', T0 + 2);
        await assert.rejects(store.changeState(c.id, alice, 'closed', T0 + 3), { code: 'disposition_required' });
        await assert.rejects(store.changeState(c.id, alice, 'closed', T0 + 3, { disposition: 'auto-closed', summary: null }), { code: 'unknown_disposition' });
        await assert.rejects(store.changeState(c.id, alice, 'closed', T0 + 3, { disposition: 'nope', summary: null }), { code: 'unknown_disposition' });
        const closed = await store.changeState(c.id, alice, 'closed', T0 + 3, RESOLVED);
        assert.equal(closed.disposition, 'resolved');
        assert.equal(closed.summary, 'Refund sent');
        assert.equal((await store.getConversation(c.id))?.disposition, 'resolved');
        // The close time stays the close time (the CRM activity's end) whatever changes the conversation after.
        await store.setLinkedRecord(c.id, alice, { entityType: 'contact', id: '7a1c4e2b-9d3f-4a6b-8c5d-1e2f3a4b5c6d', name: 'Maria Campbell' }, T0 + 60_000);
        const relinked = (await store.getConversation(c.id))!;
        assert.deepEqual({ closedAt: relinked.closedAt, updatedAt: relinked.updatedAt }, { closedAt: T0 + 3, updatedAt: T0 + 60_000 });

        const active = await held('alice', '+15550001001');
        await assert.rejects(store.changeState(active.id, alice, 'closed', T0 + 4, RESOLVED), { code: 'invalid_transition' });
        const forced = await store.changeState(active.id, sue, 'closed', T0 + 4, { disposition: 'spam', summary: null });
        assert.equal(forced.state, 'closed');
        assert.equal(forced.disposition, 'spam');

        const open = await store.recordInbound(inbound({ from: '+15550001002' }));
        await store.createOffer(open.conversation.id, 'bob', T0 + 120_000, T0);
        const start = await store.latestEventId();
        assert.equal((await store.changeState(open.conversation.id, sue, 'closed', T0 + 5, RESOLVED)).offerAgentId, null);
        const bobs = await store.readEvents(bob, start, 100);
        assert.ok(bobs.some((e) => e.type === 'offer_withdrawn' && field(e, 'reason') === 'closed'));
      });

      it("a customer writing during wrap-up opens a new conversation for the queue, pointing back; the wrap-up stays its agent's to close", async () => {
        const c = await held('alice', '+15550001004');
        await store.changeState(c.id, alice, 'wrapup', T0 + 2, undefined, HOUR);
        const start = await store.latestEventId();

        const next = await store.recordInbound(inbound({ from: '+15550001004', body: 'One more thing: the invoice', receivedAt: T0 + 60_000 }));
        assert.equal(next.opened, true, 'a new conversation, waiting for an agent');
        assert.notEqual(next.conversation.id, c.id);
        assert.deepEqual([next.conversation.state, next.conversation.assignedAgentId, next.conversation.previousConversationId], ['open', null, c.id]);
        assert.equal(next.conversation.lastInboundAt, T0 + 60_000);
        assert.deepEqual((await store.listMessages(next.conversation.id, null, 10)).items.map((m) => m.body), ['One more thing: the invoice']);
        assert.deepEqual(
          (await store.listUnoffered(T0 + 60_000, 10)).map((w) => w.id),
          [next.conversation.id],
          'routed like any customer waiting for an agent',
        );

        const wrapUp = (await store.getConversation(c.id))!;
        assert.deepEqual([wrapUp.state, wrapUp.assignedAgentId, wrapUp.wrapUpEndsAt], ['wrapup', 'alice', T0 + 2 + HOUR]);
        assert.equal((await store.listMessages(c.id, null, 10)).items.length, 1, 'nothing added to the wrap-up');
        assert.equal(
          (await store.readEvents(alice, start, 100)).some((e) => field(e, 'conversationId') === c.id),
          false,
          'its agent is not told about the wrap-up: the message is the new conversation’s',
        );

        // A second message joins the new conversation; the wrap-up closes as before.
        const again = await store.recordInbound(inbound({ from: '+15550001004', receivedAt: T0 + 61_000 }));
        assert.deepEqual([again.opened, again.conversation.id], [false, next.conversation.id]);
        assert.equal((await store.changeState(c.id, alice, 'closed', T0 + 62_000, RESOLVED)).state, 'closed');
      });

      it('makes a conversation left waiting active again, with its agent, when the customer writes (and says so); once', async () => {
        const c = await held('alice', '+15550001005');
        await store.changeState(c.id, alice, 'waiting', T0 + 2);
        const receipt = await store.recordInboundReceipt(inbound({ from: '+15550001005', body: 'Here is the photo you asked for', receivedAt: T0 + 60_000 }));
        assert.deepEqual([receipt.conversationId, receipt.resumes], [c.id, true]);
        const start = await store.latestEventId();
        const resumed = await store.resumeWaiting(c.id, T0 + 60_001);
        assert.deepEqual([resumed?.state, resumed?.assignedAgentId], ['active', 'alice']);
        const told = (await store.readEvents(alice, start, 100)).filter((e) => e.type === 'state');
        assert.deepEqual(told.map((e) => (e.data as { conversation: { state: string } }).conversation.state), ['active']);
        assert.equal(await store.resumeWaiting(c.id, T0 + 60_002), null, 'no longer waiting');
        const next = await store.recordInboundReceipt(inbound({ from: '+15550001005', receivedAt: T0 + 61_000 }));
        assert.equal(next.resumes, false, 'a message to an active conversation changes no state');
      });

      it('shows the disposition on search hits', async () => {
        const c = await held('alice', '+15550001003');
        await store.changeState(c.id, alice, 'wrapup', T0 + 2);
        await store.changeState(c.id, alice, 'closed', T0 + 3, RESOLVED);
        const [hit] = await store.searchMessages(sue, 'arrived', 10);
        assert.equal(hit?.conversation.disposition, 'resolved');
      });
    });

    describe('auto-close', () => {
      it('closes waiting conversations idle for the period as auto-closed, exactly as autoCloseDue says, and the next message opens a new one pointing back', async () => {
        const idle = await held('alice', '+15550002000', T0);
        await store.changeState(idle.id, alice, 'waiting', T0 + 10);
        const fresh = await held('alice', '+15550002001', T0 + 2 * HOUR);
        await store.changeState(fresh.id, alice, 'waiting', T0 + 2 * HOUR);
        const activeOld = await held('bob', '+15550002002', T0);
        const now = T0 + 24 * HOUR + 1;
        const before = await Promise.all([idle, fresh, activeOld].map(async (c) => (await store.getConversation(c.id))!));

        const start = await store.latestEventId();
        const closed = await store.autoClose(24 * HOUR, now);
        assert.deepEqual(
          closed.map((c) => c.id),
          before.filter((c) => autoCloseDue(c, now, 24 * HOUR)).map((c) => c.id),
        );
        assert.deepEqual(closed.map((c) => c.id), [idle.id]);
        assert.equal(closed[0]!.disposition, 'auto-closed');
        assert.equal(closed[0]!.state, 'closed');
        const events = await store.readEvents(alice, start, 100);
        assert.ok(events.some((e) => e.type === 'state' && field(e, 'conversationId') === idle.id));
        assert.deepEqual(await store.autoClose(0, now + 100 * HOUR), [], '0 = never');

        const next = await store.recordInbound(inbound({ from: '+15550002000', receivedAt: now + 1 }));
        assert.equal(next.opened, true);
        assert.equal(next.conversation.previousConversationId, idle.id);
        assert.equal(idle.previousConversationId, null);
      });

      it("closes wrap-ups past their end as auto-closed with no summary, exactly as wrapUpCloseDue says; a wrap-up's clock starts when its agent enters it", async () => {
        const left = await held('alice', '+15550002100', T0);
        const entered = await store.changeState(left.id, alice, 'wrapup', T0 + 10, undefined, HOUR);
        assert.equal(entered.wrapUpEndsAt, T0 + 10 + HOUR);
        const later = await held('alice', '+15550002101', T0);
        await store.changeState(later.id, alice, 'wrapup', T0 + 30 * 60_000, undefined, HOUR);
        const untimed = await held('bob', '+15550002102', T0);
        await store.changeState(untimed.id, bob, 'wrapup', T0 + 10, undefined, 0);
        const waiting = await held('bob', '+15550002103', T0);
        await store.changeState(waiting.id, bob, 'waiting', T0 + 10);
        // Handed to Carol, who wraps it up 50 minutes on: its clock starts then (a wrap-up itself
        // stays with its agent: it cannot be handed over).
        const again = await held('alice', '+15550002104', T0);
        await store.transfer(again.id, { ...alice, agentName: 'Alice' }, { agentId: 'carol', note: null }, T0 + 120_000, T0 + 20);
        await store.acceptOffer(again.id, 'carol', T0 + 30);
        await store.changeState(again.id, carol, 'wrapup', T0 + 50 * 60_000, undefined, HOUR);
        const now = T0 + HOUR + 60_000;
        const before = await Promise.all([left, later, untimed, waiting, again].map(async (c) => (await store.getConversation(c.id))!));
        const aliceLoad = async () => (await store.listAgents(now)).find((a) => a.id === 'alice')!.load;
        const loadBefore = await aliceLoad();

        // The CRM record is up to date before the pass.
        while ((await store.followEventsForCrm(now)) > 0);
        for (const write of await store.claimCrmWrites(now, 100)) await store.recordCrmWrite(write, { kind: 'done' }, now);

        const start = await store.latestEventId();
        const closed = await store.closeLapsedWrapUps(now);
        assert.deepEqual(
          closed.map((c) => c.id),
          before.filter((c) => wrapUpCloseDue(c, now)).map((c) => c.id),
        );
        assert.deepEqual(closed.map((c) => c.id), [left.id]);
        assert.deepEqual([closed[0]!.state, closed[0]!.disposition, closed[0]!.summary], ['closed', 'auto-closed', null]);
        assert.equal(await aliceLoad(), loadBefore - 1, "the agent's capacity is freed");
        const events = await store.readEvents(alice, start, 100);
        assert.ok(events.some((e) => e.type === 'state' && field(e, 'conversationId') === left.id));
        assert.deepEqual(await store.closeLapsedWrapUps(now), [], 'each closes once');
        while ((await store.followEventsForCrm(now)) > 0);
        assert.deepEqual((await store.claimCrmWrites(now, 100)).map((w) => w.conversationId), [left.id], 'its CRM activity is written again, closed');
        assert.deepEqual(
          (await store.closeLapsedWrapUps(T0 + 50 * 60_000 + HOUR)).map((c) => c.id).sort(),
          [later.id, again.id].sort(),
        );
        assert.equal((await store.getConversation(untimed.id))!.state, 'wrapup', 'no timer: never');
      });
    });

    describe('queues', () => {
      it('keeps a default queue, takes listed numbers into theirs, and routes each to its members only', async () => {
        const general = await store.listQueues(sue, T0);
        assert.deepEqual(general.map((q) => q.id), [DEFAULT_QUEUE_ID]);
        const billing = await store.putQueue({ id: 'billing', name: 'Billing', agentIds: ['bob'], numbers: ['+14155230000'] }, T0);
        assert.deepEqual(billing, { id: 'billing', name: 'Billing', agentIds: ['bob'], numbers: ['+14155230000'], waiting: 0, longestWaitSince: null });

        const toBilling = await store.recordInbound(inbound({ from: '+15550003000', to: '+14155230000' }));
        const toGeneral = await store.recordInbound(inbound({ from: '+15550003001', receivedAt: T0 + 5 }));
        assert.equal(toBilling.conversation.queueId, 'billing');
        assert.equal(toGeneral.conversation.queueId, DEFAULT_QUEUE_ID);

        const { agents } = await store.routingSnapshot(T0);
        assert.deepEqual(Object.fromEntries(agents.map((a) => [a.id, a.queueIds])), { alice: ['general'], bob: ['billing'], carol: ['general'] });

        const all = await store.listQueues(sue, T0);
        assert.deepEqual(all.map((q) => [q.id, q.waiting, q.longestWaitSince]), [['billing', 1, T0], ['general', 1, T0 + 5]]);
        assert.deepEqual(all.find((q) => q.id === DEFAULT_QUEUE_ID)?.agentIds, ['alice', 'carol'], 'everyone in no other queue');
        assert.deepEqual((await store.listQueues(bob, T0)).map((q) => q.id), ['billing']);
        assert.deepEqual((await store.listQueues(alice, T0)).map((q) => q.id), ['general']);

        // A number routes to one queue: another queue takes it only once it is out of the first.
        await assert.rejects(store.putQueue({ id: 'sales', name: 'Sales', agentIds: ['carol'], numbers: ['+14155230000'] }, T0), { code: 'number_in_another_queue' });
        assert.deepEqual((await store.listQueues(sue, T0)).find((q) => q.id === 'billing')?.numbers, ['+14155230000']);
        assert.equal((await store.listQueues(sue, T0)).some((q) => q.id === 'sales'), false, 'nothing of the refused queue kept');

        const start = await store.latestEventId();
        await store.createOffer(toBilling.conversation.id, 'bob', T0 + 120_000, T0);
        await store.acceptOffer(toBilling.conversation.id, 'bob', T0 + 1);
        // The route announces the queue after an accept (coalesced, routing/queue-announcer.ts).
        await store.announceQueue('billing');
        const queueEvents = (await store.readEvents(sue, start, 100)).filter((e) => e.type === 'queue');
        assert.deepEqual(
          queueEvents.map((e) => [e.agentId, e.data]),
          [
            [null, { queueId: 'billing', waiting: 0, longestWaitSince: null }],
            ['bob', { queueId: 'billing', waiting: 0, longestWaitSince: null }],
          ],
        );
      });

      it("tells those a queue's change concerns, and no one else, so that their panels read their queues again", async () => {
        const told = async (change: () => Promise<unknown>) => {
          const start = await store.latestEventId();
          await change();
          return (await store.readEvents(sue, start, 100)).filter((e) => e.type === 'queue').map((e) => [e.agentId, field(e, 'queueId'), field(e, 'reconfigured')]);
        };
        // Bob joins: he leaves the default queue; Alice and Carol work as before.
        assert.deepEqual(await told(() => store.putQueue({ id: 'billing', name: 'Billing', agentIds: ['bob'], numbers: [] }, T0)), [
          [null, 'billing', true],
          ['bob', 'billing', true],
        ]);
        // Carol takes Bob's place: both are told, Bob to drop the queue from his list.
        assert.deepEqual(await told(() => store.putQueue({ id: 'billing', name: 'Billing', agentIds: ['carol'], numbers: [] }, T0)), [
          [null, 'billing', true],
          ['carol', 'billing', true],
          ['bob', 'billing', true],
        ]);
        // Renamed: its member is told; counts changing later are counts only.
        assert.deepEqual(await told(() => store.putQueue({ id: 'billing', name: 'Billing & refunds', agentIds: ['carol'], numbers: [] }, T0)), [
          [null, 'billing', true],
          ['carol', 'billing', true],
        ]);
        assert.deepEqual(await told(() => store.announceQueue('billing')), [
          [null, 'billing', undefined],
          ['carol', 'billing', undefined],
        ]);
      });
    });

    describe('routed offers', () => {
      it('are made only to an agent that can still take work, and only the queues asked for are listed', async () => {
        const waiting = async (from: string) => (await store.recordInbound(inbound({ from, receivedAt: T0 }))).conversation;
        const first = await waiting('+15550006001');
        await store.setPresence('bob', 'away', T0 + 1);
        assert.equal(await store.createOffer(first.id, 'bob', T0 + 120_000, T0 + 2, true), false, 'bob went away');
        assert.equal(await store.createOffer(first.id, 'nobody', T0 + 120_000, T0 + 2, true), false, 'no such agent');
        await store.upsertAgent({ id: 'dora', name: 'Dora', role: 'agent' }, 1, T0);
        await store.setPresence('dora', 'available', T0);
        assert.equal(await store.createOffer(first.id, 'dora', T0 + 120_000, T0 + 2, true), true);
        const second = await waiting('+15550006002');
        assert.equal(await store.createOffer(second.id, 'dora', T0 + 120_000, T0 + 3, true), false, 'dora is at capacity (1 live offer)');
        assert.equal(await store.createOffer(second.id, 'bob', T0 + 120_000, T0 + 3), true, 'an offer not routed is not asked');

        await store.putQueue({ id: 'billing', name: 'Billing', agentIds: ['carol'], numbers: [] }, T0);
        const third = await waiting('+15550006003');
        const listed = async (queues: string[] | null) => (await store.listUnoffered(T0 + 4, 10, queues)).map((c) => c.id);
        assert.deepEqual(await listed(null), [third.id]);
        assert.deepEqual(await listed([third.queueId]), [third.id]);
        assert.deepEqual(await listed(['billing']), []);
        assert.deepEqual(await listed([]), []);
      });
    });

    describe('transfer and assignment', () => {
      it('hands a conversation to an available agent with who and why; the holder loses it', async () => {
        const c = await held('alice', '+15550004000');
        await store.addNote(c.id, { ...alice, agentName: 'Alice' }, 'VIP customer', T0 + 2);
        const start = await store.latestEventId();
        const moved = await store.transfer(c.id, { ...alice, agentName: 'Alice' }, { agentId: 'bob', note: 'Billing question' }, T0 + 120_000, T0 + 3);
        assert.equal(moved.state, 'open');
        assert.equal(moved.assignedAgentId, null);
        assert.equal(moved.offerAgentId, 'bob');
        assert.equal(canRead(moved, alice, T0 + 3), false);
        assert.deepEqual((await store.listConversations(alice, null, T0 + 3)).map((x) => x.id), []);
        await assert.rejects(store.addNote(c.id, { ...alice, agentName: 'Alice' }, 'more', T0 + 4), { code: 'not_found' });

        const offer = (await store.readEvents(bob, start, 100)).find((e) => e.type === 'offer');
        assert.deepEqual(field(offer, 'transfer'), { fromAgentId: 'alice', fromAgentName: 'Alice', note: 'Billing question' });
        const accepted = await store.acceptOffer(c.id, 'bob', T0 + 5);
        assert.equal(accepted.transfer, null);
        assert.deepEqual((await store.listNotes(c.id)).map((n) => n.body), ['VIP customer', 'Billing question'], 'the transfer note kept with the notes');
      });

      it('refuses a transfer to yourself, to an unavailable or unknown agent, to an unknown queue, or of a conversation you do not hold', async () => {
        const c = await held('alice', '+15550004001');
        const as = { ...alice, agentName: 'Alice' };
        await assert.rejects(store.transfer(c.id, as, { agentId: 'alice', note: null }, T0 + 1, T0 + 2), { code: 'transfer_to_self' });
        await store.setPresence('bob', 'offline', T0);
        await assert.rejects(store.transfer(c.id, as, { agentId: 'bob', note: null }, T0 + 1, T0 + 2), { code: 'agent_unavailable' });
        await store.upsertAgent({ id: 'dave', name: 'Dave', role: 'agent' }, 0, T0);
        await store.setPresence('dave', 'available', T0);
        await assert.rejects(store.transfer(c.id, as, { agentId: 'dave', note: null }, T0 + 1, T0 + 2), { code: 'agent_unavailable' }, 'at capacity');
        await assert.rejects(store.transfer(c.id, as, { agentId: 'zed', note: null }, T0 + 1, T0 + 2), { code: 'not_found' });
        await assert.rejects(store.transfer(c.id, as, { queueId: 'nope', note: null }, T0 + 1, T0 + 2), { code: 'not_found' });
        await assert.rejects(store.transfer(c.id, { ...carol, agentName: 'Carol' }, { agentId: 'bob', note: null }, T0 + 1, T0 + 2), { code: 'not_found' });
      });

      it('sends a conversation back to a queue, where the router offers it to the members', async () => {
        await store.putQueue({ id: 'billing', name: 'Billing', agentIds: ['bob'], numbers: [] }, T0);
        const c = await held('alice', '+15550004002');
        const moved = await store.transfer(c.id, { ...alice, agentName: 'Alice' }, { queueId: 'billing', note: 'needs billing' }, T0 + 120_000, T0 + 3);
        assert.equal(moved.queueId, 'billing');
        assert.equal(moved.offerAgentId, null);
        assert.deepEqual((await store.listUnoffered(T0 + 3, 10)).map((x) => x.id), [c.id]);
        assert.deepEqual((await store.listQueues(sue, T0 + 3)).find((q) => q.id === 'billing')?.longestWaitSince, T0 + 3);
        // Not a decline: its sender is the router's last resort for it (routing/policy.ts chooseAgent).
        assert.equal((await store.declinedBy(c.id, T0)).has('alice'), false);
        assert.equal((await store.getConversation(c.id))!.transfer?.fromAgentId, 'alice');
      });

      it("a queue edit takes back the router's offers from an agent who left the queue, never one a person named them in", async () => {
        await store.putQueue({ id: 'billing', name: 'Billing', agentIds: ['alice', 'bob'], numbers: ['+14155230002'] }, T0);
        const arrive = async (from: string) => (await store.recordInbound(inbound({ from, to: '+14155230002', receivedAt: T0 }))).conversation;
        const assigned = await arrive('+15550004020');
        await store.assign(assigned.id, 'alice', T0 + 120_000, T0 + 1);
        const transferred = await arrive('+15550004021');
        assert.ok(await store.createOffer(transferred.id, 'bob', T0 + 120_000, T0 + 1));
        await store.acceptOffer(transferred.id, 'bob', T0 + 2);
        await store.transfer(transferred.id, { ...bob, agentName: 'Bob' }, { agentId: 'alice', note: null }, T0 + 120_000, T0 + 3);
        const routed = await arrive('+15550004022');
        assert.ok(await store.createOffer(routed.id, 'alice', T0 + 120_000, T0 + 3));

        await store.putQueue({ id: 'billing', name: 'Billing', agentIds: ['bob'], numbers: ['+14155230002'] }, T0 + 4);
        const offeredTo = async (id: string) => (await store.getConversation(id))?.offerAgentId;
        assert.equal(await offeredTo(routed.id), null, "the router's offer goes back to the queue");
        assert.equal(await offeredTo(assigned.id), 'alice', "the supervisor's assignment stays");
        assert.equal(await offeredTo(transferred.id), 'alice', 'the transfer to alice stays');
      });

      it('offers the waiting customers in the order they began to wait: one sent back to a queue waits from then, paged alike', async () => {
        const earlier = await held('alice', '+15550004010', T0);
        const waiting = (await store.recordInbound(inbound({ from: '+15550004011', receivedAt: T0 + 5_000 }))).conversation;
        await store.transfer(earlier.id, { ...alice, agentName: 'Alice' }, { queueId: DEFAULT_QUEUE_ID, note: null }, T0 + 120_000, T0 + 10_000);
        const later = (await store.recordInbound(inbound({ from: '+15550004012', receivedAt: T0 + 15_000 }))).conversation;
        const now = T0 + 20_000;
        const expected = [waiting.id, earlier.id, later.id];
        assert.deepEqual((await store.listUnoffered(now, 10)).map((x) => x.id), expected, 'the customer waiting since T0+5s first');
        const paged: string[] = [];
        for (let page = await store.listUnoffered(now, 1); page.length; page = await store.listUnoffered(now, 1, null, page.at(-1))) paged.push(...page.map((x) => x.id));
        assert.deepEqual(paged, expected);
      });

      it('lets exactly one of two agents accepting the same transfer win', async () => {
        const c = await held('alice', '+15550004003');
        await store.transfer(c.id, { ...alice, agentName: 'Alice' }, { agentId: 'bob', note: null }, T0 + 120_000, T0 + 3);
        const accepts = await Promise.allSettled([store.acceptOffer(c.id, 'bob', T0 + 4), store.acceptOffer(c.id, 'carol', T0 + 4)]);
        assert.deepEqual(accepts.map((a) => a.status).sort(), ['fulfilled', 'rejected']);
        assert.equal((await store.getConversation(c.id))?.assignedAgentId, 'bob');
      });

      it('lets a supervisor assign an open conversation to any available agent, whatever its queue and declines', async () => {
        await store.putQueue({ id: 'billing', name: 'Billing', agentIds: ['bob'], numbers: ['+14155230001'] }, T0);
        const r = await store.recordInbound(inbound({ from: '+15550004004', to: '+14155230001' }));
        await store.createOffer(r.conversation.id, 'bob', T0 + 120_000, T0);
        await store.rejectOffer(r.conversation.id, 'bob', T0 + 1);
        const assigned = await store.assign(r.conversation.id, 'alice', T0 + 120_000, T0 + 2);
        assert.equal(assigned.offerAgentId, 'alice');
        assert.equal((await store.acceptOffer(r.conversation.id, 'alice', T0 + 3)).assignedAgentId, 'alice');
        await assert.rejects(store.assign(r.conversation.id, 'carol', T0 + 120_000, T0 + 4), { code: 'invalid_transition' });
      });
    });

    describe('consult', () => {
      it('lets a consultant read and add notes but not act, until either side ends it', async () => {
        const c = await held('alice', '+15550005000');
        const start = await store.latestEventId();
        const consulted = await store.startConsult(c.id, alice, 'bob', T0 + 2);
        assert.deepEqual(consulted.consultants, ['bob']);
        assert.ok(canRead(consulted, bob, T0 + 2));
        assert.deepEqual((await store.listConversations(bob, null, T0 + 2)).map((x) => x.id), [c.id], 'as canRead says');
        assert.deepEqual((await store.listConversations(carol, null, T0 + 2)).map((x) => x.id), []);
        const history = async (viewer: Viewer) => (await store.listCustomerConversations(viewer, '+15550005000')).map((x) => x.id);
        assert.deepEqual(await history(bob), [c.id], "the consultant sees the customer's history, as the holder does");
        assert.deepEqual(await history(carol), []);
        const invited = (await store.readEvents(bob, start, 100)).find((e) => e.type === 'consult');
        assert.equal(field(invited, 'ended'), false);

        await store.addNote(c.id, { ...bob, agentName: 'Bob' }, 'Try a refund', T0 + 3);
        await assert.rejects(store.changeState(c.id, bob, 'waiting', T0 + 3), { code: 'consult_only' });
        await assert.rejects(store.transfer(c.id, { ...bob, agentName: 'Bob' }, { agentId: 'carol', note: null }, T0 + 1, T0 + 3), { code: 'consult_only' });
        await assert.rejects(store.endConsult(c.id, carol, T0 + 3), { code: 'not_found' });

        const ended = await store.endConsult(c.id, bob, T0 + 4);
        assert.deepEqual(ended.consultants, []);
        assert.equal(canRead(ended, bob, T0 + 4), false);
        assert.deepEqual(await history(bob), [], 'nor its history');
        const last = (await store.readEvents(bob, start, 100)).filter((e) => e.type === 'consult').at(-1);
        assert.equal(field(last, 'ended'), true);

        await store.startConsult(c.id, alice, 'bob', T0 + 5);
        await store.startConsult(c.id, alice, 'carol', T0 + 5);
        assert.deepEqual((await store.endConsult(c.id, alice, T0 + 6)).consultants, [], 'the holder ends them all');
        await store.changeState(c.id, alice, 'wrapup', T0 + 7);
        await store.changeState(c.id, alice, 'closed', T0 + 8, RESOLVED);
        await assert.rejects(store.startConsult(c.id, alice, 'bob', T0 + 9), { code: 'conversation_closed' });
      });
      it('ends the consults when the conversation changes hands: the next holder did not invite them', async () => {
        const c = await held('alice', '+15550005002');
        await store.startConsult(c.id, alice, 'carol', T0 + 2);
        const start = await store.latestEventId();
        const moved = await store.transfer(c.id, { ...alice, agentName: 'Alice' }, { agentId: 'bob', note: null }, T0 + 120_000, T0 + 3);
        assert.deepEqual(moved.consultants, []);
        assert.equal(canRead(moved, carol, T0 + 3), false);
        const told = (await store.readEvents(carol, start, 100)).filter((e) => e.type === 'consult');
        assert.deepEqual(told.map((e) => field(e, 'ended')), [true]);
      });

      it("shows the consultant the holder's replies and their ticks, as the holder sees them", async () => {
        const c = await held('alice', '+15550005001');
        await store.startConsult(c.id, alice, 'bob', T0 + 2);
        const start = await store.latestEventId();
        const { message } = await store.queueOutbound({ conversationId: c.id, agentId: 'alice', body: 'Refund on its way', mediaId: null, template: null, replyToId: null, clientId: null, sender: c.businessPhone, now: T0 + 3 });
        await store.claimOutbox(T0 + 3, 10);
        await store.applyStatus({ messageSid: 'SM5ee5c0n5u1t0000000000000000001', messageId: message.id, status: 'sent', errorCode: null, errorMessage: null, now: T0 + 4 });
        const seen = (viewer: Viewer) => store.readEvents(viewer, start, 100).then((events) => events.map((e) => `${e.type}:${field(e, 'status') ?? ''}`));
        assert.deepEqual(await seen(bob), await seen(alice));
        assert.ok((await seen(bob)).includes('status:sent'), 'the consultant sees the tick move');
      });
    });

    describe('the consultants filter agrees with canRead', () => {
      it('lists a conversation to its consultants only, whatever characters their ids hold', async () => {
        const ids = ['a_b%', 'aXbY', 'q"\\z', 'q\\z', 'al'];
        for (const id of ids) {
          await store.upsertAgent({ id, name: id, role: 'agent' }, 3, T0);
          await store.setPresence(id, 'busy', T0); // an offline colleague is not consulted
        }
        const c = await held('alice', '+15550005100');
        const consulted = await store.startConsult(c.id, alice, 'a_b%', T0 + 2);
        const withQuote = await store.startConsult(c.id, alice, 'q"\\z', T0 + 3);
        assert.deepEqual(withQuote.consultants, ['a_b%', 'q"\\z']);
        for (const id of ids) {
          const viewer = { agentId: id, supervisor: false };
          const listed = (await store.listConversations(viewer, null, T0 + 3)).some((x) => x.id === c.id);
          assert.equal(listed, canRead(withQuote, viewer, T0 + 3), id);
        }
        assert.ok(canRead(consulted, { agentId: 'a_b%', supervisor: false }, T0 + 2));
      });
    });

    describe('agents', () => {
      it('lists every agent with its presence and load, for choosing whom to transfer to or consult', async () => {
        await held('alice', '+15550007000');
        await store.setPresence('carol', 'offline', T0 + 2);
        const agents = await store.listAgents(T0 + 2);
        assert.deepEqual(
          agents.map((a) => [a.id, a.name, a.presence, a.load, a.capacity]),
          [['alice', 'Alice', 'available', 1, 3], ['bob', 'Bob', 'available', 0, 3], ['carol', 'Carol', 'offline', 0, 3]],
        );
      });

      it('sets Offline an agent whose panel is gone, giving back its offers; one seen lately, or never, stays as it is', async () => {
        const waiting = (await store.recordInbound(inbound({ from: '+15550007100', receivedAt: T0 }))).conversation;
        assert.ok(await store.createOffer(waiting.id, 'bob', T0 + 120_000, T0));
        await store.markPanelsSeen(['alice', 'bob'], T0);
        await store.markPanelsSeen(['alice'], T0 + 60_000); // Alice's panel is still open; Bob's closed after T0
        const start = await store.latestEventId();
        const signedOut = await store.signOutAbsentAgents(T0 + 30_000, T0 + 90_000);
        assert.deepEqual(signedOut.map((a) => [a.id, a.presence]), [['bob', 'offline']]);
        const presence = async (id: string) => (await store.listAgents(T0 + 90_000)).find((a) => a.id === id)!.presence;
        assert.deepEqual([await presence('alice'), await presence('bob'), await presence('carol')], ['available', 'offline', 'available'], 'carol was never seen: left alone');
        const bobs = await store.readEvents(bob, start, 100);
        assert.ok(bobs.some((e) => e.type === 'presence' && field(e, 'presence') === 'offline'), "Bob's panel is told when it comes back");
        assert.ok(bobs.some((e) => e.type === 'offer_withdrawn' && field(e, 'reason') === 'unavailable'));
        assert.equal((await store.getConversation(waiting.id))!.offerAgentId, null, 'the customer goes to the next agent');
        assert.deepEqual(await store.signOutAbsentAgents(T0 + 30_000, T0 + 91_000), [], 'once');
      });
    });

    describe('supervisor overview', () => {
      it('shows every agent with load, every queue and every conversation not closed', async () => {
        const c = await held('alice', '+15550006000');
        await store.recordInbound(inbound({ from: '+15550006001', sentiment: { score: -3, comparative: -0.5, tokens: 6 } }));
        const overview = await store.supervisorOverview(T0 + 2);
        assert.deepEqual(overview.agents.map((a) => [a.id, a.load, a.capacity]), [['alice', 1, 3], ['bob', 0, 3], ['carol', 0, 3]]);
        assert.deepEqual(overview.queues.map((q) => [q.id, q.waiting]), [['general', 1]]);
        assert.equal(overview.conversations.length, 2);
        assert.ok(overview.conversations.some((x) => x.id === c.id && x.state === 'active'));
        assert.ok(overview.conversations.some((x) => x.sentiment?.score === -3));
      });
    });
  });
}
