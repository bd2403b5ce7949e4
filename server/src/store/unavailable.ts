/**
 * Whether a failed request failed because the store cannot take it now — unreachable, out of
 * room, read-only, locked by another process, its file gone — rather than because of the request
 * or a defect. Those are answered `503 store_unavailable` (retry shortly; Twilio sees a refusal,
 * not a defect), the others `500`. A storage audit found disk-full and read-only SQLite, and a
 * PostgreSQL refusing connections, answered 500 (docs/scale-out.md, "When something fails").
 */
import { errorChain } from '../domain/errors.ts';
import { isConnectionError } from './postgres/connection.ts';

/**
 * PostgreSQL SQLSTATEs of a database that cannot take writes or connections now: database not
 * accepting connections (55000), too many connections (53300), disk full (53100), out of memory
 * (53200), read-only after a failover to a standby (25006), I/O error (58030).
 */
const UNAVAILABLE_SQLSTATES = new Set(['55000', '53300', '53100', '53200', '25006', '58030']);

/**
 * SQLite's (better-sqlite3's `code`): disk full, I/O errors, a read-only file, a file that cannot
 * be opened, the write lock held by another process past the busy timeout; and the relay's own
 * for a database file removed or replaced under it (sqlite-database.ts).
 */
const SQLITE_UNAVAILABLE = /^SQLITE_(FULL|IOERR|READONLY|CANTOPEN|BUSY|FILE_REPLACED)/;

export function isStoreUnavailable(error: unknown): boolean {
  if (isConnectionError(error)) return true;
  for (const e of errorChain(error)) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (UNAVAILABLE_SQLSTATES.has(code) || SQLITE_UNAVAILABLE.test(code))) return true;
  }
  return false;
}
