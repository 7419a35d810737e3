-- The staff directory: one mailbox per authority and team (e.g. the naturalisation team
-- `default`, `case_management`, `kim_coordinator`), managed by the authority's admins through the
-- API. Staff notices and team digests go to the mailbox of the case's authority and team; the
-- configured TEAM_MAILBOX (and, for case management, CASE_MANAGEMENT_MAILBOX[ES]) only where no
-- entry exists — and then the outbox row says so (recipient_fallback).
CREATE TABLE staff_mailboxes (
  authority_id  text NOT NULL,
  team          text NOT NULL CHECK (team ~ '^[a-z0-9][a-z0-9_-]{0,63}$'),
  -- Exactly one address: no list separators, no display names, no whitespace (the API checks the full form).
  address       text NOT NULL CHECK (address ~ '^[^\s@,;<>"()]+@[^\s@,;<>"()]+$' AND length(address) <= 254),
  updated_by    text NOT NULL,
  updated_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (authority_id, team)
);

-- A staff notice or digest sent to the configured fallback because the directory has no entry.
ALTER TABLE outbox ADD COLUMN recipient_fallback boolean NOT NULL DEFAULT false;
