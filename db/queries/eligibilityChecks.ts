import type { Pool, PoolClient } from 'pg';
import type { LocalDate } from '../../domain/calendar/localDate';
import type { EligibilityResult } from '../../domain/naturalisation/eligibility';
import type { NaturalisationFacts } from '../../domain/naturalisation/facts';

export interface EligibilityCheckRow {
  id: string;
  case_id: string;
  authority_id: string;
  rule_set_version: string;
  as_of: LocalDate;
  /** Personal data: read only through the API, scoped and audited. */
  facts: NaturalisationFacts;
  result: EligibilityResult;
  overall: string;
  created_by: string;
  created_at: Date;
  /** `register`: the person's stored facts as of the day; `what_if`: facts a clerk gave. */
  source: 'register' | 'what_if';
}

export type NewEligibilityCheck = Omit<EligibilityCheckRow, 'created_at' | 'source'> & { source?: EligibilityCheckRow['source'] };

export function createEligibilityCheckQueries(db: Pool | PoolClient) {
  return {
    async insertEligibilityCheck(check: NewEligibilityCheck): Promise<EligibilityCheckRow> {
      const { rows } = await db.query<EligibilityCheckRow>(
        `INSERT INTO naturalisation_eligibility_checks
           (id, case_id, authority_id, rule_set_version, as_of, facts, result, overall, created_by, source)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         RETURNING *`,
        [
          check.id,
          check.case_id,
          check.authority_id,
          check.rule_set_version,
          check.as_of,
          JSON.stringify(check.facts),
          JSON.stringify(check.result),
          check.overall,
          check.created_by,
          check.source ?? 'what_if',
        ],
      );
      return rows[0];
    },

    /** The newest check of a case made on a day (the decision day), if any. */
    async findLatestEligibilityCheckOnDay(caseId: string, asOf: LocalDate): Promise<EligibilityCheckRow | undefined> {
      const { rows } = await db.query<EligibilityCheckRow>(
        `SELECT * FROM naturalisation_eligibility_checks WHERE case_id = $1 AND as_of = $2
         ORDER BY created_at DESC, id DESC LIMIT 1`,
        [caseId, asOf],
      );
      return rows[0];
    },

    /** The newest check of a case, whatever its day. */
    async findLatestEligibilityCheck(caseId: string): Promise<EligibilityCheckRow | undefined> {
      const { rows } = await db.query<EligibilityCheckRow>(
        'SELECT * FROM naturalisation_eligibility_checks WHERE case_id = $1 ORDER BY created_at DESC, id DESC LIMIT 1',
        [caseId],
      );
      return rows[0];
    },

    /** The checks of one case, newest first; scoped to the caller's authority in SQL. */
    async listEligibilityChecksByCase(caseId: string, authorityId: string, limit = 50): Promise<EligibilityCheckRow[]> {
      const { rows } = await db.query<EligibilityCheckRow>(
        `SELECT * FROM naturalisation_eligibility_checks
         WHERE case_id = $1 AND authority_id = $2
         ORDER BY created_at DESC, id DESC
         LIMIT $3`,
        [caseId, authorityId, limit],
      );
      return rows;
    },
  };
}
