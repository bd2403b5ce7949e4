/**
 * Webhook received -> event on the agent's SSE stream, with N agents connected (readers in
 * their own process). Setup: each agent goes Available and keeps a stream open; one new
 * customer per agent writes in, is offered and accepted. Then probes are sent paced, each to
 * one accepted conversation, and the reader measures send -> receipt from the body's stamp.
 * Baseline: the same readers and probes against the bare server, which writes each webhook
 * straight to a stream.
 */
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { BENCH_DIR, startNode, type Proc } from '../lib/procs.ts';
import { BUSINESS_A } from '../lib/relay.ts';
import { percentile, round, sleep } from '../lib/stats.ts';
import { customerPhone, post, signedInbound } from '../lib/webhooks.ts';

export interface Target {
  /** Where webhooks go (one or several relay instances, round-robin). */
  webhookBases: string[];
  /** Where the agents' streams connect (round-robin over agents). */
  streamBase: string;
  publicUrl: string;
  authToken: string;
  accountSid: string;
  /** AUTH_SECRET for agent tokens; null for the baseline server. */
  secret: string | null;
}

const now = () => performance.timeOrigin + performance.now();

export async function startReaders(): Promise<Proc> {
  return startNode(join(BENCH_DIR, 'sse-agents.ts'), { label: 'SSE readers', ipc: true, ready: (l) => l.event === 'sse-ready' });
}

/** Sends `count` probes at `rate`/s to `customers` (cycled) and returns the measured latencies. */
export async function probe(target: Target, readers: Proc, customers: string[], count: number, rate: number, firstSeq: number) {
  return (await probeEach([{ target, readers, customers }], count, rate, firstSeq))[0]!;
}

/**
 * The same to several targets at once, interleaved: each gets `count` probes at `rate`/s, the
 * targets' sends spread evenly over each interval, so every target sees the same minute of a
 * shared machine (sse-ab.ts).
 */
export async function probeEach(targets: Array<{ target: Target; readers: Proc; customers: string[] }>, count: number, rate: number, firstSeq: number) {
  const interval = 1000 / rate;
  const start = now();
  const sends: Promise<number>[][] = targets.map(() => []);
  for (let i = 0; i < count; i++) {
    for (const [k, { target, customers }] of targets.entries()) {
      const due = start + i * interval + (k * interval) / targets.length;
      const wait = due - now();
      if (wait > 1) await sleep(wait - 0.5);
      while (now() < due) {
        // spin the last half millisecond for an even pace
      }
      const webhook = signedInbound({
        authToken: target.authToken,
        publicUrl: target.publicUrl,
        accountSid: target.accountSid,
        from: customers[i % customers.length]!,
        to: BUSINESS_A,
        body: `lat:${firstSeq + i}:${now()}`,
      });
      sends[k]!.push(post(target.webhookBases[i % target.webhookBases.length]!, webhook));
    }
  }
  return Promise.all(
    targets.map(async ({ readers }, k) => {
      const statuses = await Promise.all(sends[k]!);
      // Collect until every probe has arrived (or 15 s after the last send: the rest count as lost).
      const values: number[] = [];
      const deadline = now() + 15_000;
      while (values.length < count && now() < deadline) {
        await sleep(200);
        values.push(...(await readers.ask<{ values: number[] }>({ type: 'latencies' }, 'latencies')).values);
      }
      return {
        sent: count,
        received: values.length,
        non200: statuses.filter((s) => s !== 200).length,
        p50: round(percentile(values, 50), 2),
        p90: round(percentile(values, 90), 2),
        p99: round(percentile(values, 99), 2),
        max: round(Math.max(...values), 2),
        rate,
      };
    }),
  );
}

/** Connects `agents` readers; for the relay also routes one new customer to each and accepts. */
export async function setupAgents(target: Target, readers: Proc, agents: number, prefix: string, firstCustomer: number): Promise<string[]> {
  const connected = await readers.ask<{ count: number }>(
    { type: 'connect', base: target.streamBase, secret: target.secret, agents, prefix, available: target.secret !== null, accept: target.secret !== null },
    'connected',
    120_000,
  );
  if (connected.count !== agents) throw new Error(`only ${connected.count} of ${agents} streams connected`);
  const customers = Array.from({ length: agents }, (_, i) => customerPhone(firstCustomer + i));
  if (target.secret === null) return customers;
  for (let i = 0; i < customers.length; i++) {
    const status = await post(
      target.webhookBases[i % target.webhookBases.length]!,
      signedInbound({ authToken: target.authToken, publicUrl: target.publicUrl, accountSid: target.accountSid, from: customers[i]!, to: BUSINESS_A, body: 'Hi, I need help with my order.' }),
    );
    if (status !== 200) throw new Error(`setup webhook answered ${status}`);
  }
  const offers = await readers.ask<{ customers: Record<string, string> }>({ type: 'wait-offers', n: agents, timeoutMs: 60_000 }, 'offers', 90_000);
  const accepted = Object.keys(offers.customers);
  if (accepted.length < agents) throw new Error(`only ${accepted.length} of ${agents} offers were accepted`);
  return accepted;
}
