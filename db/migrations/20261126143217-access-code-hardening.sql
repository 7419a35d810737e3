-- Applicants' access codes: a keyed hash (the column keeps its name; new values carry the
-- prefix `hmac-sha256:`), revocation, a code's secret waiting for its letter's delivery (the
-- outbox body holds a placeholder; the row is deleted once the letter is sent), and wrong
-- attempts per reference with their lockout.

ALTER TABLE naturalisation_applications ADD COLUMN access_code_revoked_at timestamptz;

CREATE TABLE message_secrets (
  case_id     uuid PRIMARY KEY REFERENCES naturalisation_applications (id) ON DELETE CASCADE,
  secret      text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL
);

CREATE TABLE access_code_attempts (
  reference        text PRIMARY KEY,
  failures         integer NOT NULL DEFAULT 0,
  locked_until     timestamptz,
  blocked          integer NOT NULL DEFAULT 0,
  last_failure_at  timestamptz NOT NULL DEFAULT now()
);
