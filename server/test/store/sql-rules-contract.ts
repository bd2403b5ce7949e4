/** The Store contract: each dialect's SQL filters agree with the pure rules they mirror (whose offer is live, who may see a conversation, what counts toward load, the window's newest inbound time). */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { canRead, offerIsLive } from '../../src/domain/conversation-rules.ts';
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
