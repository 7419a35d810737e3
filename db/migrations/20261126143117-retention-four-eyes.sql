-- Four eyes on retention settings: a change is proposed by one admin and takes effect only
-- when a second admin of the same authority confirms it. The setting records both.

CREATE TABLE retention_setting_proposals (
  authority_id  text NOT NULL,
  case_type     text NOT NULL,
  retain_days   integer NOT NULL CHECK (retain_days >= 0),
  action        text NOT NULL CHECK (action IN ('anonymise', 'delete')),
  proposed_by   text NOT NULL,
  proposed_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (authority_id, case_type)
);

ALTER TABLE retention_settings ADD COLUMN confirmed_by text;
