/**
 * Evidence for the proposed group commit (not part of `npm run bench`; run with
 * `node --import tsx test/bench/group-commit.ts`). Drives the real SqliteStore.recordInbound:
 *   1. as today: every call its own immediate transaction, each COMMIT fsynced (synchronous=FULL);
 *   2. grouped: the same calls, 32 at a time inside one outer transaction (one COMMIT, one fsync
 *      per group; better-sqlite3 turns the inner transactions into savepoints), which is what a
 *      group-committing store would do before acknowledging the 32 webhooks;
 *   3. grouped and with prepared statements cached (the store re-prepares every statement on
 *      every call today; here its private get/run/all are swapped for cached ones);
 *   4. the raw cost of one fsynced WAL commit on this disk, for reference.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../../server/src/store/sqlite/sqlite-store.ts';
import { BUSINESS_A } from './lib/relay.ts';
import { percentile, round } from './lib/stats.ts';
import { customerPhone, messageSid } from './lib/webhooks.ts';

const dir = mkdtempSync(join(tmpdir(), 'wcp-group-commit-'));
const N = Number(process.env.N ?? 3000);
const GROUP = Number(process.env.GROUP ?? 32);
const inbound = (i: number) => ({ messageSid: messageSid(), from: customerPhone(i % 500), to: BUSINESS_A, body: `Message ${i} about my order`, profileName: 'Bench', waId: customerPhone(i % 500).slice(1), media: [], originalRepliedMessageSid: null, receivedAt: Date.now() });

type Internals = { db: Database.Database; get: unknown; run: unknown; all: unknown };

function cacheStatements(store: SqliteStore) {
  const s = store as unknown as Internals;
  const cache = new Map<string, Database.Statement>();
  const prepared = (sql: string) => {
    let st = cache.get(sql);
    if (!st) cache.set(sql, (st = s.db.prepare(sql)));
    return st;
  };
  s.get = (sql: string, ...p: unknown[]) => prepared(sql).get(...p);
  s.run = (sql: string, ...p: unknown[]) => prepared(sql).run(...p);
  s.all = (sql: string, ...p: unknown[]) => prepared(sql).all(...p);
}

async function run(label: string, grouped: boolean, cached = false) {
  const store = new SqliteStore(join(dir, `${label}.db`));
  await store.migrate();
  if (cached) cacheStatements(store);
  const db = (store as unknown as Internals).db;
  for (let i = 0; i < 500; i++) await store.recordInbound(inbound(i)); // open the conversations
  const started = process.hrtime.bigint();
  if (grouped) {
    for (let i = 0; i < N; i += GROUP) {
      db.transaction(() => {
        for (let k = i; k < Math.min(N, i + GROUP); k++) void store.recordInbound(inbound(k));
      }).immediate();
    }
  } else {
    for (let i = 0; i < N; i++) await store.recordInbound(inbound(i));
  }
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  await store.close();
  return { perSecond: Math.round((N * 1000) / ms), msPerWebhook: round(ms / N, 3) };
}

function rawCommit() {
  const db = new Database(join(dir, 'raw.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
  const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
  const one = db.transaction((v: string) => insert.run(v));
  const times: number[] = [];
  for (let i = 0; i < 500; i++) {
    const t = process.hrtime.bigint();
    one.immediate('x'.repeat(200));
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  db.close();
  return { p50Ms: round(percentile(times, 50), 3), p99Ms: round(percentile(times, 99), 3), maxMs: round(Math.max(...times), 3) };
}

try {
  const perCommit = await run('per-commit', false);
  const grouped = await run('grouped', true);
  const groupedCached = await run('grouped-cached', true, true);
  const perCommitCached = await run('per-commit-cached', false, true);
  const raw = rawCommit();
  console.log(JSON.stringify({ N, group: GROUP, perCommit, perCommitCached, grouped, groupedCached, rawFsyncedCommit: raw }, null, 2));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
