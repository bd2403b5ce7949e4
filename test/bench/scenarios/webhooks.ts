/**
 * Signed, durable inbound webhooks on SQLite vs a bare Fastify no-op route, both driven by
 * autocannon from a separate process: the most webhooks/s each takes, then the ack latency of
 * each at a fixed 1,000/s. Afterwards the relay's database is opened to check that every
 * acknowledged webhook is stored (once).
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import type { PhaseSummary } from '../load.ts';
import { BENCH_DIR, startNode } from '../lib/procs.ts';
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
  /** Also measure relays patched with the proposed fixes (experiments/group-commit-preload.ts). */
  experiments?: boolean;
}

const PRELOAD = join(BENCH_DIR, 'experiments/group-commit-preload.ts');
export const VARIANTS = [
  { name: 'groupCommit', label: '+ group commit', env: { BENCH_GROUP_COMMIT: '1' } },
  { name: 'groupCommitStmtCache', label: '+ group commit + statement cache', env: { BENCH_GROUP_COMMIT: '1', BENCH_STMT_CACHE: '1' } },
];

type Phases = Record<string, PhaseSummary>;

export async function drive(target: string, publicUrl: string, fake: Fake, opts: Omit<WebhookOptions, 'fake' | 'dir'>, wrap: boolean, customerOffset = 0): Promise<Phases> {
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
    relayPhases = await drive(relay.base, relay.publicUrl, opts.fake, opts, false);
  } finally {
    await relay.proc.stop();
  }
  const baseline = await startNode(join(BENCH_DIR, 'baseline-server.ts'), { label: 'baseline server', ready: (l) => l.event === 'listening' });
  let basePhases: Phases;
  try {
    basePhases = await drive(String(baseline.hello.address), 'http://127.0.0.1', opts.fake, opts, true);
  } finally {
    await baseline.stop();
  }

  // Durability: everything acknowledged with 200 is in the database, each MessageSid once.
  const db = new Database(dbFile, { readonly: true });
  const stored = (db.prepare(`SELECT COUNT(*) AS n, COUNT(DISTINCT twilio_sid) AS d FROM messages WHERE direction = 'inbound'`).get() as { n: number; d: number });
  const conversations = (db.prepare('SELECT COUNT(*) AS n FROM conversations').get() as { n: number }).n;
  db.close();
  const acked = relayPhases.warmup!.ok + relayPhases.max!.ok + relayPhases.rate!.ok;

  // The proposed fixes, applied at runtime to the same relay code, same load, same run.
  const experiments: Record<string, { label: string; webhooksPerSecond: number; shareOfBaseline: number; p50: number; p99: number; achieved: number; durable: boolean }> = {};
  for (const variant of opts.experiments ? VARIANTS : []) {
    const file = join(opts.dir, `webhooks-${variant.name}.db`);
    const patched = await startRelay(opts.fake, `sqlite:${file}`, { nodeArgs: ['--import', PRELOAD], env: variant.env, label: `relay ${variant.label}` });
    let phases: Phases;
    try {
      phases = await drive(patched.base, patched.publicUrl, opts.fake, opts, false);
    } finally {
      await patched.proc.stop();
    }
    const check = new Database(file, { readonly: true });
    const n = (check.prepare(`SELECT COUNT(*) AS n, COUNT(DISTINCT twilio_sid) AS d FROM messages WHERE direction = 'inbound'`).get() as { n: number; d: number });
    check.close();
    const ackedHere = phases.warmup!.ok + phases.max!.ok + phases.rate!.ok;
    experiments[variant.name] = {
      label: variant.label,
      webhooksPerSecond: round(phases.max!.rps, 0),
      shareOfBaseline: round((100 * phases.max!.rps) / basePhases.max!.rps, 1),
      p50: phases.rate!.latency.p50,
      p99: phases.rate!.latency.p99,
      achieved: round(phases.rate!.rps, 0),
      durable: n.n >= ackedHere && n.n === n.d,
    };
  }

  const max = relayPhases.max!;
  const baseMax = basePhases.max!;
  return {
    relay: relayPhases,
    baseline: basePhases,
    fsyncCommitBefore,
    fsyncCommitAfter: fsyncProbe(opts.dir),
    experiments,
    durability: { acknowledged: acked, storedMessages: stored.n, distinctSids: stored.d, conversations, ok: stored.n >= acked && stored.n === stored.d },
    webhooksPerSecond: round(max.rps, 0),
    baselinePerSecond: round(baseMax.rps, 0),
    shareOfBaseline: round((100 * max.rps) / baseMax.rps, 1),
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
