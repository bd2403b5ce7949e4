/** The relay's Store on the embedded SQLite database (in-process; the relay runs it on a thread of its own, see sqlite-thread/worker-store.ts). */
import { RelayStore } from '../usecases/relay-store.ts';
import { SqliteDatabase } from './sqlite/sqlite-database.ts';

export class SqliteStore extends RelayStore {
  /** `path` is a file path or ':memory:'. */
  constructor(path: string) {
    super(new SqliteDatabase(path));
  }

  static pathFromUrl(url: string): string {
    return SqliteDatabase.pathFromUrl(url);
  }
}
