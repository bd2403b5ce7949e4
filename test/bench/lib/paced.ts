/**
 * An open-loop load at a fixed rate, the way "ack latency at 1,000/s" means it: request i
 * leaves at start + i / rate, and its latency counts from that scheduled moment, not from when
 * it left (wrk2's correction: a stall in the server — or here — delays the requests behind it,
 * and that delay is theirs to report).
 *
 * autocannon's `overallRate` is not this. It gives each connection a quota per second that a
 * timer resets every second (autocannon/lib/httpClient.js: `reqsMadeThisSecond++ < rate`), so
 * "1,000/s over 100 connections" is a burst of 1,000 requests at each second's start, ten
 * back to back on each connection, and its coordinated-omission fill then assumes a 1 ms
 * interval. Its p99 was the tail of that burst (test/bench/README.md, "Ack p99 at 1,000/s").
 */
import { Agent } from 'node:http';
import { percentile, round } from './stats.ts';
import { post, type SignedWebhook } from './webhooks.ts';

export interface PacedResult {
  sent: number;
  ok: number;
  non2xx: number;
  errors: number;
  durationS: number;
  /** Milliseconds from each request's scheduled moment to its response's end. */
  latency: { p50: number; p90: number; p99: number; max: number; mean: number };
}

/** Sends `next()`'s webhooks to `base + path` at `rate` per second for `durationS`, over up to `connections` keep-alive sockets. */
export async function paced(opts: { base: string; path: string; rate: number; durationS: number; connections: number; next: () => SignedWebhook }): Promise<PacedResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: opts.connections });
  const total = Math.round(opts.rate * opts.durationS);
  const latencies: number[] = [];
  let ok = 0;
  let non2xx = 0;
  let errors = 0;
  const start = performance.now();
  const inFlight: Promise<void>[] = [];
  const send = (scheduledAt: number) =>
    post(opts.base, opts.next(), opts.path, agent).then(
      (status) => {
        latencies.push(performance.now() - scheduledAt);
        if (status >= 200 && status < 300) ok++;
        else non2xx++;
      },
      () => void errors++,
    );
  let sent = 0;
  await new Promise<void>((done) => {
    // A 1 ms timer sends whatever is due: late ticks send their backlog at once, and each
    // request still counts from its own scheduled moment.
    const timer = setInterval(() => {
      const due = Math.min(total, Math.floor(((performance.now() - start) * opts.rate) / 1000) + 1);
      for (; sent < due; sent++) inFlight.push(send(start + (sent * 1000) / opts.rate));
      if (sent >= total) {
        clearInterval(timer);
        done();
      }
    }, 1);
  });
  await Promise.all(inFlight);
  const durationS = (performance.now() - start) / 1000;
  agent.destroy();
  const p = (q: number) => round(percentile(latencies, q), 2);
  const mean = latencies.reduce((a, b) => a + b, 0) / Math.max(1, latencies.length);
  return { sent, ok, non2xx, errors, durationS, latency: { p50: p(50), p90: p(90), p99: p(99), max: p(100), mean: round(mean, 2) } };
}
