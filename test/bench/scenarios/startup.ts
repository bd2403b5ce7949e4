/**
 * Relay start to `/readyz` 200 on an existing 100,000-message database, against the start on an
 * empty (already migrated) one: what a restart or a failover costs an installation that has
 * been running for a while. Alternating starts, the median of each.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { SqliteStore } from '../../../server/src/store/sqlite-store.ts';
import { startRelay, type Fake } from '../lib/relay.ts';
import { median, round } from '../lib/stats.ts';
import { seedConversations } from './memory.ts';

/**
 * 1,000 conversations through the Store API, then the rest of the messages (and their `message`
 * events) copied in bulk by SQL in the real schema, then indexed for search by the store itself.
 */
export async function seedMessages(file: string, messages: number, conversations: number): Promise<void> {
  await seedConversations(file, conversations, 10, 'bench-start');
  const db = new Database(file);
  db.pragma('synchronous = OFF');
  const now = Date.now();
  db.transaction(() => {
    db.exec('CREATE TEMP TABLE seed_cv AS SELECT row_number() OVER (ORDER BY id) - 1 AS k, id, assigned_agent_id FROM conversations');
    db.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
       INSERT INTO messages (id, conversation_id, direction, body, status, twilio_sid, media, sentiment, created_at)
       SELECT 'msg_seed' || i, c.id, CASE WHEN i % 2 THEN 'inbound' ELSE 'outbound' END, 'Order ' || i || ': the parcel has not arrived yet, can you check?',
              CASE WHEN i % 2 THEN 'received' ELSE 'delivered' END, 'SMseed' || i, '[]', NULL, ? - (? - i) * 1000
       FROM n JOIN seed_cv c ON c.k = n.i % ?`,
    ).run(messages - conversations, now, messages, conversations);
    db.exec(`INSERT INTO events (type, agent_id, data)
             SELECT 'message', c.assigned_agent_id, json_object('conversationId', m.conversation_id, 'message', json_object('id', m.id, 'body', m.body))
             FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE m.id LIKE 'msg_seed%'`);
  })();
  db.close();
  const store = new SqliteStore(file);
  await store.migrate();
  await store.searchMessages({ agentId: 'x', supervisor: true }, 'parcel', 1); // a search indexes everything past the mark
  await store.close();
}

async function timeToReady(fake: Fake, file: string, label: string): Promise<number> {
  const started = performance.now();
  const relay = await startRelay(fake, `sqlite:${file}`, { label });
  try {
    for (;;) {
      const ok = await fetch(`${relay.base}/readyz`).then((r) => r.ok, () => false);
      if (ok) return performance.now() - started;
      if (performance.now() - started > 60_000) throw new Error(`${label}: not ready within 60 s`);
      await new Promise((r) => setTimeout(r, 5));
    }
  } finally {
    await relay.proc.stop();
  }
}

export async function benchStartup(opts: { fake: Fake; dir: string; messages: number; conversations: number; starts: number }) {
  const empty = join(opts.dir, 'start-empty.db');
  const full = join(opts.dir, 'start-full.db');
  const emptyStore = new SqliteStore(empty);
  await emptyStore.migrate();
  await emptyStore.close();
  const seedStarted = Date.now();
  await seedMessages(full, opts.messages, opts.conversations);
  const seedMs = Date.now() - seedStarted;
  const db = new Database(full, { readonly: true });
  const stored = (db.prepare('SELECT COUNT(*) AS n FROM messages').get() as { n: number }).n;
  db.close();
  const emptyMs: number[] = [];
  const fullMs: number[] = [];
  for (let i = 0; i < opts.starts; i++) {
    emptyMs.push(await timeToReady(opts.fake, empty, 'relay (start, empty)'));
    fullMs.push(await timeToReady(opts.fake, full, 'relay (start, 100k)'));
  }
  const e = median(emptyMs);
  const f = median(fullMs);
  return { messages: stored, seedMs, emptyMs: round(e, 0), fullMs: round(f, 0), ratio: round(f / e, 2), emptyRuns: emptyMs.map((m) => round(m, 0)), fullRuns: fullMs.map((m) => round(m, 0)) };
}
