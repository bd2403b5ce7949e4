-- PostgreSQL schema: the same tables as the SQLite adapter's 001_init.sql. Timestamps are
-- epoch milliseconds in bigint, except the pacing columns (sender slots, outbox leases),
-- which carry fractions of a millisecond: 80 messages a second is one every 12.5 ms.

-- Agents: presence and capacity drive routing.
CREATE TABLE agents (
  id text PRIMARY KEY,
  name text NOT NULL,
  role text NOT NULL,
  presence text NOT NULL DEFAULT 'offline',
  capacity integer NOT NULL,
  last_offered_at bigint,
  updated_at bigint NOT NULL
);

CREATE TABLE conversations (
  id text PRIMARY KEY,
  state text NOT NULL,
  customer_phone text NOT NULL,
  profile_name text,
  wa_id text,
  business_phone text NOT NULL,
  assigned_agent_id text,
  offer_agent_id text,
  offer_expires_at bigint,
  last_inbound_at bigint,
  linked_record jsonb,
  created_at bigint NOT NULL,
  updated_at bigint NOT NULL
);
-- One open conversation per customer number and business number; concurrent first
-- messages from one customer (on different instances) meet here and end in one row.
CREATE UNIQUE INDEX conversations_one_open ON conversations (customer_phone, business_phone) WHERE state <> 'closed';
CREATE INDEX conversations_assigned ON conversations (assigned_agent_id, state);
CREATE INDEX conversations_offer ON conversations (offer_agent_id);
CREATE INDEX conversations_customer ON conversations (customer_phone, created_at);
CREATE INDEX conversations_open ON conversations (created_at) WHERE state = 'open';

CREATE TABLE offer_declines (
  conversation_id text NOT NULL,
  agent_id text NOT NULL,
  declined_at bigint NOT NULL,
  PRIMARY KEY (conversation_id, agent_id)
);

-- Transcript search folds accents like SQLite's unicode61 tokenizer (remove_diacritics):
-- "cafe" finds "café". unaccent is a trusted extension (PostgreSQL 13+), installed once
-- per database in public so dropping one deployment's schema never takes it along.
-- Where it cannot be installed, search still works, without folding accents.
CREATE TEXT SEARCH CONFIGURATION wcp_search (COPY = pg_catalog.simple);
DO $$
DECLARE dict text;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'unaccent') THEN
    BEGIN
      CREATE EXTENSION unaccent SCHEMA public;
    EXCEPTION WHEN insufficient_privilege OR undefined_file OR invalid_schema_name THEN
      RAISE WARNING 'the unaccent extension is not available (%): transcript search will not fold accents', SQLERRM;
    END;
  END IF;
  SELECT format('%I.%I', n.nspname, d.dictname) INTO dict
  FROM pg_ts_dict d JOIN pg_namespace n ON n.oid = d.dictnamespace
  WHERE d.dictname = 'unaccent';
  IF dict IS NOT NULL THEN
    EXECUTE format('ALTER TEXT SEARCH CONFIGURATION wcp_search ALTER MAPPING FOR word, hword, hword_part, numword, numhword, hword_numpart WITH %s, pg_catalog.simple', dict);
  END IF;
END $$;

CREATE TABLE messages (
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id text NOT NULL UNIQUE,
  conversation_id text NOT NULL REFERENCES conversations (id),
  direction text NOT NULL,
  body text NOT NULL,
  status text NOT NULL,
  error_code integer,
  error_message text,
  -- Inbound dedupe: the same webhook delivered to two instances is stored once.
  twilio_sid text CONSTRAINT messages_twilio_sid_key UNIQUE,
  media jsonb NOT NULL DEFAULT '[]',
  reply_to_sid text,
  reply_to_id text,
  template jsonb,
  agent_id text,
  client_id text,
  created_at bigint NOT NULL,
  -- The configuration is named by OID once the column exists, so search_path does not matter later.
  body_tsv tsvector GENERATED ALWAYS AS (to_tsvector('wcp_search', body)) STORED
);
CREATE INDEX messages_conversation ON messages (conversation_id, seq);
CREATE INDEX messages_search ON messages USING gin (body_tsv);
-- The panel's outbox resends with the same clientId: it is stored once.
CREATE UNIQUE INDEX messages_client ON messages (agent_id, client_id) WHERE client_id IS NOT NULL;

-- Outbound messages not yet accepted by Twilio. A row in flight whose lease ran out
-- belongs to a stopped process: it is checked against Twilio before any resend.
CREATE TABLE outbox (
  message_id text PRIMARY KEY REFERENCES messages (id),
  sender text NOT NULL,
  recipient text NOT NULL,
  state text NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at double precision NOT NULL,
  inflight_since double precision,
  lease_until double precision
);
CREATE INDEX outbox_due ON outbox (state, next_attempt_at);

-- Per-sender pacing (WhatsApp's 80 messages a second), shared by every instance: a
-- claim locks its senders' rows until it commits.
CREATE TABLE sender_slots (
  sender text PRIMARY KEY,
  next_slot_at double precision NOT NULL
);

-- Status callbacks that arrived before we knew the MessageSid.
CREATE TABLE parked_statuses (
  message_sid text NOT NULL,
  status text NOT NULL,
  error_code integer,
  error_message text,
  received_at bigint NOT NULL,
  PRIMARY KEY (message_sid, status)
);

-- The durable event log agents' streams read by cursor. Ids become visible in commit
-- order (see PostgresStore's event flush), so "id > cursor" never skips one.
CREATE TABLE events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  type text NOT NULL,
  agent_id text,
  data json NOT NULL
);
CREATE INDEX events_agent ON events (agent_id, id);

CREATE TABLE notes (
  id text PRIMARY KEY,
  conversation_id text NOT NULL REFERENCES conversations (id),
  agent_id text NOT NULL,
  agent_name text NOT NULL,
  body text NOT NULL,
  created_at bigint NOT NULL
);
CREATE INDEX notes_conversation ON notes (conversation_id, created_at);

CREATE TABLE media (
  id text PRIMARY KEY,
  conversation_id text,
  content_type text NOT NULL,
  filename text,
  size integer,
  source_url text,
  bytes bytea,
  public_token text UNIQUE,
  public_expires_at bigint,
  agent_id text,
  created_at bigint NOT NULL
);

-- Configuration data: quick replies, agent scripts, WhatsApp templates.
CREATE TABLE config_items (
  kind text NOT NULL,
  id text NOT NULL,
  position integer NOT NULL,
  data json NOT NULL,
  PRIMARY KEY (kind, id)
);
