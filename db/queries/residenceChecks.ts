import type { Pool, PoolClient } from 'pg';

type Queryable = Pool | PoolClient;

export type ResidenceCheckKind = 'eligibility' | 'transition' | 'permit_expiry';

export interface ResidenceCheckRow {
  id: string;
  authorityId: string;
  personId: string;
  kind: ResidenceCheckKind;
  periodId: string | null;
  reference: string;
  contactConsent: boolean;
  requestedBy: string;
  createdAt: Date;
}

interface Row {
  id: string;
  authority_id: string;
  person_id: string;
  kind: ResidenceCheckKind;
  period_id: string | null;
  reference: string;
  contact_consent: boolean;
  requested_by: string;
  created_at: Date;
}

const toCheck = (row: Row): ResidenceCheckRow => ({
  id: row.id,
  authorityId: row.authority_id,
  personId: row.person_id,
  kind: row.kind,
  periodId: row.period_id,
  reference: row.reference,
  contactConsent: row.contact_consent,
  requestedBy: row.requested_by,
  createdAt: row.created_at,
});

/** A permit of the register whose expiry falls into the sweep's window, with its watch if one exists. */
export interface DuePermitPeriod {
  periodId: string;
  personId: string;
  authorityId: string;
  permitBasis: string | null;
  expiresOn: string;
  checkId: string | null;
  /** Whether the check's workflow has written its projection (it runs or ran). */
  started: boolean;
}

