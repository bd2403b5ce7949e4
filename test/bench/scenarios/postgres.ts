/**
 * PostgreSQL with two relay instances on one schema: webhooks/s and ack latency (autocannon,
 * one load process per instance, disjoint customers), and webhook -> SSE latency with the
 * agents' streams on instance 2 while webhooks go to both (half the events cross instances
 * through LISTEN/NOTIFY). Skipped, with the reason, when PostgreSQL does not answer.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { cpuMsOf } from '../lib/procs.ts';
import { startRelay, type Fake, type Relay } from '../lib/relay.ts';
import { round } from '../lib/stats.ts';
import { ticksOfProcessesNamed } from '../lib/thread-cpu.ts';
import type { PhaseSummary } from '../load.ts';
import { drive } from './webhooks.ts';
import { probe, setupAgents, startReaders } from './sse.ts';

export const PG_URL = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function reachable(): Promise<string | null> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (error) {
    return `PostgreSQL at ${new URL(PG_URL).host} unreachable (${(error as Error).message})`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function storedInbound(schema: string): Promise<{ n: number; d: number }> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    const r = await client.query(`SELECT COUNT(*)::int AS n, COUNT(DISTINCT twilio_sid)::int AS d FROM ${schema}.messages WHERE direction = 'inbound'`);
    return r.rows[0] as { n: number; d: number };
  } finally {
    await client.end();
  }
}

/** PostgreSQL runs on this machine (its processes' CPU can be read): the bench's default. */
function postgresIsLocal(): boolean {
  const host = new URL(PG_URL).hostname;
  return ['127.0.0.1', 'localhost', '[::1]', '::1', ''].includes(host) && (ticksOfProcessesNamed('postgres')?.size ?? 0) > 0;
}

/**
 * Where the machine's CPU went per webhook at full load: both relays, PostgreSQL (its server
 * and backends: every "postgres" process), both load generators. Everything shares the same
 * cores, so their sum bounds what this machine can take: cores / (µs per webhook).
 */
function fullLoadCpu(one: PhaseSummary, two: PhaseSummary, postgresUs: number | null | undefined) {
  const acked = one.ok + two.ok;
  const relaysUs = [one, two].reduce((us, p) => us + (p.cpu.target?.totalUs ?? NaN) * p.requests, 0);
  const loadUs = [one, two].reduce((us, p) => us + p.cpu.loadGeneratorUs * p.requests, 0);
  const per = (us: number) => round(us / acked, 0);
  const total = relaysUs + loadUs + (postgresUs ?? 0);
  const cores = availableParallelism();
  return {
    relaysUs: per(relaysUs),
    postgresUs: postgresUs === null || postgresUs === undefined ? null : per(postgresUs),
    loadGeneratorsUs: per(loadUs),
    totalUs: per(total),
    cores,
    /** Webhooks/s if the cores did nothing else and were all busy (with PostgreSQL's share only when measured). */
    ceilingPerSecond: round((cores * 1e6 * acked) / total, 0),
  };
}

export interface PostgresOptions {
  fake: Fake;
  maxDurationS: number;
  rateDurationS: number;
  rate: number;
  connections: number;
  customers: number;
  agents: number;
  probes: number;
  probeRate: number;
  /** Another build's server/dist/main.js (BENCH_COMPARE); default: this tree's. */
  main?: string;
}

