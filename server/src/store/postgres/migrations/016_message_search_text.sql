-- migrate: outside a transaction
-- Transcript search finds words inside Thai, Lao, Khmer and Myanmar sentences, which are written
-- without spaces between words. Only the relay's JavaScript can find those words (ICU's
-- dictionaries: sql/search-terms.ts dictionaryWordBreaks), so the text as search reads it is
-- kept beside the body, written with each message; NULL for every other message.
--
-- After this file the relay fills it in for the messages already stored, in batches that each
-- commit (search-text-backfill.ts); the migration is recorded once that is done, so an
-- interrupted start does it again from where it stopped. Migration 017 then indexes it.
ALTER TABLE messages ADD COLUMN IF NOT EXISTS search_text text;
