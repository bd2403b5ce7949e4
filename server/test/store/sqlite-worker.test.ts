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
import { batchPoster } from '../../src/store/sqlite-thread/worker-protocol.ts';
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

  it('calls made together travel together and are still answered each on its own: right caller, own error, in order', async () => {
    const store = await open();
    // All in one tick, so in one batch each way. Each getAgent follows its upsertAgent in
    // the batch and must see it (order kept); the failing setPresence fails alone.
    const names = ['ann', 'ben', 'cy', 'dot'];
    const upserts = names.map((id) => store.upsertAgent({ id, name: id.toUpperCase(), role: 'agent' }, 2, Date.now()));
    const missing = store.setPresence('nobody', 'available', Date.now()).catch((e: unknown) => e);
    const reads = names.map((id) => store.getAgent(id));
    const unknown = store.getAgent('nobody');
    assert.deepEqual((await Promise.all(upserts)).map((a) => a.name), ['ANN', 'BEN', 'CY', 'DOT']);
    assert.deepEqual((await Promise.all(reads)).map((a) => a?.name), ['ANN', 'BEN', 'CY', 'DOT']);
    assert.equal(await unknown, null);
    const error = await missing;
    assert.ok(error instanceof DomainError && error.code === 'not_found');
    await store.close();
  });

  it('an argument that cannot cross the thread fails its own call, not its batch-mates', async () => {
    const store = await open();
    const before = store.getAgent('nobody');
    const refused = store.getAgent((() => 'a function') as unknown as string).catch((e: unknown) => e);
    const afterIt = store.ping();
    assert.equal(await before, null);
    assert.equal(await afterIt, undefined);
    const error = await refused;
    assert.ok(error instanceof Error && error.name === 'DataCloneError', String(error));
    await store.close();
  });

  it('refuses every call with a clear error once closed', async () => {
    const store = await open();
    await store.close();
    await assert.rejects(store.ping(), /closed/);
  });
});

describe('batchPoster (the thread boundary\'s batching)', () => {
  it('posts what was queued before its flush as one batch, in order', () => {
    const posted: number[][] = [];
    let flush: (() => void) | null = null;
    const send = batchPoster<number>((items) => posted.push(items), (f) => (flush = f), () => assert.fail('nothing refused'));
    [1, 2, 3].forEach(send);
    assert.deepEqual(posted, []);
    flush!();
    send(4);
    flush!();
    assert.deepEqual(posted, [[1, 2, 3], [4]]);
  });

  it('posts the rest of a batch when one item cannot be posted, and names only that one', () => {
    const posted: number[][] = [];
    const refused: Array<[number, unknown]> = [];
    const send = batchPoster<number>(
      (items) => {
        if (items.includes(2)) throw new Error('cannot clone 2');
        posted.push(items);
      },
      (f) => queueMicrotask(f),
      (item, error) => refused.push([item, error]),
    );
    [1, 2, 3].forEach(send);
    return Promise.resolve().then(() => {
      assert.deepEqual(posted, [[1], [3]]);
      assert.deepEqual(refused.map(([item]) => item), [2]);
      assert.match(String(refused[0]![1]), /cannot clone 2/);
    });
  });
});
