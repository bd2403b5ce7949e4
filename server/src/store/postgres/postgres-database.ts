/**
 * The scale-out Database: PostgreSQL through `pg`. Several relay instances share one
 * database, so every unit of work holds across instances: unique constraints make webhooks
 * and client resends idempotent, row locks decide races (one offer, one accept), the outbox
 * is claimed with `FOR UPDATE SKIP LOCKED` and paced per sender through locked
 * `sender_slots` rows. Webhooks arriving together share one transaction — group commit,
 * see grouped(); everything else is a transaction of its own, run again on a lost race.
 */
import pg from 'pg';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkout, guardPool, type Checkout } from './connection.ts';
import type { Database, Tx } from '../tx.ts';
import { PgDriver, PgTx, type EventAnnouncement } from './pg-tx.ts';
import { wakeUpChannel } from './wake-ups.ts';
import { backfillSearchText, type MigrationQuery } from './search-text-backfill.ts';
import { assertSchemaName, parseDatabaseUrl } from './database-url.ts';

const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

/** Unique constraints that mean "someone else just did this": the retried transaction finds their row. */
const IDEMPOTENCY_CONSTRAINTS = new Set(['messages_twilio_sid_key', 'conversations_one_open', 'messages_client']);
/** serialization_failure, deadlock_detected: safe to run the whole transaction again. */
const RETRYABLE_CODES = new Set(['40001', '40P01']);
const MAX_ATTEMPTS = 5;


export interface PostgresStoreOptions {
  connectionString: string;
  /** Schema holding the tables (created on migrate); default: the server's search_path. */
  schema?: string;
  /** Pool size per instance. */
  max?: number;
  /**
   * This instance's id in the wake-up its commits send with new events (PgTx.commit); the
   * instance's PostgresBus is given the same `origin`, so it ignores its own. Default: a new id.
   */
  announceAs?: string;
  /** How long a query waits for its answer before its connection is taken as lost (QUERY_TIMEOUT_MS). */
  queryTimeoutMs?: number;
}

/**
 * A query without an answer for this long is taken as lost on a connection the network dropped
 * silently (a partition, a failed-over host: no reset, so TCP would wait ~15 minutes or for
 * ever): it fails, its connection is destroyed, and the next query gets a new one. Without it
 * one stuck read of the event log held every agent's live events on the instance (events/hub.ts
 * reads one batch at a time). Far above any of the relay's queries on a live database; the
 * migrations are exempt (an index build on a large table may take longer).
 */
const QUERY_TIMEOUT_MS = 30_000;
/**
 * The first line of a migration that must run outside a transaction (CREATE INDEX CONCURRENTLY,
 * which a long build on a large table needs so that webhooks go on being stored meanwhile).
 * Its statements each end with ";" at the end of a line, and running it again from the top
 * must be safe: a stop part-way leaves it unrecorded.
 */
const OUTSIDE_TRANSACTION = '-- migrate: outside a transaction';
/** Work only the relay's code can do, run after a migration's statements and before it is recorded (outside a transaction only). */
const AFTER_MIGRATION: Record<string, (query: MigrationQuery) => Promise<unknown>> = {
  '016_message_search_text.sql': backfillSearchText,
};
/** How often an instance asks again for the migration lock another instance holds. */
const MIGRATION_LOCK_RETRY_MS = 100;
/** setTimeout's longest delay: "no limit" for the migrations (pg reads 0 as "the pool's"). */
const NO_QUERY_TIMEOUT_MS = 2_147_483_647;
/** A statement the pool's query timeout does not bound (pg reads `query_timeout` from a query's config; @types/pg does not list it). */
const unbounded = (text: string, values?: unknown[]): pg.QueryConfig => ({ text, values, query_timeout: NO_QUERY_TIMEOUT_MS }) as pg.QueryConfig;

/** bigint (int8) columns are epoch-ms timestamps, ids and counts: all well inside 2^53. */
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === pg.types.builtins.INT8 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text')) as pg.CustomTypesConfig['getTypeParser'],
};

