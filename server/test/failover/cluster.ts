/**
 * What the failover tests share: relay processes stopped by pid, Twilio's side (a steady
 * stream of signed inbound webhooks, redelivered to another instance when one fails, and
 * a per-instance proxy to the fake Twilio API that records which instance sent what and
 * can hold Twilio's answers), agents whose event streams move to whichever instance
 * answers with Last-Event-ID, and the checks made afterwards from the database.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { mintDevToken } from '../../src/auth/tokens.ts';
import { signTwilioRequest } from '../../src/twilio/signature.ts';
import type { CreateRequest } from '../fakes/twilio-api.ts';
import { SERVER_DIR, spawnFakeTwilio, spawnRelay, twilioRelayEnv, until, type Child, type FakeTwilioProcess, type RelayProcess } from '../helpers/processes.ts';
import { sseFrames } from '../helpers/sse.ts';
import { TEST_DATABASE_URL, dropSchemas, schemaName, urlForSchema } from '../store/postgres-harness.ts';

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface Relay extends RelayProcess {
  name: string;
  url: string;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/**
 * What a relay process runs: the build (`npm run build -w @wcp/server`), as production does
 * — it starts in a fraction of the time, which restarts under load need — when it is newer
 * than every source file; otherwise the sources through tsx.
 */
export const RELAY_ARGS = (() => {
  const built = join(SERVER_DIR, 'dist', 'main.js');
  const fresh = existsSync(built) && statSync(built).mtimeMs >= newestMtime(join(SERVER_DIR, 'src'));
  return fresh ? ['dist/main.js'] : ['--import', 'tsx', 'src/main.ts'];
})();

export async function startRelay(name: string, env: Record<string, string>, startTimeoutMs = 30_000): Promise<Relay> {
  const child = spawnRelay(env, startTimeoutMs, RELAY_ARGS);
  return Object.assign(child, { name, url: await child.listening });
}

/**
 * SIGTERM to this one process (by its pid), SIGKILL if it is still there after `forceMs`.
 * Resolves with how long it took to exit and how.
 */
export async function stopRelay(relay: Child, forceMs = 15_000): Promise<{ ms: number; code: number | null; signal: NodeJS.Signals | null }> {
  const started = Date.now();
  if (!relay.alive()) return { ms: 0, ...(await relay.exited) };
  const force = setTimeout(() => relay.proc.kill('SIGKILL'), forceMs);
  relay.proc.kill('SIGTERM');
  const exit = await relay.exited;
  clearTimeout(force);
  return { ms: Date.now() - started, ...exit };
}

/**
 * Calls `one` `rate` times a second, by the clock rather than by ticks (a loaded machine
 * fires timers late); `one` returning false skips the rest of a tick. `each` runs every tick.
 */
