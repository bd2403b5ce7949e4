/**
 * WAL frames (4 KB pages) an inbound webhook writes to SQLite, by table and index: what a
 * commit costs in writes, and where. A build's store stores 3,000 webhooks from 1,000 customers,
 * then 640 more in groups of the given sizes (1: a lone webhook, its own commit; 32: a busy
 * group) with the WAL checkpointed and automatic checkpoints off, and each frame's page is named
 * from SQLite's dbstat table.
 *
 *   node test/bench/wal-frames.mjs [server/dist] [group sizes, default 1,32]
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { inboundRecord } from './lib/inbound-record.mjs';

const dist = resolve(process.argv[2] ?? 'server/dist');
const groupSizes = (process.argv[3] ?? '1,32').split(',').map(Number);
const { SqliteStore } = await import(pathToFileURL(join(dist, 'store/sqlite-store.js')).href);
const FRAME = 24 + 4096;
const WAL_HEADER = 32;
const MEASURED = 640;

const inbound = (i, customer) =>
  inboundRecord({
    messageSid: `SM${String(i).padStart(32, '0')}`,
    from: `+1555${String(customer).padStart(7, '0')}`,
    to: '+14155550100',
    body: `Hello, this is message ${i} about my order`,
    profileName: 'Ann',
    sentiment: { score: 0, comparative: 0, tokens: 9 },
  });

const dir = mkdtempSync(join(tmpdir(), 'wcp-wal-frames-'));
try {
  for (const size of groupSizes) {
    const file = join(dir, `group-${size}.db`);
    const store = new SqliteStore(file);
    await store.migrate();
    // The connection is the store's own; this tool reads through it.
    const db = store.database.db;
    let i = 0;
    for (; i < 3000; i++) await store.recordInboundReceipt(inbound(i, i % 1000));
    await new Promise((r) => setTimeout(r, 400)); // the search index's batch
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.pragma('wal_autocheckpoint = 0');
    for (let k = 0; k < MEASURED; k += size) {
      await Promise.all(Array.from({ length: size }, (_, j) => store.recordInboundReceipt(inbound(i++, (k + j) % 1000))));
    }
    const wal = readFileSync(`${file}-wal`);
    const owner = new Map(db.prepare('SELECT name, pageno FROM dbstat').all().map((r) => [r.pageno, r.name]));
    const byName = new Map();
    let frames = 0;
    for (let offset = WAL_HEADER; offset + FRAME <= wal.length; offset += FRAME, frames++) {
      const name = owner.get(wal.readUInt32BE(offset)) ?? 'other';
      byName.set(name, (byName.get(name) ?? 0) + 1);
    }
    const per = (n) => (n / MEASURED).toFixed(2);
    console.log(`groups of ${size}: ${per(frames)} frames per webhook (${[...byName].sort((a, b) => b[1] - a[1]).map(([name, n]) => `${name} ${per(n)}`).join(', ')})`);
    await store.close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
