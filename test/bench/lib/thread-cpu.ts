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

/** utime + stime of a /proc/<pid>[/task/<tid>]/stat line: fields 14 and 15, counted after the ")" that closes comm (which may hold spaces). */
export function cpuTicksOfStat(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

export function threadTicks(pid: number): ThreadTicks | null {
  try {
    const ticks: ThreadTicks = new Map();
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      ticks.set(Number(tid), cpuTicksOfStat(readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8')));
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

/**
 * CPU ticks of every process whose `comm` is `name` (e.g. PostgreSQL's server and its
 * backends, all "postgres"), by pid. A PostgreSQL on this machine shares its 2 cores with the
 * relays and the load generators: its share of each webhook is what a ceiling on this machine
 * is made of. Null when /proc cannot be read.
 */
export function ticksOfProcessesNamed(name: string): ThreadTicks | null {
  try {
    const ticks: ThreadTicks = new Map();
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        if (stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) === name) ticks.set(Number(entry), cpuTicksOfStat(stat));
      } catch {
        // The process ended between the listing and the read.
      }
    }
    return ticks;
  } catch {
    return null;
  }
}

/**
 * CPU µs those processes spent between two readings. A process that started in between counts
 * from zero; one that ended in between is missed (PostgreSQL's backends live as long as the
 * relays' pooled connections, which outlast a load phase).
 */
export function cpuUsBetween(before: ThreadTicks | null, after: ThreadTicks | null): number | null {
  if (!before || !after) return null;
  let ticks = 0;
  for (const [pid, t] of after) ticks += t - (before.get(pid) ?? 0);
  return ticks * TICK_US;
}
