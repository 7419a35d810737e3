import type { Pool, PoolClient } from 'pg';
import type { Person, PersonData } from '../../domain/register/person';
import type { FactSource } from '../../domain/register/fieldRules';

type Queryable = Pool | PoolClient;

interface PersonRow {
  id: string;
  authority_id: string;
  file_number: string;
  given_names: string;
  family_name: string;
  date_of_birth: string;
  nationalities: string[];
  postal_address: PersonData['contact']['postalAddress'];
  email: string | null;
  phone: string | null;
  preferred_language: string;
  version: number;
  created_at: Date;
  updated_at: Date;
}

function toPerson(row: PersonRow): Person {
  return {
    id: row.id,
    authorityId: row.authority_id,
    fileNumber: row.file_number,
    givenNames: row.given_names,
    familyName: row.family_name,
    dateOfBirth: row.date_of_birth,
    nationalities: row.nationalities,
    contact: { postalAddress: row.postal_address, email: row.email, phone: row.phone },
    preferredLanguage: row.preferred_language,
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** One change of a person, a period or a fact, as the history keeps it. */
export interface PersonRevision {
  id: string;
  personId: string;
  version: number;
  entity: 'person' | 'residence_period' | 'fact' | 'contact_consent';
  entityId: string;
  kind: string | null;
  action: 'create' | 'correct' | 'retract';
  before: unknown;
  after: unknown;
  source: FactSource;
  recordedBy: string;
  recordedAt: string;
  reason: string | null;
}

export type NewPersonRevision = Omit<PersonRevision, 'id' | 'recordedAt'> & { authorityId: string; recordedAt: Date };

export interface PersonListFilter {
  authorityId: string;
  /** Prefix of the family name (case-insensitive). */
  name?: string;
  fileNumber?: string;
  dateOfBirth?: string;
  /** Continue after this person of the previous page (its sort key). */
  after?: { familyName: string; givenNames: string; id: string };
  limit: number;
}

/** Escapes LIKE wildcards in a user's prefix. */
const likePrefix = (value: string) => `${value.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The register's persons. Every read is scoped to an authority in SQL. */
export function createPersonQueries(db: Queryable) {
  return {
    async insertPerson(person: { id: string; authorityId: string } & PersonData): Promise<Person> {
      const { rows } = await db.query<PersonRow>(
        `INSERT INTO persons (id, authority_id, file_number, given_names, family_name, date_of_birth, nationalities, postal_address, email, phone, preferred_language)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         RETURNING *`,
        [
          person.id,
          person.authorityId,
          person.fileNumber,
          person.givenNames,
          person.familyName,
          person.dateOfBirth,
          person.nationalities,
          person.contact.postalAddress === null ? null : JSON.stringify(person.contact.postalAddress),
          person.contact.email,
          person.contact.phone,
          person.preferredLanguage,
        ],
      );
      return toPerson(rows[0]);
    },

    async findPersonByIdAndAuthority(id: string, authorityId: string): Promise<Person | undefined> {
      const { rows } = await db.query<PersonRow>('SELECT * FROM persons WHERE id = $1 AND authority_id = $2', [id, authorityId]);
      return rows[0] && toPerson(rows[0]);
    },

    /** The person, locked until the transaction ends: writes to one person happen one at a time. */
    async lockPersonByIdAndAuthority(id: string, authorityId: string): Promise<Person | undefined> {
      const { rows } = await db.query<PersonRow>('SELECT * FROM persons WHERE id = $1 AND authority_id = $2 FOR UPDATE', [id, authorityId]);
      return rows[0] && toPerson(rows[0]);
    },

    async findPersonIdByFileNumber(authorityId: string, fileNumber: string): Promise<string | undefined> {
      const { rows } = await db.query<{ id: string }>('SELECT id FROM persons WHERE authority_id = $1 AND file_number = $2', [authorityId, fileNumber]);
      return rows[0]?.id;
    },

    /** Raises the version of a person locked by `lockPersonByIdAndAuthority`, and writes its data. */
    async updatePersonById(id: string, authorityId: string, data: PersonData, version: number, at: Date): Promise<Person> {
      const { rows } = await db.query<PersonRow>(
        `UPDATE persons SET file_number = $3, given_names = $4, family_name = $5, date_of_birth = $6, nationalities = $7,
           postal_address = $8, email = $9, phone = $10, preferred_language = $11, version = $12, updated_at = $13
         WHERE id = $1 AND authority_id = $2
         RETURNING *`,
        [
          id,
          authorityId,
          data.fileNumber,
          data.givenNames,
          data.familyName,
          data.dateOfBirth,
          data.nationalities,
          data.contact.postalAddress === null ? null : JSON.stringify(data.contact.postalAddress),
          data.contact.email,
          data.contact.phone,
          data.preferredLanguage,
          version,
          at,
        ],
      );
      return toPerson(rows[0]);
    },

    async updatePersonVersionById(id: string, authorityId: string, version: number, at: Date): Promise<Person> {
      const { rows } = await db.query<PersonRow>('UPDATE persons SET version = $3, updated_at = $4 WHERE id = $1 AND authority_id = $2 RETURNING *', [id, authorityId, version, at]);
      return toPerson(rows[0]);
    },

    /**
     * One page of an authority's persons, by family name, given names and id (keyset). Filters by
     * a family-name prefix, an exact file number and a date of birth, each optional.
     */
    async listPersonsByAuthority(filter: PersonListFilter): Promise<Person[]> {
      const { rows } = await db.query<PersonRow>(
        `SELECT * FROM persons
         WHERE authority_id = $1
           AND ($2::text IS NULL OR lower(family_name) COLLATE "C" LIKE $2)
           AND ($3::text IS NULL OR file_number = $3)
           AND ($4::date IS NULL OR date_of_birth = $4)
           AND ($5::text IS NULL OR (lower(family_name) COLLATE "C", lower(given_names) COLLATE "C", id) > ($5, $6, $7::uuid))
         ORDER BY lower(family_name) COLLATE "C", lower(given_names) COLLATE "C", id
         LIMIT $8`,
        [
          filter.authorityId,
          filter.name === undefined ? null : likePrefix(filter.name),
          filter.fileNumber ?? null,
          filter.dateOfBirth ?? null,
          filter.after ? filter.after.familyName.toLowerCase() : null,
          filter.after ? filter.after.givenNames.toLowerCase() : null,
          filter.after?.id ?? null,
          filter.limit,
        ],
      );
      return rows.map(toPerson);
    },

    async insertPersonRevisions(revisions: NewPersonRevision[]): Promise<void> {
      if (revisions.length === 0) return;
      await db.query(
        `INSERT INTO person_revisions (person_id, authority_id, version, entity, entity_id, kind, action, before, after, source, recorded_by, recorded_at, reason)
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::int[], $4::text[], $5::uuid[], $6::text[], $7::text[], $8::jsonb[], $9::jsonb[], $10::text[], $11::text[], $12::timestamptz[], $13::text[])`,
        [
          revisions.map((r) => r.personId),
          revisions.map((r) => r.authorityId),
          revisions.map((r) => r.version),
          revisions.map((r) => r.entity),
          revisions.map((r) => r.entityId),
          revisions.map((r) => r.kind),
          revisions.map((r) => r.action),
          revisions.map((r) => (r.before === null || r.before === undefined ? null : JSON.stringify(r.before))),
          revisions.map((r) => (r.after === null || r.after === undefined ? null : JSON.stringify(r.after))),
          revisions.map((r) => r.source),
          revisions.map((r) => r.recordedBy),
          revisions.map((r) => r.recordedAt),
          revisions.map((r) => r.reason),
        ],
      );
    },

    /** A person's history, oldest first; scoped to the authority in SQL. */
    async listRevisionsByPerson(filter: { personId: string; authorityId: string; afterId?: string; limit: number }): Promise<PersonRevision[]> {
      const { rows } = await db.query<{
        id: string;
        person_id: string;
        version: number;
        entity: PersonRevision['entity'];
        entity_id: string;
        kind: string | null;
        action: PersonRevision['action'];
        before: unknown;
        after: unknown;
        source: FactSource;
        recorded_by: string;
        recorded_at: Date;
        reason: string | null;
      }>(
        `SELECT * FROM person_revisions
         WHERE person_id = $1 AND authority_id = $2 AND ($3::bigint IS NULL OR id > $3)
         ORDER BY id
         LIMIT $4`,
        [filter.personId, filter.authorityId, filter.afterId ?? null, filter.limit],
      );
      return rows.map((row) => ({
        id: String(row.id),
        personId: row.person_id,
        version: row.version,
        entity: row.entity,
        entityId: row.entity_id,
        kind: row.kind,
        action: row.action,
        before: row.before,
        after: row.after,
        source: row.source,
        recordedBy: row.recorded_by,
        recordedAt: row.recorded_at.toISOString(),
        reason: row.reason,
      }));
    },
  };
}
