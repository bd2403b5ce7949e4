-- migrate: outside a transaction
-- Transcript search reads the words SQLite's unicode61 tokenizer and searchTerms read: runs of
-- letters and digits. PostgreSQL's parser took "jane@example.com" and "example.com/order/42"
-- as one token each (email, url) and "ORD-2024" as "ord" and "-2024", so a search for
-- "example" or "2024" found nothing there. The index is now on the body with a mark (U+0001, a
-- blank to the parser in any locale) on each side of every run of ASCII punctuation; the
-- search query repeats this expression exactly (pg-tx.ts SEARCH_DOCUMENT), or the planner
-- would not use the index.
--
-- Built CONCURRENTLY, outside a transaction: a plain CREATE INDEX holds off every insert into
-- messages (each inbound webhook) for the whole build, about 25 s per 100,000 messages. A
-- build cut short leaves an invalid index behind and this migration unrecorded; the first
-- statement clears it when the migration runs again.
DROP INDEX CONCURRENTLY IF EXISTS messages_search_words;
CREATE INDEX CONCURRENTLY messages_search_words ON messages
  USING gin (to_tsvector('wcp_search'::regconfig, regexp_replace(body, '[!-/:-@\[-`{-~]+', chr(1) || '\&' || chr(1), 'g')));
-- The old column's tsvector was computed and indexed on every insert for nothing. Dropping a
-- column only marks it dropped (no rewrite); it waits for a moment when no query reads the table.
DROP INDEX CONCURRENTLY IF EXISTS messages_search;
ALTER TABLE messages DROP COLUMN IF EXISTS body_tsv;
