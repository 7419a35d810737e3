-- Explained eligibility checks of naturalisation applications (§ 10 StAG): the facts as given, the
-- evaluation of every criterion, and the rule set and day it was made on. The facts are personal
-- data: they are read only through the API, scoped to the case's authority and audited.
-- Deleting a case (retention) deletes its checks.

CREATE TABLE naturalisation_eligibility_checks (
  id                uuid PRIMARY KEY,
  case_id           uuid NOT NULL REFERENCES naturalisation_applications (id) ON DELETE CASCADE,
  authority_id      text NOT NULL,
  rule_set_version  text NOT NULL,
  as_of             date NOT NULL,
  facts             jsonb NOT NULL,
  result            jsonb NOT NULL,
  overall           text NOT NULL,
  created_by        text NOT NULL,
  created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX naturalisation_eligibility_checks_case_created ON naturalisation_eligibility_checks (case_id, created_at);
