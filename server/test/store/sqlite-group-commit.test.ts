/** SQLite-only: webhook writes made in the same event-loop turn share one commit. */
import assert from 'node:assert/strict';
import fs, { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { SqliteStore } from '../../src/store/sqlite-store.ts';
import { inbound, sid } from './contract.ts';

describe('SQLite group commit', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wcp-group-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('stores every write of a burst durably, and a failing one alone is rolled back', async () => {
    const path = join(dir, 'relay.db');
    const store = new SqliteStore(path);
    await store.migrate();
    const burst = Array.from({ length: 50 }, (_, i) => inbound({ from: `+1555010${String(i).padStart(4, '0')}`, messageSid: sid() }));
    // Media without a content type breaks a NOT NULL constraint inside its own unit of work.
    const broken = inbound({ from: '+15559999999', media: [{ url: 'https://api.twilio.com/x', contentType: null as unknown as string }] });
    const results = await Promise.allSettled([...burst.slice(0, 25).map((m) => store.recordInbound(m)), store.recordInbound(broken), ...burst.slice(25).map((m) => store.recordInbound(m))]);
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 50);
    assert.equal(results[25]!.status, 'rejected');
    const duplicate = await store.recordInbound(burst[0]!);
    assert.equal(duplicate.duplicate, true);
    await store.close();

    // Reopened from disk: all 50 are there, the broken one left nothing behind.
    const reopened = new SqliteStore(path);
    await reopened.migrate();
    const everyone = await reopened.listConversations({ agentId: 'x', supervisor: true }, null, Date.now());
    assert.equal(everyone.length, 50);
    assert.ok(!everyone.some((c) => c.customerPhone === '+15559999999'));
    await reopened.close();
  });

  it("tells the agents' streams at the commit and Twilio once the log is synced; a failed sync refuses the webhook, and its retry is a duplicate", async (t) => {
    const store = new SqliteStore(join(dir, 'sync.db'));
    await store.migrate();
    const order: string[] = [];
    const realSync = fs.fdatasyncSync;
    const sync = t.mock.method(fs, 'fdatasyncSync', (fd: number) => {
      order.push('synced');
      realSync(fd);
    });
    const first = inbound({ from: '+15550300001', messageSid: sid() });
    await store.recordInboundReceipt(first, () => order.push('committed')).then(() => order.push('answered'));
    assert.deepEqual(order, ['committed', 'synced', 'answered']);

    // Any other unit of work is synced before it is answered too.
    const synced = sync.mock.callCount();
    await store.upsertAgent({ id: 'agent-sync', name: 'Sync', role: 'agent' }, 3, Date.now());
    assert.equal(sync.mock.callCount(), synced + 1);

    // The disk refuses the sync: the webhook is refused (Twilio retries it), not acknowledged.
    sync.mock.mockImplementation(() => {
      throw Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' });
    });
    const second = inbound({ from: '+15550300002', messageSid: sid() });
    await assert.rejects(store.recordInboundReceipt(second, () => {}), /EIO/);
    sync.mock.restore();
    // Twilio's retry: the commit had reached the database, so it is stored once.
    const retry = await store.recordInboundReceipt(second, () => {});
    assert.equal(retry.duplicate, true);
    await store.close();
  });

  it('finds a message in search however recently it was stored, also when the process stopped before indexing it', async () => {
    const path = join(dir, 'search.db');
    const first = new SqliteStore(path);
    await first.migrate();
    await first.recordInbound(inbound({ from: '+15550200001', body: 'my parcel never arrived' }));
    // At once, before the index runs in its batch (it is filled after the commit, not in it).
    const supervisor = { agentId: 'x', supervisor: true };
    assert.equal((await first.searchMessages(supervisor, 'parcel', 10)).length, 1);
    await first.recordInbound(inbound({ from: '+15550200002', body: 'the courier left a parcel outside' }));
    // The process stops before the batch (kill -9: no close, no timer): the next one starts from the mark.
    const second = new SqliteStore(path);
    await second.migrate();
    const hits = await second.searchMessages(supervisor, 'courier', 10);
    assert.equal(hits.length, 1);
    assert.match(hits[0]!.snippet, /courier/);
    assert.equal((await second.searchMessages(supervisor, 'parcel', 10)).length, 2, 'each message indexed once');
    await second.close();
    await first.close();
  });
});
