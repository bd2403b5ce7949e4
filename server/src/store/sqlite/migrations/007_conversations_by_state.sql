-- Conversations by state in the order they were opened, in place of (state, last_inbound_at).
-- Every inbound message moves last_inbound_at, so that index was rewritten by every webhook
-- (two of the ~12 pages a lone webhook's commit wrote to the WAL: test/bench/README.md), while
-- no query could use its second column: the auto-close sweep asks for
-- COALESCE(last_inbound_at, created_at). The queries that look conversations up by state (the
-- router's unoffered and lapsed offers, queue counts, the sweep, the supervisor's list) order
-- by created_at, which never changes, and a state changes only on a transition.
DROP INDEX conversations_idle;
CREATE INDEX conversations_state ON conversations (state, created_at);
