-- The register's consent to be contacted (Art. 6 Abs. 1 Satz 1 lit. a DSGVO): a dated history per
-- person and purpose, each row "given" or "withdrawn" from a day on; rows are never changed.
-- Every change is also a revision of the person (entity `contact_consent`) under a new version.
CREATE TABLE person_contact_consents (
  id            uuid PRIMARY KEY,
  person_id     uuid NOT NULL REFERENCES persons (id),
  purpose       text NOT NULL CHECK (purpose IN ('residence_information', 'naturalisation_information')),
  status        text NOT NULL CHECK (status IN ('given', 'withdrawn')),
  effective_on  date NOT NULL,
  source        text NOT NULL CHECK (source IN ('document', 'clerk', 'import', 'case_management')),
  recorded_by   text NOT NULL,
  recorded_at   timestamptz NOT NULL
);
CREATE INDEX person_contact_consents_person ON person_contact_consents (person_id, purpose, effective_on);

ALTER TABLE person_revisions DROP CONSTRAINT person_revisions_entity_check;
ALTER TABLE person_revisions ADD CONSTRAINT person_revisions_entity_check CHECK (entity IN ('person', 'residence_period', 'fact', 'contact_consent'));
