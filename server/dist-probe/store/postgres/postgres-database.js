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
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkout, guardPool } from "./connection.js";
import { PgDriver, PgTx } from "./pg-tx.js";
import { wakeUpChannel } from "./wake-ups.js";
const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');
/** Unique constraints that mean "someone else just did this": the retried transaction finds their row. */
const IDEMPOTENCY_CONSTRAINTS = new Set(['messages_twilio_sid_key', 'conversations_one_open', 'messages_client']);
/** serialization_failure, deadlock_detected: safe to run the whole transaction again. */
const RETRYABLE_CODES = new Set(['40001', '40P01']);
const MAX_ATTEMPTS = 5;
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,47}$/;
/** bigint (int8) columns are epoch-ms timestamps, ids and counts: all well inside 2^53. */
const types = {
    getTypeParser: ((oid, format) => oid === pg.types.builtins.INT8 ? (v) => Number(v) : pg.types.getTypeParser(oid, format)),
};
/** Schema names go into SQL and channel names unquoted: keep them plain. */
export function assertSchemaName(schema) {
    if (!SCHEMA_NAME.test(schema))
        throw new Error(`Schema name "${schema}" must be lower-case letters, digits and _ (at most 48).`);
}
/** Splits `?schema=` off a postgres:// URL: `pg` would not understand it. */
export function parseDatabaseUrl(url) {
    const parsed = new URL(url);
    const schema = parsed.searchParams.get('schema') ?? undefined;
    parsed.searchParams.delete('schema');
    return { connectionString: parsed.toString(), schema };
}
/**
 * Units per group commit. Only the careful re-run of a group uses savepoints; past 64
 * writing ones a transaction overflows PostgreSQL's subtransaction cache, which slows
 * other sessions' visibility checks a little until it ends — rare enough to accept.
 */