/** A webhook's unit of work waiting for the next group commit. */
interface GroupUnit {
  /** Lock order inside a group (see commitGroup). */
  key: string;
  /** The unit is one statement, so it can be sent without waiting for the unit before it. */
  oneStatement: boolean;
  run: (t: PgTx) => Promise<unknown>;
  committed: ((value: unknown) => void) | undefined;
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

export class PostgresDatabase implements Database {
  readonly kind = 'postgres' as const;
  private readonly pool: pg.Pool;
  private readonly groupPool: pg.Pool;
  private readonly schema: string | undefined;
  private readonly announcement: EventAnnouncement;
  private closed = false;
  private queue: GroupUnit[] = [];
  private groupsInFlight = 0;
  private groupScheduled = false;
  private drained: (() => void)[] = [];

  constructor(options: PostgresStoreOptions) {
    if (options.schema !== undefined) assertSchemaName(options.schema);
    this.schema = options.schema;
    this.announcement = { channel: wakeUpChannel(options.schema), origin: options.announceAs ?? randomUUID() };
    const config: pg.PoolConfig = {
      connectionString: options.connectionString,
      max: options.max ?? 10,
      application_name: 'wcp-relay',
      connectionTimeoutMillis: 10_000,
      query_timeout: options.queryTimeoutMs ?? QUERY_TIMEOUT_MS,
      // Dead peers found by TCP too, for idle pooled connections (as the bus's LISTEN connection).
      keepAlive: true,
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
  static fromUrl(url: string, options: Omit<PostgresStoreOptions, 'connectionString'> = {}): PostgresDatabase {
    const parsed = parseDatabaseUrl(url);
    const schema = options.schema ?? parsed.schema;
    return new PostgresDatabase({ ...options, connectionString: parsed.connectionString, ...(schema ? { schema } : {}) });
  }

  /** Advisory lock keys are database-wide: name them by schema so deployments sharing a database do not contend. */
  private lockKey(what: string): string {
    return `wcp:${this.schema ?? 'default'}:${what}`;
  }

  async transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const out = await checkout(this.pool, 'store');
      const client = out.client;
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
        const t = this.txOn(client, false);
        const result = await work(t);
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
   * Group commit for the webhook hot path, as in SqliteDatabase: units of work queued in the
   * same turn of the event loop (and while earlier groups commit) share one transaction on
   * one connection — one commit, one WAL flush, one hold of the event-id lock — and a
   * failing unit rolls back alone (to its savepoint) and only its caller is refused.
   * Every caller is answered only after the shared COMMIT returned: "written durably, then
   * acknowledged" still holds, and if the COMMIT fails every caller in the group is
   * refused (Twilio retries; the MessageSid dedupes).
   */
  grouped<T>(key: string, oneStatement: boolean, run: (tx: Tx) => Promise<T>, committed?: (value: T) => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.closed) {
        reject(new Error('The store is closed.'));
        return;
      }
      this.queue.push({ key, oneStatement, run, committed: committed as ((value: unknown) => void) | undefined, resolve: resolve as (value: unknown) => void, reject, deferrals: 0 });
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
   * A group first runs optimistically (runFast): no savepoints, and the
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
      // A group of one too: BEGIN travels with its statement, two round trips in all, and a
      // savepoint is paid for only in the rare re-run.
      const fast = await this.runFast(out.client, units);
      outcome = fast === 'run carefully' ? await this.runCareful(out.client, units) : fast;
    } finally {
      out.release(outcome?.broken);
    }
    // PostgreSQL's COMMIT returned once durable: visible and durable at the same moment.
    for (const { unit, value } of outcome.done) {
      try {
        unit.committed?.(value);
        unit.resolve(value);
      } catch (error) {
        unit.reject(error);
      }
    }
    for (const { unit, error } of outcome.failed) unit.reject(error);
    if (outcome.deferred.length) {
      for (const unit of outcome.deferred) unit.deferrals++;
      this.queue.unshift(...outcome.deferred);
    }
  }