export async function benchPostgres(opts: PostgresOptions) {
  const why = await reachable();
  if (why) return { measured: false, reason: why };
  const schema = `wcp_bench_${randomBytes(4).toString('hex')}`;
  const url = new URL(PG_URL);
  url.searchParams.set('schema', schema);
  const relays: Relay[] = [];
  // BENCH_PROFILE=1: each relay writes a .cpuprofile here (summarise with profile-summary.mjs).
  const profileDir = process.env.BENCH_PROFILE === '1' ? mkdtempSync(join(tmpdir(), 'wcp-bench-pg-profile-')) : null;
  const nodeArgs = (i: number) => (profileDir ? ['--cpu-prof', `--cpu-prof-dir=${join(profileDir, `relay${i}`)}`] : []);
  try {
    // One first (it migrates the schema), then the second.
    const build = opts.main ? { main: opts.main } : {};
    relays.push(await startRelay(opts.fake, url.toString(), { label: 'relay pg #1', nodeArgs: nodeArgs(1), ...build }));
    relays.push(await startRelay(opts.fake, url.toString(), { label: 'relay pg #2', nodeArgs: nodeArgs(2), ...build }));
    const half = { ...opts, connections: Math.max(1, Math.round(opts.connections / 2)), rate: opts.rate / 2 };
    // Both relays' CPU time over the load, per acknowledged webhook: the figure a busy machine distorts least.
    const relaysCpuMs = () => relays.reduce((ms, r) => ms + cpuMsOf(r.proc.pid), 0);
    const cpuBeforeLoad = relaysCpuMs();
    // The first load generator also reads PostgreSQL's CPU around each phase (both phases run side by side).
    const postgresLocal = postgresIsLocal();
    const [one, two] = await Promise.all(relays.map((r, i) => drive(r.base, r.publicUrl, opts.fake, half, false, i * opts.customers, r.proc.pid, i === 0 && postgresLocal ? 'postgres' : undefined)));
    const sum = (k: 'max' | 'rate') => one![k]!.rps + two![k]!.rps;
    // Every acknowledged webhook must be stored, once (group commit answers only after COMMIT).
    const acknowledged = [one!, two!].reduce((n, p) => n + p.warmup!.ok + p.max!.ok + p.rate!.ok, 0);
    const relayCpuUsPerWebhook = round((1000 * (relaysCpuMs() - cpuBeforeLoad)) / acknowledged, 0);
    const durability = await storedInbound(schema).then((stored) => ({
      acknowledged,
      storedMessages: stored.n,
      distinctSids: stored.d,
      ok: stored.n >= acknowledged && stored.n === stored.d,
    }));

    const readers = await startReaders();
    let sse;
    try {
      // Every instance checks signatures against its own PUBLIC_URL: sign for each one.
      const target = { webhookBases: [relays[0]!.base], streamBase: relays[1]!.base, publicUrl: relays[0]!.publicUrl, authToken: relays[0]!.authToken, accountSid: opts.fake.accountSid, secret: relays[0]!.secret };
      const customers = await setupAgents(target, readers, opts.agents, 'bench-pg', 50_000);
      const cpuBeforeProbes = relaysCpuMs();
      sse = await probe(target, readers, customers, opts.probes, opts.probeRate, 0);
      sse = { ...sse, relayCpuUsPerProbe: round((1000 * (relaysCpuMs() - cpuBeforeProbes)) / opts.probes, 0) };
    } finally {
      await readers.ask({ type: 'close' }, 'closed').catch(() => undefined);
      await readers.stop();
    }
    return {
      measured: true,
      instances: 2,
      schema,
      ...(profileDir ? { profileDir } : {}),
      webhooksPerSecond: round(sum('max'), 0),
      relayCpuUsPerWebhook,
      fullLoadCpuPerWebhook: fullLoadCpu(one!.max!, two!.max!, one!.max!.cpu.namedUs),
      perInstance: [round(one!.max!.rps, 0), round(two!.max!.rps, 0)],
      errors: one!.max!.errors + two!.max!.errors + one!.max!.non2xx + two!.max!.non2xx,
      durability,
      atRate: { rate: opts.rate, achieved: round(sum('rate'), 0), p50: Math.max(one!.rate!.latency.p50, two!.rate!.latency.p50), p99: Math.max(one!.rate!.latency.p99, two!.rate!.latency.p99) },
      sse: { ...sse, note: 'webhooks to instance 1, streams on instance 2: every event crosses instances via LISTEN/NOTIFY' },
    };
  } finally {
    await Promise.all(relays.map((r) => r.proc.stop()));
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect().then(() => client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)).catch(() => undefined);
    await client.end().catch(() => undefined);
  }
}
