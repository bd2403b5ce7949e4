/**
 * The embedded store on its own thread (the way the relay runs it): the whole Store
 * contract, plus what only the thread boundary can break — error classes, binary media,
 * group commit across the boundary, and a thread that dies.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { DomainError } from '../../src/domain/errors.ts';
import { openSqliteWorkerStore } from '../../src/store/sqlite-thread/worker-store.ts';
import { storeContract, inbound, sid } from './contract.ts';

const dir = mkdtempSync(join(tmpdir(), 'wcp-worker-store-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const open = async () => {
  const store = openSqliteWorkerStore(join(dir, `contract-${++n}.db`));
  await store.migrate();
  return store;
};

storeContract('SQLite on its own thread', open);

describe('SQLite store thread boundary', () => {
  it('keeps DomainErrors (and so their HTTP status) and SQLite error codes across the thread', async () => {
    const store = await open();
    const missing = await store.setPresence('nobody', 'available', Date.now()).catch((e: unknown) => e);
    assert.ok(missing instanceof DomainError, 'a DomainError, as from the in-process store');
    assert.equal(missing.code, 'not_found');
    assert.equal(missing.httpStatus, 404);
    const broken: unknown = await store
      .recordInbound(inbound({ media: [{ url: 'https://api.twilio.com/x', contentType: null as unknown as string }] }))
      .catch((e: unknown) => e);
    assert.ok(broken instanceof Error);
    assert.match(String((broken as Error & { code?: string }).code), /^SQLITE_CONSTRAINT/);
    await store.close();
  });

  it('carries media bytes both ways unchanged', async () => {
    const store = await open();
    const bytes = Uint8Array.from({ length: 70_000 }, (_, i) => (i * 31) % 256);
    const saved = await store.saveUpload({ bytes, contentType: 'image/png', filename: 'p.png', publicToken: 'tok', publicExpiresAt: Date.now() + 60_000, agentId: 'alice' });
    assert.deepEqual(await store.getMediaBytes(saved.id), bytes);
    await store.close();
  });

  it('a burst of webhooks still shares group commits, each answered once durable', async () => {
    const path = join(dir, 'burst.db');
    const store = openSqliteWorkerStore(path);
    await store.migrate();
    const burst = Array.from({ length: 200 }, (_, i) => inbound({ from: `+1555020${String(i).padStart(4, '0')}`, messageSid: sid() }));
    const results = await Promise.all(burst.map((m) => store.recordInbound(m)));
    assert.equal(results.filter((r) => !r.duplicate).length, 200);
    await store.close();
    const reopened = openSqliteWorkerStore(path);
    await reopened.migrate();
    assert.equal((await reopened.listConversations({ agentId: 'x', supervisor: true }, null, Date.now())).length, 200);
    await reopened.close();
  });

  it('refuses every call with a clear error once closed', async () => {
    const store = await open();
    await store.close();
    await assert.rejects(store.ping(), /closed/);
  });
});