  /**
   * The optimistic attempt: BEGIN, then every unit without a savepoint. Consecutive
   * one-statement units (inbound messages) are sent without waiting for each other's
   * answers — the connection is in pipeline mode — so a group of them costs two round
   * trips (BEGIN with the statements, then events + COMMIT) however many there are; PostgreSQL
   * still runs them one after another, in the order sent. Units of several statements
   * (status callbacks) run one at a time after them. 'run carefully' when a unit failed
   * (the attempt is rolled back).
   */
  private async runFast(client: pg.PoolClient, units: GroupUnit[]): Promise<GroupOutcome | 'run carefully'> {
    const t = this.txOn(client, true);
    const values: unknown[] = new Array(units.length);
    let unitFailed = false;
    try {
      // BEGIN goes out with the first statements, not a round trip ahead of them: PostgreSQL
      // runs them in the order sent. (BEGIN fails only with the connection, and then so do they.)
      let sent: Promise<unknown>[] = [client.query('BEGIN')];
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
    const t = this.txOn(client, true);
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

  /** `pipelined`: a group pool connection (pipeline mode). */
  private txOn(client: pg.PoolClient, pipelined: boolean): PgTx {
    return new PgTx(new PgDriver(client), (what) => this.lockKey(what), this.announcement, pipelined);
  }

  /** Each statement on whichever pooled connection is free, outside a transaction. */
  read<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return work(new PgTx(new PgDriver(this.pool), (what) => this.lockKey(what), this.announcement));
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
      // Waits for another instance's migrations, however long they take, asking again and again
      // rather than blocking in pg_advisory_lock: a statement blocked there holds a snapshot, and
      // CREATE INDEX CONCURRENTLY waits for every older snapshot, so the instance building an
      // index would wait for the one waiting for it ("deadlock detected" at start).
      while (!(await client.query<{ locked: boolean }>(`SELECT pg_try_advisory_lock(hashtextextended('wcp:migrations', 0)) AS locked`)).rows[0]!.locked) {
        await delay(MIGRATION_LOCK_RETRY_MS);
      }
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
          if (sql.startsWith(OUTSIDE_TRANSACTION)) {
            // One statement at a time: sent together, PostgreSQL would run them in one transaction.
            for (const statement of sql.split(/;[ \t]*$/m)) {
              if (statement.replace(/--.*$/gm, '').trim()) await client.query(unbounded(statement));
            }
            await AFTER_MIGRATION[file]?.((text, values) => client.query(unbounded(text, values)));
            await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [file]);
            continue;
          }
          await client.query('BEGIN');
          try {
            await client.query(unbounded(sql));
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

  /**
   * One more request against `key` in a window of `windowMs` from the key's first request (a
   * window that has ended starts again), in one statement whatever the instance: its count and
   * the milliseconds left. The database's clock, so instances' clocks need not agree. `now()` is
   * when the statement's transaction began: one that waited for another's row can see a little
   * more than the window left, hence the bounds.
   */
  async countRequest(key: string, windowMs: number): Promise<{ count: number; ttlMs: number }> {
    const { rows } = await this.pool.query<{ hits: number; ttl_ms: string }>(
      `INSERT INTO request_limits AS l (key, hits, resets_at) VALUES ($1, 1, now() + $2 * interval '1 millisecond')
       ON CONFLICT (key) DO UPDATE SET
         hits = CASE WHEN l.resets_at <= now() THEN 1 ELSE l.hits + 1 END,
         resets_at = CASE WHEN l.resets_at <= now() THEN now() + $2 * interval '1 millisecond' ELSE l.resets_at END
       RETURNING hits, LEAST($2, GREATEST(0, ceil(extract(epoch FROM resets_at - now()) * 1000)))::bigint AS ttl_ms`,
      [key, windowMs],
    );
    return { count: rows[0]!.hits, ttlMs: Number(rows[0]!.ttl_ms) };
  }

  async forgetLapsedRequestLimits(): Promise<number> {
    const { rowCount } = await this.pool.query('DELETE FROM request_limits WHERE resets_at <= now()');
    return rowCount ?? 0;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Webhooks already queued are written (and answered) before the pool goes.
    if (this.queue.length || this.groupsInFlight) await new Promise<void>((resolve) => this.drained.push(resolve));
    await Promise.all([this.pool.end(), this.groupPool.end()]);
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
