-- The person register: one entry per person and authority, with a residence history of dated
-- periods and dated evidence facts. The tables persons, person_residence_periods and
-- person_facts hold the CURRENT state; person_revisions is the append-only history of every
-- change (create, correct, retract) with its before and after, source, actor and time.
-- Every write raises persons.version by one: it is the `expectedVersion` of the next write.

CREATE TABLE persons (
  id                  uuid PRIMARY KEY,
  authority_id        text NOT NULL,
  -- The number of the person in the authority's existing system (unique per authority).
  file_number         text NOT NULL,
  given_names         text NOT NULL,
  family_name         text NOT NULL,
  date_of_birth       date NOT NULL,
  -- ISO 3166-1 alpha-2 codes; empty: stateless or not known.
  nationalities       text[] NOT NULL DEFAULT '{}',
  -- { street, postalCode, city, country }
  postal_address      jsonb,
  email               text,
  phone               text,
  preferred_language  text NOT NULL DEFAULT 'de',
  version             integer NOT NULL DEFAULT 1,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  UNIQUE (authority_id, file_number)
) WITH (fillfactor = 85); -- room on each page: a version bump is a HOT update, no index touched
-- Search by name (prefix, case-insensitive) and by date of birth, both keyset-paginated. The "C"
-- collation lets one index serve both the prefix match and the order of the listing.
CREATE INDEX persons_name ON persons (authority_id, (lower(family_name) COLLATE "C"), (lower(given_names) COLLATE "C"), id);
CREATE INDEX persons_date_of_birth ON persons (authority_id, date_of_birth, id);

CREATE TABLE person_residence_periods (
  id                        uuid PRIMARY KEY,
  person_id                 uuid NOT NULL REFERENCES persons (id),
  status                    text NOT NULL CHECK (status IN
    ('permit', 'settlement_permit', 'eu_free_movement', 'blue_card', 'duldung', 'gestattung', 'fiktion', 'none', 'absence')),
  from_date                 date NOT NULL,
  to_date                   date CHECK (to_date IS NULL OR to_date >= from_date),
  permit_basis              text,
  duldung_ground            text,
  protection_granted_later  boolean,
  document_number           text,
  document_expiry           date,
  source                    text NOT NULL CHECK (source IN ('document', 'clerk', 'import', 'case_management')),
  recorded_by               text NOT NULL,
  recorded_at               timestamptz NOT NULL,
  -- Set when the period is retracted; a retracted period stays for the history.
  retracted_at              timestamptz
);
CREATE INDEX person_residence_periods_person ON person_residence_periods (person_id, from_date) WHERE retracted_at IS NULL;
-- A bulk load identifies a period by its person and first day.
CREATE UNIQUE INDEX person_residence_periods_current_start ON person_residence_periods (person_id, from_date) WHERE retracted_at IS NULL;

CREATE TABLE person_facts (
  id            uuid PRIMARY KEY,
  person_id     uuid NOT NULL REFERENCES persons (id),
  kind          text NOT NULL,
  data          jsonb NOT NULL,
  source        text NOT NULL CHECK (source IN ('document', 'clerk', 'import', 'case_management')),
  recorded_by   text NOT NULL,
  recorded_at   timestamptz NOT NULL,
  retracted_at  timestamptz
);
CREATE INDEX person_facts_person ON person_facts (person_id, kind) WHERE retracted_at IS NULL;

-- The history: one row per change, never updated or deleted by the application.
CREATE TABLE person_revisions (
  id            bigserial PRIMARY KEY,
  person_id     uuid NOT NULL REFERENCES persons (id),
  authority_id  text NOT NULL,
  -- The person's version this change produced.
  version       integer NOT NULL,
  entity        text NOT NULL CHECK (entity IN ('person', 'residence_period', 'fact')),
  entity_id     uuid NOT NULL,
  -- For facts: the kind; for periods: the status.
  kind          text,
  action        text NOT NULL CHECK (action IN ('create', 'correct', 'retract')),
  before        jsonb,
  after         jsonb,
  source        text NOT NULL CHECK (source IN ('document', 'clerk', 'import', 'case_management')),
  recorded_by   text NOT NULL,
  recorded_at   timestamptz NOT NULL,
  reason        text
);
CREATE INDEX person_revisions_person ON person_revisions (person_id, id);

-- The cases of a person: an open case is told when the person's facts change.
ALTER TABLE case_projections ADD COLUMN person_id uuid;
CREATE INDEX case_projections_person ON case_projections (person_id) WHERE person_id IS NOT NULL;

-- Bulk loads of the register from CSV. The file's records are copied into an UNLOGGED staging
-- table (no WAL: fast, and only needed until the job is done); chunks then validate and merge
-- them set-based. `next_row` is the cursor: a chunk advances it in the same transaction as its
-- writes, so a crashed import continues exactly where the last committed chunk ended.
CREATE TABLE person_import_jobs (
  id               uuid PRIMARY KEY,
  authority_id     text NOT NULL,
  kind             text NOT NULL CHECK (kind IN ('persons', 'residence_periods')),
  created_by       text NOT NULL,
  status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'running', 'completed', 'failed')),
  total            integer NOT NULL CHECK (total >= 0),
  next_row         integer NOT NULL DEFAULT 1,
  processed        integer NOT NULL DEFAULT 0,
  accepted         integer NOT NULL DEFAULT 0,
  unchanged        integer NOT NULL DEFAULT 0,
  rejected         integer NOT NULL DEFAULT 0,
  failure          text,
  idempotency_key  text,
  file_sha256      text NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  finished_at      timestamptz,
  CHECK (processed = accepted + unchanged + rejected AND processed <= total)
);
CREATE UNIQUE INDEX person_import_jobs_idempotency_key ON person_import_jobs (authority_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX person_import_jobs_unfinished ON person_import_jobs (created_at) WHERE status IN ('pending', 'running');

-- The records of an uploaded file that passed the field checks, typed, one table per kind. What
-- needs the register (unknown persons, overlapping periods, what changed) is checked set-based
-- when a chunk merges them. A chunk deletes its rows in its own transaction.
CREATE UNLOGGED TABLE person_import_staged_persons (
  job_id              uuid NOT NULL,
  row_number          integer NOT NULL,
  line                integer NOT NULL,
  file_number         text NOT NULL,
  given_names         text NOT NULL,
  family_name         text NOT NULL,
  date_of_birth       date NOT NULL,
  nationalities       text[] NOT NULL,
  street              text,
  postal_code         text,
  city                text,
  country             text,
  email               text,
  phone               text,
  preferred_language  text NOT NULL,
  PRIMARY KEY (job_id, row_number)
);

CREATE UNLOGGED TABLE person_import_staged_periods (
  job_id                    uuid NOT NULL,
  row_number                integer NOT NULL,
  line                      integer NOT NULL,
  file_number               text NOT NULL,
  status                    text NOT NULL,
  from_date                 date NOT NULL,
  to_date                   date,
  permit_basis              text,
  duldung_ground            text,
  protection_granted_later  boolean,
  document_number           text,
  document_expiry           date,
  PRIMARY KEY (job_id, row_number)
);

CREATE TABLE person_import_rejections (
  job_id       uuid NOT NULL REFERENCES person_import_jobs (id),
  row_number   integer NOT NULL,
  line         integer NOT NULL,
  file_number  text,
  reason       text NOT NULL,
  issues       jsonb NOT NULL,
  PRIMARY KEY (job_id, row_number)
);
