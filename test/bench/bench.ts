/**
 * `npm run bench` (through run.mjs): measures the relay and the panel, each figure beside a
 * baseline taken in the same run, prints a table and writes test/bench/results.json.
 * Load is bounded in count and time and goes only to 127.0.0.1. Budgets: README.md.
 *
 * Environment: BENCH_ONLY=webhooks,sse,memory,startup,pacing,panel,bundle,postgres (default all), growth, felt (only when named);
 * BENCH_SKIP_BUILD=1 (measure the bundles and the relay already built); BENCH_PROFILE=1 (CPU-profile the
 * relay during the webhook run: a .cpuprofile and its summary land in the temp directory);
 */
import { execSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { BENCH_DIR, COMPARE_MAIN, killAllSync, stopAll } from './lib/procs.ts';
import { startFakeTwilio, startRelay } from './lib/relay.ts';
import { benchBundle } from './scenarios/bundle.ts';
import { benchMemory } from './scenarios/memory.ts';
import { benchPacing } from './scenarios/pacing.ts';
import { benchPanel } from './scenarios/panel.ts';
import { benchPostgres } from './scenarios/postgres.ts';
import { probe, setupAgents, startReaders } from './scenarios/sse.ts';
import { benchWebhooks } from './scenarios/webhooks.ts';
import { benchStartup } from './scenarios/startup.ts';
import { benchGrowth } from './scenarios/growth.ts';
import { benchFelt } from './scenarios/felt.ts';
import { startNode } from './lib/procs.ts';
import { fsyncProbe, pacedFsyncProbe, pressure } from './lib/environment.ts';

const only = new Set((process.env.BENCH_ONLY ?? 'bundle,panel,webhooks,sse,memory,startup,pacing,postgres').split(',').map((s) => s.trim()));
const profile = process.env.BENCH_PROFILE === '1';
const keepDir = process.env.BENCH_KEEP === '1' || profile;
const dir = mkdtempSync(join(tmpdir(), 'wcp-bench-'));
const started = Date.now();
const results: Record<string, unknown> = {};
const log = (line: string) => process.stderr.write(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s] ${line}\n`);

process.on('exit', killAllSync);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping children`);
    void stopAll().finally(() => process.exit(130));
  });
}

