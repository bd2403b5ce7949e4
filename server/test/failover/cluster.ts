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
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { StoredEvent } from '../../src/store/port.ts';
import { isMembersCopyOfQueueCounts } from '../../src/usecases/queue-counts.ts';
import type { CreateRequest } from '../fakes/twilio-api.ts';
import { SERVER_DIR, spawnFakeTwilio, spawnRelay, twilioRelayEnv, until, type Child, type FakeTwilioProcess, type RelayProcess } from '../helpers/processes.ts';
import { TEST_DATABASE_URL, dropSchemas, schemaName, urlForSchema } from '../store/postgres-harness.ts';
import { FailoverAgent, api, streamFaults } from './agents.ts';
import { ReplyLoad } from './replies.ts';
import { summary } from './timing.ts';
import { TwilioProxy, WebhookLoad } from './twilio-side.ts';

export * from './agents.ts';
export * from './replies.ts';
export * from './timing.ts';
export * from './twilio-side.ts';


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
  if (agent.role === 'supervisor') {
    // Every event, but the members' copies of queue counts: a supervisor has its own copy.
    const rows = await d.query<{ id: string; type: string; agent_id: string | null }>('SELECT id, type, agent_id FROM $schema.events WHERE id > $1 ORDER BY id', [agent.firstCursor]);
    return rows.filter((r) => !isMembersCopyOfQueueCounts({ type: r.type as StoredEvent['type'], agentId: r.agent_id })).map((r) => Number(r.id));
  }
  const rows = await d.query<{ id: string }>('SELECT id FROM $schema.events WHERE id > $1 AND agent_id = $2 ORDER BY id', [agent.firstCursor, agent.id]);
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
