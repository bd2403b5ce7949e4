-- Agents: presence and capacity drive routing.
CREATE TABLE agents (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  presence TEXT NOT NULL DEFAULT 'offline',
  capacity INTEGER NOT NULL,
  last_offered_at INTEGER,
  updated_at INTEGER NOT NULL
);

CREATE TABLE conversations (
  id TEXT PRIMARY KEY,
  state TEXT NOT NULL,
  customer_phone TEXT NOT NULL,
  profile_name TEXT,
  wa_id TEXT,
  business_phone TEXT NOT NULL,
  assigned_agent_id TEXT,
  offer_agent_id TEXT,
  offer_expires_at INTEGER,
  last_inbound_at INTEGER,
  linked_record TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
-- One open conversation per customer number and business number.
CREATE UNIQUE INDEX conversations_one_open ON conversations (customer_phone, business_phone) WHERE state <> 'closed';
CREATE INDEX conversations_assigned ON conversations (assigned_agent_id, state);
CREATE INDEX conversations_offer ON conversations (offer_agent_id);
CREATE INDEX conversations_customer ON conversations (customer_phone, created_at);

CREATE TABLE offer_declines (
  conversation_id TEXT NOT NULL,
  agent_id TEXT NOT NULL,
  declined_at INTEGER NOT NULL,
  PRIMARY KEY (conversation_id, agent_id)
);

CREATE TABLE messages (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  conversation_id TEXT NOT NULL REFERENCES conversations (id),
  direction TEXT NOT NULL,
  body TEXT NOT NULL,
  status TEXT NOT NULL,
  error_code INTEGER,
  error_message TEXT,
  twilio_sid TEXT UNIQUE,
  media TEXT NOT NULL DEFAULT '[]',
  reply_to_sid TEXT,
  reply_to_id TEXT,
  template TEXT,
  agent_id TEXT,
  client_id TEXT,
  created_at INTEGER NOT NULL
);
CREATE INDEX messages_conversation ON messages (conversation_id, seq);
-- The panel's outbox resends with the same clientId: it is stored once.
CREATE UNIQUE INDEX messages_client ON messages (agent_id, client_id) WHERE client_id IS NOT NULL;

CREATE VIRTUAL TABLE messages_fts USING fts5 (body, content = 'messages', content_rowid = 'seq', tokenize = 'unicode61 remove_diacritics 2');
CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
  INSERT INTO messages_fts (rowid, body) VALUES (new.seq, new.body);
END;

-- Outbound messages not yet accepted by Twilio. A row in flight whose lease ran out
-- belongs to a stopped process: it is checked against Twilio before any resend.
CREATE TABLE outbox (
  message_id TEXT PRIMARY KEY REFERENCES messages (id),
  sender TEXT NOT NULL,
  recipient TEXT NOT NULL,
  state TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  inflight_since INTEGER,
  lease_until INTEGER
);
CREATE INDEX outbox_due ON outbox (state, next_attempt_at);

-- Per-sender pacing (WhatsApp's 80 messages a second).
CREATE TABLE sender_slots (
  sender TEXT PRIMARY KEY,
  next_slot_at INTEGER NOT NULL
);

-- Status callbacks that arrived before we knew the MessageSid.
CREATE TABLE parked_statuses (
  message_sid TEXT NOT NULL,
  status TEXT NOT NULL,
  error_code INTEGER,
  error_message TEXT,
  received_at INTEGER NOT NULL,
  PRIMARY KEY (message_sid, status)
);

-- The durable event log agents' streams read by cursor.
CREATE TABLE events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  type TEXT NOT NULL,
  agent_id TEXT,
  data TEXT NOT NULL
);
CREATE INDEX events_agent ON events (agent_id, id);

CREATE TABLE notes (
  id TEXT PRIMARY KEY,
  conversation_id TEXT NOT NULL REFERENCES conversations (id),
  agent_id TEXT NOT NULL,
  agent_name TEXT NOT NULL,
  body TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX notes_conversation ON notes (conversation_id, created_at);

CREATE TABLE media (
  id TEXT PRIMARY KEY,
  conversation_id TEXT,
  content_type TEXT NOT NULL,
  filename TEXT,
  size INTEGER,
  source_url TEXT,
  bytes BLOB,
  public_token TEXT UNIQUE,
  public_expires_at INTEGER,
  agent_id TEXT,
  created_at INTEGER NOT NULL
);

-- Configuration data: quick replies, agent scripts, WhatsApp templates.
CREATE TABLE config_items (
  kind TEXT NOT NULL,
  id TEXT NOT NULL,
  position INTEGER NOT NULL,
  data TEXT NOT NULL,
  PRIMARY KEY (kind, id)
);
