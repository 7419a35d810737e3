-- The gauge kim_outbox_fallback_recipient_messages (worker/metrics/system.ts) counts the letters of
-- the last 24 hours that went to a fallback mailbox (no staff-directory entry for the case's
-- authority and team, `recipient_fallback`): few rows, read at every scrape.
CREATE INDEX outbox_recipient_fallback_created_at ON outbox (created_at) WHERE recipient_fallback;
