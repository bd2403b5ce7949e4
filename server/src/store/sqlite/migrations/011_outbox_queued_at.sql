-- When a reply was queued (or retried by the agent): a template Twilio cannot take yet is tried
-- again for as long as Twilio itself would hold it, counted from then (outbox/send-deadline.ts).
-- Replies already waiting count from when they were written.
ALTER TABLE outbox ADD COLUMN queued_at INTEGER;
UPDATE outbox SET queued_at = (SELECT m.created_at FROM messages m WHERE m.id = outbox.message_id);
