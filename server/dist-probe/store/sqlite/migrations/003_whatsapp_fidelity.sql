-- WhatsApp fidelity (issue 15).
-- What an inbound message carries beyond text and media (JSON: location, contacts, button,
-- forwarded, unsupported with MessageType and the raw parameters); NULL for plain messages.
ALTER TABLE messages ADD COLUMN whatsapp TEXT;
-- The Click-to-WhatsApp ad a conversation began from (JSON), and the business's first reply
-- (the free entry point's 72 hours run from it).
ALTER TABLE conversations ADD COLUMN referral TEXT;
ALTER TABLE conversations ADD COLUMN first_reply_at INTEGER;
-- The customer's consent for this business number, as the newest consent_log row says;
-- copied onto every conversation of the pair so a send is refused without a join.
ALTER TABLE conversations ADD COLUMN opted_out INTEGER NOT NULL DEFAULT 0;

-- Every opt-out and opt-in, with its time and cause (an auditor reads it; never updated).
CREATE TABLE consent_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  customer_phone TEXT NOT NULL,
  business_phone TEXT NOT NULL,
  opted_out INTEGER NOT NULL,
  cause TEXT NOT NULL,
  message_id TEXT,
  created_at INTEGER NOT NULL
);
CREATE INDEX consent_log_pair ON consent_log (customer_phone, business_phone, id);
