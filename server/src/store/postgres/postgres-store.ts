/**
 * The scale-out Store: PostgreSQL through `pg`. Several relay instances share one
 * database, so every method is one atomic unit of work whose effects hold across
 * instances: unique constraints make webhooks and client resends idempotent, conditional
 * UPDATEs and row locks decide races (one offer, one accept), the outbox is claimed with
 * `FOR UPDATE SKIP LOCKED` and paced per sender through locked `sender_slots` rows.
 * Webhooks (recordInbound, applyStatus) arriving together share one transaction — group
 * commit, see grouped(); everything else is a transaction of its own.
 * Semantics match SqliteStore; both pass server/test/store/contract.ts.
 */
import pg from 'pg';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkout, guardPool, type Checkout } from './connection.ts';
import { toApiConversation, toApiMessage, toApiNote } from '../../api-mapping.ts';
import { canTransition } from '@wcp/protocol/states';
import { DomainError, notFound } from '../../domain/errors.ts';
import { newId } from '../../domain/ids.ts';
import { nextStatus } from '@wcp/protocol/status-order';
import type {
  AgentScript,
  ConversationState,
  MessageStatus,
  MessageTemplate,
  Presence,
  QuickReply,
  RecordRef,
  RelayEvents,
  RelayEventType,
} from '@wcp/protocol';
import type {
  AgentRow,
  ConversationRow,
  InboundRecord,
  InboundResult,
  MediaRef,
  MediaRow,
  MessageRow,
  NoteRow,
  OutboundRecord,
  OutboxItem,
  RoutingSnapshot,
  SearchRow,
  SendResultRecord,
  Store,
  StoredEvent,
  Viewer,
} from '../port.ts';
import { audienceOf, toAgent, toConversation, toMedia, toMessage, toNote, toOutboxItem } from '../rows.ts';
import { MAX_CLAIM_PER_SENDER, OUTBOX_LEASE_MS, PACING_LOOKAHEAD_MS, SEND_INTERVAL_MS } from '../shared.ts';
import { HEADLINE_OPTIONS, tsPrefixQuery } from './search.ts';

const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

type Raw = Record<string, unknown>;

const MESSAGE_FIELDS = `seq, id, conversation_id, direction, body, status, error_code, error_message,
  twilio_sid, media, reply_to_sid, reply_to_id, template, agent_id, client_id, sentiment, created_at`;
const MESSAGE_COLUMNS = MESSAGE_FIELDS.replace(/\w+/g, 'm.$&');
const MESSAGE_SELECT = `SELECT ${MESSAGE_COLUMNS}, r.body AS reply_body FROM messages m LEFT JOIN messages r ON r.id = m.reply_to_id`;
const MEDIA_COLUMNS = 'id, conversation_id, content_type, filename, size, source_url, public_token, public_expires_at, agent_id';

/**
 * An inbound webhook in one statement (one round trip). `dup`: the MessageSid is already
 * stored (by us, an earlier unit of this group, or another instance) — nothing is written
 * and the stored message comes back. Otherwise `conv` opens the customer's conversation or
 * joins the open one: the upsert on conversations_one_open is atomic across instances (it
 * waits out a concurrent insert or close, then inserts or updates), and locks the row, which
 * orders one conversation's messages. `last_inbound_at` moves as window/policy.ts
 * reopenWindow says: the newest wins (GREATEST ignores NULL). Two instances storing one
 * MessageSid at once meet on messages_twilio_sid_key; the loser's unit runs again and
 * lands in `dup`.
 *
 * $1 sid, $2 new conversation id, $3 from, $4 profile name, $5 wa id, $6 to, $7 received at,
 * $8 message id, $9 replied-to sid, $10-$12 media ids, content types and URLs, $13 body,
 * $14 media refs, $15 sentiment.
 */
const RECORD_INBOUND = `
WITH dup AS (
  ${MESSAGE_SELECT} WHERE m.twilio_sid = $1::text
), conv AS (
  INSERT INTO conversations (id, state, customer_phone, profile_name, wa_id, business_phone, last_inbound_at, created_at, updated_at)
  SELECT $2::text, 'open', $3::text, $4::text, $5::text, $6::text, $7::bigint, $7::bigint, $7::bigint
  WHERE NOT EXISTS (SELECT 1 FROM dup)
  ON CONFLICT (customer_phone, business_phone) WHERE state <> 'closed' DO UPDATE SET
    last_inbound_at = GREATEST(conversations.last_inbound_at, excluded.last_inbound_at),
    profile_name = COALESCE(excluded.profile_name, conversations.profile_name),
    wa_id = COALESCE(excluded.wa_id, conversations.wa_id),
    updated_at = excluded.updated_at
  RETURNING *
), reply AS (
  SELECT id, body FROM messages WHERE twilio_sid = $9::text
), media_rows AS (
  INSERT INTO media (id, conversation_id, content_type, source_url, created_at)
  SELECT u.id, conv.id, u.content_type, u.url, $7::bigint FROM conv, unnest($10::text[], $11::text[], $12::text[]) AS u (id, content_type, url)
), msg AS (
  INSERT INTO messages (id, conversation_id, direction, body, status, twilio_sid, media, reply_to_sid, reply_to_id, sentiment, created_at)
  SELECT $8::text, conv.id, 'inbound', $13::text, 'received', $1::text, $14::jsonb, $9::text, (SELECT id FROM reply), $15::jsonb, $7::bigint FROM conv
  RETURNING ${MESSAGE_FIELDS}
)
SELECT (SELECT to_jsonb(dup) FROM dup) AS dup_message,
  (SELECT to_jsonb(c) FROM conversations c WHERE c.id = (SELECT conversation_id FROM dup)) AS dup_conversation,
  (SELECT to_jsonb(conv) FROM conv) AS conversation,
  (SELECT to_jsonb(msg) || jsonb_build_object('reply_body', (SELECT body FROM reply)) FROM msg) AS message`;

/** Unique constraints that mean "someone else just did this": the retried transaction finds their row. */
const IDEMPOTENCY_CONSTRAINTS = new Set(['messages_twilio_sid_key', 'conversations_one_open', 'messages_client']);
/** serialization_failure, deadlock_detected: safe to run the whole transaction again. */
const RETRYABLE_CODES = new Set(['40001', '40P01']);
const MAX_ATTEMPTS = 5;

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,47}$/;

export interface PostgresStoreOptions {
  connectionString: string;
  /** Schema holding the tables (created on migrate); default: the server's search_path. */
  schema?: string;
  /** Pool size per instance. */
  max?: number;
}

/** bigint (int8) columns are epoch-ms timestamps, ids and counts: all well inside 2^53. */
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === pg.types.builtins.INT8 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text')) as pg.CustomTypesConfig['getTypeParser'],
};

/** Schema names go into SQL and channel names unquoted: keep them plain. */
export function assertSchemaName(schema: string): void {
  if (!SCHEMA_NAME.test(schema)) throw new Error(`Schema name "${schema}" must be lower-case letters, digits and _ (at most 48).`);
}

