-- migrate: outside a transaction
-- The router offers the customers waiting for an agent in the order they began to wait
-- (conversation-rules.ts waitingFrom: since a transfer sent them back to a queue, else since the
-- conversation began), not the order their conversations began. It replaces the open
-- conversations' index by creation time, which only that order used (the others by state and
-- creation time have conversations_state).
--
-- Built CONCURRENTLY, as 008_search_words: a plain CREATE INDEX scans every conversation, closed
-- ones included, while holding off each new conversation's insert. A build cut short leaves an
-- invalid index and this migration unrecorded; the first statement clears it on the next run.
DROP INDEX CONCURRENTLY IF EXISTS conversations_waiting;
CREATE INDEX CONCURRENTLY conversations_waiting ON conversations ((COALESCE(waiting_since, created_at)), id) WHERE state = 'open';
DROP INDEX CONCURRENTLY IF EXISTS conversations_open;
