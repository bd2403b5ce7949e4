-- Whether an offer names its agent (a supervisor's assignment, a transfer to that agent) or the
-- router chose a member of the queue: a queue edit takes back only the router's offers from the
-- agents who left the queue (usecases/put-queue.ts). Live offers made before this column count as
-- named when a transfer carried them, as that rule read them until now.
ALTER TABLE conversations ADD COLUMN offer_named INTEGER NOT NULL DEFAULT 0;
UPDATE conversations SET offer_named = 1 WHERE state = 'open' AND offer_agent_id IS NOT NULL AND transfer IS NOT NULL;
