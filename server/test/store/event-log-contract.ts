/** The Store contract: the event log kept to its retention (usecases/prune-event-log.ts) on every adapter. */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { supervisor, T0, type ContractContext } from './contract.ts';

const HOUR = 3_600_000;
const RETAIN = 24 * HOUR;

export function eventLogContract(ctx: ContractContext): void {
  describe('the event log, kept to its retention', () => {
    before(ctx.fresh);

    it('prunes the events older than the retention as the log stood when noted, never what the CRM writer has not read', async () => {
      const store = ctx.store();
      const ids = async () => (await store.readEvents(supervisor, 0, 10_000)).map((e) => e.id);
      await ctx.activeConversation({ from: '+15550008001' });
      await store.markEventLog(T0);
      const noted = await store.latestEventId();
      await ctx.activeConversation({ from: '+15550008002' });
      await store.markEventLog(T0 + HOUR / 2); // within the hour: not noted again
      const newest = await store.latestEventId();
      const before = await ids();
      assert.ok(newest > noted && before.some((id) => id <= noted));

      assert.deepEqual(await store.pruneEventLog(T0 + RETAIN - 1, RETAIN, false), { pruned: 0, more: false }, 'not old enough yet');
      assert.deepEqual(await store.pruneEventLog(T0 + RETAIN + HOUR, RETAIN, true), { pruned: 0, more: false }, 'the CRM writer has read nothing yet');
      const first = await store.pruneEventLog(T0 + RETAIN + HOUR, RETAIN, false);
      assert.deepEqual(first, { pruned: before.filter((id) => id <= noted).length, more: false });
      assert.deepEqual(await ids(), before.filter((id) => id > noted), 'what came after the note stays');
      assert.equal(await store.eventLogPrunedThrough(), noted);
      assert.deepEqual(await store.pruneEventLog(T0 + RETAIN + HOUR, RETAIN, false), { pruned: 0, more: false }, 'each event goes once');

      // Noted again an hour later; once that note is old enough, the log empties, and its newest id is still known.
      await store.markEventLog(T0 + 2 * HOUR);
      assert.equal((await store.pruneEventLog(T0 + 2 * HOUR + RETAIN, RETAIN, false)).pruned, before.filter((id) => id > noted).length);
      assert.deepEqual(await ids(), []);
      assert.equal(await store.latestEventId(), newest, 'new streams start after the pruned events, not at 0');
      await ctx.activeConversation({ from: '+15550008003' });
      assert.ok((await ids()).every((id) => id > newest), 'ids are never used again');
    });
  });
}
