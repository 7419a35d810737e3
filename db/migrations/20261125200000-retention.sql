-- Retention of closed cases: settings per authority and case type, and the mark of an
-- anonymised application.

CREATE TABLE retention_settings (
  authority_id  text NOT NULL,
  case_type     text NOT NULL,
  retain_days   integer NOT NULL CHECK (retain_days >= 0),
  action        text NOT NULL CHECK (action IN ('anonymise', 'delete')),
  updated_by    text NOT NULL,
  updated_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (authority_id, case_type)
);

ALTER TABLE naturalisation_applications ADD COLUMN anonymised_at timestamptz;
ALTER TABLE naturalisation_applications ALTER COLUMN date_of_birth DROP NOT NULL;
