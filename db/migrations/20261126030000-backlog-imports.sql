-- Bulk imports of backlog cases from CSV: a job per uploaded file and one row per record, so an
-- import resumes where it stopped and reports every rejected row with its reasons.

CREATE TABLE import_jobs (
  id               uuid PRIMARY KEY,
  authority_id     text NOT NULL,
  kind             text NOT NULL DEFAULT 'naturalisation_backlog',
  created_by       text NOT NULL,
  status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'running', 'completed', 'failed')),
  total            integer NOT NULL CHECK (total >= 0),
  processed        integer NOT NULL DEFAULT 0,
  accepted         integer NOT NULL DEFAULT 0,
  rejected         integer NOT NULL DEFAULT 0,
  -- A repeated upload under the same Idempotency-Key returns the job it created.
  idempotency_key  text,
  file_sha256      text NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  finished_at      timestamptz,
  CHECK (processed = accepted + rejected AND processed <= total)
);
CREATE UNIQUE INDEX import_jobs_idempotency_key ON import_jobs (authority_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX import_jobs_authority ON import_jobs (authority_id, created_at);

-- `raw` holds the record as uploaded (column → text) until it is processed; an accepted row's
-- copy is cleared then (the case register holds the data), a rejected row's is kept so the
-- report can be acted on.
CREATE TABLE import_rows (
  job_id      uuid NOT NULL REFERENCES import_jobs (id),
  row_number  integer NOT NULL,
  line        integer NOT NULL,
  raw         jsonb,
  status      text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'rejected')),
  reason      text,
  issues      jsonb,
  case_id     uuid,
  PRIMARY KEY (job_id, row_number)
);
CREATE INDEX import_rows_rejected ON import_rows (job_id, row_number) WHERE status = 'rejected';
