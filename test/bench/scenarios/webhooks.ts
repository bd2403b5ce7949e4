/**
 * Signed, durable inbound webhooks on SQLite vs a bare Fastify no-op route, both driven by
 * autocannon from a separate process: the most webhooks/s each takes, then the ack latency of
 * each at a fixed 1,000/s. Afterwards the relay's database is opened to check that every
 * acknowledged webhook is stored (once).
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import type { PhaseSummary } from '../load.ts';
import { BENCH_DIR, COMPARE_MAIN, startNode } from '../lib/procs.ts';
import { startRelay, type Fake } from '../lib/relay.ts';
import { round } from '../lib/stats.ts';
import { fsyncProbe } from '../lib/environment.ts';

export interface WebhookOptions {
  fake: Fake;
  dir: string;
  maxDurationS: number;
  rateDurationS: number;
  rate: number;
  connections: number;
  customers: number;
  /** Extra node flags for the relay (e.g. --cpu-prof). */
  relayNodeArgs?: string[];
}

type Phases = Record<string, PhaseSummary>;

/** `alsoProcessesNamed`: processes (by `comm`) whose CPU each phase also reads (PhaseSummary.cpu.namedUs). */
export async function drive(target: string, publicUrl: string, fake: Fake, opts: Omit<WebhookOptions, 'fake' | 'dir'>, wrap: boolean, customerOffset = 0, targetPid?: number, alsoProcessesNamed?: string): Promise<Phases> {
  const load = await startNode(join(BENCH_DIR, 'load.ts'), { label: 'load generator', ipc: true, ready: (l) => l.event === 'load-ready' });
  try {
    const maxPool = 40_000;
    const result = await load.ask<{ phases: Phases; used: number }>(
      {
        type: 'run',
        target,
        publicUrl,
        authToken: fake.authToken,
        accountSid: fake.accountSid,
        customers: opts.customers,
        customerOffset,
        targetPid,
        alsoProcessesNamed,
        pool: opts.customers + maxPool + opts.rate * opts.rateDurationS + 2000,
        phases: [
          // One message from each customer first: opens their conversations and warms the JIT.
          { name: 'warmup', connections: 10, amount: opts.customers },
          { name: 'max', connections: opts.connections, durationS: opts.maxDurationS, amount: maxPool, wrap },
          { name: 'rate', connections: 100, durationS: opts.rateDurationS, overallRate: opts.rate, wrap },
        ],
      },
      'result',
      180_000,
    );
    return result.phases;
  } finally {
    await load.stop();
  }
}

export async function benchWebhooks(opts: WebhookOptions) {
  const dbFile = join(opts.dir, 'webhooks.db');
  // The disk's commit cost right now (it varies a lot on a shared machine), beside the figure.
  const fsyncCommitBefore = fsyncProbe(opts.dir);
  const relay = await startRelay(opts.fake, `sqlite:${dbFile}`, { nodeArgs: opts.relayNodeArgs, label: 'relay (webhooks)' });
  let relayPhases: Phases;
  try {
    relayPhases = await drive(relay.base, relay.publicUrl, opts.fake, opts, false, 0, relay.proc.pid);
  } finally {
    await relay.proc.stop();
  }
  let comparePhases: Phases | undefined;
  if (COMPARE_MAIN) {
    const other = await startRelay(opts.fake, `sqlite:${join(opts.dir, 'webhooks-compare.db')}`, { main: COMPARE_MAIN, label: 'relay to compare (webhooks)' });
    try {
      comparePhases = await drive(other.base, other.publicUrl, opts.fake, opts, false, 0, other.proc.pid);
    } finally {
      await other.proc.stop();
    }
  }
  const baseline = await startNode(join(BENCH_DIR, 'baseline-server.ts'), { label: 'baseline server', ready: (l) => l.event === 'listening' });
  let basePhases: Phases;
  try {
    basePhases = await drive(String(baseline.hello.address), 'http://127.0.0.1', opts.fake, opts, true, 0, baseline.pid);
  } finally {
    await baseline.stop();
  }

  // Durability: everything acknowledged with 200 is in the database, each MessageSid once.
  const db = new Database(dbFile, { readonly: true });
  const stored = (db.prepare(`SELECT COUNT(*) AS n, COUNT(DISTINCT twilio_sid) AS d FROM messages WHERE direction = 'inbound'`).get() as { n: number; d: number });
  const conversations = (db.prepare('SELECT COUNT(*) AS n FROM conversations').get() as { n: number }).n;
  // What a stored message costs on disk with its events and search index (docs/sizing.md).
  const pages = db.prepare('SELECT page_count * page_size AS bytes FROM pragma_page_count(), pragma_page_size()').get() as { bytes: number };
  db.close();
  const acked = relayPhases.warmup!.ok + relayPhases.max!.ok + relayPhases.rate!.ok;

  const max = relayPhases.max!;
  const baseMax = basePhases.max!;
  const compare = comparePhases && {
    main: COMPARE_MAIN,
    webhooksPerSecond: round(comparePhases.max!.rps, 0),
    shareOfBaseline: round((100 * comparePhases.max!.rps) / baseMax.rps, 1),
    cpuPerWebhook: comparePhases.max!.cpu,
    atRate: { achieved: round(comparePhases.rate!.rps, 0), p50: comparePhases.rate!.latency.p50, p99: comparePhases.rate!.latency.p99 },
  };
  return {
    compare,
    relay: relayPhases,
    baseline: basePhases,
    fsyncCommitBefore,
    fsyncCommitAfter: fsyncProbe(opts.dir),
    diskBytesPerMessage: round(pages.bytes / Math.max(1, stored.n), 0),
    durability: { acknowledged: acked, storedMessages: stored.n, distinctSids: stored.d, conversations, ok: stored.n >= acked && stored.n === stored.d },
    webhooksPerSecond: round(max.rps, 0),
    baselinePerSecond: round(baseMax.rps, 0),
    shareOfBaseline: round((100 * max.rps) / baseMax.rps, 1),
    // Where each webhook's CPU goes at full load (µs per request): the relay's threads against the bare route's, and the load generator's.
    cpuPerWebhook: { relay: max.cpu, baseline: baseMax.cpu },
    atRate: {
      rate: opts.rate,
      achieved: round(relayPhases.rate!.rps, 0),
      p50: relayPhases.rate!.latency.p50,
      p99: relayPhases.rate!.latency.p99,
      baselineP50: basePhases.rate!.latency.p50,
      baselineP99: basePhases.rate!.latency.p99,
      non2xx: relayPhases.rate!.non2xx,
      errors: relayPhases.rate!.errors,
    },
  };
}
