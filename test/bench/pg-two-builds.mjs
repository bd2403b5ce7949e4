/**
 * Two builds of the relay's PostgreSQL path in ONE process, alternating, so a shared and busy
 * machine slows both alike: each build gets two "instances" wired as production wires them
 * (store/open-store.js: a PostgresStore and a PostgresBus each, on a schema of the build's own)
 * and an event hub on instance B with one supervisor stream, as in the bench's postgres
 * scenario (webhooks to A, streams on B).
 *
 *   node test/bench/pg-two-builds.mjs <this server/dist> <other server/dist> [rounds]
 *
 * Per build: webhook → event delivered by B's hub (one at a time, 10 ms apart: the
 * cross-instance path), the answer to A's caller (the ack's store part), and for bursts of
 * 200 concurrent webhooks over A and B the process's CPU time per webhook (both builds run
 * in this process, alternately, so the CPU between a burst's start and end is that build's).
 * Schemas are dropped at the end.
 */
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { inboundRecord } from './lib/inbound-record.mjs';

const PG_URL = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const [thisDist, otherDist, roundsArg] = process.argv.slice(2);
if (!thisDist || !otherDist) throw new Error('usage: pg-two-builds.mjs <this server/dist> <other server/dist> [rounds]');
const ROUNDS = Number(roundsArg ?? 6);
const silent = { error: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined, trace: () => undefined, fatal: () => undefined, child: () => silent };

async function build(name, dist) {
  const load = (path) => import(pathToFileURL(join(resolve(dist), path)).href);
  const { openStore } = await load('store/open-store.js');
  const { EventHub } = await load('events/hub.js');
  const schema = `wcp_ab_${name}_${randomBytes(3).toString('hex')}`;
  const url = new URL(PG_URL);
  url.searchParams.set('schema', schema);
  const a = await openStore(url.toString());
  const b = await openStore(url.toString());
  const hub = new EventHub(b.store, b.bus, silent);
  const waiting = new Map();
  const deliveredAt = new Map();
  await hub.subscribe({
    viewer: { agentId: 'sue', supervisor: true },
    deliver: (events) => {
      for (const e of events) {
        const id = e.type === 'message' ? e.data.message?.id : undefined;
        if (!id) continue;
        deliveredAt.set(id, performance.now());
        waiting.get(id)?.();
      }
    },
  });
  let n = 0;
  const inbound = (from) =>
    inboundRecord({ messageSid: `SM${randomBytes(16).toString('hex')}`, from, to: '+14155238886', body: 'Hello, my order has not arrived', profileName: 'Maria', sentiment: { score: 0, comparative: 0, tokens: 6 } });
  /** As routes/twilio.ts: store, then hand the events to this instance's hub or wake it (A has no streams: wake). */
  const webhook = async (instance, from) => {
    const result = await instance.store.recordInbound(inbound(from));
    if (!result.duplicate) instance.bus.publish('events');
    return result;
  };
  return {
    name,
    schema,
    /** One webhook to A; ms to A's answer and to B's hub delivering its message event. */
    async probe() {
      const from = `+1415555${String(n++ % 1000).padStart(4, '0')}`;
      const t0 = performance.now();
      const r = await webhook(a, from);
      const ackMs = performance.now() - t0;
      // B's hub may have had it before A's caller did (the wake-up travels with the commit).
      if (!deliveredAt.has(r.message.id)) await new Promise((resolve) => waiting.set(r.message.id, resolve));
      waiting.delete(r.message.id);
      const deliveredMs = deliveredAt.get(r.message.id) - t0;
      deliveredAt.delete(r.message.id);
      return { ackMs, deliveredMs };
    },
    async burst(size) {
      const cpu = process.cpuUsage();
      const t0 = performance.now();
      await Promise.all(Array.from({ length: size }, (_, i) => webhook(i % 2 ? a : b, `+1416555${String(i % 500).padStart(4, '0')}`)));
      const used = process.cpuUsage(cpu);
      return { cpuUsPerWebhook: (used.user + used.system) / size, wallMsPerWebhook: (performance.now() - t0) / size };
    },
    async close() {
      hub.stop();
      for (const i of [a, b]) {
        await i.bus.close();
        await i.store.close();
      }
    },
  };
}

const pct = (xs, p) => {
  const s = [...xs].sort((x, y) => x - y);
  return Math.round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] * 100) / 100;
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const builds = [await build('this', thisDist), await build('other', otherDist)];
const figures = Object.fromEntries(builds.map((b) => [b.name, { ack: [], delivered: [], afterAck: [], cpu: [], wall: [] }]));
try {
  for (const b of builds) for (let i = 0; i < 20; i++) await b.probe(); // warm-up: prepared statements, JIT
  for (const b of builds) await b.burst(200);
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 ? [...builds].reverse() : builds;
    for (const b of order) {
      for (let i = 0; i < 25; i++) {
        const { ackMs, deliveredMs } = await b.probe();
        figures[b.name].ack.push(ackMs);
        figures[b.name].delivered.push(deliveredMs);
        figures[b.name].afterAck.push(deliveredMs - ackMs);
        await sleep(10);
      }
      const { cpuUsPerWebhook, wallMsPerWebhook } = await b.burst(200);
      figures[b.name].cpu.push(cpuUsPerWebhook);
      figures[b.name].wall.push(wallMsPerWebhook);
    }
  }
} finally {
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  for (const b of builds) {
    await b.close().catch(() => undefined);
    await admin.query(`DROP SCHEMA IF EXISTS ${b.schema} CASCADE`).catch(() => undefined);
  }
  await admin.end();
}
for (const [name, f] of Object.entries(figures)) {
  console.log(
    JSON.stringify({
      build: name,
      probes: f.delivered.length,
      webhookToOtherInstanceHubMs: { p50: pct(f.delivered, 50), p90: pct(f.delivered, 90), p99: pct(f.delivered, 99) },
      ackMs: { p50: pct(f.ack, 50), p90: pct(f.ack, 90), p99: pct(f.ack, 99) },
      // The cross-instance part alone: B's hub has the event this long after A answered (negative: before).
      deliveredAfterAckMs: { p50: pct(f.afterAck, 50), p90: pct(f.afterAck, 90) },
      burstCpuUsPerWebhook: { median: pct(f.cpu, 50), all: f.cpu.map(Math.round) },
      burstWallMsPerWebhook: { median: pct(f.wall, 50) },
    }),
  );
}