async function step<T>(name: string, fn: () => Promise<T> | T): Promise<T | undefined> {
  if (!only.has(name)) return undefined;
  log(`${name} ...`);
  const t = Date.now();
  try {
    const value = await fn();
    results[name] = value;
    log(`${name} done in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    return value;
  } catch (error) {
    results[name] = { error: (error as Error).message };
    log(`${name} FAILED: ${(error as Error).stack ?? String(error)}`);
    return undefined;
  }
}

// The relay runs as production runs it, compiled (server/dist): build it from the tree as it is.
if (['sse', 'memory', 'startup', 'growth', 'webhooks', 'postgres', 'felt'].some((name) => only.has(name)) && process.env.BENCH_SKIP_BUILD !== '1') {
  log('building the relay (npm run build -w @wcp/server) ...');
  execSync('npm run build -w @wcp/server', { stdio: ['ignore', 'ignore', 'inherit'] });
}
// The demo page the relay serves comes from widget/dist (the bundle scenario builds it too).
if (only.has('felt') && !only.has('bundle') && process.env.BENCH_SKIP_BUILD !== '1') {
  log('building the panel (npm run build -w widget) ...');
  execSync('npm run build -w widget', { stdio: ['ignore', 'ignore', 'inherit'] });
}
const fake = await startFakeTwilio();
const machineAtStart = { fsyncCommit: fsyncProbe(dir), pressure: pressure(), loadAverage: loadavg().map((l) => Math.round(l * 100) / 100) };
let machineAtEnd: typeof machineAtStart | undefined;
try {
  await step('bundle', () => benchBundle({ build: process.env.BENCH_SKIP_BUILD !== '1' }));
  await step('panel', () => benchPanel(dir, 7));
  // The demo page in Chromium against the relay: what the agent feels (notification, send, tab switch, typing).
  await step('felt', () => benchFelt({ dir, messages: 5000, offers: 30, sends: 20, switches: 10, keys: 100 }));
  await step('sse', async () => {
    const agents = 100;
    const probes = 600;
    const rate = 100;
    const fsyncCommitBefore = fsyncProbe(dir);
    const fsyncCommitAtProbeRate = await pacedFsyncProbe(dir, rate);
    const relay = await startRelay(fake, `sqlite:${join(dir, 'sse.db')}`, { label: 'relay (sse)', nodeArgs: profile ? ['--cpu-prof', `--cpu-prof-dir=${join(dir, 'sse-profile')}`] : [] });
    const readers = await startReaders();
    let relayLatency;
    try {
      const target = { webhookBases: [relay.base], streamBase: relay.base, publicUrl: relay.publicUrl, authToken: relay.authToken, accountSid: fake.accountSid, secret: relay.secret };
      const customers = await setupAgents(target, readers, agents, 'bench-sse', 10_000);
      await probe(target, readers, customers, 100, rate, 0); // warm-up, not counted
      relayLatency = await probe(target, readers, customers, probes, rate, 1000);
    } finally {
      await readers.ask({ type: 'close' }, 'closed').catch(() => undefined);
      await readers.stop();
      await relay.proc.stop();
    }
    // BENCH_COMPARE: another build of the relay, the same agents and probes, in the same run.
    let compare;
    if (COMPARE_MAIN) {
      const other = await startRelay(fake, `sqlite:${join(dir, 'sse-compare.db')}`, { main: COMPARE_MAIN, label: 'relay to compare (sse)' });
      const otherReaders = await startReaders();
      try {
        const target = { webhookBases: [other.base], streamBase: other.base, publicUrl: other.publicUrl, authToken: other.authToken, accountSid: fake.accountSid, secret: other.secret };
        const customers = await setupAgents(target, otherReaders, agents, 'bench-cmp', 30_000);
        await probe(target, otherReaders, customers, 100, rate, 0);
        compare = await probe(target, otherReaders, customers, probes, rate, 1000);
      } finally {
        await otherReaders.ask({ type: 'close' }, 'closed').catch(() => undefined);
        await otherReaders.stop();
        await other.proc.stop();
      }
    }
    // Control: the same relay code and probes with one agent connected (no fan-out).
    const single = await startRelay(fake, `sqlite:${join(dir, 'sse-1.db')}`, { label: 'relay (sse, 1 agent)' });
    const singleReaders = await startReaders();
    let control;
    try {
      const target = { webhookBases: [single.base], streamBase: single.base, publicUrl: single.publicUrl, authToken: single.authToken, accountSid: fake.accountSid, secret: single.secret };
      const customers = await setupAgents(target, singleReaders, 1, 'bench-one', 20_000);
      await probe(target, singleReaders, customers, 100, rate, 0);
      control = await probe(target, singleReaders, customers, 300, rate, 1000);
    } finally {
      await singleReaders.ask({ type: 'close' }, 'closed').catch(() => undefined);
      await singleReaders.stop();
      await single.proc.stop();
    }
    const baseline = await startNode(join(BENCH_DIR, 'baseline-server.ts'), { label: 'baseline server', ready: (l) => l.event === 'listening' });
    const baseReaders = await startReaders();
    let baseLatency;
    try {
      const target = { webhookBases: [String(baseline.hello.address)], streamBase: String(baseline.hello.address), publicUrl: 'http://127.0.0.1', authToken: fake.authToken, accountSid: fake.accountSid, secret: null };
      const customers = await setupAgents(target, baseReaders, agents, 'bench-base', 10_000);
      await probe(target, baseReaders, customers, 100, rate, 0);
      baseLatency = await probe(target, baseReaders, customers, probes, rate, 1000);
    } finally {
      await baseReaders.ask({ type: 'close' }, 'closed').catch(() => undefined);
      await baseReaders.stop();
      await baseline.stop();
    }
    return { agents, relay: relayLatency, compare, control, baseline: baseLatency, fsyncCommitBefore, fsyncCommitAtProbeRate };
  });
  await step('memory', async () => {
    const measure = { fake, dir, conversations: 10_000, clients: 1000, probes: 500, probeRate: 100 };
    const result = await benchMemory(measure);
    // BENCH_COMPARE: the other build measured right after, on the same seed size and load.
    return COMPARE_MAIN ? { ...result, compare: await benchMemory({ ...measure, main: COMPARE_MAIN, label: 'memory-compare' }) } : result;
  });
  await step('startup', () => benchStartup({ fake, dir, messages: 100_000, conversations: 1000, starts: 3 }));
  // Not in the default run (minutes of seeding and load): BENCH_ONLY=growth.
  await step('growth', () =>
    benchGrowth({ fake, dir, conversations: (process.env.BENCH_GROWTH_CONVERSATIONS ?? '1000,10000,100000').split(',').filter(Boolean).map(Number), agents: (process.env.BENCH_GROWTH_AGENTS ?? '100,1000,5000').split(',').filter(Boolean).map(Number) }),
  );
  await step('pacing', () => benchPacing({ fake, dir, countA: 1000, countB: 200, timeoutMs: 40_000 }));
  await step('webhooks', () =>
    benchWebhooks({ fake, dir, maxDurationS: 8, rateDurationS: 6, rate: 1000, connections: 32, customers: 1000, relayNodeArgs: profile ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [] }),
  );
  await step('postgres', async () => {
    const options = { fake, maxDurationS: 8, rateDurationS: 6, rate: 1000, connections: 32, customers: 1000, agents: 100, probes: 400, probeRate: 100 };
    const measured = await benchPostgres(options);
    // BENCH_COMPARE: the other build's two instances right after, on a fresh schema of their own;
    // BENCH_PG_ROUNDS=n: n rounds, the order flipped each round (this, other; other, this; ...).
    if (!COMPARE_MAIN || !measured.measured) return measured;
    const rounds = Math.max(1, Number(process.env.BENCH_PG_ROUNDS ?? 1));
    const mine = [measured];
    const other = [await benchPostgres({ ...options, main: COMPARE_MAIN })];
    for (let round = 1; round < rounds; round++) {
      if (round % 2 === 1) {
        other.push(await benchPostgres({ ...options, main: COMPARE_MAIN }));
        mine.push(await benchPostgres(options));
      } else {
        mine.push(await benchPostgres(options));
        other.push(await benchPostgres({ ...options, main: COMPARE_MAIN }));
      }
    }
    return { ...measured, compare: other[0], rounds: mine.map((m, i) => ({ this: m, compare: other[i] })) };
  });
  machineAtEnd = { fsyncCommit: fsyncProbe(dir), pressure: pressure(), loadAverage: loadavg().map((l) => Math.round(l * 100) / 100) };
} finally {
  await stopAll();
}

if (profile) {
  for (const sub of ['', 'sse-profile']) {
    const at = join(dir, sub);
    if (!existsSync(at)) continue;
    for (const f of readdirSync(at).filter((f) => f.endsWith('.cpuprofile'))) {
      log(`profile: ${join(at, f)}`);
      process.stderr.write(execSync(`node ${join(BENCH_DIR, 'profile-summary.mjs')} ${join(at, f)} 20`, { encoding: 'utf8' }));
    }
  }
}

const environment = {
  date: new Date().toISOString(),
  node: process.version,
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model,
  loadAverageAtEnd: loadavg().map((l) => Math.round(l * 100) / 100),
  machineAtStart,
  machineAtEnd,
  gitHead: (() => {
    try {
      return execSync('git rev-parse --short HEAD', { encoding: 'utf8' }).trim();
    } catch {
      return null;
    }
  })(),
  durationS: Math.round((Date.now() - started) / 1000),
};

const { rows, failed } = (await import('./lib/report.ts')).table(results);
const out = { environment, budgets: (await import('./lib/report.ts')).BUDGETS, table: rows, results };
writeFileSync(join(BENCH_DIR, 'results.json'), `${JSON.stringify(out, null, 2)}\n`);
process.stdout.write((await import('./lib/report.ts')).render(rows, environment));
process.stdout.write(`\nwrote test/bench/results.json${keepDir ? `; temp files kept in ${dir}` : ''}\n`);
if (!keepDir) rmSync(dir, { recursive: true, force: true });
process.exitCode = failed ? 1 : 0;
