-- Transcript search finds words inside Thai, Lao, Khmer and Myanmar sentences: wcp_search_text
-- (sql/search-terms.ts searchableText) now also sets their words apart, found with ICU's
-- dictionaries. And a word keeps its combining marks (categories 'L* N* Co M*'): unicode61 took
-- them for separators by default, so "चाहिए" was indexed as "च", "ह", "ए" and "ขอบคุณ" as "ขอบค",
-- "ณ", a search for "चा" found every word beginning with "च", and a snippet counted pieces of
-- words. PostgreSQL's parser keeps marks in words; both stores now index the same words. Latin
-- accents written apart are still dropped (remove_diacritics).
--
-- As in 014, the index is built again: the mark goes back to 0 and the relay indexes every
-- message in batches after it starts; a search made before it is done indexes the rest first.
DROP TABLE messages_fts;
CREATE VIRTUAL TABLE messages_fts USING fts5 (body, content = 'messages_search_text', content_rowid = 'seq', tokenize = "unicode61 remove_diacritics 2 categories 'L* N* Co M*'");
UPDATE search_index_mark SET indexed_seq = 0;
