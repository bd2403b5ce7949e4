/**
 * What the machine was doing during the run, recorded beside the figures: the cost of one
 * fsynced SQLite WAL commit on the bench's temp disk (every durable webhook pays it), and
 * Linux pressure-stall figures (other work competing for CPU and I/O on a shared 2-core box).
 */
import Database from 'better-sqlite3';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { percentile, round, sleep } from './stats.ts';

export function fsyncProbe(dir: string, commits = 200) {
  const probe = commitProbe(dir);
  try {
    for (let i = 0; i < commits; i++) probe.commit();
  } finally {
    probe.close();
  }
  return probe.summary();
}

/**
 * The same commit, one every 1/rate s, as the SSE probes' webhooks arrive: spaced out, a
 * commit costs about twice what it does back to back on this machine (0.6–0.8 ms at 100/s
 * against 0.2–0.4 ms), so the durable floor beside a paced figure is taken at its pace.
 */
export async function pacedFsyncProbe(dir: string, ratePerS: number, commits = 100) {
  const probe = commitProbe(dir);
  try {
    for (let i = 0; i < commits; i++) {
      probe.commit();
      await sleep(1000 / ratePerS);
    }
  } finally {
    probe.close();
  }
  return { ratePerS, ...probe.summary() };
}

/** One fsynced WAL commit of a 300-byte row at a time, timed, in a scratch database. */
function commitProbe(dir: string) {
  const file = join(dir, `fsync-probe-${Date.now()}-${Math.random().toString(36).slice(2)}.db`);
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
  const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
  const one = db.transaction((v: string) => insert.run(v));
  const times: number[] = [];
  return {
    commit() {
      const t = process.hrtime.bigint();
      one.immediate('x'.repeat(300));
      times.push(Number(process.hrtime.bigint() - t) / 1e6);
    },
    close() {
      db.close();
      for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
    },
    summary: () => ({ commits: times.length, p50Ms: round(percentile(times, 50), 2), p99Ms: round(percentile(times, 99), 2), maxMs: round(Math.max(...times), 2) }),
  };
}

/** /proc/pressure/{cpu,io} "some" averages (share of time some task waited), when available. */
export function pressure() {
  const read = (what: string) => {
    try {
      const some = /^some avg10=([\d.]+) avg60=([\d.]+)/m.exec(readFileSync(`/proc/pressure/${what}`, 'utf8'));
      return some ? { avg10: Number(some[1]), avg60: Number(some[2]) } : null;
    } catch {
      return null;
    }
  };
  return { cpu: read('cpu'), io: read('io') };
}
