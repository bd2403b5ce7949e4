/**
 * Where a process's CPU goes, per thread, from /proc/<pid>/task/<tid>/stat (utime + stime, in
 * clock ticks of 10 ms). The relay's threads all read "node" in `comm`, so they are told apart
 * by role: the main thread's tid is the pid; the busiest of the others is reported on its own
 * (a build whose SQLite store ran on a worker thread — before 2026-12-05 — had it there; now it
 * is a V8 GC helper or libuv's pool, like the rest). Linux only;
 * elsewhere (or for a process that has gone) it reads nothing and the bench says so.
 */
import { readdirSync, readFileSync } from 'node:fs';

const TICK_US = 10_000;

export type ThreadTicks = Map<number, number>;

export function threadTicks(pid: number): ThreadTicks | null {
  try {
    const ticks: ThreadTicks = new Map();
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      // Fields after the ")" that closes comm: state is field 3, utime 14, stime 15.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks.set(Number(tid), Number(fields[11]) + Number(fields[12]));
    }
    return ticks;
  } catch {
    return null;
  }
}

export interface ThreadCpu {
  /** CPU time per completed request, µs. */
  mainUs: number;
  busiestOtherUs: number;
  restUs: number;
  totalUs: number;
}

/** CPU per request between two readings: main thread, busiest other thread, the rest. */
export function cpuPerRequest(pid: number, before: ThreadTicks | null, after: ThreadTicks | null, requests: number): ThreadCpu | null {
  if (!before || !after || requests <= 0) return null;
  const spent = [...after].map(([tid, t]) => ({ tid, us: (t - (before.get(tid) ?? 0)) * TICK_US }));
  const main = spent.find((s) => s.tid === pid)?.us ?? 0;
  const others = spent.filter((s) => s.tid !== pid).sort((a, b) => b.us - a.us);
  const busiest = others[0]?.us ?? 0;
  const rest = others.slice(1).reduce((sum, s) => sum + s.us, 0);
  const per = (us: number) => Math.round(us / requests);
  return { mainUs: per(main), busiestOtherUs: per(busiest), restUs: per(rest), totalUs: per(main + busiest + rest) };
}
