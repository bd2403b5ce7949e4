/**
 * How cost grows (BENCH_ONLY=growth; not in the default run, it takes minutes): signed
 * webhooks/s and relay RSS with 1k, 10k and 100k conversations already in the database, and
 * webhook → SSE latency and RSS with 100, 1,000 and 5,000 agents connected. Each series is read
 * against its own smallest case, measured in the same run. docs/sizing.md uses these.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { SqliteStore } from '../../../server/src/store/sqlite-store.ts';
import { rssOf } from '../lib/procs.ts';
import { BUSINESS_A, startRelay, type Fake } from '../lib/relay.ts';
import { round, sleep } from '../lib/stats.ts';
import { inboundRecord } from '../lib/inbound-record.mjs';
import { messageSid } from '../lib/webhooks.ts';
import { seedConversations } from './memory.ts';
import { probe, startReaders } from './sse.ts';
import { drive } from './webhooks.ts';

const MB = 1024 * 1024;

/**
 * `count` closed conversations with one message each, cloned by SQL from one written through the
 * Store API, so every column the schema has is filled as the relay fills it. Closed: a
 * database's history, not a queue of 100,000 waiting customers.
 */
export async function seedHistory(file: string, count: number): Promise<void> {
  const store = new SqliteStore(file);
  await store.migrate();
  const now = Date.now();
  const { conversation } = await store.recordInbound(inboundRecord({ messageSid: messageSid(), from: '+19990000000', to: BUSINESS_A, body: 'Where is my parcel?', profileName: 'Template', receivedAt: now }));
  await store.close();
  const db = new Database(file);
  db.pragma('synchronous = OFF');
  const columns = (table: string) => (db.prepare(`SELECT name FROM pragma_table_info('${table}')`).all() as { name: string }[]).map((c) => c.name);
  const clone = (table: string, replace: Record<string, string>, where: string) => {
    const cols = columns(table).filter((c) => c !== 'seq');
    db.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
       INSERT INTO ${table} (${cols.join(', ')}) SELECT ${cols.map((c) => replace[c] ?? `t.${c}`).join(', ')} FROM n, (SELECT * FROM ${table} WHERE ${where}) t`,
    ).run(count - 1);
  };
  db.transaction(() => {
    clone('conversations', { id: `'cv_hist' || n.i`, customer_phone: `'+1998' || printf('%07d', n.i)`, state: `'closed'` }, `id = '${conversation.id}'`);
    clone('messages', { id: `'msg_hist' || n.i`, conversation_id: `'cv_hist' || n.i`, twilio_sid: `'SMhist' || n.i` }, `conversation_id = '${conversation.id}'`);
  })();
  db.close();
  const indexed = new SqliteStore(file);
  await indexed.migrate();
  await indexed.searchMessages({ agentId: 'x', supervisor: true }, 'parcel', 1); // the search index catches up
  await indexed.close();
}

export async function benchGrowth(opts: { fake: Fake; dir: string; conversations: number[]; agents: number[] }) {
  const byConversations = [];
  for (const n of opts.conversations) {
    const file = join(opts.dir, `growth-${n}.db`);
    await seedHistory(file, n);
    const relay = await startRelay(opts.fake, `sqlite:${file}`, { label: `relay (${n} conversations)` });
    try {
      await sleep(1000);
      const idle = rssOf(relay.proc.pid).rss;
      const phases = await drive(relay.base, relay.publicUrl, opts.fake, { maxDurationS: 5, rateDurationS: 3, rate: 500, connections: 32, customers: 500 }, false, 50_000);
      const after = rssOf(relay.proc.pid);
      byConversations.push({ conversations: n, webhooksPerSecond: round(phases.max!.rps, 0), ackP99AtRate: phases.rate!.latency.p99, idleMB: round(idle / MB, 1), peakMB: round(after.peak / MB, 1) });
    } finally {
      await relay.proc.stop();
    }
  }
  const byAgents = [];
  for (const n of opts.agents) {
    const file = join(opts.dir, `growth-agents-${n}.db`);
    const prefix = `bench-grow${n}`;
    const customers = await seedConversations(file, n, n, prefix);
    const relay = await startRelay(opts.fake, `sqlite:${file}`, { label: `relay (${n} agents)` });
    const readers = await startReaders();
    try {
      const connected = await readers.ask<{ count: number; ms: number }>({ type: 'connect', base: relay.base, secret: relay.secret, agents: n, prefix, available: false, accept: false }, 'connected', 180_000);
      await sleep(1000);
      const connectedRss = rssOf(relay.proc.pid).rss;
      const target = { webhookBases: [relay.base], streamBase: relay.base, publicUrl: relay.publicUrl, authToken: relay.authToken, accountSid: opts.fake.accountSid, secret: relay.secret };
      await probe(target, readers, customers, 100, 100, 0);
      const latency = await probe(target, readers, customers, 300, 100, 1000);
      byAgents.push({ agents: n, connected: connected.count, connectMs: round(connected.ms, 0), connectedMB: round(connectedRss / MB, 1), peakMB: round(rssOf(relay.proc.pid).peak / MB, 1), p50: latency.p50, p99: latency.p99, received: latency.received, sent: latency.sent });
    } finally {
      await readers.ask({ type: 'close' }, 'closed').catch(() => undefined);
      await readers.stop();
      await relay.proc.stop();
    }
  }
  return { byConversations, byAgents };
}
