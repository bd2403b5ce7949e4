-- The router offers the customers waiting for an agent in the order they began to wait
-- (conversation-rules.ts waitingFrom: since a transfer sent them back to a queue, else since the
-- conversation began), not the order their conversations began. Led by the state, as
-- conversations_state: SQLite's planner then reads the open ones in that order, with no sort (it
-- passes over a partial index on open conversations for the state index and a sort).
CREATE INDEX conversations_waiting ON conversations (state, COALESCE(waiting_since, created_at), id);
