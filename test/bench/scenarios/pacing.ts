/**
 * Outbound pacing: the relay's outbox worker (pacing.ts, own process) drains 1,000 messages
 * queued to sender A and then some to sender B into the fake Twilio API (own process). The
 * rates come from the fake's recorded receive times. Baseline: the same messages posted to
 * the same fake with no pacing (what an unpaced burst would look like to Twilio).
 */
import { join } from 'node:path';
import { BENCH_DIR, startNode } from '../lib/procs.ts';
import { BUSINESS_A, BUSINESS_B, type Fake } from '../lib/relay.ts';
import { round } from '../lib/stats.ts';

interface CreateRequest {
  form: Record<string, string[]>;
  receivedAt: string;
  outcome: { kind: string; code?: number };
}

function perSender(requests: CreateRequest[], sender: string, origin: number) {
  const times = requests
    .filter((r) => r.form.From?.[0] === `whatsapp:${sender}`)
    .map((r) => Date.parse(r.receivedAt));
  const refused = requests.filter((r) => r.form.From?.[0] === `whatsapp:${sender}` && r.outcome.kind !== 'created');
  return { ...rates(times, origin), refused: refused.length, refusedRateLimit: refused.filter((r) => r.outcome.code === 20429 || r.outcome.code === 63018).length };
}

/** Count, start, rate and the most sends inside any one-second window. */
function rates(unsorted: number[], origin: number) {
  const times = [...unsorted].sort((a, b) => a - b);
  const most = (windowMs: number) => {
    let max = 0;
    for (let i = 0, j = 0; i < times.length; i++) {
      while (times[i]! - times[j]! >= windowMs) j++;
      max = Math.max(max, i - j + 1);
    }
    return max;
  };
  const maxInWindow = most(1000);
  let longestGapMs = 0;
  for (let i = 1; i < times.length; i++) longestGapMs = Math.max(longestGapMs, times[i]! - times[i - 1]!);
  const span = times.length > 1 ? (times.at(-1)! - times[0]!) / 1000 : NaN;
  return {
    sent: times.length,
    firstAfterMs: times.length ? times[0]! - origin : null,
    lastAfterMs: times.length ? times.at(-1)! - origin : null,
    ratePerS: round((times.length - 1) / span, 1),
    maxIn1s: maxInWindow,
    // Bunching: at 80/s an even pace puts 1-2 sends in any 20 ms.
    maxIn20ms: most(20),
    longestGapMs,
  };
}

export async function benchPacing(opts: { fake: Fake; dir: string; countA: number; countB: number; timeoutMs: number }) {
  await fetch(`${opts.fake.url}/__fake/reset`, { method: 'POST' });
  const pacer = await startNode(join(BENCH_DIR, 'pacing.ts'), { label: 'outbox pacer', ipc: true, ready: (l) => l.event === 'pacing-ready' });
  let done: { queuedAt: number; finishedAt: number; sent: number; states: Record<string, number>; handedOver: Record<string, number[]>; eventLoopDelayMs: Record<string, number> };
  try {
    done = await pacer.ask(
      { type: 'run', fakeUrl: opts.fake.url, accountSid: opts.fake.accountSid, authToken: opts.fake.authToken, dir: opts.dir, countA: opts.countA, countB: opts.countB, timeoutMs: opts.timeoutMs },
      'done',
      opts.timeoutMs + 60_000,
    );
  } finally {
    await pacer.stop();
  }
  const requests = (await (await fetch(`${opts.fake.url}/__fake/create-requests`)).json()) as CreateRequest[];
  const a = perSender(requests, BUSINESS_A, done.queuedAt);
  const b = perSender(requests, BUSINESS_B, done.queuedAt);

  // Baseline: the same number of creates for sender A posted back to back (8 at a time), unpaced.
  await fetch(`${opts.fake.url}/__fake/reset`, { method: 'POST' });
  const auth = `Basic ${Buffer.from(`${opts.fake.accountSid}:${opts.fake.authToken}`).toString('base64')}`;
  const url = `${opts.fake.url}/2010-04-01/Accounts/${opts.fake.accountSid}/Messages.json`;
  const burstStart = Date.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < opts.countA) {
        next++;
        const body = new URLSearchParams({ From: `whatsapp:${BUSINESS_A}`, To: 'whatsapp:+447700900001', Body: 'burst' });
        await (await fetch(url, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' }, body })).arrayBuffer();
      }
    }),
  );
  const burst = perSender((await (await fetch(`${opts.fake.url}/__fake/create-requests`)).json()) as CreateRequest[], BUSINESS_A, burstStart);
  await fetch(`${opts.fake.url}/__fake/reset`, { method: 'POST' });

  const overlapMs = a.lastAfterMs !== null && b.firstAfterMs !== null ? a.lastAfterMs - b.firstAfterMs : null;
  return {
    queued: { a: opts.countA, b: opts.countB },
    totalSent: done.sent,
    drainMs: done.finishedAt - done.queuedAt,
    states: done.states,
    // As the fake Twilio API received them (what Twilio's limiter would see).
    senderA: a,
    senderB: b,
    // As the worker handed them to the transport (the relay's own pacing, before HTTP).
    handedOverA: rates(done.handedOver[BUSINESS_A] ?? [], done.queuedAt),
    handedOverB: rates(done.handedOver[BUSINESS_B] ?? [], done.queuedAt),
    // Independent: B starts while A is still sending, and B's first send comes within ~1 s.
    workerEventLoopDelayMs: Object.fromEntries(Object.entries(done.eventLoopDelayMs).map(([k, x]) => [k, round(x, 1)])),
    independent: b.firstAfterMs !== null && b.firstAfterMs < 1500 && (overlapMs ?? -1) > 0,
    baselineUnpaced: burst,
  };
}
