/** The Store contract: the CRM record's durable queue (usecases/crm-sync.ts) on every adapter. */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { alice, T0, type ContractContext } from './contract.ts';

export function crmQueueContract(ctx: ContractContext): void {
  describe('the CRM record queue', () => {
    before(ctx.fresh);
    it('marks a conversation due once per pass of the event log, and keeps a write due when it changed meanwhile', async () => {
      const c = await ctx.activeConversation({ from: '+15550007001' });
      while ((await ctx.store().followEventsForCrm(T0 + 10)) > 0);
      const [write] = await ctx.store().claimCrmWrites(T0 + 10, 10);
      assert.equal(write?.conversationId, c.id);
      assert.deepEqual(await ctx.store().claimCrmWrites(T0 + 10, 10), [], 'a claimed write is leased');
      // The conversation changes while its write is in flight: the write finishes, the newer change stays due.
      await ctx.store().changeState(c.id, alice, 'waiting', T0 + 11);
      assert.ok((await ctx.store().followEventsForCrm(T0 + 11)) > 0);
      await ctx.store().recordCrmWrite(write!, { kind: 'done' }, T0 + 12);
      const [again] = await ctx.store().claimCrmWrites(T0 + 12, 10);
      assert.equal(again?.conversationId, c.id);
      assert.ok(again!.version > write!.version);
      await ctx.store().recordCrmWrite(again!, { kind: 'done' }, T0 + 13);
      assert.deepEqual(await ctx.store().claimCrmWrites(T0 + 100_000, 10), []);
      assert.equal(await ctx.store().followEventsForCrm(T0 + 14), 0, 'the cursor moved past what it read');
    });

    it('retries after the delay, and keeps a failed write out of the queue until the next change', async () => {
      const c = await ctx.activeConversation({ from: '+15550007002' });
      while ((await ctx.store().followEventsForCrm(T0)) > 0);
      const [write] = await ctx.store().claimCrmWrites(T0, 10);
      await ctx.store().recordCrmWrite(write!, { kind: 'retry', retryAfterMs: 30_000, error: 'Dataverse 429' }, T0);
      assert.deepEqual(await ctx.store().claimCrmWrites(T0 + 29_999, 10), []);
      const [retried] = await ctx.store().claimCrmWrites(T0 + 30_000, 10);
      assert.equal(retried?.attempts, 2);
      await ctx.store().recordCrmWrite(retried!, { kind: 'failed', error: 'Dataverse 403: no role' }, T0 + 30_001);
      assert.deepEqual(await ctx.store().claimCrmWrites(T0 + 10_000_000, 10), []);
      const failed = (await ctx.store().listFailedCrmWrites(10)).find((w) => w.conversationId === c.id);
      assert.equal(failed?.lastError, 'Dataverse 403: no role');
      assert.equal(failed?.failedAt, T0 + 30_001);
      assert.equal(failed?.attempts, 2);
      assert.equal((await ctx.store().metricGauges()).crmWritesFailed, 1, 'counted for the metric');
      await ctx.store().changeState(c.id, alice, 'waiting', T0 + 40_000);
      while ((await ctx.store().followEventsForCrm(T0 + 40_000)) > 0);
      // The change tries again (the admin may have fixed it): no longer shown as failed.
      assert.equal((await ctx.store().listFailedCrmWrites(10)).find((w) => w.conversationId === c.id), undefined);
      assert.equal((await ctx.store().metricGauges()).crmWritesFailed, 0);
      assert.equal((await ctx.store().claimCrmWrites(T0 + 40_000, 10))[0]?.conversationId, c.id);
    });
  });
}
