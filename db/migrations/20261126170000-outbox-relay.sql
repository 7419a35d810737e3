-- The outbox relay (activities/relay/outboxRelay.ts): rows written with `relay = true` are
-- delivered by a loop in the worker process instead of one `deliverMessage` activity each.
-- It claims due rows in batches (FOR UPDATE SKIP LOCKED) under a lease (claimed_by, lease_until);
-- a lease that ran out (a worker killed mid-send) is claimed again. A failed attempt waits until
-- next_attempt_at (backoff). Rows of older workflows (relay = false) stay with `deliverMessage`,
-- outreach's rows with its own relay, rows `to_print` with the print queue.
ALTER TABLE outbox ADD COLUMN relay boolean NOT NULL DEFAULT false;
ALTER TABLE outbox ADD COLUMN lease_until timestamptz;
ALTER TABLE outbox ADD COLUMN next_attempt_at timestamptz NOT NULL DEFAULT now();

-- What the relay claims: due rows, oldest first ...
CREATE INDEX outbox_relay_due ON outbox (next_attempt_at, id) WHERE status = 'pending' AND relay;
-- ... and no row of a case while an earlier row of the same case is still pending (per-case order).
CREATE INDEX outbox_relay_case_order ON outbox (case_id, id) WHERE status = 'pending' AND relay;
