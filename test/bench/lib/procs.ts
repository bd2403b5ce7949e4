/**
 * Child processes for the bench: the relay (server/dist/main.js), the fake Twilio API,
 * the bare baseline server, and the bench's own workers (load, SSE readers, pacing).
 * Every child is tracked so the bench can stop all of them, by pid, on exit.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { cpuTicksOfStat } from './thread-cpu.ts';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/**
 * The relay as production runs it: compiled by `npm run build -w @wcp/server`, started by plain node.
 * BENCH_RELAY_MAIN=<another build's dist/main.js> measures that build instead (with BENCH_SKIP_BUILD=1):
 * scenarios with one relay, such as `felt`, compare two builds in alternating runs this way.
 */
export const RELAY_MAIN = process.env.BENCH_RELAY_MAIN || fileURLToPath(new URL('../../../server/dist/main.js', import.meta.url));
/**
 * BENCH_COMPARE=<another build's dist/main.js>: the webhook and SSE scenarios measure that relay
 * too, in the same run, beside the same baselines — a before/after that the machine's hourly
 * speed cannot skew.
 */
export const COMPARE_MAIN = process.env.BENCH_COMPARE || null;
/** `npm start`'s last command (the README's first command): `[NAME=value ...] node [--flag ...] server/dist/main.js`. */
const START_COMMAND = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { scripts: { start: string } }).scripts.start
  .split('&&')
  .at(-1)!
  .trim()
  .split(/\s+/);
/** The node flags of `npm start`, read from there so the two cannot drift. */
export const RELAY_NODE_ARGS: string[] = START_COMMAND.filter((word) => word.startsWith('--'));
/**
 * The environment `npm start` sets before `node` (e.g. MALLOC_ARENA_MAX, which glibc reads only
 * at process start): the bench's relay gets it too, so it is measured as production runs it.
 */
export const RELAY_START_ENV: Record<string, string> = Object.fromEntries(
  START_COMMAND.slice(0, START_COMMAND.indexOf('node'))
    .map((word) => /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(word))
    .filter((match) => match !== null)
    .map((match) => [match[1]!, match[2]!]),
);
export const FAKE_TWILIO = fileURLToPath(new URL('../../../server/test/fakes/twilio-api-server.ts', import.meta.url));
export const BENCH_DIR = fileURLToPath(new URL('../', import.meta.url));

const children = new Set<ChildProcess>();

export interface Proc {
  child: ChildProcess;
  pid: number;
  /** The first JSON line the child printed on stdout. */
  hello: Record<string, unknown>;
  stderr(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** For children started with IPC: send a message and wait for the reply of that type. */
  ask<T = Record<string, unknown>>(message: Record<string, unknown>, replyType: string, timeoutMs?: number): Promise<T>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/**
 * Starts `node [--import tsx] file args` and waits for the first stdout line that parses as
 * JSON and satisfies `ready`. Anything else on stdout (the relay's pino log) is read and dropped.
 */
export async function startNode(
  file: string,
  opts: { args?: string[]; env?: Record<string, string>; tsx?: boolean; ipc?: boolean; nodeArgs?: string[]; ready?: (line: Record<string, unknown>) => boolean; timeoutMs?: number; label: string },
): Promise<Proc> {
  const nodeArgs = [...(opts.tsx === false ? [] : ['--import', 'tsx']), ...(opts.nodeArgs ?? []), file, ...(opts.args ?? [])];
  const child = spawn(process.execPath, nodeArgs, {
    cwd: ROOT,
    env: { ...process.env, ...opts.env },
    stdio: opts.ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  child.on('exit', () => children.delete(child));
  let err = '';
  child.stderr!.on('data', (d: Buffer) => {
    err += d;
    if (err.length > 20_000) err = err.slice(-10_000);
  });
  const ready = opts.ready ?? (() => true);
  const hello = await new Promise<Record<string, unknown>>((resolve, reject) => {
    let buffer = '';
    let done = false;
    const timer = setTimeout(() => fail(new Error(`${opts.label}: no ready line within ${opts.timeoutMs ?? 30_000} ms; stderr: ${err.slice(-2000)}`)), opts.timeoutMs ?? 30_000);
    const fail = (e: Error) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      reject(e);
    };
    child.once('exit', (code) => fail(new Error(`${opts.label} exited ${code}: ${err.slice(-2000)}`)));
    child.stdout!.on('data', (d: Buffer) => {
      if (done) return;
      buffer += d;
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl).trim();
        buffer = buffer.slice(nl + 1);
        if (!line.startsWith('{')) continue;
        try {
          const parsed = JSON.parse(line) as Record<string, unknown>;
          if (ready(parsed)) {
            done = true;
            clearTimeout(timer);
            resolve(parsed);
            return;
          }
        } catch {
          // a log line that is not JSON
        }
      }
    });
  });
  // Keep draining stdout so a chatty child never blocks on a full pipe.
  child.stdout!.on('data', () => undefined);
  const pending = new Map<string, (m: Record<string, unknown>) => void>();
  if (opts.ipc) {
    child.on('message', (m: Record<string, unknown>) => {
      const handler = pending.get(String(m.type));
      if (handler) {
        pending.delete(String(m.type));
        handler(m);
      }
    });
  }
  return {
    child,
    pid: child.pid!,
    hello,
    stderr: () => err,
    stop: (signal = 'SIGTERM') => stopChild(child, signal),
    ask<T>(message: Record<string, unknown>, replyType: string, timeoutMs = 60_000): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(replyType);
          reject(new Error(`${opts.label}: no "${replyType}" reply within ${timeoutMs} ms; stderr: ${err.slice(-2000)}`));
        }, timeoutMs);
        pending.set(replyType, (m) => {
          clearTimeout(timer);
          if (m.error) reject(new Error(`${opts.label}: ${String(m.error)}`));
          else resolve(m as T);
        });
        child.send(message);
      });
    },
  };
}

export async function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  const code = await exited;
  clearTimeout(timer);
  return code;
}

/** Stops every child still running (bench end, error, Ctrl-C). */
export async function stopAll(): Promise<void> {
  await Promise.all([...children].map((c) => stopChild(c)));
}

export function killAllSync(): void {
  for (const c of children) {
    try {
      c.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
}

/**
 * Resident set size of a process, from /proc (Linux), in bytes; `peak` is VmHWM. `anon` is what
 * the process itself allocated (heaps, malloc, stacks); `file` is mapped files' pages (the node
 * binary's and shared libraries' code), shared with every other node process on the host.
 */
export function rssOf(pid: number): { rss: number; peak: number; anon: number; file: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM'), anon: kb('RssAnon'), file: kb('RssFile') };
}

/**
 * CPU time a process has used (user + system), from /proc (Linux), in ms. On a shared
 * machine a process's CPU time per unit of work moves far less than its wall-clock rate.
 */
export function cpuMsOf(pid: number): number {
  return (cpuTicksOfStat(readFileSync(`/proc/${pid}/stat`, 'utf8')) * 1000) / CLOCK_TICKS_PER_S;
}

/** USER_HZ: 100 on every Linux the bench runs on (getconf CLK_TCK). */
const CLOCK_TICKS_PER_S = 100;
