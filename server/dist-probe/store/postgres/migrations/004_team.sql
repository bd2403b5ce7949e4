-- Team work: queues, transfer, consult, wrap-up (issue 14).
-- queue_id: the queue a conversation waits in; set on open from its business number
-- (queue_numbers), else the default queue 'general' (domain/queues.ts DEFAULT_QUEUE_ID).
ALTER TABLE conversations ADD COLUMN queue_id text NOT NULL DEFAULT 'general';
-- The wrap-up: a disposition id (or 'auto-closed') and the agent's summary; null until closed.
ALTER TABLE conversations ADD COLUMN disposition text;
ALTER TABLE conversations ADD COLUMN summary text;
-- Agents consulted on it (JSON array of ids): they read it and add notes.
ALTER TABLE conversations ADD COLUMN consultants text NOT NULL DEFAULT '[]';
-- The customer's conversation before this one (same customer and business number).
ALTER TABLE conversations ADD COLUMN previous_conversation_id text;
-- When it went back to waiting for an agent (a transfer); null: since created_at.
ALTER TABLE conversations ADD COLUMN waiting_since bigint;
-- Who handed it over and the note (JSON), until an agent accepts it.
ALTER TABLE conversations ADD COLUMN transfer jsonb;
CREATE INDEX conversations_queue ON conversations (queue_id, state);
CREATE INDEX conversations_idle ON conversations (state, last_inbound_at);

CREATE TABLE queues (
  id text PRIMARY KEY,
  name text NOT NULL
);
INSERT INTO queues (id, name) VALUES ('general', 'General');
-- Members of queues other than 'general' (whose members are the agents in no other queue).
CREATE TABLE queue_members (
  queue_id text NOT NULL,
  agent_id text NOT NULL,
  PRIMARY KEY (queue_id, agent_id)
);
-- A business number (E.164, no whatsapp: prefix) belongs to one queue at most.
CREATE TABLE queue_numbers (
  number text PRIMARY KEY,
  queue_id text NOT NULL
);
