/**
 * Relay memory: RSS of an idle relay on an empty database (baseline), then of a relay whose
 * store holds 10,000 conversations (assigned over 1,000 agents) with 1,000 SSE clients
 * connected and probes flowing to them. RSS is read from /proc; the peak is VmHWM.
 */
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { SqliteStore } from '../../../server/src/store/sqlite-store.ts';
import { rssOf } from '../lib/procs.ts';
import { BUSINESS_A, startRelay, type Fake } from '../lib/relay.ts';
import { round, sleep } from '../lib/stats.ts';
import { inboundRecord } from '../lib/inbound-record.mjs';
import { customerPhone, messageSid } from '../lib/webhooks.ts';
import { probe, startReaders } from './sse.ts';

const MB = 1024 * 1024;

/** Seeds through the Store API; commits are not fsynced while seeding (setup, not measured). */
export async function seedConversations(file: string, conversations: number, agents: number, prefix: string): Promise<string[]> {
  const store = new SqliteStore(file);
  await store.migrate();
  (store as unknown as { database: { db: Database.Database } }).database.db.pragma('synchronous = OFF');
  const now = Date.now();
  for (let a = 0; a < agents; a++) {
    await store.upsertAgent({ id: `${prefix}-${String(a).padStart(4, '0')}`, name: `Bench Agent ${a}`, role: 'agent' }, 100, now);
  }
  const firstCustomers: string[] = [];
  for (let i = 0; i < conversations; i++) {
    const phone = customerPhone(100_000 + i);
    const agentId = `${prefix}-${String(i % agents).padStart(4, '0')}`;
    const { conversation } = await store.recordInbound(inboundRecord({ messageSid: messageSid(), from: phone, to: BUSINESS_A, body: `Hello, order ${i} has not arrived yet.`, profileName: `Customer ${i}`, receivedAt: now }));
    await store.createOffer(conversation.id, agentId, now + 3_600_000, now);
    await store.acceptOffer(conversation.id, agentId, now);
    if (i < agents) firstCustomers.push(phone);
  }
  await store.close();
  return firstCustomers;
}

/** `main`: another build of the relay (BENCH_COMPARE), measured the same way; `label` names its files. */
export async function benchMemory(opts: { fake: Fake; dir: string; conversations: number; clients: number; probes: number; probeRate: number; main?: string; label?: string }) {
  const tag = opts.label ?? 'memory';
  // Baseline: the same relay, empty database, nobody connected.
  const idle = await startRelay(opts.fake, `sqlite:${join(opts.dir, `${tag}-idle.db`)}`, { label: `relay (${tag}, idle)`, main: opts.main });
  await sleep(2000);
  const idleRss = rssOf(idle.proc.pid);
  await idle.proc.stop();

  const file = join(opts.dir, `${tag}.db`);
  const prefix = 'bench-mem';
  const seedStarted = Date.now();
  const customers = await seedConversations(file, opts.conversations, opts.clients, prefix);
  const seedMs = Date.now() - seedStarted;

  const relay = await startRelay(opts.fake, `sqlite:${file}`, { label: `relay (${tag})`, main: opts.main });
  const readers = await startReaders();
  let peakSampled = 0;
  let peakAnonSampled = 0;
  const sampler = setInterval(() => {
    try {
      const now = rssOf(relay.proc.pid);
      peakSampled = Math.max(peakSampled, now.rss);
      peakAnonSampled = Math.max(peakAnonSampled, now.anon);
    } catch {
      // exited
    }
  }, 100);
  try {
    await sleep(2000);
    const seededIdle = rssOf(relay.proc.pid);
    const connected = await readers.ask<{ count: number; ms: number }>(
      { type: 'connect', base: relay.base, secret: relay.secret, agents: opts.clients, prefix, available: false, accept: false },
      'connected',
      120_000,
    );
    await sleep(1000);
    const afterConnect = rssOf(relay.proc.pid);
    const target = { webhookBases: [relay.base], streamBase: relay.base, publicUrl: relay.publicUrl, authToken: relay.authToken, accountSid: opts.fake.accountSid, secret: relay.secret };
    const latency = await probe(target, readers, customers, opts.probes, opts.probeRate, 0);
    await sleep(1000);
    const afterTraffic = rssOf(relay.proc.pid);
    return {
      conversations: opts.conversations,
      clients: connected.count,
      connectMs: round(connected.ms, 0),
      seedMs,
      main: opts.main ?? null,
      baselineIdleMB: round(idleRss.rss / MB, 1),
      // VmRSS = RssAnon (the relay's own heaps, malloc, stacks) + RssFile (node's code pages, shared host-wide).
      baselineIdleAnonMB: round(idleRss.anon / MB, 1),
      baselineIdleFileMB: round(idleRss.file / MB, 1),
      seededIdleMB: round(seededIdle.rss / MB, 1),
      connectedMB: round(afterConnect.rss / MB, 1),
      afterTrafficMB: round(afterTraffic.rss / MB, 1),
      peakMB: round(Math.max(afterTraffic.peak, peakSampled) / MB, 1),
      /** The largest RssAnon of the 100 ms samples (the kernel keeps a peak for VmRSS only). */
      peakAnonSampledMB: round(peakAnonSampled / MB, 1),
      fileMB: round(afterTraffic.file / MB, 1),
      perClientKB: round((afterConnect.rss - seededIdle.rss) / 1024 / opts.clients, 1),
      latencyWith1000Clients: latency,
    };
  } finally {
    clearInterval(sampler);
    await readers.ask({ type: 'close' }, 'closed').catch(() => undefined);
    await readers.stop();
    await relay.proc.stop();
  }
}
