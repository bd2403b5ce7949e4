/** The relay's Store on the embedded SQLite database, in the relay's process (open-store.ts says why not on a thread). */
import { RelayStore } from '../usecases/relay-store.ts';
import { SqliteDatabase } from './sqlite/sqlite-database.ts';

export class SqliteStore extends RelayStore {
  /** `path` is a file path or ':memory:'; `takeOver`: see SqliteDatabase (false only for checks beside a running relay). */
  constructor(path: string, takeOver = true) {
    super(new SqliteDatabase(path, takeOver));
  }

  static pathFromUrl(url: string): string {
    return SqliteDatabase.pathFromUrl(url);
  }
}
