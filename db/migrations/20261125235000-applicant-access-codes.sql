-- The applicant's status lookup: a secret access code per application, kept only as a hash.
ALTER TABLE naturalisation_applications ADD COLUMN access_code_hash text;
CREATE INDEX naturalisation_applications_reference ON naturalisation_applications (reference);

-- What a clerk's case view shows beyond the queue fields: checklist, document request,
-- inquiries, appointment, fee (written by the workflow with each projection).
ALTER TABLE case_projections ADD COLUMN details jsonb NOT NULL DEFAULT '{}'::jsonb;