/** Residence checks and the register's permits they watch. Every read by a caller is scoped to an authority in SQL. */
export function createResidenceCheckQueries(db: Queryable) {
  return {
    async insertCheck(check: Omit<ResidenceCheckRow, 'createdAt'>): Promise<ResidenceCheckRow> {
      const { rows } = await db.query<Row>(
        `INSERT INTO residence_checks (id, authority_id, person_id, kind, period_id, reference, contact_consent, requested_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
        [check.id, check.authorityId, check.personId, check.kind, check.periodId, check.reference, check.contactConsent, check.requestedBy],
      );
      return toCheck(rows[0]);
    },

    /** The check of a period and kind; inserted once (a repeated sweep finds the first one). */
    async insertCheckForPeriodOnce(check: Omit<ResidenceCheckRow, 'createdAt'> & { periodId: string }): Promise<ResidenceCheckRow> {
      await db.query(
        `INSERT INTO residence_checks (id, authority_id, person_id, kind, period_id, reference, contact_consent, requested_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (period_id, kind) WHERE period_id IS NOT NULL DO NOTHING`,
        [check.id, check.authorityId, check.personId, check.kind, check.periodId, check.reference, check.contactConsent, check.requestedBy],
      );
      const { rows } = await db.query<Row>('SELECT * FROM residence_checks WHERE period_id = $1 AND kind = $2', [check.periodId, check.kind]);
      return toCheck(rows[0]);
    },

    async findCheckById(id: string): Promise<ResidenceCheckRow | undefined> {
      const { rows } = await db.query<Row>('SELECT * FROM residence_checks WHERE id = $1', [id]);
      return rows[0] ? toCheck(rows[0]) : undefined;
    },

    async findCheckByIdAndAuthority(id: string, authorityId: string): Promise<ResidenceCheckRow | undefined> {
      const { rows } = await db.query<Row>('SELECT * FROM residence_checks WHERE id = $1 AND authority_id = $2', [id, authorityId]);
      return rows[0] ? toCheck(rows[0]) : undefined;
    },

    /** What a letter of a check needs: the person's address, language and names, the reference. */
    async findLetterContextByCheckId(id: string) {
      const { rows } = await db.query<{
        reference: string;
        kind: ResidenceCheckKind;
        given_names: string;
        family_name: string;
        email: string | null;
        preferred_language: string;
      }>(
        `SELECT c.reference, c.kind, p.given_names, p.family_name, p.email, p.preferred_language
         FROM residence_checks c JOIN persons p ON p.id = c.person_id
         WHERE c.id = $1`,
        [id],
      );
      return rows[0];
    },

    /**
     * Permits (and Blue Cards) of every authority whose validity ends between `from` and
     * `until` (the document's expiry, else the period's last day), by `permitBasis` filter:
     * `opportunity` the § 104c AufenthG permits, `renewable` every other one.
     */
    async listPermitPeriodsExpiringBetween(from: string, until: string, which: 'renewable' | 'opportunity', kind: ResidenceCheckKind): Promise<DuePermitPeriod[]> {
      const { rows } = await db.query<{
        period_id: string;
        person_id: string;
        authority_id: string;
        permit_basis: string | null;
        expires_on: string;
        check_id: string | null;
        started: boolean;
      }>(
        `SELECT r.id AS period_id, r.person_id, p.authority_id, r.permit_basis,
                to_char(COALESCE(r.document_expiry, r.to_date), 'YYYY-MM-DD') AS expires_on,
                c.id AS check_id, (cp.case_id IS NOT NULL) AS started
         FROM person_residence_periods r
         JOIN persons p ON p.id = r.person_id
         LEFT JOIN residence_checks c ON c.period_id = r.id AND c.kind = $4
         LEFT JOIN case_projections cp ON cp.case_id = c.id
         WHERE r.retracted_at IS NULL AND r.status IN ('permit', 'blue_card')
           AND COALESCE(r.document_expiry, r.to_date) BETWEEN $1::date AND $2::date
           AND (r.permit_basis LIKE '§ 104c%') = ($3 = 'opportunity')
           AND (cp.case_id IS NULL)
         ORDER BY expires_on, r.id`,
        [from, until, which, kind],
      );
      return rows.map((row) => ({
        periodId: row.period_id,
        personId: row.person_id,
        authorityId: row.authority_id,
        permitBasis: row.permit_basis,
        expiresOn: row.expires_on,
        checkId: row.check_id,
        started: row.started,
      }));
    },

    /** Checks stored without a workflow that wrote its projection (start-up recovery). */
    async listChecksWithoutProjection(): Promise<ResidenceCheckRow[]> {
      const { rows } = await db.query<Row>(
        `SELECT c.* FROM residence_checks c LEFT JOIN case_projections p ON p.case_id = c.id
         WHERE p.case_id IS NULL AND c.anonymised_at IS NULL ORDER BY c.created_at`,
      );
      return rows.map(toCheck);
    },

    /** Checks over (a final stage) that still name their person in the projection. */
    async listClosedChecksWithPersonalData(finalStages: readonly string[]): Promise<{ caseId: string; authorityId: string; closedAt: string }[]> {
      const { rows } = await db.query<{ id: string; authority_id: string; updated_at: Date }>(
        `SELECT c.id, c.authority_id, p.updated_at FROM residence_checks c JOIN case_projections p ON p.case_id = c.id
         WHERE c.anonymised_at IS NULL AND p.stage = ANY ($1::text[])`,
        [finalStages],
      );
      return rows.map((row) => ({ caseId: row.id, authorityId: row.authority_id, closedAt: row.updated_at.toISOString() }));
    },

    /** Removes what identifies the person from a closed check; keeps stage and flags for the figures. */
    async anonymiseCheckById(id: string): Promise<void> {
      await db.query("UPDATE case_projections SET details = '{}'::jsonb, person_id = NULL, assignee = NULL WHERE case_id = $1", [id]);
      await db.query("UPDATE outbox SET recipient = 'anonymised', subject = 'anonymised', body_text = '' WHERE case_id = $1", [id]);
      await db.query('UPDATE residence_checks SET anonymised_at = now() WHERE id = $1', [id]);
    },

    async deleteCheckById(id: string): Promise<void> {
      await db.query('DELETE FROM outbox WHERE case_id = $1', [id]);
      await db.query('DELETE FROM case_projections WHERE case_id = $1', [id]);
      await db.query('DELETE FROM residence_checks WHERE id = $1', [id]);
    },
  };
}
