-- A customer's message joins the pair's conversation only while it is open, active or waiting
-- (domain/conversation-rules.ts CUSTOMER_STATES): once its agent has ended it (wrap-up) the
-- customer's side is over, and their next message opens a new conversation for the queue while
-- the agent finishes the wrap-up. So a wrap-up no longer holds the pair's one place. The inbound
-- upsert (pg-tx.ts RECORD_INBOUND) names this predicate in its ON CONFLICT: an instance of an
-- older version, whose ON CONFLICT names the old one, fails every inbound webhook from here until
-- it is replaced (docs/scale-out.md, upgrades).
DROP INDEX conversations_one_open;
CREATE UNIQUE INDEX conversations_one_open ON conversations (customer_phone, business_phone) WHERE state IN ('open', 'active', 'waiting');
