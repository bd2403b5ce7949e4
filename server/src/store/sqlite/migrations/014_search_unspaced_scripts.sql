-- Transcript search finds words inside Chinese and Japanese sentences. unicode61 took a run of
-- Han or kana for one token (the whole sentence), so "包裹" was not found in "我的包裹没有到".
-- The index now reads each message through wcp_search_text (sql/search-terms.ts
-- searchableText, registered on the relay's connection in sqlite-database.ts), which sets each
-- such character off as a word of its own; a search looks for a typed word's characters side
-- by side. The view is the index's content, so snippets are cut from the same text the index
-- holds. Another program reading messages_fts's content (its snippets, an integrity check)
-- needs the same function registered.
--
-- An FTS5 table's content cannot be changed in place: the index is built again. The mark goes
-- back to 0, and the relay indexes every message past it in batches after it starts
-- (sqlite-database.ts searchIndexLater); a search made before it is done indexes the rest first.
DROP TABLE messages_fts;
CREATE VIEW messages_search_text AS SELECT seq, wcp_search_text(body) AS body FROM messages;
CREATE VIRTUAL TABLE messages_fts USING fts5 (body, content = 'messages_search_text', content_rowid = 'seq', tokenize = 'unicode61 remove_diacritics 2');
UPDATE search_index_mark SET indexed_seq = 0;