/** Splits `?schema=` off a postgres:// URL: `pg` would not understand it. */
export function parseDatabaseUrl(url: string): { connectionString: string; schema: string | undefined } {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema') ?? undefined;
  parsed.searchParams.delete('schema');
  return { connectionString: parsed.toString(), schema };
}

interface PendingEvent {
  type: RelayEventType;
  agentId: string | null;
  data: unknown;
}

/** One transaction on one pooled connection. Events are buffered and written at commit. */
class Tx {
  private pending: PendingEvent[] = [];

  constructor(
    private readonly client: pg.PoolClient,
    private readonly eventsLockKey: string,
  ) {}

  async all<T = Raw>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.client.query(sql, params)).rows as T[];
  }

  async one<T = Raw>(sql: string, params: unknown[] = []): Promise<T | undefined> {
    return (await this.client.query(sql, params)).rows[0] as T | undefined;
  }

  async run(sql: string, params: unknown[] = []): Promise<number> {
    return (await this.client.query(sql, params)).rowCount ?? 0;
  }

  /**
   * A hot-path statement, prepared once per pooled connection under `name` (one name per
   * SQL text): later calls skip parsing and planning.
   */
  async prepared<T = Raw>(name: string, sql: string, params: unknown[]): Promise<T | undefined> {
    return (await this.client.query({ name, text: sql, values: params })).rows[0] as T | undefined;
  }

  /** Serializes this transaction with others naming the same key, until commit. */
  async lock(key: string): Promise<void> {
    await this.client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [key]);
  }

  emit<K extends RelayEventType>(type: K, agentId: string | null, data: RelayEvents[K]): void {
    this.pending.push({ type, agentId, data });
  }

  /** How many events are buffered: a group-commit unit rolled back to its savepoint drops what it emitted. */
  mark(): number {
    return this.pending.length;
  }

  dropEventsAfter(mark: number): void {
    this.pending.length = mark;
  }

  /**
   * Writes the buffered events, just before commit. Identity values are handed out when
   * a row is inserted, not when it commits, so without care a reader could see id 8
   * committed, move its cursor past it, and never see id 7 that committed a moment later.
   * A transaction-scoped advisory lock taken here, held until commit, lets one
   * transaction at a time allocate event ids: ids become visible in commit order. It is
   * taken last and only around this one INSERT, so it serializes little — and it cannot
   * deadlock, because nothing waits on another lock while holding it. The lock is taken
   * by the same statement: every row the INSERT numbers comes out of the join with the
   * materialized lock, so the lock is held before the first id is drawn.
   */
  async flushEvents(): Promise<number[]> {
    if (this.pending.length === 0) return [];
    const events = this.pending;
    this.pending = [];
    const rows = await this.all<{ id: number }>(`${lockedEventInsert('$4', '$1::text[]', '$2::text[]', '$3::json[]')} RETURNING id`, [
      events.map((e) => e.type),
      events.map((e) => e.agentId),
      events.map((e) => JSON.stringify(e.data)),
      this.eventsLockKey,
    ]);
    return rows.map((r) => r.id).sort((a, b) => a - b);
  }

  /**
   * Writes the buffered events (as flushEvents) and commits, in one round trip: the
   * event-id lock is then held only while PostgreSQL inserts and commits, never while a
   * busy relay's event loop gets round to sending COMMIT — with several instances, that
   * wait was where transactions queued for the lock. A multi-statement simple query takes
   * no parameters, so the values go in as literals quoted by pg's escapeLiteral; if the
   * INSERT fails, the COMMIT after it is not run and the query fails.
   */
  async commit(): Promise<void> {
    if (this.pending.length === 0) {
      await this.client.query('COMMIT');
      return;
    }
    const events = this.pending;
    this.pending = [];
    const literal = (v: string | null) => (v === null ? 'NULL' : this.client.escapeLiteral(v));
    const array = (values: (string | null)[], type: string) => `ARRAY[${values.map(literal).join(', ')}]::${type}[]`;
    const insert = lockedEventInsert(
      literal(this.eventsLockKey),
      array(events.map((e) => e.type), 'text'),
      array(events.map((e) => e.agentId), 'text'),
      array(events.map((e) => JSON.stringify(e.data)), 'json'),
    );
    await this.client.query(`${insert};\nCOMMIT`);
  }
}

/**
 * The one statement that appends events, given SQL for its inputs (parameters, or quoted
 * literals when it shares a round trip with COMMIT): it takes the event-id lock before the
 * first id is drawn (see Tx.flushEvents), and numbers the events in the order given.
 */
function lockedEventInsert(lockKey: string, types: string, agentIds: string, data: string): string {
  return `WITH lock AS MATERIALIZED (SELECT pg_advisory_xact_lock(hashtextextended(${lockKey}, 0)))
INSERT INTO events (type, agent_id, data)
SELECT e.type, e.agent_id, e.data FROM lock, unnest(${types}, ${agentIds}, ${data}) WITH ORDINALITY AS e (type, agent_id, data, n)
ORDER BY e.n`;
}

/** A webhook's unit of work waiting for the next group commit. */
interface GroupUnit {
  /** Lock order inside a group (see commitGroup). */
  key: string;
  /** The unit is one statement, so it can be sent without waiting for the unit before it. */
  oneStatement: boolean;
  run: (t: Tx) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  /** Groups this unit was moved out of after losing a deadlock to another transaction. */
  deferrals: number;
}

/** What became of a group: `failed` callers are refused, `deferred` units go into the next group. */
interface GroupOutcome {
  done: { unit: GroupUnit; value: unknown }[];
  failed: { unit: GroupUnit; error: unknown }[];
  deferred: GroupUnit[];
  /** Set when the connection must not go back to the pool. */
  broken?: Error;
}

/**
 * Units per group commit. Only the careful re-run of a group uses savepoints; past 64
 * writing ones a transaction overflows PostgreSQL's subtransaction cache, which slows
 * other sessions' visibility checks a little until it ends — rare enough to accept.
 */
const MAX_GROUP = 256;
/** Groups committing at once per instance: the next one does its work while the previous waits for its commit. */
const MAX_GROUPS_IN_FLIGHT = 2;

export class PostgresStore implements Store {
  readonly kind = 'postgres' as const;
  private readonly pool: pg.Pool;
  private readonly groupPool: pg.Pool;
  private readonly schema: string | undefined;
  private closed = false;
  private queue: GroupUnit[] = [];
  private groupsInFlight = 0;
  private groupScheduled = false;
  private drained: (() => void)[] = [];

  constructor(options: PostgresStoreOptions) {
    if (options.schema !== undefined) assertSchemaName(options.schema);
    this.schema = options.schema;
    const config: pg.PoolConfig = {
      connectionString: options.connectionString,
      max: options.max ?? 10,
      application_name: 'wcp-relay',
      connectionTimeoutMillis: 10_000,
      types,
      // Every pooled connection works in the schema, from its first statement.
      ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
    };
    this.pool = guardPool(new pg.Pool(config), 'store');
    // Group commits have connections of their own, in pipeline mode: a query is sent at
    // once instead of after the previous one's answer, so a group's inbound statements
    // go out together (see runGroup). Awaited one by one, queries behave as anywhere else.
    // A connection dropped by the server must not crash the process (see connection.ts).
    this.groupPool = guardPool(new pg.Pool({ ...config, max: MAX_GROUPS_IN_FLIGHT, pipeline: true }), 'store-group');
  }

