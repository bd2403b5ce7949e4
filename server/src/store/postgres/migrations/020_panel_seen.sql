-- When an agent's panel last had its event stream open on a relay (usecases/absent-agents.ts): an
-- agent whose panel is gone longer than OFFLINE_AFTER_DISCONNECT is set Offline. Null: never seen
-- (an agent only the API knows is left as it is). A nullable column without a default: no rewrite.
ALTER TABLE agents ADD COLUMN panel_seen_at bigint;
