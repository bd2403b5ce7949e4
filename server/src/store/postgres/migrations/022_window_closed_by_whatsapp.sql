-- When WhatsApp was found to have refused a reply as outside the 24-hour window (Twilio 63016):
-- the window closes there, a little before the relay's own clock says (window/policy.ts
-- replyWindowCloses), until the customer writes again. Instances of the version before ignore
-- the column: they count the 24 hours alone, as before.
ALTER TABLE conversations ADD COLUMN window_closed_at bigint;
