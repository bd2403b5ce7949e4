import type pg from 'pg';
import { DICTIONARY_CLASS_PG, dictionaryWordBreaks } from '../sql/search-terms.ts';

/** A statement on the migrating connection, not bounded by the pool's query timeout (a first batch may read a large table). */
export type MigrationQuery = <R extends pg.QueryResultRow>(text: string, values: unknown[]) => Promise<pg.QueryResult<R>>;

/** Messages read and written per statement: one batch's UPDATE holds its rows' locks briefly. */
const BATCH = 1000;

/**
 * Fills messages.search_text for the messages stored before the relay kept it (migration 016):
 * those with Thai, Lao, Khmer or Myanmar text. In seq order, each batch committed on its own, so
 * a large table is never one long transaction and a start cut short goes on where it stopped
 * (a filled row no longer matches). Returns how many messages were filled.
 */
export async function backfillSearchText(query: MigrationQuery): Promise<number> {
  let after = '0';
  let filled = 0;
  for (;;) {
    const { rows } = await query<{ seq: string; body: string }>(
      `SELECT seq, body FROM messages WHERE seq > $1 AND search_text IS NULL AND body ~ $2 ORDER BY seq LIMIT ${BATCH}`,
      [after, DICTIONARY_CLASS_PG],
    );
    if (rows.length === 0) return filled;
    await query('UPDATE messages m SET search_text = u.text FROM unnest($1::bigint[], $2::text[]) AS u (seq, text) WHERE m.seq = u.seq', [
      rows.map((r) => r.seq),
      rows.map((r) => dictionaryWordBreaks(r.body)),
    ]);
    filled += rows.length;
    after = rows.at(-1)!.seq;
  }
}
