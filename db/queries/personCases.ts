import type { Pool, PoolClient } from 'pg';

type Queryable = Pool | PoolClient;

/** Stages in which a case takes no more signals. */
export const finishedCaseStages = ['closed', 'decided', 'completed', 'cancelled'] as const;

/** The cases of registered persons, read from the case projections. */
export function createPersonCaseQueries(db: Queryable) {
  return {
    /** The workflows of a person's open cases (any process), to tell them the person's facts changed. */
    async listOpenCaseWorkflowsByPerson(personId: string): Promise<{ caseId: string; caseType: string; workflowId: string }[]> {
      const { rows } = await db.query<{ case_id: string; case_type: string; workflow_id: string }>(
        `SELECT case_id, case_type, workflow_id FROM case_projections
         WHERE person_id = $1 AND stage <> ALL ($2::text[])
         ORDER BY case_id`,
        [personId, finishedCaseStages],
      );
      return rows.map((row) => ({ caseId: row.case_id, caseType: row.case_type, workflowId: row.workflow_id }));
    },

    /** The same for many persons at once (a bulk load's chunk). */
    async listOpenCaseWorkflowsByPersons(personIds: string[]): Promise<{ personId: string; workflowId: string }[]> {
      if (personIds.length === 0) return [];
      const { rows } = await db.query<{ person_id: string; workflow_id: string }>(
        `SELECT person_id, workflow_id FROM case_projections
         WHERE person_id = ANY ($1::uuid[]) AND stage <> ALL ($2::text[])
         ORDER BY person_id, case_id`,
        [personIds, finishedCaseStages],
      );
      return rows.map((row) => ({ personId: row.person_id, workflowId: row.workflow_id }));
    },

    /** A person's open cases of the given processes within one authority (the person page's "open processes"). */
    async listOpenCasesByPersonAndAuthority(personId: string, authorityId: string, caseTypes: readonly string[]) {
      const { rows } = await db.query<{ case_id: string; case_type: string; reference: string | null; stage: string; waiting_for: string | null; next_due_at: Date | null; flags: string[] }>(
        `SELECT case_id, case_type, reference, stage, waiting_for, next_due_at, flags FROM case_projections
         WHERE person_id = $1 AND authority_id = $2 AND case_type = ANY ($3::text[]) AND stage <> ALL ($4::text[])
         ORDER BY next_due_at NULLS LAST, case_id
         LIMIT 200`,
        [personId, authorityId, caseTypes, finishedCaseStages],
      );
      return rows;
    },
  };
}
