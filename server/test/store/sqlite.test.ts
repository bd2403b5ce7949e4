import type Database from 'better-sqlite3';
import { describe, it } from 'node:test';
import { SqliteStore } from '../../src/store/sqlite-store.ts';
import { storeContract } from './contract.ts';
import { assertNoIndexOnInboundColumns } from './inbound-indexes.ts';
import { teamContract } from './team-contract.ts';

storeContract('SQLite', async () => {
  const store = new SqliteStore(':memory:');
  await store.migrate();
  return store;
});

teamContract('SQLite', async () => {
  const store = new SqliteStore(':memory:');
  await store.migrate();
  return store;
});

describe('SQLite schema', () => {
  it('indexes no column of conversations that every inbound message changes', async () => {
    const store = new SqliteStore(':memory:');
    await store.migrate();
    const db = (store as unknown as { database: { db: Database.Database } }).database.db;
    // Automatic indexes (the primary key) have no SQL: the key is id, which never changes.
    assertNoIndexOnInboundColumns(db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'conversations' AND sql IS NOT NULL`).all() as { name: string; sql: string }[]);
    await store.close();
  });
});
