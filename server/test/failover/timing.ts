/** Time helpers for the failover tests: pauses, steady rates, latency summaries. */

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Calls `one` `rate` times a second, by the clock rather than by ticks (a loaded machine
 * fires timers late); `one` returning false skips the rest of a tick. `each` runs every tick.
 */
export function paced(rate: number, tickMs: number, one: () => boolean, each?: () => void): NodeJS.Timeout {
  let last = Date.now();
  let owed = 0;
  return setInterval(() => {
    each?.();
    const now = Date.now();
    owed = Math.min(owed + (rate * (now - last)) / 1000, rate);
    last = now;
    for (; owed >= 1; owed -= 1) if (!one()) break;
  }, tickMs);
}

export function summary(values: number[]): { n: number; median: number; p99: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { n: sorted.length, median: Math.round(at(0.5)), p99: Math.round(at(0.99)), max: Math.round(sorted.at(-1) ?? 0) };
}
