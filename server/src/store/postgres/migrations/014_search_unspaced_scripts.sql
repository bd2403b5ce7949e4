-- migrate: outside a transaction
-- Transcript search finds words inside Chinese and Japanese sentences. The parser took a run of
-- Han or kana for one word (the whole sentence), so "包裹" was not found in "我的包裹没有到".
-- The indexed text now also has a mark (U+0001) on each side of every Han or kana character, so
-- each is a word of its own, and a search looks for a typed word's characters side by side
-- (pg-tx.ts SEARCH_TEXT and tsPrefixQuery; the ranges are @wcp/protocol/search-words UNSPACED_RANGES).
-- The search query repeats this expression exactly, or the planner would not use the index.
--
-- Built CONCURRENTLY under a new name before the old index goes, so inserts are never held off
-- and searches always have an index (an instance still on the old code searches without one
-- until it is replaced). A build cut short leaves an invalid index and this migration
-- unrecorded; the first statement clears it when the migration runs again.
DROP INDEX CONCURRENTLY IF EXISTS messages_search_text;
CREATE INDEX CONCURRENTLY messages_search_text ON messages
  USING gin (to_tsvector('wcp_search'::regconfig, regexp_replace(regexp_replace(body, '[!-/:-@\[-`{-~]+', chr(1) || '\&' || chr(1), 'g'), '[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]', chr(1) || '\&' || chr(1), 'g')));
DROP INDEX CONCURRENTLY IF EXISTS messages_search_words;
