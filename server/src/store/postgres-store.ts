/** The relay's Store on PostgreSQL, for several instances sharing one database. */
import { RelayStore } from '../usecases/relay-store.ts';
import { PostgresDatabase } from './postgres/postgres-database.ts';

export class PostgresStore extends RelayStore {
  constructor(private readonly postgres: PostgresDatabase) {
    super(postgres);
  }

  /** `postgres://user@host:5432/db` (optionally `?schema=name`); `schema` in options wins. */
  static fromUrl(url: string, options: Parameters<typeof PostgresDatabase.fromUrl>[1] = {}): PostgresStore {
    return new PostgresStore(PostgresDatabase.fromUrl(url, options));
  }

  /** Several instances share this store: their request limits are counted here (Store.countRequest). */
  countRequest(key: string, windowMs: number): Promise<{ count: number; ttlMs: number }> {
    return this.postgres.countRequest(key, windowMs);
  }

  forgetLapsedRequestLimits(): Promise<number> {
    return this.postgres.forgetLapsedRequestLimits();
  }
}
