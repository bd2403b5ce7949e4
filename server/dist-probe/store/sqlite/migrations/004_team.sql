-- Team work: queues, transfer, consult, wrap-up (issue 14).
-- queue_id: the queue a conversation waits in; set on open from its business number
-- (queue_numbers), else the default queue 'general' (domain/queues.ts DEFAULT_QUEUE_ID).
ALTER TABLE conversations ADD COLUMN queue_id TEXT NOT NULL DEFAULT 'general';
-- The wrap-up: a disposition id (or 'auto-closed') and the agent's summary; null until closed.
ALTER TABLE conversations ADD COLUMN disposition TEXT;
ALTER TABLE conversations ADD COLUMN summary TEXT;
-- Agents consulted on it (JSON array of ids): they read it and add notes.
ALTER TABLE conversations ADD COLUMN consultants TEXT NOT NULL DEFAULT '[]';
-- The customer's conversation before this one (same customer and business number).
ALTER TABLE conversations ADD COLUMN previous_conversation_id TEXT;
-- When it went back to waiting for an agent (a transfer); null: since created_at.
ALTER TABLE conversations ADD COLUMN waiting_since INTEGER;
-- Who handed it over and the note (JSON), until an agent accepts it.
ALTER TABLE conversations ADD COLUMN transfer TEXT;
CREATE INDEX conversations_queue ON conversations (queue_id, state);
CREATE INDEX conversations_idle ON conversations (state, last_inbound_at);

CREATE TABLE queues (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL
);
INSERT INTO queues (id, name) VALUES ('general', 'General');
-- Members of queues other than 'general' (whose members are the agents in no other queue).
CREATE TABLE queue_members (
  queue_id TEXT NOT NULL,
  agent_id TEXT NOT NULL,
  PRIMARY KEY (queue_id, agent_id)
);
-- A business number (E.164, no whatsapp: prefix) belongs to one queue at most.
CREATE TABLE queue_numbers (
  number TEXT PRIMARY KEY,
  queue_id TEXT NOT NULL
);
