-- The event log (the panels' replay log) is kept for EVENT_LOG_RETENTION, not for ever
-- (usecases/prune-event-log.ts). Events carry no time, and the webhook should not write one: the
-- relay notes the log's newest id once an hour instead (event_log_marks), and removes the events
-- up to the newest mark older than the retention, oldest first, in batches. event_log_pruned
-- keeps how far it went, so a panel resuming from before that is told to load its
-- conversations again (its missed events are gone).
CREATE TABLE event_log_marks (
  at bigint PRIMARY KEY,
  last_id bigint NOT NULL
);
CREATE TABLE event_log_pruned (
  id integer PRIMARY KEY CHECK (id = 1),
  through bigint NOT NULL
);
INSERT INTO event_log_pruned (id, through) VALUES (1, 0);
