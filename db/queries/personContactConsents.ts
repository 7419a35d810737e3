import type { Pool, PoolClient } from 'pg';
import type { ContactConsentEntry, ContactPurpose } from '../../domain/register/contactConsent';
import type { FactSource } from '../../domain/register/fieldRules';

type Queryable = Pool | PoolClient;

interface ContactConsentRow {
  id: string;
  purpose: ContactConsentEntry['purpose'];
  status: ContactConsentEntry['status'];
  on: string;
  source: FactSource;
  recorded_by: string;
  recorded_at: Date;
}

const columns = `c.id, c.purpose, c.status, to_char(c.effective_on, 'YYYY-MM-DD') AS on, c.source, c.recorded_by, c.recorded_at`;

function toEntry(row: ContactConsentRow): ContactConsentEntry {
  return { id: row.id, purpose: row.purpose, status: row.status, on: row.on, source: row.source, recordedBy: row.recorded_by, recordedAt: row.recorded_at.toISOString() };
}

/** The register's dated consent to be contacted; append-only. Scoped to the person's authority in SQL. */
export function createPersonContactConsentQueries(db: Queryable) {
  return {
    /** Every entry of the person (optionally of one purpose), by day and time recorded. */
    async listContactConsentsByPerson(personId: string, authorityId: string, purpose?: ContactPurpose): Promise<ContactConsentEntry[]> {
      const { rows } = await db.query<ContactConsentRow>(
        `SELECT ${columns} FROM person_contact_consents c JOIN persons p ON p.id = c.person_id
         WHERE c.person_id = $1 AND p.authority_id = $2 AND ($3::text IS NULL OR c.purpose = $3)
         ORDER BY c.effective_on, c.recorded_at, c.id`,
        [personId, authorityId, purpose ?? null],
      );
      return rows.map(toEntry);
    },

    async insertContactConsent(entry: Omit<ContactConsentEntry, 'recordedAt'> & { personId: string; recordedAt: Date }): Promise<ContactConsentEntry> {
      const { rows } = await db.query<ContactConsentRow>(
        `INSERT INTO person_contact_consents AS c (id, person_id, purpose, status, effective_on, source, recorded_by, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${columns}`,
        [entry.id, entry.personId, entry.purpose, entry.status, entry.on, entry.source, entry.recordedBy, entry.recordedAt],
      );
      return toEntry(rows[0]);
    },
  };
}
