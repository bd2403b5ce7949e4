-- Transcript search finds words inside Thai, Lao, Khmer and Myanmar sentences: wcp_search_text
-- (sql/search-terms.ts searchableText) now also sets their words apart, found with ICU's
-- dictionaries. The messages indexed before took a sentence for one word; as in 014, the index is
-- emptied and the mark goes back to 0, so the relay indexes every message again in batches after
-- it starts, and a search made before it is done indexes the rest first.
INSERT INTO messages_fts (messages_fts) VALUES ('delete-all');
UPDATE search_index_mark SET indexed_seq = 0;
