-- The print queue: letters kept "to print" (a person without an e-mail address) are printed from
-- the API and marked as posted by a clerk; the outbox row records when and by whom. A posted
-- letter keeps its status `to_print` (delivery never sends it) and leaves the queue.
ALTER TABLE outbox ADD COLUMN posted_at timestamptz;
ALTER TABLE outbox ADD COLUMN posted_by text;
-- The queue in id order (keyset pagination); small, as posted letters leave it.
CREATE INDEX outbox_print_queue ON outbox (id) WHERE status = 'to_print' AND posted_at IS NULL;
