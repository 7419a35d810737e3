-- Documents applicants upload for their application (status lookup, no login).
CREATE TABLE applicant_documents (
  id            uuid PRIMARY KEY,
  case_id       uuid NOT NULL,
  authority_id  text NOT NULL,
  type          text NOT NULL,
  content_type  text NOT NULL,
  size_bytes    integer NOT NULL,
  sha256        text NOT NULL,
  content       bytea NOT NULL,
  scan_verdict  text NOT NULL CHECK (scan_verdict IN ('clean', 'unscanned')),
  scan_engine   text NOT NULL,
  uploaded_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (case_id, sha256)
);
CREATE INDEX applicant_documents_case ON applicant_documents (case_id, uploaded_at);