function paced(rate: number, tickMs: number, one: () => boolean, each?: () => void): NodeJS.Timeout {
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

// ------------------------------------------------------------------ Twilio's webhooks

const MAX_WEBHOOKS_IN_FLIGHT = 48;

export interface WebhookLoadOptions {
  publicUrl: string;
  authToken: string;
  accountSid: string;
  business: string;
  customers: string[];
  /** The instances to deliver to (read at every attempt: the set changes as relays die and come back). */
  targets: () => string[];
  /** Give up on one webhook after this long (counted as lost). */
  deadlineMs?: number;
}

interface Delivery {
  sid: string;
  body: string;
  customer: string;
  /** Answers 200 this webhook got (the relay acknowledged it). */
  acked: number;
  attempts: number;
  startedAt: number;
  /** When it was answered 200 (null if never). */
  ackedAt: number | null;
}

/**
 * Twilio's side of inbound traffic: `rate` webhooks a second, round-robin over the
 * instances. A webhook not answered 200 (connection refused or reset, 5xx) is delivered
 * again at once to the next instance, as Twilio retries on a failed connection; only when
 * every instance has failed it in one round does it wait a little (that round is counted).
 */
export class WebhookLoad {
  readonly deliveries: Delivery[] = [];
  /** Attempts that failed, by what happened: HTTP status, or 0 for a failed connection. */
  readonly failures = new Map<number, number>();
  /** Webhooks that got a failed connection or a 5xx somewhere and were delivered again. */
  redelivered = 0;
  /** Rounds in which every instance failed the same webhook. */
  refusedByAll = 0;
  lost: Delivery[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | null = null;
  private n = 0;
  private readonly prefix = randomBytes(3).toString('hex');

  constructor(private readonly o: WebhookLoadOptions) {}

  start(rate: number): void {
    this.timer = paced(rate, 20, () => {
      // Bounded: if the relays (or this process, which also plays Twilio's API) fall behind,
      // the rate drops instead of piling up requests: a starved fake Twilio answering after
      // the relay's 15 s timeout is not a fault of the relay.
      if (this.inFlight.size >= MAX_WEBHOOKS_IN_FLIGHT) return false;
      void this.send();
      return true;
    });
  }

  /** Stops sending new webhooks and waits for every one under way to be stored or given up. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  send(): Promise<void> {
    const n = this.n++;
    const customer = this.o.customers[n % this.o.customers.length]!;
    const delivery: Delivery = { sid: 'SM' + randomBytes(16).toString('hex'), body: `load ${this.prefix} ${n}`, customer, acked: 0, attempts: 0, startedAt: Date.now(), ackedAt: null };
    this.deliveries.push(delivery);
    const job = this.deliver(delivery, n).finally(() => this.inFlight.delete(job));
    this.inFlight.add(job);
    return job;
  }

  private async deliver(d: Delivery, n: number): Promise<void> {
    const params = {
      MessageSid: d.sid,
      AccountSid: this.o.accountSid,
      From: `whatsapp:${d.customer}`,
      To: `whatsapp:${this.o.business}`,
      Body: d.body,
      NumMedia: '0',
      ProfileName: 'Load Customer',
      WaId: d.customer.slice(1),
    };
    const signature = signTwilioRequest(this.o.authToken, `${this.o.publicUrl}/twilio/inbound`, params);
    const body = new URLSearchParams(params).toString();
    const deadline = Date.now() + (this.o.deadlineMs ?? 30_000);
    let failedOnce = false;
    for (let round = 0; Date.now() < deadline; round++) {
      const targets = this.o.targets();
      for (let i = 0; i < targets.length; i++) {
        const url = targets[(n + round + i) % targets.length]!;
        d.attempts += 1;
        let status = 0;
        try {
          const res = await fetch(`${url}/twilio/inbound`, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
            body,
            signal: AbortSignal.timeout(15_000),
          });
          await res.text();
          status = res.status;
        } catch {
          status = 0;
        }
        if (status === 200) {
          d.acked += 1;
          d.ackedAt = Date.now();
          if (failedOnce) this.redelivered += 1;
          return;
        }
        failedOnce = true;
        this.failures.set(status, (this.failures.get(status) ?? 0) + 1);
      }
      this.refusedByAll += 1;
      await sleep(200);
    }
    this.lost.push(d);
  }
}

// ------------------------------------------------------------------ Twilio's Messages API, per instance

export interface ProxiedCreate {
  instance: string;
  body: string;
  at: number;
  /** When Twilio's answer went back to the instance (null while held, or if it never did). */
  answeredAt: number | null;
}

/**
 * A pass-through in front of the fake Twilio API for one instance (its TWILIO_API_BASE_URL),
 * recording each message create it forwards. `hold()` keeps Twilio's answers from reaching
 * the instance (Twilio has the message; the instance never hears so): a kill then leaves
 * sends that really reached Twilio but were never recorded.
 */
export class TwilioProxy {
  readonly creates: ProxiedCreate[] = [];
  url = '';
  private held = false;
  private readonly server: Server;

  constructor(
    readonly instance: string,
    private readonly upstream: string,
  ) {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        const create = req.method === 'POST' && /\/Messages\.json$/.test(req.url ?? '');
        const record: ProxiedCreate | null = create
          ? { instance, body: new URLSearchParams(raw.toString()).get('Body') ?? '', at: Date.now(), answeredAt: null }
          : null;
        if (record) this.creates.push(record);
        const holdThis = record !== null && this.held;
        const up = httpRequest(this.upstream + (req.url ?? '/'), { method: req.method, headers: { ...req.headers, host: new URL(this.upstream).host } }, (upRes) => {
          const answer: Buffer[] = [];
          upRes.on('data', (c: Buffer) => answer.push(c));
          upRes.on('end', () => {
            if (holdThis) return; // Twilio took it; the instance waits for an answer that never comes.
            if (record) record.answeredAt = Date.now();
            res.writeHead(upRes.statusCode ?? 502, upRes.headers);
            res.end(Buffer.concat(answer));
          });
        });
        up.on('error', () => res.destroy());
        up.end(raw);
      });
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    this.url = `http://127.0.0.1:${address.port}`;
    return this;
  }

  hold(): void {
    this.held = true;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

// ------------------------------------------------------------------ agents

export interface AgentEvent {
  id: number;
  type: string;
  data: Record<string, unknown>;
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
        for await (const frame of sseFrames(res.body as unknown as AsyncIterable<Uint8Array>)) {
          if (frame.retry !== null) {
            this.retryHints.push(frame.retry);
            this.retryMs = frame.retry;
          }
          if (frame.id === null) continue;
          if (frame.event === 'ready') {
            this.firstCursor ??= Number(frame.id);
            this.lastEventId = frame.id;
            streamed = true;
            this.connections.push({ url, at: Date.now(), gapMs: Date.now() - downSince });
            this.prefer = (this.prefer + attempt) % targets.length;
            attempt = 0;
            connected();
            continue;
          }
          this.events.push({ id: Number(frame.id), type: frame.event, data: JSON.parse(frame.data || '{}') as Record<string, unknown>, via: url });
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

/**
 * Agents who accept every offer they are shown and reply steadily in the conversations they
 * hold, each reply with its clientId (resent elsewhere when an instance fails it).
 */
export class ReplyLoad {
  /** Every reply an agent wrote. */
  readonly replies: string[] = [];
  /** Those the relay accepted (202). */
  readonly accepted: string[] = [];
  /** Those no instance accepted in time (the panel would keep trying): the last answer. */
  readonly givenUp: string[] = [];
  private timer: NodeJS.Timeout | null = null;
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly held = new Map<string, string[]>();
  private readonly handledOffers = new Set<string>();
  private readonly scanned = new Map<string, number>();
  private n = 0;

  constructor(
    private readonly agents: FailoverAgent[],
    private readonly targets: () => string[],
  ) {}

  start(rate: number): void {
    this.timer = paced(rate, 50, () => {
      this.reply();
      return true;
    }, () => this.acceptOffers());
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  conversationsHeld(): number {
    return [...this.held.values()].reduce((sum, list) => sum + list.length, 0);
  }

  private track(job: Promise<unknown>): void {
    const tracked = job.catch(() => undefined).finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }

  private acceptOffers(): void {
    for (const agent of this.agents) {
      // Only the events that arrived since the last look: the stream grows by thousands.
      const from = this.scanned.get(agent.id) ?? 0;
      this.scanned.set(agent.id, agent.events.length);
      for (const e of agent.events.slice(from)) {
        if (e.type !== 'offer') continue;
        const conversationId = String(e.data.conversationId);
        const key = `${agent.id}:${conversationId}`;
        if (this.handledOffers.has(key)) continue;
        this.handledOffers.add(key);
        this.track(
          api(this.targets()[0]!, agent.token, 'POST', `/conversations/${conversationId}/accept`).then((res) => {
            if (res.status === 200) this.held.set(agent.id, [...(this.held.get(agent.id) ?? []), conversationId]);
          }),
        );
      }
    }
  }

  private reply(): void {
    const holders = this.agents.filter((a) => (this.held.get(a.id)?.length ?? 0) > 0);
    if (holders.length === 0) return;
    const n = this.n++;
    const agent = holders[n % holders.length]!;
    const list = this.held.get(agent.id)!;
    const conversationId = list[n % list.length]!;
    const body = `reply ${n} from ${agent.id}`;
    this.replies.push(body);
    // Spread over the instances: start at a different one each time.
    const rotated = () => {
      const t = this.targets();
      return t.map((_, i) => t[(n + i) % t.length]!);
    };
    this.track(
      apiAnywhere(rotated, agent.token, 'POST', `/conversations/${conversationId}/messages`, { body, clientId: `c-${n}` }, 202).then(
        () => this.accepted.push(body),
        (error: Error) => this.givenUp.push(error.message.slice(0, 200)),
      ),
    );
  }
}

/** Waits until each relay answers /readyz with 200. */
export async function allReady(urls: string[], ms = 20_000): Promise<void> {
  for (const url of urls) {
    await until(`${url}/readyz to be 200`, ms, async () => (await fetch(`${url}/readyz`).catch(() => null))?.status === 200);
  }
}

// ------------------------------------------------------------------ PostgreSQL deployments

export const PUBLIC_URL = 'https://relay.failover-test.invalid';
export const BUSINESS = '+14155238886';
export const CUSTOMERS = Array.from({ length: 12 }, (_, i) => `+4477009002${String(i).padStart(2, '0')}`);

/**
 * The fake Twilio API (its own process: this one is busy playing Twilio's webhooks and the
 * agents, and a starved fake would time out the relays' sends), one recording proxy per
 * instance if asked for, the store, and the environment each instance runs with. `close()`
 * stops every process it started (by pid), the proxies, and removes the store.
 */
export abstract class Deployment {
  readonly authSecret = randomBytes(32).toString('hex');
  readonly relays: Relay[] = [];
  readonly proxies = new Map<string, TwilioProxy>();
  fake!: FakeTwilioProcess;

  /** DATABASE_URL for the instances. */
  protected abstract databaseUrl(): string;
  /** A query on the relays' store; `$schema.` prefixes its tables, `$1`… are the parameters in order. */
  abstract query<R extends Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
  protected abstract removeStore(): Promise<void>;

  /** `proxies`: put a recording proxy in front of the fake for each named instance. */
  async open(names: string[], o: { proxies?: boolean } = {}): Promise<this> {
    this.fake = await spawnFakeTwilio();
    if (o.proxies) for (const name of names) this.proxies.set(name, await new TwilioProxy(name, this.fake.url).start());
    return this;
  }

  /** Every message create the fake Twilio API received. */
  async createRequests(): Promise<CreateRequest[]> {
    return (await (await fetch(`${this.fake.url}/__fake/create-requests`)).json()) as CreateRequest[];
  }

  env(name: string, port = 0): Record<string, string> {
    const env = twilioRelayEnv({
      publicUrl: PUBLIC_URL,
      databaseUrl: this.databaseUrl(),
      twilio: { accountSid: this.fake.accountSid, authToken: this.fake.authToken, url: this.proxies.get(name)?.url ?? this.fake.url },
      business: BUSINESS,
      authSecret: this.authSecret,
    });
    return { ...env, PORT: String(port) };
  }

  async start(name: string, port = 0): Promise<Relay> {
    const relay = await startRelay(name, this.env(name, port));
    this.relays.push(relay);
    return relay;
  }

  webhooks(targets: () => string[]): WebhookLoad {
    return new WebhookLoad({
      publicUrl: PUBLIC_URL,
      authToken: this.fake.authToken,
      accountSid: this.fake.accountSid,
      business: BUSINESS,
      customers: CUSTOMERS,
      targets,
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.relays.map((r) => stopRelay(r, 5000)));
    for (const proxy of this.proxies.values()) await proxy.close();
    if (this.fake) await stopRelay(this.fake, 5000);
    await this.removeStore();
  }
}

/** Instances sharing a throwaway PostgreSQL schema, dropped at the end. */
export class PgDeployment extends Deployment {
  readonly schema: string;
  db!: pg.Client;

  constructor(label: string) {
    super();
    this.schema = schemaName(label);
  }

  override async open(names: string[], o: { proxies?: boolean } = {}): Promise<this> {
    await super.open(names, o);
    this.db = new pg.Client({ connectionString: TEST_DATABASE_URL });
    this.db.on('error', () => undefined);
    await this.db.connect();
    return this;
  }

  protected databaseUrl(): string {
    return urlForSchema(this.schema);
  }

  async query<R extends Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<R[]> {
    return (await this.db.query<R>(sql.replaceAll('$schema.', `${this.schema}.`), params)).rows;
  }

  protected async removeStore(): Promise<void> {
    await this.db?.end().catch(() => undefined);
    await dropSchemas([this.schema]);
  }
}

/** One instance on a SQLite file in a temporary directory, removed at the end. */
export class SqliteDeployment extends Deployment {
  readonly dir = mkdtempSync(join(tmpdir(), 'wcp-failover-'));

  protected databaseUrl(): string {
    return `sqlite:${join(this.dir, 'relay.db')}`;
  }

  async query<R extends Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<R[]> {
    const db = new Database(join(this.dir, 'relay.db'), { readonly: true, fileMustExist: true });
    try {
      return db.prepare(sql.replaceAll('$schema.', '').replace(/\$\d+/g, '?')).all(...params) as R[];
    } finally {
      db.close();
    }
  }

  protected async removeStore(): Promise<void> {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * Every webhook stored exactly once (by its MessageSid), and nothing else stored inbound.
 * Returns what is wrong, empty when all is well.
 */
export async function inboundFaults(d: Deployment, load: WebhookLoad): Promise<string[]> {
  const rows = await d.query<{ sid: string; n: number }>(`SELECT twilio_sid AS sid, count(*) AS n FROM $schema.messages WHERE direction = 'inbound' GROUP BY twilio_sid`);
  const stored = new Map(rows.map((r) => [r.sid, Number(r.n)]));
  const faults: string[] = [];
  for (const w of load.deliveries) {
    const n = stored.get(w.sid) ?? 0;
    if (n !== 1) faults.push(`${w.sid} (${w.acked ? 'acknowledged' : 'never acknowledged'}) stored ${n} times`);
  }
  if (rows.length !== load.deliveries.length) faults.push(`${rows.length} inbound rows for ${load.deliveries.length} webhooks`);
  return faults;
}

/** The event ids each agent should have seen since its first connection, from the store's log. */
export async function expectedEvents(d: Deployment, agent: FailoverAgent): Promise<number[]> {
  const rows =
    agent.role === 'supervisor'
      ? await d.query<{ id: string }>('SELECT id FROM $schema.events WHERE id > $1 ORDER BY id', [agent.firstCursor])
      : await d.query<{ id: string }>('SELECT id FROM $schema.events WHERE id > $1 AND agent_id = $2 ORDER BY id', [agent.firstCursor, agent.id]);
  return rows.map((r) => Number(r.id));
}

/** Waits for every agent to have caught up with the log, then returns each one's faults. */
export async function eventFaults(d: Deployment, agents: FailoverAgent[], ms = 20_000): Promise<Record<string, ReturnType<typeof streamFaults>>> {
  const out: Record<string, ReturnType<typeof streamFaults>> = {};
  for (const agent of agents) {
    const expected = await expectedEvents(d, agent);
    const last = expected.at(-1) ?? 0;
    await until(`${agent.id}'s stream to reach event ${last}`, ms, () => (agent.events.at(-1)?.id ?? 0) >= last || expected.length === 0).catch(() => undefined);
    out[agent.id] = streamFaults(agent, expected);
  }
  return out;
}

/**
 * A supervisor (who sees every event) on the first instance, an agent on each of the first
 * two; the agents available. (One supervisor: a second doubles this process's parsing and
 * starves the fake Twilio API it also serves, on a loaded machine.)
 */
export async function startAgents(d: Deployment, targets: () => string[]): Promise<FailoverAgent[]> {
  const agents: FailoverAgent[] = [];
  for (const [id, role, prefer] of [
    ['sup-a', 'supervisor', 0],
    ['agent-a', 'agent', 0],
    ['agent-b', 'agent', 1],
  ] as const) {
    const agent = new FailoverAgent(id, role, targets, prefer);
    await agent.start(d.authSecret);
    agents.push(agent);
  }
  for (const agent of agents.filter((x) => x.role === 'agent')) {
    const res = await api(agent.url!, agent.token, 'PUT', '/me/presence', { presence: 'available' });
    if (res.status !== 200) throw new Error(`presence: ${res.status}`);
  }
  return agents;
}

/**
 * Each reply the relay accepted stored once with its Twilio sid (and nothing stored that no
 * agent wrote), each stored reply sent, and which reached Twilio more than once.
 * Returns what is wrong (empty when all is well) and the replies Twilio took more than once.
 */
export async function replyFaults(d: Deployment, replies: ReplyLoad): Promise<{ faults: string[]; twice: string[] }> {
  const outbound = await d.query<{ body: string; n: number; sent: number }>(
    `SELECT body, count(*) AS n, count(twilio_sid) AS sent FROM $schema.messages WHERE direction = 'outbound' GROUP BY body`,
  );
  const faults: string[] = [];
  const stored = new Set(outbound.map((r) => r.body));
  for (const body of replies.accepted) if (!stored.has(body)) faults.push(`"${body}" was accepted but is not stored`);
  const written = new Set(replies.replies);
  for (const body of stored) if (!written.has(body)) faults.push(`"${body}" stored but never written`);
  for (const r of outbound) if (Number(r.n) !== 1 || Number(r.sent) !== 1) faults.push(`"${r.body}" stored ${r.n} times, ${r.sent} with a Twilio sid`);
  const creates = new Map<string, number>();
  for (const r of await d.createRequests()) {
    const body = r.form.Body?.[0] ?? '';
    if (r.outcome.kind === 'created') creates.set(body, (creates.get(body) ?? 0) + 1);
  }
  for (const body of stored) if (!creates.has(body)) faults.push(`"${body}" stored but never reached Twilio`);
  return { faults, twice: [...creates].filter(([, n]) => n > 1).map(([body]) => body) };
}

/** Steady traffic: webhooks from customers, agents on their streams accepting offers and replying. */
export class Traffic {
  agents: FailoverAgent[] = [];
  webhooks!: WebhookLoad;
  replies!: ReplyLoad;
  startedAt = 0;
  stoppedAt = 0;

  constructor(
    private readonly d: Deployment,
    private readonly targets: () => string[],
  ) {}

  /** Connects the agents, starts the load, and resolves once agents hold conversations. */
  async start(webhooksPerSecond: number, repliesPerSecond: number): Promise<this> {
    this.agents = await startAgents(this.d, this.targets);
    this.webhooks = this.d.webhooks(this.targets);
    this.replies = new ReplyLoad(
      this.agents.filter((x) => x.role === 'agent'),
      this.targets,
    );
    this.startedAt = Date.now();
    this.webhooks.start(webhooksPerSecond);
    this.replies.start(repliesPerSecond);
    await until('agents to hold conversations', 15_000, () => this.replies.conversationsHeld() >= 2);
    return this;
  }

  /** Stops sending; resolves when every webhook and reply under way is through (or given up). */
  async stop(): Promise<void> {
    await Promise.all([this.webhooks?.stop(), this.replies?.stop()]);
    this.stoppedAt ||= Date.now();
  }

  async close(): Promise<void> {
    await this.stop();
    await Promise.all(this.agents.map((agent) => agent.close()));
  }

  /**
   * Once the outbox is empty: every webhook stored exactly once, every event of each
   * agent's log received once, every reply stored once and reaching Twilio once.
   */
  async assertNothingLost(): Promise<void> {
    const { d, webhooks, replies } = this;
    await until('the outbox to empty', 30_000, async () => (await d.query(`SELECT 1 FROM $schema.outbox`)).length === 0);
    assert.deepEqual(webhooks.lost, [], 'no webhook given up');
    assert.deepEqual(await inboundFaults(d, webhooks), [], 'every webhook stored exactly once');
    const faults = await eventFaults(d, this.agents);
    for (const [id, f] of Object.entries(faults)) {
      const clean = f.duplicates.length === 0 && f.missing.length === 0 && f.unexpected.length === 0;
      assert.ok(clean, `${id} received each event once: ${JSON.stringify(f)}\n${clean ? '' : await this.describeStream(id, [...f.missing, ...f.duplicates, ...f.unexpected])}`);
    }
    const sent = await replyFaults(d, replies);
    assert.deepEqual(sent.faults, [], 'every reply stored once and sent');
    const t0 = this.startedAt;
    const detail = sent.twice.slice(0, 3).map((body) => ({
      body,
      creates: [...d.proxies.values()].flatMap((p) => p.creates.filter((c) => c.body === body).map((c) => [c.instance, c.at - t0, c.answeredAt && c.answeredAt - t0])),
    }));
    assert.deepEqual(sent.twice, [], `no reply reached Twilio twice: ${JSON.stringify(detail)}`);
  }

  /** For a failure message: the stream's connections and the events around the faulty ids. */
  private async describeStream(agentId: string, ids: number[]): Promise<string> {
    const agent = this.agents.find((x) => x.id === agentId)!;
    const t0 = this.startedAt;
    const low = Math.min(...ids) - 3;
    const high = Math.max(...ids) + 3;
    const rows = await this.d.query<{ id: number; type: string; agent_id: string | null }>('SELECT id, type, agent_id FROM $schema.events WHERE id >= $1 AND id <= $2 ORDER BY id', [low, high]);
    const last = await this.d.query<{ id: number }>('SELECT max(id) AS id FROM $schema.events');
    return [
      `connections: ${JSON.stringify(agent.connections.map((c) => ({ url: c.url, at: c.at - t0, gapMs: c.gapMs })))}`,
      `received near: ${JSON.stringify(agent.events.filter((e) => e.id >= low && e.id <= high).map((e) => [e.id, e.via, e.type]))}`,
      `log near: ${JSON.stringify(rows.map((r) => [Number(r.id), r.type, r.agent_id]))}`,
      `log max ${Number(last[0]!.id)}, stream max ${agent.events.reduce((max, e) => Math.max(max, e.id), 0)}, stopped at ${this.stoppedAt - t0}`,
    ].join('\n');
  }

  /** The figures every scenario reports. */
  figures(): Record<string, unknown> {
    const gaps = this.agents.flatMap((x) => x.connections.slice(1).map((c) => c.gapMs));
    return {
      relay: RELAY_ARGS.at(-1),
      webhooks: this.webhooks.deliveries.length,
      webhooksPerSecond: Math.round((this.webhooks.deliveries.length * 1000) / ((this.stoppedAt || Date.now()) - this.startedAt)),
      redelivered: this.webhooks.redelivered,
      failedAttempts: Object.fromEntries(this.webhooks.failures),
      agentReconnects: gaps.length,
      agentStreamGapMs: summary(gaps),
      replies: this.replies.accepted.length,
      repliesGivenUp: this.replies.givenUp.length,
      ...(this.replies.givenUp.length ? { givenUpExample: this.replies.givenUp[0] } : {}),
    };
  }
}
