-- When a conversation closed (usecases/change-state.ts closeConversation): the end of its CRM
-- activity (actualend). updated_at moves on after the close (the agent links a record, the
-- customer opts out), so it cannot serve. Conversations closed before this column: their last
-- change is the best time known.
ALTER TABLE conversations ADD COLUMN closed_at INTEGER;
UPDATE conversations SET closed_at = updated_at WHERE state = 'closed';
