-- The router offers the customers waiting for an agent in the order they began to wait
-- (conversation-rules.ts waitingFrom: since a transfer sent them back to a queue, else since the
-- conversation began), not the order their conversations began. It replaces the open
-- conversations' index by creation time, which only that order used (the others by state and
-- creation time have conversations_state).
DROP INDEX conversations_open;
CREATE INDEX conversations_waiting ON conversations ((COALESCE(waiting_since, created_at)), id) WHERE state = 'open';
