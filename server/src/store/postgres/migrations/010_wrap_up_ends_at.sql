-- When a conversation left in wrap-up closes by itself (WRAP_UP_CLOSE_AFTER): set on entering
-- wrap-up to that moment plus the configured time, so the time the agent's panel was shown
-- holds; null: no timer. Only rows in wrap-up are looked up by it, through conversations_state
-- (state, created_at), so it needs no index of its own.
ALTER TABLE conversations ADD COLUMN wrapup_ends_at bigint;
