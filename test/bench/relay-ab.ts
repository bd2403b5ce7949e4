/**
 * Two builds of the relay and the bare route, side by side, in short alternating slices of
 * full webhook load: `BENCH_COMPARE` measures one relay after the other, and on a machine
 * another engineer's browser tests share, the minute decides more than the code (README,
 * "Seventh session"). Here all three run for the whole measurement, each driven in turn
 * (A, B, bare; then bare, B, A; ...), so each build sees the same machine in every round.
 *
 *   node --import tsx test/bench/relay-ab.ts <A's dist/main.js> <B's dist/main.js> [rounds=6] [sliceS=4]
 *
 * Prints, per slice and as medians per target: webhooks/s, share of the bare route in the
 * same round, ack p50 / p99 (the budget's measure under BENCH_AB_RATE), and CPU per webhook per thread (main, the busiest other — the store's, in a build that had one —, rest), from /proc.
 *
 * BENCH_AB_NODE_ARGS_A / _B: node flags added to `npm start`'s for that relay (space-separated),
 * so one build can be compared with itself under a flag (A and B may then be the same main.js).
 * BENCH_AB_PACING=autocannon: at BENCH_AB_RATE, autocannon's per-second quota (bursts) instead of
 * the open-loop pacing (lib/paced.ts) — only to compare with figures taken that way before.
 *
 * BENCH_AB_CUSTOMERS=<n> (default 1,000): how many customers the webhooks come from; a commit
 * touches pages spread over more of the database with more of them.
 *
 * BENCH_AB_RATE=<webhooks/s>: each slice at that fixed rate instead of full load — the CPU per
 * webhook is then the figure (a flag that costs GC shows there at any rate; full load also
 * changes how much each relay allocates per second).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PhaseSummary } from './load.ts';
import { BENCH_DIR, startNode, stopAll, type Proc } from './lib/procs.ts';
import { startFakeTwilio, startRelay } from './lib/relay.ts';
import { median, round } from './lib/stats.ts';

const [mainA, mainB, roundsArg, sliceArg] = process.argv.slice(2);
if (!mainA || !mainB) {
  console.error('usage: relay-ab.ts <A dist/main.js> <B dist/main.js> [rounds] [sliceS]');
  process.exit(2);
}
const rounds = Number(roundsArg ?? 6);
const sliceS = Number(sliceArg ?? 4);
const fixedRate = Number(process.env.BENCH_AB_RATE ?? 0) || undefined;
const extraNodeArgs = (name: 'A' | 'B') => (process.env[`BENCH_AB_NODE_ARGS_${name}`] ?? '').split(/\s+/).filter(Boolean);
const customers = Number(process.env.BENCH_AB_CUSTOMERS ?? 1000);
const dir = mkdtempSync(join(tmpdir(), 'wcp-relay-ab-'));

interface Target {
  name: string;
  base: string;
  publicUrl: string;
  pid: number;
  load: Proc;
  warm: boolean;
}

const fake = await startFakeTwilio();
const targets: Target[] = [];
try {
  for (const [name, main] of [['A', mainA], ['B', mainB]] as const) {
    const relay = await startRelay(fake, `sqlite:${join(dir, `${name}.db`)}`, { main, label: `relay ${name}`, nodeArgs: extraNodeArgs(name) });
    console.log(`${name}: ${main} ${extraNodeArgs(name).join(' ')}`);
    targets.push({ name, base: relay.base, publicUrl: relay.publicUrl, pid: relay.proc.pid, load: await loadGenerator(), warm: false });
  }
  const bare = await startNode(join(BENCH_DIR, 'baseline-server.ts'), { label: 'baseline server', ready: (l) => l.event === 'listening' });
  targets.push({ name: 'bare', base: String(bare.hello.address), publicUrl: 'http://127.0.0.1', pid: bare.pid, load: await loadGenerator(), warm: false });

  const slices: Array<{ round: number; name: string; rps: number; p50: number; p99: number; cpu: PhaseSummary['cpu']['target']; load: string }> = [];
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? targets : [...targets].reverse();
    for (const t of order) {
      const phases = await drive(t);
      const max = phases.max!;
      slices.push({ round: r, name: t.name, rps: round(max.rps, 0), p50: max.latency.p50, p99: max.latency.p99, cpu: max.cpu.target, load: loadavg()[0]!.toFixed(1) });
      const s = slices.at(-1)!;
      console.log(`round ${r} ${t.name.padEnd(4)} ${String(s.rps).padStart(6)}/s  ack p50/p99 ${s.p50}/${s.p99} ms  cpu/webhook ${s.cpu ? `${s.cpu.totalUs} (main ${s.cpu.mainUs}, other ${s.cpu.busiestOtherUs}, rest ${s.cpu.restUs})` : 'n/a'}  load ${s.load}`);
    }
  }
  console.log('\nmedians over rounds (share: of the bare route in the same round)');
  for (const name of ['A', 'B', 'bare']) {
    const mine = slices.filter((s) => s.name === name);
    const shares = mine.map((s) => (100 * s.rps) / slices.find((b) => b.round === s.round && b.name === 'bare')!.rps);
    const cpu = (key: 'totalUs' | 'mainUs' | 'busiestOtherUs' | 'restUs') => median(mine.map((s) => s.cpu?.[key] ?? NaN));
    console.log(
      `${name.padEnd(4)} ${median(mine.map((s) => s.rps))}/s, ${round(median(shares), 1)} % of bare (range ${round(Math.min(...shares), 1)}–${round(Math.max(...shares), 1)}), ` +
        `ack p50 / p99 ${median(mine.map((s) => s.p50))} / ${median(mine.map((s) => s.p99))} ms, ` +
        `cpu/webhook ${cpu('totalUs')} µs: main ${cpu('mainUs')}, other ${cpu('busiestOtherUs')}, rest ${cpu('restUs')}`,
    );
  }
} finally {
  await stopAll();
  rmSync(dir, { recursive: true, force: true });
}

async function loadGenerator(): Promise<Proc> {
  return startNode(join(BENCH_DIR, 'load.ts'), { label: 'load generator', ipc: true, ready: (l) => l.event === 'load-ready' });
}

/** One slice of full load on `t` (after one message per customer the first time: conversations opened, JIT warm). */
async function drive(t: Target): Promise<Record<string, PhaseSummary>> {
  const pool = 40_000;
  const phases = [
    ...(t.warm ? [] : [{ name: 'warmup', connections: 10, amount: customers }]),
    { name: 'max', connections: 32, durationS: sliceS, amount: pool, wrap: t.name === 'bare', ...(fixedRate ? { overallRate: fixedRate, autocannonQuota: process.env.BENCH_AB_PACING === 'autocannon' } : {}) },
  ];
  t.warm = true;
  const result = await t.load.ask<{ phases: Record<string, PhaseSummary> }>(
    { type: 'run', target: t.base, publicUrl: t.publicUrl, authToken: fake.authToken, accountSid: fake.accountSid, customers, targetPid: t.pid, pool: pool + customers, phases },
    'result',
    120_000,
  );
  return result.phases;
}
