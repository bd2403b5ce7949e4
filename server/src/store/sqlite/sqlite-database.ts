/**
 * The embedded Database: SQLite through better-sqlite3, WAL mode, every commit synced.
 * One connection; units of work run one at a time (better-sqlite3 is synchronous, so a
 * unit's statements never wait and it finishes within one turn of the event loop), and
 * each resolves after its commit is on disk — "written durably, then answered". It runs on
 * the relay's thread (store/open-store.ts says why).
 *
 * The sync is this module's, not SQLite's: `synchronous = NORMAL` (COMMIT writes the WAL
 * without syncing it), then `syncLog()` — an fdatasync of the WAL, what `synchronous = FULL`
 * does inside COMMIT (https://www.sqlite.org/pragma.html#pragma_synchronous) — so that a
 * group's `committed` callbacks run between the two: an inbound message reaches the agents'
 * streams while its log is being synced, and Twilio is answered only after. Copying the log
 * into the database file (checkpoints) is a second connection's job, on a thread of its own
 * (wal-checkpointer.ts).
 */
import Database from 'better-sqlite3';
import fs, { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database as RelayDatabase, Tx } from '../tx.ts';
import { searchableText } from '../sql/search-terms.ts';
import type { Raw, SqlDriver } from '../sql/sql-tx.ts';
import { SqliteTx } from './sqlite-tx.ts';
import { WalCheckpointer, WRITER_CHECKPOINT_PAGES } from './wal-checkpointer.ts';

const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');
/** How long new messages wait to be indexed for search, so that one index transaction takes many of them. */
const SEARCH_INDEX_DELAY_MS = 250;
/** Messages indexed per transaction: a long backlog (after a restart) is taken in steps other units can run between. */
const SEARCH_INDEX_BATCH = 5000;

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

interface GroupUnit {
  work: (tx: Tx) => Promise<unknown>;
  committed: ((value: unknown) => void) | undefined;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

export class SqliteDatabase implements RelayDatabase {
  readonly kind = 'sqlite' as const;
  readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();
  private readonly tx: SqliteTx;
  /** The unit running now (and those queued behind it): one at a time on the one connection. */
  private tail: Promise<unknown> = Promise.resolve();
  private group: GroupUnit[] = [];
  private searchIndexTimer: NodeJS.Timeout | null = null;
  /** The database file's path (':memory:' has no log to sync). */
  private readonly path: string;
  /** The WAL file, opened for syncing it at the first commit. */
  private log: number | null = null;
  /** Checkpoints on a thread of their own, for the process that owns the file (wal-checkpointer.ts). */
  private checkpointer: WalCheckpointer | null = null;
  /** The file as opened (device and inode); null in memory. */
  private readonly identity: FileIdentity | null;
  /** Why nothing more is written: the file was removed or replaced under the relay (fileStillOurs). */
  private lost: Error | null = null;

  /**
   * `path` is a file path or ':memory:'. `takeOver` (the relay): the process owns the file, so at
   * migrate() whatever a stopped process left in flight is taken back. Off for a check beside a
   * running relay (`npm run doctor`), which must not release that relay's leases.
   */
  constructor(
    path: string,
    private readonly takeOver = true,
  ) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.identity = path === ':memory:' ? null : identityOf(fs.statSync(path));
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
    // The text transcript search indexes (migrations/014_search_unspaced_scripts.sql).
    this.db.function('wcp_search_text', { deterministic: true }, (body: unknown) => searchableText(String(body ?? '')));
    this.path = path;
    if (path !== ':memory:' && takeOver) {
      this.db.pragma(`wal_autocheckpoint = ${WRITER_CHECKPOINT_PAGES}`);
      // Without the thread, SQLite's own checkpoints again, at its default size, so the log cannot grow without end.
      this.checkpointer = new WalCheckpointer(path, (error) => {
        // Said, not silent: the relay goes on, a little slower under load (wal-checkpointer.ts).
        process.emitWarning(`The WAL checkpoint thread stopped (${error.message}); the relay checkpoints on its own thread from now on.`, 'WcpCheckpointWarning');
        this.checkpointer = null;
        if (this.db.open) this.db.pragma('wal_autocheckpoint = 1000');
      });
    }
    this.tx = new SqliteTx(this.driver(), (sql, params) => this.runSync(sql, params), () => this.indexForSearch());
  }

