-- Per-agent request limits (sends, uploads, the library, dev tokens) counted in the database, so
-- instances behind a load balancer allow an agent each limit once, not once per instance
-- (routes/shared-rate-limit.ts). A fixed window per key, from its first request.
-- UNLOGGED: a count is not worth a WAL write; after a crash the table starts empty, which only
-- forgives what was counted so far in the current minute.
CREATE UNLOGGED TABLE request_limits (
  key text PRIMARY KEY,
  hits integer NOT NULL,
  resets_at timestamptz NOT NULL
);