  /** `postgres://user@host:5432/db` (optionally `?schema=name`); `schema` in options wins. */
  static fromUrl(url: string, options: { schema?: string; max?: number } = {}): PostgresStore {
    const parsed = parseDatabaseUrl(url);
    const schema = options.schema ?? parsed.schema;
    return new PostgresStore({ connectionString: parsed.connectionString, max: options.max, ...(schema ? { schema } : {}) });
  }

  /** Advisory lock keys are database-wide: name them by schema so deployments sharing a database do not contend. */
  private lockKey(what: string): string {
    return `wcp:${this.schema ?? 'default'}:${what}`;
  }

  private async tx<T>(fn: (t: Tx) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const out = await checkout(this.pool, 'store');
      const client = out.client;
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
        const t = new Tx(client, this.lockKey('events'));
        const result = await fn(t);
        await t.commit();
        return result;
      } catch (error) {
        try {
          await client.query('ROLLBACK');
        } catch (rollbackError) {
          broken = rollbackError as Error;
        }
        if (attempt < MAX_ATTEMPTS && isRetryable(error)) continue;
        throw error;
      } finally {
        out.release(broken);
      }
    }
  }

  /**
   * Group commit for the webhook hot path, as in SqliteStore: units of work queued in the
   * same turn of the event loop (and while earlier groups commit) share one transaction on
   * one connection — one commit, one WAL flush, one hold of the event-id lock — and a
   * failing unit rolls back alone (to its savepoint) and only its caller is refused.
   * Every caller is answered only after the shared COMMIT returned: "written durably, then
   * acknowledged" still holds, and if the COMMIT fails every caller in the group is
   * refused (Twilio retries; the MessageSid dedupes).
   */
  private grouped<T>(key: string, oneStatement: boolean, run: (t: Tx) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.closed) {
        reject(new Error('The store is closed.'));
        return;
      }
      this.queue.push({ key, oneStatement, run, resolve: resolve as (value: unknown) => void, reject, deferrals: 0 });
      this.scheduleGroup();
    });
  }

  private scheduleGroup(): void {
    if (this.groupScheduled || this.queue.length === 0 || this.groupsInFlight >= MAX_GROUPS_IN_FLIGHT) return;
    this.groupScheduled = true;
    setImmediate(() => {
      this.groupScheduled = false;
      while (this.queue.length && this.groupsInFlight < MAX_GROUPS_IN_FLIGHT) {
        const units = this.queue.splice(0, MAX_GROUP);
        this.groupsInFlight++;
        void this.commitGroup(units).finally(() => {
          this.groupsInFlight--;
          this.scheduleGroup();
          if (this.queue.length === 0 && this.groupsInFlight === 0) for (const done of this.drained.splice(0)) done();
        });
      }
    });
  }

  /**
   * Runs one group on one connection of the group pool. Units take their row locks in one
   * global order — inbound messages by business and customer number, then status
   * callbacks by MessageSid — so two groups (on this instance or another) never wait on
   * each other in a cycle; the event-id lock is taken last by every transaction.
   *
   * A group of several first runs optimistically (runFast): no savepoints, and the
   * one-statement units sent together. Almost every unit succeeds; if one fails, that
   * attempt is rolled back whole — nothing of it was committed or answered — and the group
   * runs again unit by unit, each in its own savepoint (runCareful), where a failing unit
   * rolls back alone and only its caller is refused.
   */
  private async commitGroup(units: GroupUnit[]): Promise<void> {
    units.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    let out: Checkout;
    try {
      out = await checkout(this.groupPool, 'store-group');
    } catch (error) {
      for (const unit of units) unit.reject(error);
      return;
    }
    let outcome: GroupOutcome | undefined;
    try {
      // A group of one gets its savepoint free, in the same round trip as BEGIN.
      const fast = units.length > 1 ? await this.runFast(out.client, units) : 'run carefully';
      outcome = fast === 'run carefully' ? await this.runCareful(out.client, units) : fast;
    } finally {
      out.release(outcome?.broken);
    }
    for (const { unit, value } of outcome.done) unit.resolve(value);
    for (const { unit, error } of outcome.failed) unit.reject(error);
    if (outcome.deferred.length) {
      for (const unit of outcome.deferred) unit.deferrals++;
      this.queue.unshift(...outcome.deferred);
    }
  }

  /**
   * The optimistic attempt: BEGIN, then every unit without a savepoint. Consecutive
   * one-statement units (inbound messages) are sent without waiting for each other's
   * answers — the connection is in pipeline mode — so a group of them costs three round
   * trips (BEGIN, the statements, events + COMMIT) however many there are; PostgreSQL
   * still runs them one after another, in the order sent. Units of several statements
   * (status callbacks) run one at a time after them. 'run carefully' when a unit failed
   * (the attempt is rolled back).
   */
  private async runFast(client: pg.PoolClient, units: GroupUnit[]): Promise<GroupOutcome | 'run carefully'> {
    const t = new Tx(client, this.lockKey('events'));
    const values: unknown[] = new Array(units.length);
    let unitFailed = false;
    try {
      await client.query('BEGIN');
      let sent: Promise<void>[] = [];
      for (const [i, unit] of units.entries()) {
        if (!unit.oneStatement && sent.length) {
          await Promise.all(sent);
          sent = [];
        }
        if (unitFailed) break;
        const running = unit.run(t).then(
          (value) => {
            values[i] = value;
          },
          () => {
            unitFailed = true;
          },
        );
        if (unit.oneStatement) sent.push(running);
        else await running;
      }
      await Promise.all(sent);
      if (unitFailed) {
        await client.query('ROLLBACK');
        return 'run carefully';
      }
      await t.commit();
      return { done: units.map((unit, i) => ({ unit, value: values[i] })), failed: [], deferred: [] };
    } catch (error) {
      return this.abandon(client, units, [], error);
    }
  }

  /**
   * The careful attempt: each unit in its own savepoint, one after another. A failed unit
   * is rolled back to it and run again if another transaction committed the row it was
   * about to write, else refused alone. Should a deadlock pick this transaction (another
   * kind of transaction can lock in another order), the units before the loser commit and
   * it and the rest go to the next group.
   */
  private async runCareful(client: pg.PoolClient, units: GroupUnit[]): Promise<GroupOutcome> {
    const t = new Tx(client, this.lockKey('events'));
    const done: GroupOutcome['done'] = [];
    const failed: GroupOutcome['failed'] = [];
    let deferred: GroupUnit[] = [];
    try {
      // One round trip per unit for its savepoint: release the previous unit's and set its own.
      let before = 'BEGIN; SAVEPOINT unit';
      for (let i = 0; i < units.length && deferred.length === 0; i++) {
        const unit = units[i]!;
        if (before) await client.query(before);
        before = 'RELEASE SAVEPOINT unit; SAVEPOINT unit';
        for (let attempt = 1; ; attempt++) {
          const mark = t.mark();
          try {
            done.push({ unit, value: await unit.run(t) });
            break;
          } catch (error) {
            t.dropEventsAfter(mark);
            // The savepoint stays set: the unit can run again, or the next one can use it.
            await client.query('ROLLBACK TO SAVEPOINT unit');
            before = '';
            if (lostToAnotherTransaction(error) && unit.deferrals < MAX_ATTEMPTS - 1) {
              deferred = units.slice(i);
              break;
            }
            // Someone else committed the row this unit was about to write: run it again to find it.
            if (attempt < MAX_ATTEMPTS && isRetryable(error)) continue;
            failed.push({ unit, error });
            break;
          }
        }
      }
      await t.commit();
      return { done, failed, deferred };
    } catch (error) {
      return this.abandon(client, units, failed, error);
    }
  }

  /** BEGIN, a savepoint, the event write or the COMMIT failed: nothing of the group holds, and every caller is refused. */
  private async abandon(client: pg.PoolClient, units: GroupUnit[], failed: GroupOutcome['failed'], error: unknown): Promise<GroupOutcome> {
    let broken: Error | undefined;
    try {
      await client.query('ROLLBACK');
    } catch (rollbackError) {
      broken = rollbackError as Error;
    }
    const own = new Map(failed.map((f) => [f.unit, f.error]));
    return {
      done: [],
      failed: units.map((unit) => ({ unit, error: own.has(unit) ? own.get(unit) : error })),
      deferred: [],
      // A connection that cannot take a ROLLBACK is destroyed rather than handed on.
      ...(broken ? { broken } : {}),
    };
  }

  private async all<T = Raw>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.pool.query(sql, params)).rows as T[];
  }

  private async one<T = Raw>(sql: string, params: unknown[] = []): Promise<T | undefined> {
    return (await this.pool.query(sql, params)).rows[0] as T | undefined;
  }

  /**
   * Applies numbered migrations once. Instances starting together queue on a session
   * advisory lock (database-wide: `CREATE EXTENSION` is too), and each migration commits
   * with its schema_migrations row. Unlike SQLite, in-flight outbox leases are left
   * alone: other instances may be alive and sending.
   */
  async migrate(): Promise<void> {
    const out = await checkout(this.pool, 'store-migrate');
    const client = out.client;
    let broken: Error | undefined;
    try {
      await client.query(`SELECT pg_advisory_lock(hashtextextended('wcp:migrations', 0))`);
      try {
        if (this.schema) {
          // An administrator may have created it for a user without CREATE on the database.
          const exists = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [this.schema]);
          if (exists.rowCount === 0) await client.query(`CREATE SCHEMA ${this.schema}`);
          await client.query(`SET search_path TO ${this.schema}`);
        }
        await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
        const applied = new Set((await client.query<{ version: string }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version));
        for (const file of readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.sql')).sort()) {
          if (applied.has(file)) continue;
          const sql = readFileSync(join(MIGRATIONS_DIR, file), 'utf8');
          await client.query('BEGIN');
          try {
            await client.query(sql);
            await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [file]);
            await client.query('COMMIT');
          } catch (error) {
            await client.query('ROLLBACK');
            throw error;
          }
        }
      } finally {
        await client.query(`SELECT pg_advisory_unlock(hashtextextended('wcp:migrations', 0))`);
      }
    } catch (error) {
      broken = error as Error;
      throw error;
    } finally {
      // A failed migration may leave session state behind: do not hand the connection on.
      out.release(broken);
    }
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  async metricGauges(): Promise<{ outboxDepth: number; conversations: Array<{ state: string; count: number }> }> {
    const [depth, conversations] = await Promise.all([
      this.one<{ n: string }>('SELECT COUNT(*) AS n FROM outbox'),
      this.all<{ state: string; count: string }>('SELECT state, COUNT(*) AS count FROM conversations GROUP BY state'),
    ]);
    return { outboxDepth: Number(depth?.n ?? 0), conversations: conversations.map((c) => ({ state: c.state, count: Number(c.count) })) };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Webhooks already queued are written (and answered) before the pool goes.
    if (this.queue.length || this.groupsInFlight) await new Promise<void>((resolve) => this.drained.push(resolve));
    await Promise.all([this.pool.end(), this.groupPool.end()]);
  }

  // ---------------------------------------------------------------- events

  private emitConversation(t: Tx, c: ConversationRow): void {
    t.emit('state', audienceOf(c), { conversationId: c.id, conversation: toApiConversation(c) });
  }

  async appendEvent<K extends RelayEventType>(type: K, agentId: string | null, data: RelayEvents[K]): Promise<number> {
    return this.tx(async (t) => {
      t.emit(type, agentId, data);
      const [id] = await t.flushEvents();
      return id!;
    });
  }

  async readEvents(viewer: Viewer, afterId: number, limit: number): Promise<StoredEvent[]> {
    const rows = viewer.supervisor
      ? await this.all('SELECT * FROM events WHERE id > $1 ORDER BY id LIMIT $2', [afterId, limit])
      : await this.all('SELECT * FROM events WHERE id > $1 AND agent_id = $2 ORDER BY id LIMIT $3', [afterId, viewer.agentId, limit]);
    return rows.map((r) => ({
      id: Number(r.id),
      type: r.type as RelayEventType,
      agentId: (r.agent_id as string | null) ?? null,
      data: r.data as StoredEvent['data'],
    }));
  }

  async latestEventId(): Promise<number> {
    return Number((await this.one<{ id: number | null }>('SELECT MAX(id) AS id FROM events'))?.id ?? 0);
  }

  // ---------------------------------------------------------------- agents

  async upsertAgent(agent: { id: string; name: string; role: AgentRow['role'] }, capacity: number, now: number): Promise<AgentRow> {
    return this.tx(async (t) => {
      const r = await t.one(
        `INSERT INTO agents (id, name, role, presence, capacity, updated_at) VALUES ($1, $2, $3, 'offline', $4, $5)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, role = excluded.role RETURNING *`,
        [agent.id, agent.name, agent.role, capacity, now],
      );
      return toAgent(r!);
    });
  }

  async getAgent(id: string): Promise<AgentRow | null> {
    const r = await this.one('SELECT * FROM agents WHERE id = $1', [id]);
    return r ? toAgent(r) : null;
  }

  async setPresence(agentId: string, presence: Presence, now: number): Promise<AgentRow> {
    return this.tx(async (t) => {
      const r = await t.one('UPDATE agents SET presence = $1, updated_at = $2 WHERE id = $3 RETURNING *', [presence, now, agentId]);
      if (!r) throw notFound('Agent');
      t.emit('presence', agentId, { agentId, presence });
      return toAgent(r);
    });
  }

  // ---------------------------------------------------------------- inbound

  async recordInbound(inbound: InboundRecord): Promise<InboundResult> {
    const conversationId = newId('cv');
    const messageId = newId('msg');
    const media: MediaRef[] = inbound.media.map((m) => ({ id: newId('med'), contentType: m.contentType, filename: null, size: null }));
    return this.grouped(`i\u0000${inbound.to}\u0000${inbound.from}`, true, async (t) => {
      const r = await t.prepared<{ dup_message: Raw | null; dup_conversation: Raw | null; conversation: Raw | null; message: Raw | null }>(
        'wcp_record_inbound',
        RECORD_INBOUND,
        [
          inbound.messageSid,
          conversationId,
          inbound.from,
          inbound.profileName,
          inbound.waId,
          inbound.to,
          inbound.receivedAt,
          messageId,
          inbound.originalRepliedMessageSid,
          media.map((m) => m.id),
          inbound.media.map((m) => m.contentType),
          inbound.media.map((m) => m.url),
          inbound.body,
          JSON.stringify(media),
          JSON.stringify(inbound.sentiment),
        ],
      );
      if (r?.dup_message) {
        return { duplicate: true, conversation: toConversation(r.dup_conversation!), message: toMessage(r.dup_message), opened: false };
      }
      const conversation = toConversation(r!.conversation!);
      const message = toMessage(r!.message!);
      const audience = audienceOf(conversation);
      t.emit('message', audience, { conversationId: conversation.id, message: toApiMessage(message) });
      t.emit('window', audience, { conversationId: conversation.id, windowExpiresAt: toApiConversation(conversation).windowExpiresAt });
      return { duplicate: false, conversation, message, opened: conversation.id === conversationId };
    });
  }

  async applyStatus(update: {
    messageSid: string;
    messageId: string | null;
    status: MessageStatus;
    errorCode: number | null;
    errorMessage: string | null;
    now: number;
  }): Promise<{ applied: boolean; parked: boolean }> {
    return this.grouped(`s\u0000${update.messageSid}`, false, async (t) => {
      // Serialize with recordSendResult for this sid, so a callback is either parked
      // before the send result reads the parked rows, or finds the sid after it.
      await t.lock(this.lockKey(`sid:${update.messageSid}`));
      let raw = await t.one(`${MESSAGE_SELECT} WHERE m.twilio_sid = $1 FOR UPDATE OF m`, [update.messageSid]);
      if (!raw && update.messageId) {
        // The callback names our message: Twilio has it even though the send result was
        // never recorded (the process stopped mid-send). Adopt the sid; do not resend.
        const mine = await t.one(`${MESSAGE_SELECT} WHERE m.id = $1 AND m.direction = 'outbound' FOR UPDATE OF m`, [update.messageId]);
        if (mine && mine.twilio_sid === null) {
          await t.run('UPDATE messages SET twilio_sid = $1 WHERE id = $2', [update.messageSid, update.messageId]);
          await t.run('DELETE FROM outbox WHERE message_id = $1', [update.messageId]);
          raw = await t.one(`${MESSAGE_SELECT} WHERE m.id = $1`, [update.messageId]);
        }
      }
      if (!raw) {
        await t.run(
          `INSERT INTO parked_statuses (message_sid, status, error_code, error_message, received_at) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT DO NOTHING`,
          [update.messageSid, update.status, update.errorCode, update.errorMessage, update.now],
        );
        return { applied: false, parked: true };
      }
      return { applied: await this.advanceStatus(t, toMessage(raw), update.status, update.errorCode, update.errorMessage), parked: false };
    });
  }

  /** Moves a message's status forward only; emits a status event when it moved. The caller holds the message row lock. */
  private async advanceStatus(t: Tx, message: MessageRow, incoming: MessageStatus, errorCode: number | null, errorMessage: string | null): Promise<boolean> {
    const status = nextStatus(message.status, incoming);
    if (status === message.status) return false;
    const failed = status === 'failed' || status === 'undelivered';
    const code = failed ? errorCode : message.errorCode;
    const text = failed ? errorMessage : message.errorMessage;
    await t.run('UPDATE messages SET status = $1, error_code = $2, error_message = $3 WHERE id = $4', [status, code, text, message.id]);
    const conversation = toConversation((await t.one('SELECT * FROM conversations WHERE id = $1', [message.conversationId]))!);
    t.emit('status', audienceOf(conversation), { conversationId: conversation.id, messageId: message.id, status, errorCode: code, errorMessage: text });
    return true;
  }

  // ---------------------------------------------------------------- conversations

  async getConversation(id: string): Promise<ConversationRow | null> {
    const r = await this.one('SELECT * FROM conversations WHERE id = $1', [id]);
    return r ? toConversation(r) : null;
  }

  async listConversations(viewer: Viewer, state: ConversationState | null, now: number): Promise<ConversationRow[]> {
    const clauses: string[] = [];
    const params: unknown[] = [];
    if (!viewer.supervisor) {
      params.push(viewer.agentId, now);
      clauses.push(`(assigned_agent_id = $${params.length - 1} OR (offer_agent_id = $${params.length - 1} AND offer_expires_at > $${params.length}))`);
    }
    if (state) {
      params.push(state);
      clauses.push(`state = $${params.length}`);
    }
    const where = clauses.length ? `WHERE ${clauses.join(' AND ')}` : '';
    return (await this.all(`SELECT * FROM conversations ${where} ORDER BY updated_at DESC LIMIT 500`, params)).map(toConversation);
  }

  async listCustomerConversations(viewer: Viewer, customerPhone: string): Promise<ConversationRow[]> {
    // An agent may see a customer's history once they handle that customer.
    const handles =
      viewer.supervisor ||
      (await this.one('SELECT 1 FROM conversations WHERE customer_phone = $1 AND (assigned_agent_id = $2 OR offer_agent_id = $2) LIMIT 1', [
        customerPhone,
        viewer.agentId,
      ]));
    if (!handles) return [];
    return (await this.all('SELECT * FROM conversations WHERE customer_phone = $1 ORDER BY created_at DESC LIMIT 50', [customerPhone])).map(toConversation);
  }

  async listUnoffered(now: number, limit: number): Promise<ConversationRow[]> {
    return (
      await this.all(
        `SELECT * FROM conversations WHERE state = 'open' AND (offer_agent_id IS NULL OR offer_expires_at <= $1) ORDER BY created_at LIMIT $2`,
        [now, limit],
      )
    ).map(toConversation);
  }

  async routingSnapshot(now: number): Promise<RoutingSnapshot> {
    const agents = await this.all(
      `SELECT a.*,
        (SELECT COUNT(*) FROM conversations c WHERE c.assigned_agent_id = a.id AND c.state IN ('active', 'waiting', 'wrapup'))
        + (SELECT COUNT(*) FROM conversations c WHERE c.offer_agent_id = a.id AND c.state = 'open' AND c.offer_expires_at > $1) AS load
       FROM agents a WHERE a.presence IN ('available', 'busy')`,
      [now],
    );
    return { agents: agents.map((r) => ({ ...toAgent(r), load: Number(r.load) })) };
  }

  async declinedBy(conversationId: string, since: number): Promise<Set<string>> {
    const rows = await this.all<{ agent_id: string }>('SELECT agent_id FROM offer_declines WHERE conversation_id = $1 AND declined_at >= $2', [
      conversationId,
      since,
    ]);
    return new Set(rows.map((r) => r.agent_id));
  }

  async createOffer(conversationId: string, agentId: string, expiresAt: number, now: number): Promise<boolean> {
    return this.tx(async (t) => {
      // Conditional UPDATE: of two instances offering at once, the second re-checks the
      // row after the first commits and matches nothing.
      const raw = await t.one(
        `UPDATE conversations SET offer_agent_id = $1, offer_expires_at = $2, updated_at = $3
         WHERE id = $4 AND state = 'open' AND (offer_agent_id IS NULL OR offer_expires_at <= $3) RETURNING *`,
        [agentId, expiresAt, now, conversationId],
      );
      if (!raw) return false;
      await t.run('UPDATE agents SET last_offered_at = $1 WHERE id = $2', [now, agentId]);
      const conversation = toConversation(raw);
      const first = await t.one(`${MESSAGE_SELECT} WHERE m.conversation_id = $1 AND m.direction = 'inbound' ORDER BY m.seq DESC LIMIT 1`, [conversationId]);
      t.emit('offer', agentId, {
        conversationId,
        conversation: toApiConversation(conversation),
        firstMessage: first ? toApiMessage(toMessage(first)) : null,
      });
      return true;
    });
  }

  async expireOffers(now: number): Promise<string[]> {
    return this.tx(async (t) => {
      // FOR UPDATE re-checks each row after a concurrent accept or expiry commits, so an
      // offer is withdrawn once, by one instance.
      const expired = (
        await t.all(`SELECT * FROM conversations WHERE state = 'open' AND offer_agent_id IS NOT NULL AND offer_expires_at <= $1 ORDER BY created_at FOR UPDATE`, [now])
      ).map(toConversation);
      for (const c of expired) {
        await t.run(
          `INSERT INTO offer_declines (conversation_id, agent_id, declined_at) VALUES ($1, $2, $3)
           ON CONFLICT (conversation_id, agent_id) DO UPDATE SET declined_at = excluded.declined_at`,
          [c.id, c.offerAgentId, now],
        );
        await t.run('UPDATE conversations SET offer_agent_id = NULL, offer_expires_at = NULL, updated_at = $1 WHERE id = $2', [now, c.id]);
        t.emit('offer_withdrawn', c.offerAgentId, { conversationId: c.id, reason: 'expired' });
      }
      return expired.map((c) => c.id);
    });
  }

  async acceptOffer(conversationId: string, agentId: string, now: number): Promise<ConversationRow> {
    return this.tx(async (t) => {
      // Conditional UPDATE: an offer is accepted once, by the agent it is offered to.
      const raw = await t.one(
        `UPDATE conversations SET state = 'active', assigned_agent_id = $1, offer_agent_id = NULL, offer_expires_at = NULL, updated_at = $2
         WHERE id = $3 AND state = 'open' AND offer_agent_id = $1 AND (offer_expires_at IS NULL OR offer_expires_at > $2) RETURNING *`,
        [agentId, now, conversationId],
      );
      if (!raw) {
        const c = await this.requireConversation(t, conversationId);
        if (c.offerAgentId !== agentId || c.state !== 'open') {
          if (c.assignedAgentId === agentId && c.state !== 'open') return c; // accepting twice is harmless
          throw new DomainError('offer_not_yours', 'This conversation is not offered to you.');
        }
        throw new DomainError('offer_expired', 'The offer has expired and passed to another agent.');
      }
      const updated = toConversation(raw);
      t.emit('offer_withdrawn', agentId, { conversationId, reason: 'accepted' });
      this.emitConversation(t, updated);
      return updated;
    });
  }

  async rejectOffer(conversationId: string, agentId: string, now: number): Promise<void> {
    return this.tx(async (t) => {
      const changed = await t.run(
        `UPDATE conversations SET offer_agent_id = NULL, offer_expires_at = NULL, updated_at = $1
         WHERE id = $2 AND state = 'open' AND offer_agent_id = $3`,
        [now, conversationId, agentId],
      );
      if (changed === 0) {
        await this.requireConversation(t, conversationId);
        throw new DomainError('offer_not_yours', 'This conversation is not offered to you.');
      }
      await t.run(
        `INSERT INTO offer_declines (conversation_id, agent_id, declined_at) VALUES ($1, $2, $3)
         ON CONFLICT (conversation_id, agent_id) DO UPDATE SET declined_at = excluded.declined_at`,
        [conversationId, agentId, now],
      );
      t.emit('offer_withdrawn', agentId, { conversationId, reason: 'rejected' });
    });
  }

  async changeState(conversationId: string, viewer: Viewer, state: ConversationState, now: number): Promise<ConversationRow> {
    return this.tx(async (t) => {
      const c = await this.requireVisible(t, conversationId, viewer);
      if (c.state === state) return c;
      if (!canTransition(c.state, state)) {
        throw new DomainError('invalid_transition', `A conversation cannot move from ${c.state} to ${state}.`);
      }
      const updated = toConversation((await t.one('UPDATE conversations SET state = $1, updated_at = $2 WHERE id = $3 RETURNING *', [state, now, conversationId]))!);
      this.emitConversation(t, updated);
      return updated;
    });
  }

  async setLinkedRecord(conversationId: string, viewer: Viewer, record: RecordRef | null, now: number): Promise<ConversationRow> {
    return this.tx(async (t) => {
      await this.requireVisible(t, conversationId, viewer);
      const updated = toConversation(
        (await t.one('UPDATE conversations SET linked_record = $1, updated_at = $2 WHERE id = $3 RETURNING *', [
          record ? JSON.stringify(record) : null,
          now,
          conversationId,
        ]))!,
      );
      this.emitConversation(t, updated);
      return updated;
    });
  }

  private async requireConversation(t: Tx, id: string, lock = false): Promise<ConversationRow> {
    const r = await t.one(`SELECT * FROM conversations WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
    if (!r) throw notFound('Conversation');
    return toConversation(r);
  }

  /** Locks the conversation: a state change decided on a stale read would skip the transition check. */
  private async requireVisible(t: Tx, id: string, viewer: Viewer): Promise<ConversationRow> {
    const c = await this.requireConversation(t, id, true);
    if (!viewer.supervisor && c.assignedAgentId !== viewer.agentId) throw notFound('Conversation');
    return c;
  }

  // ---------------------------------------------------------------- messages

  async listMessages(conversationId: string, before: string | null, limit: number): Promise<{ items: MessageRow[]; next: string | null }> {
    const beforeSeq = before === null ? Number.MAX_SAFE_INTEGER : Number(before);
    if (!Number.isSafeInteger(beforeSeq)) throw new DomainError('invalid_request', 'The cursor is not valid.');
    const rows = await this.all(`${MESSAGE_SELECT} WHERE m.conversation_id = $1 AND m.seq < $2 ORDER BY m.seq DESC LIMIT $3`, [
      conversationId,
      beforeSeq,
      limit + 1,
    ]);
    const more = rows.length > limit;
    const page = rows.slice(0, limit).reverse();
    return { items: page.map(toMessage), next: more && page[0] ? String(page[0].seq) : null };
  }

  async getMessage(id: string): Promise<MessageRow | null> {
    const r = await this.one(`${MESSAGE_SELECT} WHERE m.id = $1`, [id]);
    return r ? toMessage(r) : null;
  }

  async queueOutbound(record: OutboundRecord): Promise<{ message: MessageRow; duplicate: boolean }> {
    return this.tx(async (t) => {
      // A resend racing its original fails on messages_client; the retry lands here.
      if (record.clientId) {
        const dup = await t.one(`${MESSAGE_SELECT} WHERE m.agent_id = $1 AND m.client_id = $2`, [record.agentId, record.clientId]);
        if (dup) return { message: toMessage(dup), duplicate: true };
      }
      const conversation = await this.requireConversation(t, record.conversationId);
      let media: MediaRef[] = [];
      if (record.mediaId) {
        const m = await t.one(
          'UPDATE media SET conversation_id = $1 WHERE id = $2 AND agent_id = $3 AND source_url IS NULL RETURNING ' + MEDIA_COLUMNS,
          [record.conversationId, record.mediaId, record.agentId],
        );
        if (!m) throw new DomainError('media_not_found', 'The attachment was not found; upload it again.');
        const row = toMedia(m);
        media = [{ id: row.id, contentType: row.contentType, filename: row.filename, size: row.size }];
      }
      const id = newId('msg');
      await t.run(
        `INSERT INTO messages (id, conversation_id, direction, body, status, media, reply_to_id, template, agent_id, client_id, created_at)
         VALUES ($1, $2, 'outbound', $3, 'queued', $4, $5, $6, $7, $8, $9)`,
        [
          id,
          record.conversationId,
          record.body,
          JSON.stringify(media),
          record.replyToId,
          record.template ? JSON.stringify(record.template) : null,
          record.agentId,
          record.clientId,
          record.now,
        ],
      );
      await t.run(`INSERT INTO outbox (message_id, sender, recipient, state, next_attempt_at) VALUES ($1, $2, $3, 'pending', $4)`, [
        id,
        record.sender,
        conversation.customerPhone,
        record.now,
      ]);
      const message = toMessage((await t.one(`${MESSAGE_SELECT} WHERE m.id = $1`, [id]))!);
      t.emit('message', audienceOf(conversation), { conversationId: conversation.id, message: toApiMessage(message) });
      return { message, duplicate: false };
    });
  }

  async requeueOutbound(messageId: string, now: number): Promise<MessageRow> {
    return this.tx(async (t) => {
      const raw = await t.one(`${MESSAGE_SELECT} WHERE m.id = $1 FOR UPDATE OF m`, [messageId]);
      if (!raw) throw notFound('Message');
      const message = toMessage(raw);
      if (message.direction !== 'outbound' || message.status !== 'failed' || message.twilioSid) {
        throw new DomainError('not_retryable', 'Only a message that failed before reaching WhatsApp can be retried.');
      }
      const conversation = await this.requireConversation(t, message.conversationId);
      await t.run(`UPDATE messages SET status = 'queued', error_code = NULL, error_message = NULL WHERE id = $1`, [messageId]);
      await t.run(`INSERT INTO outbox (message_id, sender, recipient, state, next_attempt_at) VALUES ($1, $2, $3, 'pending', $4)`, [
        messageId,
        conversation.businessPhone,
        conversation.customerPhone,
        now,
      ]);
      t.emit('status', audienceOf(conversation), { conversationId: conversation.id, messageId, status: 'queued', errorCode: null, errorMessage: null });
      return toMessage((await t.one(`${MESSAGE_SELECT} WHERE m.id = $1`, [messageId]))!);
    });
  }

  // ---------------------------------------------------------------- outbox

  async claimOutbox(now: number, limit: number): Promise<OutboxItem[]> {
    return this.tx(async (t) => {
      // SKIP LOCKED: instances claiming at once take disjoint items instead of queueing.
      // At most a second of slots per sender (ranked without locks; locking happens on the
      // outer rows), so one sender's backlog cannot fill the batch and hold up the others.
      const due = await t.all(
        `SELECT o.*, m.body, m.media, m.template, m.conversation_id FROM outbox o JOIN messages m ON m.id = o.message_id
         WHERE o.message_id IN (
           SELECT ranked.message_id FROM (
             SELECT o2.message_id,
                    ROW_NUMBER() OVER (PARTITION BY o2.sender ORDER BY o2.next_attempt_at, m2.seq) AS sender_rank
             FROM outbox o2 JOIN messages m2 ON m2.id = o2.message_id
             WHERE (o2.state = 'pending' AND o2.next_attempt_at <= $1) OR (o2.state = 'inflight' AND o2.lease_until <= $1)
           ) ranked WHERE ranked.sender_rank <= $3
         )
         AND ((o.state = 'pending' AND o.next_attempt_at <= $1) OR (o.state = 'inflight' AND o.lease_until <= $1))
         ORDER BY o.next_attempt_at, m.seq LIMIT $2 FOR UPDATE OF o SKIP LOCKED`,
        [now, limit, MAX_CLAIM_PER_SENDER],
      );
      if (due.length === 0) return [];

      // Each sender's slot row stays locked until commit, so claims for one sender are
      // paced one after another across every instance. Locked in name order: no deadlock.
      const slots = new Map<string, number>();
      for (const sender of [...new Set(due.map((r) => String(r.sender)))].sort()) {
        const r = await t.one<{ next_slot_at: number }>(
          `INSERT INTO sender_slots (sender, next_slot_at) VALUES ($1, 0)
           ON CONFLICT (sender) DO UPDATE SET next_slot_at = sender_slots.next_slot_at RETURNING next_slot_at`,
          [sender],
        );
        slots.set(sender, r!.next_slot_at);
      }

      const claimed: OutboxItem[] = [];
      for (const r of due) {
        const sender = String(r.sender);
        const sendAt = Math.max(slots.get(sender)!, now);
        // Leave the rest for the next claim once this sender's slots are far enough ahead.
        if (sendAt > now + PACING_LOOKAHEAD_MS) continue;
        slots.set(sender, sendAt + SEND_INTERVAL_MS);
        const item = toOutboxItem(r, sendAt);
        await t.run(`UPDATE outbox SET state = 'inflight', inflight_since = $1, lease_until = $2 WHERE message_id = $3`, [
          item.inDoubtSince ?? sendAt,
          sendAt + OUTBOX_LEASE_MS,
          item.messageId,
        ]);
        claimed.push(item);
      }
      for (const [sender, next] of slots) {
        await t.run('UPDATE sender_slots SET next_slot_at = $1 WHERE sender = $2', [next, sender]);
      }
      return claimed;
    });
  }

  async recordSendResult(messageId: string, result: SendResultRecord, _now: number): Promise<void> {
    return this.tx(async (t) => {
      // The sid lock first, then the row, in the same order as applyStatus.
      if (result.kind === 'sent') await t.lock(this.lockKey(`sid:${result.sid}`));
      const raw = await t.one(`${MESSAGE_SELECT} WHERE m.id = $1 FOR UPDATE OF m`, [messageId]);
      if (!raw) return;
      const message = toMessage(raw);
      if (result.kind === 'retry') {
        await t.run(
          `UPDATE outbox SET state = 'pending', attempts = attempts + 1, next_attempt_at = $1, lease_until = NULL,
             inflight_since = CASE WHEN $2 THEN inflight_since ELSE NULL END WHERE message_id = $3`,
          [result.nextAttemptAt, result.ambiguous, messageId],
        );
        return;
      }
      await t.run('DELETE FROM outbox WHERE message_id = $1', [messageId]);
      if (result.kind === 'failed') {
        await this.advanceStatus(t, message, 'failed', result.code, result.message);
        return;
      }
      if (!message.twilioSid) await t.run('UPDATE messages SET twilio_sid = $1 WHERE id = $2', [result.sid, messageId]);
      await this.advanceStatus(t, message, result.status, null, null);
      // Callbacks that raced ahead of this result were parked; apply them now, in order.
      const parked = await t.all('SELECT * FROM parked_statuses WHERE message_sid = $1 ORDER BY received_at', [result.sid]);
      for (const p of parked) {
        const current = toMessage((await t.one(`${MESSAGE_SELECT} WHERE m.id = $1`, [messageId]))!);
        await this.advanceStatus(t, current, p.status as MessageStatus, (p.error_code as number | null) ?? null, (p.error_message as string | null) ?? null);
      }
      await t.run('DELETE FROM parked_statuses WHERE message_sid = $1', [result.sid]);
    });
  }

  async nextOutboxDueAt(): Promise<number | null> {
    const r = await this.one<{ due: number | null }>(`SELECT MIN(CASE WHEN state = 'pending' THEN next_attempt_at ELSE lease_until END) AS due FROM outbox`);
    return r?.due ?? null;
  }

  // ---------------------------------------------------------------- notes

  async addNote(conversationId: string, viewer: Viewer & { agentName: string }, body: string, now: number): Promise<NoteRow> {
    return this.tx(async (t) => {
      const c = await this.requireVisible(t, conversationId, viewer);
      const note = toNote(
        (await t.one('INSERT INTO notes (id, conversation_id, agent_id, agent_name, body, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *', [
          newId('nt'),
          conversationId,
          viewer.agentId,
          viewer.agentName,
          body,
          now,
        ]))!,
      );
      t.emit('note', audienceOf(c), { conversationId, note: toApiNote(note) });
      return note;
    });
  }

  async listNotes(conversationId: string): Promise<NoteRow[]> {
    return (await this.all('SELECT * FROM notes WHERE conversation_id = $1 ORDER BY created_at, id', [conversationId])).map(toNote);
  }

  // ---------------------------------------------------------------- media

  async saveUpload(upload: {
    bytes: Uint8Array;
    contentType: string;
    filename: string | null;
    publicToken: string;
    publicExpiresAt: number;
    agentId: string;
  }): Promise<MediaRow> {
    const r = await this.one(
      `INSERT INTO media (id, content_type, filename, size, bytes, public_token, public_expires_at, agent_id, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${MEDIA_COLUMNS}`,
      [
        newId('med'),
        upload.contentType,
        upload.filename,
        upload.bytes.byteLength,
        Buffer.from(upload.bytes),
        upload.publicToken,
        upload.publicExpiresAt,
        upload.agentId,
        Date.now(),
      ],
    );
    return toMedia(r!);
  }

  async getMedia(id: string): Promise<MediaRow | null> {
    const r = await this.one(`SELECT ${MEDIA_COLUMNS} FROM media WHERE id = $1`, [id]);
    return r ? toMedia(r) : null;
  }

  async getMediaBytes(id: string): Promise<Uint8Array | null> {
    const r = await this.one<{ bytes: Buffer | null }>('SELECT bytes FROM media WHERE id = $1', [id]);
    return r?.bytes ? new Uint8Array(r.bytes) : null;
  }

  async getMediaByPublicToken(token: string, now: number): Promise<MediaRow | null> {
    const r = await this.one(`SELECT ${MEDIA_COLUMNS} FROM media WHERE public_token = $1 AND public_expires_at > $2`, [token, now]);
    return r ? toMedia(r) : null;
  }

  // ---------------------------------------------------------------- search

  async searchMessages(viewer: Viewer, query: string, limit: number): Promise<SearchRow[]> {
    const match = tsPrefixQuery(query);
    if (!match) return [];
    const params: unknown[] = [match, HEADLINE_OPTIONS, limit];
    if (!viewer.supervisor) params.push(viewer.agentId);
    const rows = await this.all(
      `SELECT m.id AS message_id, m.direction, m.created_at AS message_created_at,
              ts_headline('wcp_search', m.body, q, $2) AS snippet, c.*
       FROM to_tsquery('wcp_search', $1) q, messages m JOIN conversations c ON c.id = m.conversation_id
       WHERE m.body_tsv @@ q ${viewer.supervisor ? '' : 'AND c.assigned_agent_id = $4'}
       ORDER BY ts_rank(m.body_tsv, q) DESC, m.seq DESC LIMIT $3`,
      params,
    );
    return rows.map((r) => ({
      conversationId: String(r.id),
      messageId: String(r.message_id),
      direction: r.direction === 'outbound' ? 'outbound' : 'inbound',
      snippet: String(r.snippet),
      createdAt: Number(r.message_created_at),
      conversation: toConversation(r),
    }));
  }

  // ---------------------------------------------------------------- configuration data

  private async listConfig<T>(kind: string): Promise<T[]> {
    return (await this.all<{ data: T }>('SELECT data FROM config_items WHERE kind = $1 ORDER BY position', [kind])).map((r) => r.data);
  }

  async listQuickReplies(): Promise<QuickReply[]> {
    return this.listConfig('quick_reply');
  }

  async listScripts(): Promise<AgentScript[]> {
    return this.listConfig('script');
  }

  async listTemplates(): Promise<MessageTemplate[]> {
    return this.listConfig('template');
  }

  async seedConfigData(data: { quickReplies: QuickReply[]; scripts: AgentScript[]; templates: MessageTemplate[] }): Promise<void> {
    return this.tx(async (t) => {
      const insert = async (kind: string, items: { id?: string; contentSid?: string }[]) => {
        for (const [position, item] of items.entries()) {
          await t.run('INSERT INTO config_items (kind, id, position, data) VALUES ($1, $2, $3, $4) ON CONFLICT (kind, id) DO NOTHING', [
            kind,
            item.id ?? item.contentSid,
            position,
            JSON.stringify(item),
          ]);
        }
      };
      await insert('quick_reply', data.quickReplies);
      await insert('script', data.scripts);
      await insert('template', data.templates);
    });
  }
}

/** A deadlock or serialization failure: this transaction was picked to give way to another. */
function lostToAnotherTransaction(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code !== undefined && RETRYABLE_CODES.has(code);
}

function isRetryable(error: unknown): boolean {
  const e = error as { code?: string; constraint?: string };
  if (e.code && RETRYABLE_CODES.has(e.code)) return true;
  return e.code === '23505' && e.constraint !== undefined && IDEMPOTENCY_CONSTRAINTS.has(e.constraint);
}
