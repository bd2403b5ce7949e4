/**
 * Webhook → SSE event for two builds of the relay and the bare push, side by side: the `sse`
 * scenario measures one after the other, and on a shared machine the minute moves the p50 more
 * than the code (README, "Eighth session"). Here the three run at once, each with its 100
 * agents' streams, and every round sends each its probes at 100/s interleaved (A, B, bare a
 * third of an interval apart; the order turned each round), so all see the same machine.
 *
 *   node --import tsx test/bench/sse-ab.ts <A's dist/main.js> <B's dist/main.js> [rounds=6] [probes=300]
 *
 * Prints, per round and as medians over rounds: p50 / p99 of each, and each relay's ratio to
 * the bare push of the same round (the budget's measure).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { BENCH_DIR, startNode, stopAll, type Proc } from './lib/procs.ts';
import { startFakeTwilio, startRelay } from './lib/relay.ts';
import { median, round } from './lib/stats.ts';
import { probeEach, setupAgents, startReaders, type Target } from './scenarios/sse.ts';

const [mainA, mainB, roundsArg, probesArg] = process.argv.slice(2);
if (!mainA || !mainB) {
  console.error('usage: sse-ab.ts <A dist/main.js> <B dist/main.js> [rounds] [probes]');
  process.exit(2);
}
const rounds = Number(roundsArg ?? 6);
const probes = Number(probesArg ?? 300);
const agents = 100;
const rate = 100;
const dir = mkdtempSync(join(tmpdir(), 'wcp-sse-ab-'));

interface Side {
  name: 'A' | 'B' | 'bare';
  target: Target;
  readers: Proc;
  customers: string[];
}

const fake = await startFakeTwilio();
try {
  const sides: Side[] = [];
  for (const [i, [name, main]] of ([['A', mainA], ['B', mainB]] as const).entries()) {
    const relay = await startRelay(fake, `sqlite:${join(dir, `${name}.db`)}`, { main, label: `relay ${name}` });
    const target: Target = { webhookBases: [relay.base], streamBase: relay.base, publicUrl: relay.publicUrl, authToken: relay.authToken, accountSid: fake.accountSid, secret: relay.secret };
    const readers = await startReaders();
    sides.push({ name, target, readers, customers: await setupAgents(target, readers, agents, `ab-${name}`, 10_000 + i * 10_000) });
  }
  const bare = await startNode(join(BENCH_DIR, 'baseline-server.ts'), { label: 'baseline server', ready: (l) => l.event === 'listening' });
  const bareBase = String(bare.hello.address);
  const bareTarget: Target = { webhookBases: [bareBase], streamBase: bareBase, publicUrl: 'http://127.0.0.1', authToken: fake.authToken, accountSid: fake.accountSid, secret: null };
  const bareReaders = await startReaders();
  sides.push({ name: 'bare', target: bareTarget, readers: bareReaders, customers: await setupAgents(bareTarget, bareReaders, agents, 'ab-bare', 30_000) });

  await probeEach(sides, 100, rate, 0); // warm-up, not counted
  const rows: Array<{ round: number; name: Side['name']; p50: number; p99: number }> = [];
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? sides : [...sides].reverse();
    const results = await probeEach(order, probes, rate, 1000 + r * probes);
    const line = order.map((side, k) => {
      const { p50, p99, received } = results[k]!;
      rows.push({ round: r, name: side.name, p50, p99 });
      return `${side.name} ${p50} / ${p99} ms${received < probes ? ` (${received}/${probes})` : ''}`;
    });
    console.log(`round ${r}  ${line.join('   ')}  load ${loadavg()[0]!.toFixed(1)}`);
  }

  console.log('\nmedians over rounds (ratio: to the bare push of the same round)');
  const bareOf = (r: number) => rows.find((x) => x.round === r && x.name === 'bare')!;
  for (const name of ['A', 'B', 'bare'] as const) {
    const mine = rows.filter((x) => x.name === name);
    const p50Ratios = mine.map((x) => x.p50 / bareOf(x.round).p50);
    const p99Ratios = mine.map((x) => x.p99 / bareOf(x.round).p99);
    console.log(
      `${name.padEnd(4)} p50 ${median(mine.map((x) => x.p50))} ms (${round(median(p50Ratios), 2)}x, range ${round(Math.min(...p50Ratios), 2)}–${round(Math.max(...p50Ratios), 2)}), ` +
        `p99 ${median(mine.map((x) => x.p99))} ms (${round(median(p99Ratios), 2)}x, range ${round(Math.min(...p99Ratios), 2)}–${round(Math.max(...p99Ratios), 2)})`,
    );
  }
  const lower = rows.filter((x) => x.name === 'B' && x.p50 < rows.find((a) => a.round === x.round && a.name === 'A')!.p50).length;
  console.log(`B's p50 below A's in ${lower} of ${rounds} rounds`);
  for (const side of sides) await side.readers.ask({ type: 'close' }, 'closed').catch(() => undefined);
} finally {
  await stopAll();
  rmSync(dir, { recursive: true, force: true });
}
