/**
 * Load generator (its own process): pre-signs a pool of distinct inbound webhooks and
 * drives them at a target with autocannon, then reports the summary over IPC.
 *
 * IPC in:  { type: 'run', target, publicUrl, authToken, accountSid, customers, pool,
 *            phases: [{ name, connections, durationS?, amount?, overallRate?, wrap? }] }
 * IPC out: { type: 'result', phases: { [name]: Summary } }
 */
import autocannon from 'autocannon';
import { BUSINESS_A } from './lib/relay.ts';
import { customerPhone, INBOUND_PATH, signedInbound, type SignedWebhook } from './lib/webhooks.ts';
import { cpuPerRequest, cpuUsBetween, threadTicks, ticksOfProcessesNamed, type ThreadCpu } from './lib/thread-cpu.ts';
import { paced } from './lib/paced.ts';

interface Phase {
  name: string;
  connections: number;
  durationS?: number;
  amount?: number;
  /** A fixed rate, open loop (lib/paced.ts); without it, as fast as `connections` allow (autocannon). */
  overallRate?: number;
  /** Pace with autocannon's per-second quota instead (bursts; kept only to compare with figures taken that way before). */
  autocannonQuota?: boolean;
  /** Reuse the pool from the start when it runs out (baseline only: duplicates would take another path in the relay). */
  wrap?: boolean;
}

interface RunMessage {
  type: 'run';
  target: string;
  publicUrl: string;
  authToken: string;
  accountSid: string;
  customers: number;
  /** First customer index (two load generators on two instances use disjoint customers). */
  customerOffset?: number;
  pool: number;
  phases: Phase[];
  /** The server under load: its CPU per request is read around each phase. */
  targetPid?: number;
  /** Other processes, by `comm`, whose CPU is read around each phase (a local PostgreSQL: "postgres"). */
  alsoProcessesNamed?: string;
}

export interface PhaseSummary {
  requests: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  durationS: number;
  rps: number;
  latency: { p50: number; p90: number; p99: number; max: number; mean: number };
  poolExhausted: boolean;
  /** CPU per completed request, µs: the target's threads, and this load generator's own; `namedUs`: all of alsoProcessesNamed's CPU over the phase (not per request: they may serve other load too). */
  cpu: { target: ThreadCpu | null; loadGeneratorUs: number; namedUs?: number | null };
}

function presign(msg: RunMessage): SignedWebhook[] {
  const pool: SignedWebhook[] = new Array(msg.pool);
  for (let i = 0; i < msg.pool; i++) {
    pool[i] = signedInbound({
      authToken: msg.authToken,
      publicUrl: msg.publicUrl,
      accountSid: msg.accountSid,
      from: customerPhone((msg.customerOffset ?? 0) + (i % msg.customers)),
      to: BUSINESS_A,
      body: `Hello, this is message ${i} about my order #${100000 + (i % 9973)}.`,
    });
  }
  return pool;
}

/** Hands out the pool's webhooks in order, from the start again when it runs out (noted as exhausted unless the phase wraps). */
function poolReader(pool: SignedWebhook[], cursor: { next: number }, phase: Phase) {
  const reader = {
    exhausted: false,
    next(): SignedWebhook {
      if (cursor.next >= pool.length) {
        if (!phase.wrap) reader.exhausted = true;
        cursor.next = 0;
      }
      return pool[cursor.next++]!;
    },
  };
  return reader;
}

/** Runs a phase's load, reading the target's CPU per thread and this process's own around it; `requests` says how many it sent. */
async function withCpu<T>(msg: RunMessage, load: () => Promise<T>, requests: (result: T) => number): Promise<{ result: T; cpu: PhaseSummary['cpu'] }> {
  const ticksBefore = msg.targetPid ? threadTicks(msg.targetPid) : null;
  const namedBefore = msg.alsoProcessesNamed ? ticksOfProcessesNamed(msg.alsoProcessesNamed) : null;
  const ownBefore = process.cpuUsage();
  const result = await load();
  const own = process.cpuUsage(ownBefore);
  const ticksAfter = msg.targetPid ? threadTicks(msg.targetPid) : null;
  const namedAfter = msg.alsoProcessesNamed ? ticksOfProcessesNamed(msg.alsoProcessesNamed) : null;
  const sent = requests(result);
  return {
    result,
    cpu: {
      target: msg.targetPid ? cpuPerRequest(msg.targetPid, ticksBefore, ticksAfter, sent) : null,
      loadGeneratorUs: Math.round((own.user + own.system) / Math.max(1, sent)),
      ...(msg.alsoProcessesNamed ? { namedUs: cpuUsBetween(namedBefore, namedAfter) } : {}),
    },
  };
}

