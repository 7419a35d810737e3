-- The case register of the naturalisation process, the projection of each case's workflow,
-- the outbox of messages and the audit trail.

CREATE TABLE naturalisation_applications (
  id                  uuid PRIMARY KEY,
  authority_id        text NOT NULL,
  reference           text NOT NULL UNIQUE,
  given_names         text NOT NULL,
  family_name         text NOT NULL,
  date_of_birth       date NOT NULL,
  email               text NOT NULL,
  preferred_language  text NOT NULL,
  filed_on            date NOT NULL,
  created_at          timestamptz NOT NULL DEFAULT now()
);

-- An Idempotency-Key header maps to the case it created: a repeated POST returns that case.
CREATE TABLE idempotency_keys (
  key           text PRIMARY KEY,
  request_hash  text NOT NULL,
  case_id       uuid NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now()
);

-- Written only by the case's workflow (through an activity); applied only when newer.
CREATE TABLE case_projections (
  case_id        uuid PRIMARY KEY,
  case_type      text NOT NULL,
  authority_id   text NOT NULL,
  workflow_id    text NOT NULL UNIQUE,
  version        integer NOT NULL,
  stage          text NOT NULL,
  waiting_for    text,
  flags          jsonb NOT NULL DEFAULT '[]'::jsonb,
  deadlines      jsonb NOT NULL DEFAULT '{}'::jsonb,
  decision       jsonb,
  updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX case_projections_authority_stage ON case_projections (authority_id, case_type, stage);

CREATE TABLE outbox (
  id              bigserial PRIMARY KEY,
  message_key     text NOT NULL UNIQUE,
  case_id         uuid,
  kind            text NOT NULL,
  recipient       text NOT NULL,
  subject         text NOT NULL,
  body_text       text NOT NULL,
  message_id      text NOT NULL UNIQUE,
  status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'bounced')),
  attempts        integer NOT NULL DEFAULT 0,
  claimed_by      text,
  claimed_attempt integer,
  last_error      text,
  smtp_response   text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  sent_at         timestamptz
);
CREATE INDEX outbox_case ON outbox (case_id);

CREATE TABLE audit_log (
  id          bigserial PRIMARY KEY,
  at          timestamptz NOT NULL DEFAULT now(),
  actor       text NOT NULL,
  action      text NOT NULL,
  case_id     uuid,
  outcome     text NOT NULL DEFAULT 'allowed',
  detail      jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX audit_log_case ON audit_log (case_id, at);
