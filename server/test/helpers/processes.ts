/**
 * Real processes for fault tests: the relay (`src/main.ts`) and the fake Twilio API
 * (`test/fakes/twilio-api-server.ts`), each a child process on loopback, plus a resumable
 * agent event stream that reconnects with Last-Event-ID.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rowsOf, sseFrames, type StreamRow } from './sse.ts';

export const SERVER_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface Child {
  proc: ChildProcess;
  /** Exit code or signal once it has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  alive(): boolean;
  /** The last ~64 KB of stdout and stderr, for failure messages. */
  output(): string;
}

function track(proc: ChildProcess): Child {
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-64 * 1024);
  };
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);
  let running = true;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.once('exit', (code, signal) => {
      running = false;
      resolve({ code, signal });
    }),
  );
  return { proc, exited, alive: () => running, output: () => tail };
}

/** Waits for the first stdout line that parses as JSON and satisfies `pick`. */
function firstJsonLine<T>(child: Child, pick: (value: Record<string, unknown>) => T | undefined, what: string, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(() => reject(new Error(`${what} did not start in ${ms} ms:\n${child.output()}`)), ms);
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString();
      for (const line of buffer.split('\n')) {
        if (!line.startsWith('{')) continue;
        try {
          const value = pick(JSON.parse(line) as Record<string, unknown>);
          if (value !== undefined) {
            clearTimeout(timer);
            child.proc.stdout?.off('data', onData);
            resolve(value);
            return;
          }
        } catch {
          // not a whole JSON line yet
        }
      }
    };
    child.proc.stdout?.on('data', onData);
    void child.exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited (${code ?? signal}) before it was ready:\n${child.output()}`));
    });
  });
}

/** A TCP port that was free a moment ago (the relay keeps it across restarts). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

export interface FakeTwilioProcess extends Child {
  url: string;
  accountSid: string;
  authToken: string;
}

export async function spawnFakeTwilio(): Promise<FakeTwilioProcess> {
  const child = track(
    spawn(process.execPath, ['--import', 'tsx', 'test/fakes/twilio-api-server.ts', '0'], {
      cwd: SERVER_DIR,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  const info = await firstJsonLine(child, (v) => (typeof v.url === 'string' ? (v as { url: string; accountSid: string; authToken: string }) : undefined), 'fake Twilio', 30_000);
  return { ...child, ...info };
}

export interface RelayProcess extends Child {
  /** Resolves with the listening address, rejects if the process dies first. */
  listening: Promise<string>;
}

/** Starts `src/main.ts` with exactly this environment (nothing inherited but PATH and HOME). */
/** A relay process in Twilio mode against a fake Twilio, dev auth: the environment scale-out tests share. */
export function twilioRelayEnv(o: {
  publicUrl: string;
  databaseUrl: string;
  twilio: { accountSid: string; authToken: string; url: string };
  business: string;
  authSecret: string;
}): Record<string, string> {
  return {
    PORT: '0',
    HOST: '127.0.0.1',
    PUBLIC_URL: o.publicUrl,
    DATABASE_URL: o.databaseUrl,
    TWILIO_ACCOUNT_SID: o.twilio.accountSid,
    TWILIO_AUTH_TOKEN: o.twilio.authToken,
    TWILIO_WHATSAPP_FROM: `whatsapp:${o.business}`,
    TWILIO_API_BASE_URL: o.twilio.url,
    AUTH_MODE: 'dev',
    AUTH_SECRET: o.authSecret,
    LOG_LEVEL: 'warn',
  };
}

/** `args`: what node runs in the server directory; the sources through tsx unless told. */
export function spawnRelay(env: Record<string, string>, startTimeoutMs = 30_000, args = ['--import', 'tsx', 'src/main.ts']): RelayProcess {
  const child = track(
    spawn(process.execPath, args, {
      cwd: SERVER_DIR,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  const listening = firstJsonLine(child, (v) => (v.event === 'listening' ? String(v.address) : undefined), 'the relay', startTimeoutMs);
  listening.catch(() => undefined);
  return { ...child, listening };
}

export async function killHard(child: Child): Promise<void> {
  if (child.alive()) child.proc.kill('SIGKILL');
  await child.exited;
}

export type StreamEvent = StreamRow;

/**
 * An agent panel's event stream: connects, and after a drop reconnects with the last
 * `id:` it saw as Last-Event-ID. Every event frame is kept, duplicates included, so a
 * test can prove there were none.
 */
export class ResumableStream {
  readonly events: StreamEvent[] = [];
  /** The `id:` of each connection's `ready` frame. */
  readonly readyIds: number[] = [];
  lastEventId: string | null = null;
  connections = 0;
  /** Between a connection's `ready` frame and its end: a panel reconnects a stream that ended, a test may ask. */
  open = false;
  private abort: AbortController | null = null;

  constructor(private readonly token: string) {}

  /** Connects (once the relay answers); resolves after the `ready` frame. */
  async connect(base: string, deadlineMs = 15_000): Promise<void> {
    const deadline = Date.now() + deadlineMs;
    for (;;) {
      try {
        await this.connectOnce(base);
        return;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  }

  private async connectOnce(base: string): Promise<void> {
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    const headers: Record<string, string> = { authorization: `Bearer ${this.token}`, accept: 'text/event-stream' };
    if (this.lastEventId !== null) headers['last-event-id'] = this.lastEventId;
    const res = await fetch(`${base}/api/v1/events`, { headers, signal: abort.signal });
    if (res.status !== 200 || !res.body) throw new Error(`events: HTTP ${res.status}`);
    this.connections += 1;
    let ready!: () => void;
    let failed!: (error: Error) => void;
    const isReady = new Promise<void>((resolve, reject) => {
      ready = resolve;
      failed = reject;
    });
    void this.read(res.body, ready, failed);
    await isReady;
  }

  close(): void {
    this.abort?.abort();
  }

  private async read(body: ReadableStream<Uint8Array>, ready: () => void, failed: (error: Error) => void): Promise<void> {
    const row = rowsOf();
    try {
      for await (const frame of sseFrames(body)) {
        const { id, event } = frame;
        if (event === 'ready') {
          if (id !== null) this.readyIds.push(Number(id));
          if (id !== null) this.lastEventId = id;
          this.open = true;
          ready();
          continue;
        }
        const whole = row(frame);
        if (whole) {
          this.events.push(whole);
          this.lastEventId = id;
        }
      }
      failed(new Error('stream ended before ready'));
    } catch (error) {
      failed(error instanceof Error ? error : new Error(String(error)));
      // The relay went away (SIGKILL) or a reconnect aborted this one.
    } finally {
      this.open = false;
    }
  }
}

export async function until<T>(what: string, ms: number, probe: () => T | undefined | false | null | Promise<T | undefined | false | null>): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The agent API of a relay process, as the panel calls it: `base()` is read per call (a restarted relay has a new port). */
export function agentFetch(base: () => string, token: string) {
  return (method: string, path: string, body?: unknown): Promise<Response> =>
    fetch(`${base()}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
}
