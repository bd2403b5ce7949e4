-- WhatsApp fidelity (issue 15).
-- What an inbound message carries beyond text and media (location, contacts, button,
-- forwarded, unsupported with MessageType and the raw parameters); NULL for plain messages.
ALTER TABLE messages ADD COLUMN whatsapp jsonb;
-- The Click-to-WhatsApp ad a conversation began from, and the business's first reply
-- (the free entry point's 72 hours run from it).
ALTER TABLE conversations ADD COLUMN referral jsonb;
ALTER TABLE conversations ADD COLUMN first_reply_at bigint;
-- The customer's consent for this business number, as the newest consent_log row says;
-- copied onto every conversation of the pair so a send is refused without a join.
ALTER TABLE conversations ADD COLUMN opted_out boolean NOT NULL DEFAULT false;

-- Every opt-out and opt-in, with its time and cause (an auditor reads it; never updated).
CREATE TABLE consent_log (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  customer_phone text NOT NULL,
  business_phone text NOT NULL,
  opted_out boolean NOT NULL,
  cause text NOT NULL,
  message_id text,
  created_at bigint NOT NULL
);
CREATE INDEX consent_log_pair ON consent_log (customer_phone, business_phone, id);
