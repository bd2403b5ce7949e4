-- Transcript search is indexed in batches after the writes commit, not by a trigger inside
-- every webhook's transaction: FTS5 flushed a new index segment at each group commit, the
-- largest single statement cost of an inbound webhook (test/bench/README.md). The mark says
-- how far the index reaches; it moves in the same transaction as the index rows, so a crash
-- loses no entry, and a search first indexes whatever is past it (sqlite-database.ts).
DROP TRIGGER messages_fts_insert;
CREATE TABLE search_index_mark (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  indexed_seq INTEGER NOT NULL
);
INSERT INTO search_index_mark (id, indexed_seq) SELECT 1, COALESCE(MAX(seq), 0) FROM messages;
