-- Decisions on naturalisation cases still running workflow version 1 (which knows only one
-- `recordDecision` update, no proposal and confirmation): the four-eyes steps are kept here. One
-- clerk proposes (stored, audited), a second clerk confirms; only then the API sends the v1
-- workflow its own decision update (api/naturalisation/firstVersionDecisions.ts).
CREATE TABLE naturalisation_v1_decision_proposals (
  case_id       uuid PRIMARY KEY REFERENCES naturalisation_applications (id) ON DELETE CASCADE,
  authority_id  text NOT NULL,
  outcome       text NOT NULL,
  reason        text NOT NULL,
  -- Further fields of the decision request (fee, minor children, discretion decisions).
  request       jsonb NOT NULL DEFAULT '{}'::jsonb,
  -- The state version the proposer saw.
  seen_version  integer NOT NULL,
  proposed_by   text NOT NULL,
  proposed_at   timestamptz NOT NULL DEFAULT now(),
  confirmed_by  text,
  confirmed_at  timestamptz,
  CHECK (confirmed_by IS NULL OR confirmed_by <> proposed_by)
);
