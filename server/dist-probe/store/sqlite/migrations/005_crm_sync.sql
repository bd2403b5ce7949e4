-- The CRM record (Dataverse): see the PostgreSQL migration of the same name.
CREATE TABLE crm_sync_cursor (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  event_id INTEGER NOT NULL
);
INSERT INTO crm_sync_cursor (id, event_id) VALUES (1, 0);

CREATE TABLE crm_sync (
  conversation_id TEXT PRIMARY KEY REFERENCES conversations (id),
  version INTEGER NOT NULL DEFAULT 1,
  due_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  lease_until INTEGER,
  failed_at INTEGER,
  last_error TEXT
);
CREATE INDEX crm_sync_due ON crm_sync (due_at) WHERE failed_at IS NULL;
