/** The Store contract: each dialect's SQL filters agree with the pure rules they mirror (whose offer is live, who may see a conversation, what counts toward load, the window's newest inbound time, which conversation a customer's message joins). */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { ConversationState } from '@wcp/protocol';
import { CONVERSATION_STATES } from '@wcp/protocol/values';
import { canRead, CUSTOMER_STATES, offerIsLive } from '../../src/domain/conversation-rules.ts';
import { LOAD_STATES } from '../../src/routing/policy.ts';
import type { ConversationRow } from '../../src/store/port.ts';
import { reopenWindow } from '../../src/window/policy.ts';
import { alice, bob, inbound, RESOLVED, supervisor, T0, type ContractContext } from './contract.ts';

export function sqlRulesContract(ctx: ContractContext): void {
  describe('SQL filters agree with the pure rules they mirror', () => {
    before(ctx.fresh);
    it('keeps the newest inbound time however late messages arrive (reopenWindow)', async () => {
      const times = [T0 + 50_000, T0 + 10_000, T0 + 90_000, T0 + 90_000, T0 + 20_000];
      let expected: number | null = null;
      let last: ConversationRow | undefined;
      for (const receivedAt of times) {
        last = (await ctx.store().recordInbound(inbound({ from: '+15550009000', receivedAt }))).conversation;
        expected = reopenWindow(expected, receivedAt);
        assert.equal(last.lastInboundAt, expected, `after a message received at +${receivedAt - T0} ms`);
      }
    });

    it("adds a customer's message to the pair's conversation exactly in the states CUSTOMER_STATES names, else opens a new one", async () => {
      const store = ctx.store();
      await store.setPresence('alice', 'available', T0);
      // A conversation of each state, each with its own customer, taken there along the state table.
      const path: Record<ConversationState, ConversationState[]> = { open: [], active: [], waiting: ['waiting'], wrapup: ['wrapup'], closed: ['wrapup', 'closed'] };
      for (const [n, state] of CONVERSATION_STATES.entries()) {
        const from = `+1555002${String(n).padStart(4, '0')}`;
        const first = (await store.recordInbound(inbound({ from }))).conversation;
        if (state !== 'open') {
          await store.createOffer(first.id, 'alice', T0 + 60_000, T0);
          await store.acceptOffer(first.id, 'alice', T0 + 1);
        }
        for (const step of path[state]) await store.changeState(first.id, alice, step, T0 + 2, step === 'closed' ? RESOLVED : undefined);
        assert.equal((await store.getConversation(first.id))!.state, state);
        const next = await store.recordInbound(inbound({ from, receivedAt: T0 + 3 }));
        assert.equal(next.conversation.id === first.id, CUSTOMER_STATES.includes(state), `a message to a conversation in ${state}`);
        assert.equal(next.opened, !CUSTOMER_STATES.includes(state));
      }
    });

    it('lists unoffered, visible and loading conversations exactly as offerIsLive, canRead and LOAD_STATES say', async () => {
      await ctx.store().setPresence('alice', 'available', T0);
      await ctx.store().setPresence('bob', 'busy', T0);
      const now = T0 + 60_000;
      // One of each: never offered, offer live, offer lapsed (not yet expired by the router), accepted, waiting, closed.
      const open = async (n: number) => (await ctx.store().recordInbound(inbound({ from: `+1555001${String(n).padStart(4, '0')}` }))).conversation;
      await open(1);
      await ctx.store().createOffer((await open(2)).id, 'alice', now + 30_000, T0);
      await ctx.store().createOffer((await open(3)).id, 'bob', now - 1, T0);
      await ctx.store().createOffer((await open(4)).id, 'bob', now, T0);
      const accepted = await open(5);
      await ctx.store().createOffer(accepted.id, 'alice', now + 30_000, T0);
      await ctx.store().acceptOffer(accepted.id, 'alice', T0 + 1);
      const waiting = await open(6);
      await ctx.store().createOffer(waiting.id, 'bob', now + 30_000, T0);
      await ctx.store().acceptOffer(waiting.id, 'bob', T0 + 1);
      await ctx.store().changeState(waiting.id, bob, 'waiting', T0 + 2);
      const closed = await open(7);
      await ctx.store().createOffer(closed.id, 'alice', now + 30_000, T0);
      await ctx.store().acceptOffer(closed.id, 'alice', T0 + 1);
      await ctx.store().changeState(closed.id, alice, 'wrapup', T0 + 2);
      await ctx.store().changeState(closed.id, alice, 'closed', T0 + 3, RESOLVED);

      const all = await ctx.store().listConversations(supervisor, null, now);
      const ids = (rows: ConversationRow[]) => rows.map((c) => c.id).sort();
      assert.deepEqual(ids(await ctx.store().listUnoffered(now, 500)), ids(all.filter((c) => c.state === 'open' && !offerIsLive(c, now))));
      for (const viewer of [alice, bob]) {
        assert.deepEqual(ids(await ctx.store().listConversations(viewer, null, now)), ids(all.filter((c) => canRead(c, viewer, now))), viewer.agentId);
      }
      const snapshot = await ctx.store().routingSnapshot(now);
      for (const agent of ['alice', 'bob']) {
        const load = all.filter(
          (c) => (c.assignedAgentId === agent && LOAD_STATES.includes(c.state)) || (c.state === 'open' && c.offerAgentId === agent && offerIsLive(c, now)),
        ).length;
        assert.equal(snapshot.agents.find((a) => a.id === agent)?.load, load, `${agent}'s load`);
      }

      // Going Away gives back exactly the offers offerIsLive says still stand.
      for (const agent of ['alice', 'bob']) {
        const before = await ctx.store().latestEventId();
        await ctx.store().setPresence(agent, 'away', now);
        const withdrawn = (await ctx.store().readEvents(supervisor, before, 50)).filter((e) => e.type === 'offer_withdrawn').map((e) => (e.data as { conversationId: string }).conversationId);
        assert.deepEqual(withdrawn.sort(), ids(all.filter((c) => c.state === 'open' && c.offerAgentId === agent && offerIsLive(c, now))), `${agent}'s offers given back`);
      }
    });
  });
}
