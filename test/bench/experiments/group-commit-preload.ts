/**
 * EXPERIMENT, not product code: loaded into a relay process with
 * `node --import tsx --import ./test/bench/experiments/group-commit-preload.ts server/src/main.ts`
 * to measure the fix proposed for server/src/store/sqlite/sqlite-store.ts before the lead
 * makes it. It patches SqliteStore at runtime:
 *
 * - BENCH_GROUP_COMMIT=1: recordInbound calls arriving in the same turn of the event loop are
 *   run inside one outer IMMEDIATE transaction (each call's own transaction becomes a
 *   savepoint, so one bad webhook rolls back alone) and are resolved only after the outer
 *   COMMIT, i.e. each webhook is still acknowledged only once it is durable.
 * - BENCH_STMT_CACHE=1: get/run/all reuse prepared statements instead of preparing the SQL
 *   on every call.
 */
import type Database from 'better-sqlite3';
import type { InboundRecord, InboundResult } from '../../../server/src/store/port.ts';
import { SqliteStore } from '../../../server/src/store/sqlite/sqlite-store.ts';

type Internals = { db: Database.Database };
type Methods = Record<'get' | 'run' | 'all', (sql: string, ...params: unknown[]) => unknown>;
const MAX_GROUP = 256;

if (process.env.BENCH_STMT_CACHE === '1') {
  const caches = new WeakMap<object, Map<string, Database.Statement>>();
  const prepared = (store: Internals, sql: string) => {
    let cache = caches.get(store);
    if (!cache) caches.set(store, (cache = new Map()));
    let statement = cache.get(sql);
    if (!statement) cache.set(sql, (statement = store.db.prepare(sql)));
    return statement;
  };
  const proto = SqliteStore.prototype as unknown as Methods;
  proto.get = function (this: Internals, sql, ...params) {
    return prepared(this, sql).get(...params);
  };
  proto.run = function (this: Internals, sql, ...params) {
    return prepared(this, sql).run(...params);
  };
  proto.all = function (this: Internals, sql, ...params) {
    return prepared(this, sql).all(...params);
  };
}

if (process.env.BENCH_GROUP_COMMIT === '1') {
  const original = SqliteStore.prototype.recordInbound;
  interface Pending {
    inbound: InboundRecord;
    resolve: (r: InboundResult) => void;
    reject: (e: unknown) => void;
  }
  const queues = new WeakMap<SqliteStore, Pending[]>();
  SqliteStore.prototype.recordInbound = function (this: SqliteStore, inbound: InboundRecord): Promise<InboundResult> {
    return new Promise<InboundResult>((resolve, reject) => {
      let queue = queues.get(this);
      if (!queue) {
        queue = [];
        queues.set(this, queue);
        setImmediate(() => flush(this));
      }
      queue.push({ inbound, resolve, reject });
    });
  };
  const flush = (store: SqliteStore) => {
    const batch = queues.get(store) ?? [];
    queues.delete(store);
    for (let i = 0; i < batch.length; i += MAX_GROUP) {
      const group = batch.slice(i, i + MAX_GROUP);
      const outcomes: Promise<InboundResult>[] = [];
      try {
        (store as unknown as Internals).db
          .transaction(() => {
            for (const item of group) outcomes.push(original.call(store, item.inbound));
          })
          .immediate();
      } catch (error) {
        for (const item of group) item.reject(error);
        continue;
      }
      // Committed: now each webhook may be acknowledged.
      group.forEach((item, k) => outcomes[k]!.then(item.resolve, item.reject));
    }
  };
}

/**
 * BENCH_SYNC_NORMAL=1: synchronous=NORMAL (WAL commits not fsynced). NOT a proposal - an
 * acknowledged webhook could be lost on power failure - only the upper bound showing how much
 * of the remaining cost is the fsync itself.
 */
if (process.env.BENCH_SYNC_NORMAL === '1') {
  const migrate = SqliteStore.prototype.migrate;
  SqliteStore.prototype.migrate = function (this: SqliteStore) {
    (this as unknown as Internals).db.pragma('synchronous = NORMAL');
    return migrate.call(this);
  };
}
