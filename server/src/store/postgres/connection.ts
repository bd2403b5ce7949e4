/**
 * The one home of the rule "a dying PostgreSQL connection never ends the process".
 *
 * `pg` emits 'error' on a client whose connection dies (the server terminated it, the
 * network dropped). While a client sits idle in a pool, the pool listens and re-emits on
 * itself — so every pool needs an 'error' listener (guardPool). While a client is checked
 * out (pool.connect()), nobody listens: an 'error' then is an unhandled 'error' event and
 * the process exits. Every checkout goes through checkout(), which listens for the
 * checkout's lifetime, remembers the client as broken and releases it with the error, so
 * the pool destroys it instead of handing it on.
 *
 * isConnectionError() says whether an error means "the database is unreachable" (as
 * opposed to a query or constraint error): the HTTP layer answers those with 503.
 */
import type pg from 'pg';
import { errorChain } from '../../domain/errors.ts';

export interface PgLogger {
  warn(obj: object, msg: string): void;
}

/** Without a logger of its own, one JSON line on stderr (the relay's log format). */
export const stderrLogger: PgLogger = {
  warn(obj, msg) {
    const fields = Object.fromEntries(
      Object.entries(obj).map(([key, value]) => [key, value instanceof Error ? { type: value.name, message: value.message, code: (value as { code?: unknown }).code } : value]),
    );
    process.stderr.write(`${JSON.stringify({ level: 40, time: Date.now(), ...fields, msg })}\n`);
  },
};

/** Logs a pool's idle-connection errors instead of letting them end the process. Returns the pool. */
export function guardPool<P extends pg.Pool>(pool: P, name: string, logger: PgLogger = stderrLogger): P {
  pool.on('error', (err) => {
    logger.warn({ err, pool: name }, 'postgres: an idle connection failed; it was dropped and the next query reconnects');
  });
  return pool;
}

export interface Checkout {
  readonly client: pg.PoolClient;
  /** The error the connection died with while checked out, if it did. */
  readonly broken: Error | undefined;
  /** Back to the pool, or destroyed if it broke (or `error` says it must not be reused). Once. */
  release(error?: Error): void;
}

/** pool.connect() with an 'error' listener for as long as the client is out of the pool. */
export async function checkout(pool: pg.Pool, name: string, logger: PgLogger = stderrLogger): Promise<Checkout> {
  const client = await pool.connect();
  let broken: Error | undefined;
  let released = false;
  const onError = (err: Error) => {
    broken ??= err;
    logger.warn({ err, pool: name }, 'postgres: a connection in use failed; it will be destroyed, not reused');
  };
  client.on('error', onError);
  return {
    client,
    get broken() {
      return broken;
    },
    release(error?: Error) {
      if (released) return;
      released = true;
      const reason = broken ?? error;
      // Once released, the pool listens again (and destroys a broken client at once).
      client.removeListener('error', onError);
      // A broken client may still emit (socket close after the error): keep it from crashing.
      if (reason) client.on('error', () => undefined);
      client.release(reason ?? undefined);
    },
  };
}

/** PostgreSQL SQLSTATEs of a lost or refused connection: admin shutdown, crash shutdown, cannot connect now, connection exceptions. */
const CONNECTION_SQLSTATES = new Set(['57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006']);
/** Node's socket errors on the way to the database. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
const CONNECTION_MESSAGES = [
  /Connection terminated/i,
  /terminating connection/i,
  /Client has encountered a connection error/i,
  /Client was closed and is not queryable/i,
  /timeout exceeded when trying to connect/i,
  /Cannot use a pool after calling end/i,
  // pg's query_timeout: no answer on the connection (postgres-database.ts QUERY_TIMEOUT_MS).
  /Query read timeout/i,
];

/** True when `error` means the database could not be reached (or the connection died), not that a statement failed. */
export function isConnectionError(error: unknown): boolean {
  for (const e of errorChain(error)) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (CONNECTION_SQLSTATES.has(code) || SOCKET_CODES.has(code))) return true;
    // An AggregateError (every address of localhost refused) carries the causes in `errors`.
    const inner = (e as { errors?: unknown }).errors;
    if (Array.isArray(inner) && inner.some((x) => isConnectionError(x))) return true;
    const message = (e as { message?: unknown }).message;
    if (typeof message === 'string' && CONNECTION_MESSAGES.some((re) => re.test(message))) return true;
  }
  return false;
}