async function runPhase(msg: RunMessage, pool: SignedWebhook[], cursor: { next: number }, phase: Phase): Promise<PhaseSummary> {
  if (phase.overallRate && !phase.autocannonQuota) return runPacedPhase(msg, pool, cursor, phase, phase.overallRate);
  const webhooks = poolReader(pool, cursor, phase);
  const remaining = pool.length - cursor.next;
  const cap = phase.wrap ? undefined : Math.min(phase.amount ?? remaining, remaining);
  const options: autocannon.Options = {
    url: msg.target,
    connections: phase.connections,
    pipelining: 1,
    timeout: 10,
    ...(phase.overallRate ? { overallRate: phase.overallRate } : {}),
    ...(phase.durationS ? { duration: phase.durationS } : {}),
    ...(phase.durationS ? (cap !== undefined ? { maxOverallRequests: cap } : {}) : { amount: cap ?? phase.amount }),
    requests: [
      {
        method: 'POST',
        path: INBOUND_PATH,
        setupRequest: (req: autocannon.Request) => {
          const w = webhooks.next();
          return { ...req, method: 'POST', path: INBOUND_PATH, headers: w.headers, body: w.body };
        },
      },
    ],
  };
  // When the phase's count cap ends it before its time cap, autocannon stops at its next 1-s tick
  // and reports that as the duration: the rate would be the cap over whole seconds (7,984/s for
  // 40,000 in "5.01 s", whatever the target did). The phase then lasts until its last answer.
  let startedAt = 0;
  let lastAnswerAt = 0;
  const { result, cpu } = await withCpu(
    msg,
    () => {
      startedAt = performance.now();
      const run = autocannon(options);
      run.on('response', () => (lastAnswerAt = performance.now()));
      return run;
    },
    (r) => r.requests.total,
  );
  const ok = result['2xx'];
  const capped = cap !== undefined && phase.durationS !== undefined && result.requests.total >= cap && lastAnswerAt > startedAt;
  const durationS = capped ? (lastAnswerAt - startedAt) / 1000 : result.duration;
  return {
    requests: result.requests.total,
    ok,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    durationS,
    rps: ok / durationS,
    latency: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max, mean: result.latency.average },
    poolExhausted: webhooks.exhausted,
    cpu,
  };
}

/** A fixed-rate phase, open loop (lib/paced.ts: why not autocannon's overallRate). */
async function runPacedPhase(msg: RunMessage, pool: SignedWebhook[], cursor: { next: number }, phase: Phase, rate: number): Promise<PhaseSummary> {
  const webhooks = poolReader(pool, cursor, phase);
  const { result, cpu } = await withCpu(
    msg,
    () => paced({ base: msg.target, path: INBOUND_PATH, rate, durationS: phase.durationS ?? 5, connections: phase.connections, next: webhooks.next }),
    (r) => r.sent,
  );
  return {
    requests: result.sent,
    ok: result.ok,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: 0,
    durationS: result.durationS,
    rps: result.ok / result.durationS,
    latency: result.latency,
    poolExhausted: webhooks.exhausted,
    cpu,
  };
}

process.on('message', (raw: unknown) => {
  const msg = raw as RunMessage;
  if (msg.type !== 'run') return;
  void (async () => {
    try {
      const pool = presign(msg);
      const cursor = { next: 0 };
      const phases: Record<string, PhaseSummary> = {};
      for (const phase of msg.phases) phases[phase.name] = await runPhase(msg, pool, cursor, phase);
      process.send!({ type: 'result', phases, used: cursor.next });
    } catch (error) {
      process.send!({ type: 'result', error: (error as Error).stack ?? String(error) });
    }
  })();
});
process.on('disconnect', () => process.exit(0));
process.stdout.write(`${JSON.stringify({ event: 'load-ready' })}\n`);
