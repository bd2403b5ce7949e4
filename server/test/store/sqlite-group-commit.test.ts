/** SQLite-only: webhook writes made in the same event-loop turn share one commit. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
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
});