  /** `sqlite:./data/relay.db` or `sqlite://./data/relay.db` → `./data/relay.db`. */
  static pathFromUrl(url: string): string {
    return url.replace(/^sqlite:(\/\/)?/, '');
  }

  /**
   * Statements are prepared once per SQL text: preparing on every call was 12 % of the
   * relay's CPU under webhook load (test/bench/README.md). The SQL is fixed text, so the
   * cache stays small.
   */
  private statement(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private runSync(sql: string, params: readonly unknown[]): Database.RunResult {
    return this.statement(sql).run(...params);
  }

  private driver(): SqlDriver {
    return {
      all: <T = Raw>(sql: string, params: readonly unknown[] = []) => {
        const statement = this.statement(sql);
        if (statement.reader) return Promise.resolve(statement.all(...params) as T[]);
        statement.run(...params);
        return Promise.resolve([]);
      },
      run: (sql: string, params: readonly unknown[] = []) => Promise.resolve(this.statement(sql).run(...params).changes),
    };
  }

  private exec(sql: string): void {
    this.statement(sql).run();
  }

  /** Makes every commit so far durable: what `synchronous = FULL` would do inside each COMMIT. */
  private syncLog(): void {
    if (this.path === ':memory:') return;
    // The WAL exists from the first commit in WAL mode and stays (reset and reused, not removed)
    // while this connection is open; fdatasync works on a read-only descriptor.
    this.log ??= fs.openSync(`${this.path}-wal`, 'r');
    fs.fdatasyncSync(this.log);
    this.fileStillOurs();
  }

  /**
   * A database file removed (or replaced) under a running relay keeps taking writes into the
   * removed file, which goes with the process: a storage audit saw ~1,200 acknowledged webhooks
   * gone after a restart. So each durable commit first checks the path still names the file it
   * wrote (one stat), and once it does not, nothing more is acknowledged or written, and
   * readiness says why (503 store_unavailable: Twilio redelivers to a relay that has its file).
   */
  private fileStillOurs(): void {
    if (this.lost) throw this.lost;
    if (!this.identity) return;
    let now: FileIdentity | null = null;
    try {
      now = identityOf(fs.statSync(this.path));
    } catch {
      // Gone: now stays null.
    }
    if (now && now.dev === this.identity.dev && now.ino === this.identity.ino) return;
    this.lost = Object.assign(
      new Error(
        `The database file ${this.path} was removed or replaced while the relay was running. What was written since is only in the removed file, ` +
          `which this process still holds open (ls -l /proc/${process.pid}/fd): copy it back before stopping the relay. Nothing more is accepted.`,
      ),
      { code: 'SQLITE_FILE_REPLACED' },
    );
    throw this.lost;
  }

  /** Runs `task` after every unit queued before it. */
  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.tail.then(task, task);
    this.tail = run.catch(() => undefined);
    return run;
  }

  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.serial(async () => {
      if (this.lost) throw this.lost;
      this.exec('BEGIN IMMEDIATE');
      try {
        const value = await work(this.tx);
        this.exec('COMMIT');
        this.syncLog();
        this.searchIndexLater();
        return value;
      } catch (error) {
        if (this.db.inTransaction) this.exec('ROLLBACK');
        throw error;
      }
    });
  }

  /**
   * Group commit for the webhook hot path: units queued in the same turn of the event loop
   * share one transaction (one fsync), each inside its own savepoint so a failing one rolls
   * back alone. Every caller is answered only after the shared commit is synced, so "written
   * durably, then acknowledged" still holds; `committed` runs between the commit and the sync.
   * One fsync per webhook was the main cost of durable webhooks (test/bench/README.md). One
   * writer: the lock order needs no sorting here.
   */
  grouped<T>(_lockOrder: string, _oneStatement: boolean, work: (tx: Tx) => Promise<T>, committed?: (value: T) => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.group.push({ work, committed: committed as ((value: unknown) => void) | undefined, resolve: resolve as (value: unknown) => void, reject });
      if (this.group.length === 1) setImmediate(() => void this.serial(() => this.commitGroup()));
    });
  }

  private async commitGroup(): Promise<void> {
    const units = this.group;
    this.group = [];
    if (units.length === 0) return;
    if (this.lost) {
      for (const unit of units) unit.reject(this.lost);
      return;
    }
    const outcomes = (await this.runOptimistic(units)) ?? (await this.runIsolated(units));
    if (!outcomes) return;
    this.searchIndexLater();
    units.forEach((unit, i) => {
      const outcome = outcomes[i]!;
      if (!outcome.ok || !unit.committed) return;
      try {
        unit.committed(outcome.value);
      } catch (error) {
        outcomes[i] = { ok: false, error };
      }
    });
    try {
      this.syncLog();
    } catch (error) {
      // Committed, but not known to be on disk: nobody is told it was stored. Twilio retries,
      // and the retry finds the MessageSid (a duplicate) if the commit did reach the disk.
      for (const unit of units) unit.reject(error);
      return;
    }
    units.forEach((unit, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) unit.resolve(outcome.value);
      else unit.reject(outcome.error);
    });
  }

  /**
   * First every unit in one pass without savepoints (two statements per webhook fewer, the
   * common case). A unit that fails rolls the whole pass back, and the group runs again with
   * one savepoint per unit (runIsolated). Each unit's ids were drawn before it ran, so a unit
   * run twice writes the same rows; nobody is answered before the one COMMIT that counts.
   */
  private async runOptimistic(units: GroupUnit[]): Promise<Outcome[] | null> {
    const outcomes: Outcome[] = [];
    try {
      this.exec('BEGIN IMMEDIATE');
      for (const unit of units) outcomes.push({ ok: true, value: await unit.work(this.tx) });
      this.exec('COMMIT');
      return outcomes;
    } catch {
      if (this.db.inTransaction) this.exec('ROLLBACK');
      return null;
    }
  }

  /** The group again, each unit in its own savepoint so a failing one rolls back alone. Null when the commit itself failed (every unit rejected). */
  private async runIsolated(units: GroupUnit[]): Promise<Outcome[] | null> {
    const outcomes: Outcome[] = [];
    try {
      this.exec('BEGIN IMMEDIATE');
      for (const unit of units) {
        this.exec('SAVEPOINT unit');
        try {
          outcomes.push({ ok: true, value: await unit.work(this.tx) });
        } catch (error) {
          this.exec('ROLLBACK TO unit');
          outcomes.push({ ok: false, error });
        }
        this.exec('RELEASE unit');
      }
      this.exec('COMMIT');
      return outcomes;
    } catch (error) {
      if (this.db.inTransaction) this.exec('ROLLBACK');
      for (const unit of units) unit.reject(error);
      return null;
    }
  }

  /** New messages are indexed for search a little later, many per transaction (migrations/006_search_index_batched.sql). */
  private searchIndexLater(): void {
    if (this.searchIndexTimer || !this.db.open) return;
    this.searchIndexTimer = setTimeout(() => {
      this.searchIndexTimer = null;
      void this.serial(async () => {
        if (this.db.open && this.indexForSearchStep()) this.searchIndexLater();
      }).catch(() => undefined);
    }, SEARCH_INDEX_DELAY_MS);
    this.searchIndexTimer.unref();
  }

  /**
   * Indexes every message past the mark. A search runs this first, so it sees every committed
   * message however recent. Inside a unit of work the rows join that unit's transaction.
   */
  private indexForSearch(): void {
    while (this.indexForSearchStep());
  }

  /** One batch past the mark, the mark moved in the same transaction; true when more may remain. */
  private indexForSearchStep(): boolean {
    const own = !this.db.inTransaction;
    if (own) this.exec('BEGIN IMMEDIATE');
    try {
      const from = (this.statement('SELECT indexed_seq FROM search_index_mark WHERE id = 1').get() as { indexed_seq: number }).indexed_seq;
      const upTo = (this.statement('SELECT MAX(seq) AS seq FROM (SELECT seq FROM messages WHERE seq > ? ORDER BY seq LIMIT ?)').get(from, SEARCH_INDEX_BATCH) as { seq: number | null }).seq;
      if (upTo !== null) {
        this.runSync('INSERT INTO messages_fts (rowid, body) SELECT seq, body FROM messages_search_text WHERE seq > ? AND seq <= ?', [from, upTo]);
        this.runSync('UPDATE search_index_mark SET indexed_seq = ? WHERE id = 1', [upTo]);
      }
      if (own) this.exec('COMMIT');
      return upTo !== null;
    } catch (error) {
      if (own && this.db.inTransaction) this.exec('ROLLBACK');
      throw error;
    }
  }

  read<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.serial(() => work(this.tx));
  }

  async migrate(): Promise<void> {
    this.db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
    const applied = new Set((this.db.prepare('SELECT version FROM schema_migrations').all() as { version: string }[]).map((r) => r.version));
    for (const file of readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.sql')).sort()) {
      if (applied.has(file)) continue;
      const sql = readFileSync(join(MIGRATIONS_DIR, file), 'utf8');
      this.db.transaction(() => {
        this.db.exec(sql);
        this.db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(file, new Date().toISOString());
      }).immediate();
    }
    this.syncLog();
    if (!this.takeOver) return;
    // One process owns an SQLite file: anything in flight belongs to a process that stopped. A
    // send keeps its lease, as with a stopped PostgreSQL instance (OUTBOX_LEASE_MS): the request
    // that process made may still reach Twilio, which is asked only once the lease lapses.
    this.db.exec('UPDATE crm_sync SET lease_until = NULL');
    // Messages committed but not yet indexed when the last process stopped.
    this.searchIndexLater();
  }

  /**
   * Ready means a commit can be made durable now. For the relay that owns the file, a small
   * write proves it (one WAL frame): a full disk, a read-only file, a write lock held by another
   * process or the file removed under it says not ready, and a freed disk ready again. A
   * `SELECT 1` said ready through all of these (the storage audit).
   */
  async ping(): Promise<void> {
    if (this.path === ':memory:' || !this.takeOver) {
      this.db.prepare('SELECT 1').get();
      return;
    }
    await this.transaction(async () => this.exec('UPDATE search_index_mark SET indexed_seq = indexed_seq WHERE id = 1'));
  }

  async close(): Promise<void> {
    if (!this.db.open) return;
    // Webhooks already queued are written (and answered) before the connection goes.
    if (this.group.length) await this.serial(() => this.commitGroup());
    await this.tail;
    // Messages not yet indexed stay past the mark: the next open (or search) indexes them.
    if (this.searchIndexTimer) clearTimeout(this.searchIndexTimer);
    this.searchIndexTimer = null;
    // The last connection to close checkpoints the log and removes it: the relay's, after the thread's.
    await this.checkpointer?.stop();
    this.db.close();
    if (this.log !== null) fs.closeSync(this.log);
  }
}

interface FileIdentity {
  dev: number;
  ino: number;
}

function identityOf(stats: fs.Stats): FileIdentity {
  return { dev: stats.dev, ino: stats.ino };
}
