-- Residence-law checks (ABH): one row per check of a person — an eligibility check (§ 25a,
-- § 25b AufenthG) started by a clerk, a § 104c AufenthG transition check or a permit-expiry
-- watch started by the daily sweep (one per residence period: the unique index makes the sweep
-- idempotent). The workflow `residence/<id>` owns the check's stage; this row names the person,
-- the authority and the consent to write to the person.
CREATE TABLE residence_checks (
  id               uuid PRIMARY KEY,
  authority_id     text NOT NULL,
  person_id        uuid NOT NULL REFERENCES persons (id),
  kind             text NOT NULL CHECK (kind IN ('eligibility', 'transition', 'permit_expiry')),
  period_id        uuid REFERENCES person_residence_periods (id),
  reference        text NOT NULL UNIQUE,
  contact_consent  boolean NOT NULL DEFAULT false,
  requested_by     text NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  anonymised_at    timestamptz
);
CREATE INDEX residence_checks_person ON residence_checks (person_id);
CREATE UNIQUE INDEX residence_checks_period_kind ON residence_checks (period_id, kind) WHERE period_id IS NOT NULL;

-- A letter to a person without an e-mail address is kept in the outbox "to print" (sent by post),
-- not sent by SMTP.
ALTER TABLE outbox DROP CONSTRAINT outbox_status_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_status_check CHECK (status IN ('pending', 'sent', 'bounced', 'to_print'));

-- The daily sweep reads the permits expiring in its window: an index over the validity's end.
CREATE INDEX person_residence_periods_permit_expiry ON person_residence_periods ((COALESCE(document_expiry, to_date)))
  WHERE retracted_at IS NULL AND status IN ('permit', 'blue_card');
