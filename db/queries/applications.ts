import type { Pool, PoolClient } from 'pg';

export interface NaturalisationApplicationRow {
  id: string;
  authority_id: string;
  reference: string;
  given_names: string;
  family_name: string;
  /** Null once the case has been anonymised (retention). */
  date_of_birth: string | null;
  email: string;
  preferred_language: string;
  filed_on: string;
  created_at: Date;
  anonymised_at: Date | null;
  /** The person of the register the application belongs to (null for applications registered before). */
  person_id: string | null;
}

export type NewNaturalisationApplication = Omit<NaturalisationApplicationRow, 'created_at' | 'anonymised_at' | 'person_id'> & { date_of_birth: string; person_id?: string | null };

type Queryable = Pool | PoolClient;

export function createApplicationQueries(db: Queryable) {
  return {
    async insertApplication(app: NewNaturalisationApplication): Promise<void> {
      await db.query(
        `INSERT INTO naturalisation_applications
           (id, authority_id, reference, given_names, family_name, date_of_birth, email, preferred_language, filed_on, person_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [app.id, app.authority_id, app.reference, app.given_names, app.family_name, app.date_of_birth, app.email,
          app.preferred_language, app.filed_on, app.person_id ?? null],
      );
    },

    /** Stores the hash of the applicant's access code (the code itself is never stored). */
    async updateAccessCodeHashById(id: string, accessCodeHash: string): Promise<void> {
      await db.query('UPDATE naturalisation_applications SET access_code_hash = $2 WHERE id = $1', [id, accessCodeHash]);
    },


    /** Applications whose workflow never recorded a projection: stored, but (maybe) never started. */
    async listApplicationsWithoutProjection(): Promise<NaturalisationApplicationRow[]> {
      const { rows } = await db.query<NaturalisationApplicationRow>(
        `SELECT a.* FROM naturalisation_applications a
         LEFT JOIN case_projections p ON p.case_id = a.id
         WHERE p.case_id IS NULL`,
      );
      return rows;
    },

    /** Unscoped: for the workflow's activities, which act for the case's own authority. */
    async findApplicationById(id: string): Promise<NaturalisationApplicationRow | undefined> {
      const { rows } = await db.query<NaturalisationApplicationRow>(
        'SELECT * FROM naturalisation_applications WHERE id = $1',
        [id],
      );
      return rows[0];
    },

    /** Scoped to the caller's authority in SQL: another authority's case is not found. */
    async findApplicationByIdAndAuthority(id: string, authorityId: string): Promise<NaturalisationApplicationRow | undefined> {
      const { rows } = await db.query<NaturalisationApplicationRow>(
        'SELECT * FROM naturalisation_applications WHERE id = $1 AND authority_id = $2',
        [id, authorityId],
      );
      return rows[0];
    },

    /** Claims an idempotency key for a new case; returns the case it already names, if any. */
    async claimIdempotencyKey(
      authorityId: string,
      key: string,
      requestHash: string,
      caseId: string,
    ): Promise<{ caseId: string; requestHash: string }> {
      const { rows } = await db.query<{ case_id: string; request_hash: string }>(
        `INSERT INTO idempotency_keys (authority_id, key, request_hash, case_id) VALUES ($1, $2, $3, $4)
         ON CONFLICT (authority_id, key) DO UPDATE SET key = EXCLUDED.key
         RETURNING case_id, request_hash`,
        [authorityId, key, requestHash, caseId],
      );
      return { caseId: rows[0].case_id, requestHash: rows[0].request_hash };
    },
  };
}
