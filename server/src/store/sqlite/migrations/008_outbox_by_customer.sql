-- A customer's replies leave one at a time, in the order they were written: an outbox item is
-- claimed only when no earlier one to the same customer from the same sender is still in the
-- outbox (sql-tx.ts customerNextSend). This index answers that per item; the outbox holds only
-- what is still to go, so it is small and cheap to build.
CREATE INDEX outbox_customer ON outbox (sender, recipient);
