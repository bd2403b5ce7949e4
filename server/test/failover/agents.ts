/** Agents for the failover tests: event streams that move to whichever instance answers, with Last-Event-ID, and the agent API tried on each instance. */
import { mintDevToken } from '../../src/auth/tokens.ts';
import { rowsOf, sseFrames, type StreamRow } from '../helpers/sse.ts';
import { sleep } from './timing.ts';

// ------------------------------------------------------------------ agents

export interface AgentEvent extends StreamRow {
  /** Which instance delivered it. */
  via: string;
}

/**
 * An agent's event stream as the panel keeps it: connected to one instance; when the
 * stream ends or the instance is gone, it reconnects at once (after the `retry` hint the
 * relay sent, capped) to whichever instance answers, with the last event id it saw.
 * Everything is kept, duplicates included, so the test can prove there were none.
 */
export class FailoverAgent {
  readonly events: AgentEvent[] = [];
  /** The `retry:` hints received, in ms. */
  readonly retryHints: number[] = [];
  /** Each connection: where, and how long the agent had been without a stream before it. */
  readonly connections: { url: string; at: number; gapMs: number }[] = [];
  firstCursor: number | null = null;
  lastEventId: string | null = null;
  token = '';
  private closed = false;
  private abort: AbortController | null = null;
  private loop: Promise<void> | null = null;
  private retryMs = 500;

  constructor(
    readonly id: string,
    readonly role: 'agent' | 'supervisor',
    private readonly targets: () => string[],
    /** Index into targets() of the instance to use first. */
    private prefer: number,
  ) {}

  async start(authSecret: string): Promise<void> {
    this.token = await mintDevToken(authSecret, { id: this.id, name: `Failover ${this.id}`, role: this.role });
    let connected!: () => void;
    const first = new Promise<void>((resolve) => (connected = resolve));
    this.loop = this.run(connected);
    await first;
  }

  /** The instance the stream is on now (or last was). */
  get url(): string | undefined {
    return this.connections.at(-1)?.url;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.abort?.abort();
    await this.loop;
  }

  private async run(connected: () => void): Promise<void> {
    let downSince = Date.now();
    for (let attempt = 0; !this.closed; attempt++) {
      const targets = this.targets();
      const url = targets[(this.prefer + attempt) % targets.length]!;
      const abort = new AbortController();
      this.abort = abort;
      let streamed = false;
      try {
        const headers: Record<string, string> = { authorization: `Bearer ${this.token}`, accept: 'text/event-stream' };
        if (this.lastEventId !== null) headers['last-event-id'] = this.lastEventId;
        const res = await fetch(`${url}/api/v1/events`, { headers, signal: abort.signal });
        if (res.status !== 200 || !res.body) throw new Error(`events: HTTP ${res.status}`);
        const row = rowsOf();
        for await (const frame of sseFrames(res.body as unknown as AsyncIterable<Uint8Array>)) {
          if (frame.retry !== null) {
            this.retryHints.push(frame.retry);
            this.retryMs = frame.retry;
          }
          if (frame.event === 'ready') {
            if (frame.id === null) continue;
            this.firstCursor ??= Number(frame.id);
            this.lastEventId = frame.id;
            streamed = true;
            this.connections.push({ url, at: Date.now(), gapMs: Date.now() - downSince });
            this.prefer = (this.prefer + attempt) % targets.length;
            attempt = 0;
            connected();
            continue;
          }
          const whole = row(frame);
          if (!whole) continue;
          this.events.push({ ...whole, via: url });
          this.lastEventId = frame.id;
        }
      } catch {
        // Refused, reset or aborted: try the next instance.
      }
      if (this.closed) return;
      if (streamed) downSince = Date.now();
      // As EventSource does: wait the hinted time (capped for the test) before reconnecting.
      await sleep(Math.min(this.retryMs, 1000));
    }
  }
}

/** Ids seen more than once, and ids of `expected` never seen. */
export function streamFaults(agent: FailoverAgent, expected: number[]): { duplicates: number[]; missing: number[]; unexpected: number[] } {
  const seen = new Map<number, number>();
  for (const e of agent.events) seen.set(e.id, (seen.get(e.id) ?? 0) + 1);
  const want = new Set(expected);
  return {
    duplicates: [...seen].filter(([, n]) => n > 1).map(([id]) => id),
    missing: expected.filter((id) => !seen.has(id)),
    unexpected: [...seen.keys()].filter((id) => !want.has(id)),
  };
}

// ------------------------------------------------------------------ agent API

export async function api(url: string, token: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${url}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** One API call, tried on each instance in turn until one answers `ok` (as the panel's outbox resends). */
export async function apiAnywhere(targets: () => string[], token: string, method: string, path: string, body: unknown, ok: number, ms = 20_000) {
  let last: unknown;
  const deadline = Date.now() + ms;
  for (let i = 0; Date.now() < deadline; i++) {
    const list = targets();
    try {
      const res = await api(list[i % list.length]!, token, method, path, body);
      if (res.status === ok) return res;
      last = res;
    } catch (error) {
      last = error;
    }
    if (i % list.length === list.length - 1) await sleep(100);
  }
  throw new Error(`${method} ${path}: no instance answered ${ok}: ${JSON.stringify(last)}`);
}
