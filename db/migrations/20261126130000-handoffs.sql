-- Handoffs to case management (KIM Baustein 2): the person's consent, the handoff with only the
-- minimal data, the case manager's progress and outcomes, and the system gaps they record.

CREATE TABLE person_consents (
  id                uuid PRIMARY KEY,
  person_id         uuid NOT NULL REFERENCES persons (id),
  authority_id      text NOT NULL,
  purpose           text NOT NULL,
  recipients        text[] NOT NULL,
  data_categories   text[] NOT NULL,
  valid_from        date NOT NULL,
  valid_until       date NOT NULL CHECK (valid_until >= valid_from),
  form_reference    text NOT NULL,
  recorded_by       text NOT NULL,
  recorded_at       timestamptz NOT NULL,
  withdrawn_at      timestamptz,
  withdrawn_by      text,
  withdrawal_reason text
);
CREATE INDEX person_consents_person ON person_consents (person_id, authority_id);

CREATE TABLE handoffs (
  id                 uuid PRIMARY KEY,
  request_key        text NOT NULL UNIQUE,
  authority_id       text NOT NULL,
  -- The case-management team the handoff is addressed to.
  team               text NOT NULL,
  person_id          uuid NOT NULL REFERENCES persons (id),
  consent_id         uuid NOT NULL REFERENCES person_consents (id),
  reference          text NOT NULL,
  origin_case_type   text,
  origin_case_id     text,
  origin_workflow_id text,
  needs              text[] NOT NULL,
  urgency            text NOT NULL,
  relevant_deadline  date,
  requested_by       text NOT NULL,
  requested_at       timestamptz NOT NULL,
  -- The minimal data (copied at sending; anonymised by retention): never the residence file.
  given_names        text,
  family_name        text,
  contact            jsonb,
  language           text
);
CREATE INDEX handoffs_person ON handoffs (person_id);
CREATE INDEX handoffs_authority_time ON handoffs (authority_id, requested_at);

CREATE TABLE handoff_progress (
  handoff_id   uuid NOT NULL REFERENCES handoffs (id),
  entry_key    text NOT NULL,
  kind         text NOT NULL CHECK (kind IN ('phase', 'outcome')),
  phase        text,
  outcome      jsonb,
  need         text,
  on_date      date NOT NULL,
  note         text,
  fact_id      uuid,
  recorded_by  text NOT NULL,
  recorded_at  timestamptz NOT NULL,
  PRIMARY KEY (handoff_id, entry_key)
);

CREATE TABLE handoff_gaps (
  id           uuid PRIMARY KEY,
  authority_id text NOT NULL,
  handoff_id   uuid REFERENCES handoffs (id),
  person_id    uuid,
  need         text NOT NULL,
  place        text NOT NULL,
  target_group text NOT NULL,
  recorded_by  text NOT NULL,
  recorded_at  timestamptz NOT NULL
);
CREATE INDEX handoff_gaps_authority_time ON handoff_gaps (authority_id, recorded_at);
