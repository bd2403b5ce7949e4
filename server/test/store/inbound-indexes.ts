/**
 * Every inbound message updates its customer's open conversation (storeInbound in
 * sqlite-tx.ts and pg-tx.ts). While no index names a column that update changes, it rewrites
 * no index page in SQLite and is a HOT update in PostgreSQL (no new entry in any of the
 * table's indexes); one index on last_inbound_at cost every webhook all of that (the
 * conversations_by_state migrations, test/bench/README.md).
 */
import assert from 'node:assert/strict';

export const INBOUND_UPDATED_COLUMNS = ['last_inbound_at', 'profile_name', 'wa_id', 'updated_at'] as const;

/** `indexes`: each index of conversations with its definition (SQL), as the database reports it. */
export function assertNoIndexOnInboundColumns(indexes: { name: string; sql: string }[]): void {
  assert.ok(indexes.length >= 5, `conversations' indexes were read (${indexes.map((i) => i.name).join(', ')})`);
  for (const { name, sql } of indexes) {
    for (const column of INBOUND_UPDATED_COLUMNS) assert.ok(!new RegExp(`\\b${column}\\b`).test(sql), `index ${name} names ${column}: ${sql}`);
  }
}
