-- The CRM record (Dataverse): which conversations' activity must be written again.
-- crm_sync_cursor: how far into the event log the CRM writer has looked (one row).
-- crm_sync: one row per conversation with a write due; `version` grows with every change,
-- so a write that finishes after a newer change leaves the row due.
CREATE TABLE crm_sync_cursor (
  id integer PRIMARY KEY CHECK (id = 1),
  event_id bigint NOT NULL
);
INSERT INTO crm_sync_cursor (id, event_id) VALUES (1, 0);

CREATE TABLE crm_sync (
  conversation_id text PRIMARY KEY REFERENCES conversations (id),
  version integer NOT NULL DEFAULT 1,
  due_at bigint NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  lease_until bigint,
  failed_at bigint,
  last_error text
);
CREATE INDEX crm_sync_due ON crm_sync (due_at) WHERE failed_at IS NULL;
