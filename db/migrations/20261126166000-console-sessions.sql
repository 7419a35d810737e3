-- Staff console (issue 13): sign-ins in progress and signed-in sessions. The browser holds only
-- a random id in an httpOnly cookie; the database keeps its SHA-256, so a copy of this table
-- does not let anyone take a session over by its cookie. The access token stays server-side.
CREATE TABLE console_logins (
  state_hash text PRIMARY KEY,
  code_verifier text NOT NULL,
  nonce text NOT NULL,
  return_to text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);

CREATE TABLE console_sessions (
  id_hash text PRIMARY KEY,
  subject text NOT NULL,
  display_name text NOT NULL,
  roles text[] NOT NULL,
  authority_id text NOT NULL,
  access_token text NOT NULL,
  csrf_token text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX console_sessions_expires_at ON console_sessions (expires_at);
CREATE INDEX console_logins_expires_at ON console_logins (expires_at);