const MAX_GROUP = 256;
/** Groups committing at once per instance: the next one does its work while the previous waits for its commit. */
const MAX_GROUPS_IN_FLIGHT = 2;
export class PostgresDatabase {
    kind = 'postgres';
    pool;
    groupPool;
    schema;
    announcement;
    closed = false;
    queue = [];
    groupsInFlight = 0;
    groupScheduled = false;
    drained = [];
    constructor(options) {
        if (options.schema !== undefined)
            assertSchemaName(options.schema);
        this.schema = options.schema;
        this.announcement = { channel: wakeUpChannel(options.schema), origin: options.announceAs ?? randomUUID() };
        const config = {
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
    static fromUrl(url, options = {}) {
        const parsed = parseDatabaseUrl(url);
        const schema = options.schema ?? parsed.schema;
        return new PostgresDatabase({ connectionString: parsed.connectionString, max: options.max, ...(schema ? { schema } : {}), ...(options.announceAs ? { announceAs: options.announceAs } : {}) });
    }
    /** Advisory lock keys are database-wide: name them by schema so deployments sharing a database do not contend. */
    lockKey(what) {
        return `wcp:${this.schema ?? 'default'}:${what}`;
    }
    async transaction(work) {
        for (let attempt = 1;; attempt++) {
            const out = await checkout(this.pool, 'store');
            const client = out.client;
            let broken;
            try {
                await client.query('BEGIN');
                const t = this.txOn(client);
                const result = await work(t);
                await t.commit();
                return result;
            }
            catch (error) {
                try {
                    await client.query('ROLLBACK');
                }
                catch (rollbackError) {
                    broken = rollbackError;
                }
                if (attempt < MAX_ATTEMPTS && isRetryable(error))
                    continue;
                throw error;
            }
            finally {
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
    grouped(key, oneStatement, run, committed) {
        return new Promise((resolve, reject) => {
            if (this.closed) {
                reject(new Error('The store is closed.'));
                return;
            }
            this.queue.push({ key, oneStatement, run, committed: committed, resolve: resolve, reject, deferrals: 0 });
            this.scheduleGroup();
        });
    }
    scheduleGroup() {
        if (this.groupScheduled || this.queue.length === 0 || this.groupsInFlight >= MAX_GROUPS_IN_FLIGHT)
            return;
        this.groupScheduled = true;
        setImmediate(() => {
            this.groupScheduled = false;
            while (this.queue.length && this.groupsInFlight < MAX_GROUPS_IN_FLIGHT) {
                const units = this.queue.splice(0, MAX_GROUP);
                this.groupsInFlight++;
                void this.commitGroup(units).finally(() => {
                    this.groupsInFlight--;
                    this.scheduleGroup();
                    if (this.queue.length === 0 && this.groupsInFlight === 0)
                        for (const done of this.drained.splice(0))
                            done();
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
    async commitGroup(units) {
        units.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
        let out;
        try {
            out = await checkout(this.groupPool, 'store-group');
        }
        catch (error) {
            for (const unit of units)
                unit.reject(error);
            return;
        }
        let outcome;
        try {
            // A group of one too: BEGIN travels with its statement, two round trips in all, and a
            // savepoint is paid for only in the rare re-run.
            const fast = await this.runFast(out.client, units);
            outcome = fast === 'run carefully' ? await this.runCareful(out.client, units) : fast;
        }
        finally {
            out.release(outcome?.broken);
        }
        // PostgreSQL's COMMIT returned once durable: visible and durable at the same moment.
        for (const { unit, value } of outcome.done) {
            try {
                unit.committed?.(value);
                unit.resolve(value);
            }
            catch (error) {
                unit.reject(error);
            }
        }
        for (const { unit, error } of outcome.failed)
            unit.reject(error);
        if (outcome.deferred.length) {
            for (const unit of outcome.deferred)
                unit.deferrals++;
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
    async runFast(client, units) {
        const t = this.txOn(client);
        const values = new Array(units.length);
        let unitFailed = false;
        try {
            // BEGIN goes out with the first statements, not a round trip ahead of them: PostgreSQL
            // runs them in the order sent. (BEGIN fails only with the connection, and then so do they.)
            let sent = [client.query('BEGIN')];
            for (const [i, unit] of units.entries()) {
                if (!unit.oneStatement && sent.length) {
                    await Promise.all(sent);
                    sent = [];
                }
                if (unitFailed)
                    break;
                const running = unit.run(t).then((value) => {
                    values[i] = value;
                }, () => {
                    unitFailed = true;
                });
                if (unit.oneStatement)
                    sent.push(running);
                else
                    await running;
            }
            await Promise.all(sent);
            if (unitFailed) {
                await client.query('ROLLBACK');
                return 'run carefully';
            }
            await t.commit();
            return { done: units.map((unit, i) => ({ unit, value: values[i] })), failed: [], deferred: [] };
        }
        catch (error) {
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
    async runCareful(client, units) {
        const t = this.txOn(client);
        const done = [];
        const failed = [];
        let deferred = [];
        try {
            // One round trip per unit for its savepoint: release the previous unit's and set its own.
            let before = 'BEGIN; SAVEPOINT unit';
            for (let i = 0; i < units.length && deferred.length === 0; i++) {
                const unit = units[i];
                if (before)
                    await client.query(before);
                before = 'RELEASE SAVEPOINT unit; SAVEPOINT unit';
                for (let attempt = 1;; attempt++) {
                    const mark = t.mark();
                    try {
                        done.push({ unit, value: await unit.run(t) });
                        break;
                    }
                    catch (error) {
                        t.dropEventsAfter(mark);
                        // The savepoint stays set: the unit can run again, or the next one can use it.
                        await client.query('ROLLBACK TO SAVEPOINT unit');
                        before = '';
                        if (lostToAnotherTransaction(error) && unit.deferrals < MAX_ATTEMPTS - 1) {
                            deferred = units.slice(i);
                            break;
                        }
                        // Someone else committed the row this unit was about to write: run it again to find it.
                        if (attempt < MAX_ATTEMPTS && isRetryable(error))
                            continue;
                        failed.push({ unit, error });
                        break;
                    }
                }
            }
            await t.commit();
            return { done, failed, deferred };
        }
        catch (error) {
            return this.abandon(client, units, failed, error);
        }
    }
    /** BEGIN, a savepoint, the event write or the COMMIT failed: nothing of the group holds, and every caller is refused. */
    async abandon(client, units, failed, error) {
        let broken;
        try {
            await client.query('ROLLBACK');
        }
        catch (rollbackError) {
            broken = rollbackError;
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
    txOn(client) {
        return new PgTx(new PgDriver(client), (what) => this.lockKey(what), this.announcement);
    }
    /** Each statement on whichever pooled connection is free, outside a transaction. */
    read(work) {
        return work(new PgTx(new PgDriver(this.pool), (what) => this.lockKey(what), this.announcement));
    }
    /**
     * Applies numbered migrations once. Instances starting together queue on a session
     * advisory lock (database-wide: `CREATE EXTENSION` is too), and each migration commits
     * with its schema_migrations row. Unlike SQLite, in-flight outbox leases are left
     * alone: other instances may be alive and sending.
     */
    async migrate() {
        const out = await checkout(this.pool, 'store-migrate');
        const client = out.client;
        let broken;
        try {
            await client.query(`SELECT pg_advisory_lock(hashtextextended('wcp:migrations', 0))`);
            try {
                if (this.schema) {
                    // An administrator may have created it for a user without CREATE on the database.
                    const exists = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [this.schema]);
                    if (exists.rowCount === 0)
                        await client.query(`CREATE SCHEMA ${this.schema}`);
                    await client.query(`SET search_path TO ${this.schema}`);
                }
                await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
                const applied = new Set((await client.query('SELECT version FROM schema_migrations')).rows.map((r) => r.version));
                for (const file of readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.sql')).sort()) {
                    if (applied.has(file))
                        continue;
                    const sql = readFileSync(join(MIGRATIONS_DIR, file), 'utf8');
                    await client.query('BEGIN');
                    try {
                        await client.query(sql);
                        await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [file]);
                        await client.query('COMMIT');
                    }
                    catch (error) {
                        await client.query('ROLLBACK');
                        throw error;
                    }
                }
            }
            finally {
                await client.query(`SELECT pg_advisory_unlock(hashtextextended('wcp:migrations', 0))`);
            }
        }
        catch (error) {
            broken = error;
            throw error;
        }
        finally {
            // A failed migration may leave session state behind: do not hand the connection on.
            out.release(broken);
        }
    }
    async ping() {
        await this.pool.query('SELECT 1');
    }
    async close() {
        if (this.closed)
            return;
        this.closed = true;
        // Webhooks already queued are written (and answered) before the pool goes.
        if (this.queue.length || this.groupsInFlight)
            await new Promise((resolve) => this.drained.push(resolve));
        await Promise.all([this.pool.end(), this.groupPool.end()]);
    }
}
/** A deadlock or serialization failure: this transaction was picked to give way to another. */
function lostToAnotherTransaction(error) {
    const code = error.code;
    return code !== undefined && RETRYABLE_CODES.has(code);
}
function isRetryable(error) {
    const e = error;
    if (e.code && RETRYABLE_CODES.has(e.code))
        return true;
    return e.code === '23505' && e.constraint !== undefined && IDEMPOTENCY_CONSTRAINTS.has(e.constraint);
}
//# sourceMappingURL=postgres-database.js.map