-- Inbound messages' lexicon figures (JSON: score, comparative, tokens), scored at ingest.
-- NULL for outbound messages and for inbound ones stored before this column.
ALTER TABLE messages ADD COLUMN sentiment TEXT;
