-- migrate: outside a transaction
-- The search index reads each message's search_text (migration 016) where it has one, so a word
-- inside a Thai, Lao, Khmer or Myanmar sentence is a word of its own, as in SQLite's index
-- (pg-tx.ts SEARCH_TEXT: the search query repeats this expression exactly, or the planner would
-- not use the index).
--
-- As in 014: built CONCURRENTLY under a new name before the old index goes, so inserts are never
-- held off; an instance still on the old code searches without an index until it is replaced. A
-- build cut short leaves an invalid index and this migration unrecorded; the first statement
-- clears it when the migration runs again.
DROP INDEX CONCURRENTLY IF EXISTS messages_search_document;
CREATE INDEX CONCURRENTLY messages_search_document ON messages
  USING gin (to_tsvector('wcp_search'::regconfig, regexp_replace(regexp_replace(COALESCE(search_text, body), '[!-/:-@\[-`{-~]+', chr(1) || '\&' || chr(1), 'g'), '[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]', chr(1) || '\&' || chr(1), 'g')));
DROP INDEX CONCURRENTLY IF EXISTS messages_search_text;
