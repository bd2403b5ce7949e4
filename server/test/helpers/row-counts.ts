/** Row counts of every table the relay writes, to prove a refused request wrote nothing. */
import type Database from 'better-sqlite3';
import type { SqliteStore } from '../../src/store/sqlite-store.ts';

const TABLES = ['agents', 'conversations', 'offer_declines', 'messages', 'outbox', 'parked_statuses', 'events', 'notes', 'media'] as const;

export function rowCounts(store: SqliteStore): Record<string, number> {
  // The store keeps its connection private; tests read through it (same in-memory database).
  const db = (store as unknown as { database: { db: Database.Database } }).database.db;
  return Object.fromEntries(TABLES.map((t) => [t, Number((db.prepare(`SELECT COUNT(*) AS n FROM ${t}`).get() as { n: number }).n)]));
}

/** A whole agent's or conversation's columns that change over time, for "nothing changed" checks. */
export function conversationRow(store: SqliteStore, id: string): Record<string, unknown> | undefined {
  const db = (store as unknown as { database: { db: Database.Database } }).database.db;
  return db.prepare('SELECT * FROM conversations WHERE id = ?').get(id) as Record<string, unknown> | undefined;
}
