import type { Pool, PoolClient } from 'pg';

type Queryable = Pool | PoolClient;

/** A stage at which a case of one type is over (from the list of processes, `processes/index.ts`). */
export interface FinalStage {
  caseType: string;
  stage: string;
}

/**
 * The cases of registered persons, read from the case projections. `finalStages` says, per case
 * type, at which stages a case takes no more signals; `db/` does not import the process list, so
 * the caller passes it.
 */
export function createPersonCaseQueries(db: Queryable, finalStages: readonly FinalStage[]) {
  const finalCaseTypes = finalStages.map((f) => f.caseType);
  const finalStageNames = finalStages.map((f) => f.stage);
  /** SQL: the case `cp` is open; `$types` and `$stages` are the parameters holding `finalStages`. */
  const isOpenSql = (types: number, stages: number) => `NOT EXISTS (SELECT 1 FROM unnest($${types}::text[], $${stages}::text[]) AS f(case_type, stage)
                   WHERE f.case_type = cp.case_type AND f.stage = cp.stage)`;
  const isOpen = isOpenSql(2, 3);
  return {
    /** The workflows of a person's open cases (any process), to tell them the person's facts changed. */
    async listOpenCaseWorkflowsByPerson(personId: string): Promise<{ caseId: string; caseType: string; workflowId: string }[]> {
      const { rows } = await db.query<{ case_id: string; case_type: string; workflow_id: string }>(
        `SELECT case_id, case_type, workflow_id FROM case_projections cp
         WHERE person_id = $1 AND ${isOpen}
         ORDER BY case_id`,
        [personId, finalCaseTypes, finalStageNames],
      );
      return rows.map((row) => ({ caseId: row.case_id, caseType: row.case_type, workflowId: row.workflow_id }));
    },

    /** The same for many persons at once (a bulk load's chunk). */
    async listOpenCaseWorkflowsByPersons(personIds: string[]): Promise<{ personId: string; workflowId: string }[]> {
      if (personIds.length === 0) return [];
      const { rows } = await db.query<{ person_id: string; workflow_id: string }>(
        `SELECT person_id, workflow_id FROM case_projections cp
         WHERE person_id = ANY ($1::uuid[]) AND ${isOpen}
         ORDER BY person_id, case_id`,
        [personIds, finalCaseTypes, finalStageNames],
      );
      return rows.map((row) => ({ personId: row.person_id, workflowId: row.workflow_id }));
    },

    /** A person's open cases of the given processes within one authority (the person page's "open processes"). */
    async listOpenCasesByPersonAndAuthority(personId: string, authorityId: string, caseTypes: readonly string[]) {
      const { rows } = await db.query<{ case_id: string; case_type: string; reference: string | null; stage: string; waiting_for: string | null; next_due_at: Date | null; flags: string[] }>(
        `SELECT case_id, case_type, reference, stage, waiting_for, next_due_at, flags FROM case_projections cp
         WHERE person_id = $1 AND authority_id = $2 AND case_type = ANY ($3::text[]) AND ${isOpenSql(4, 5)}
         ORDER BY next_due_at NULLS LAST, case_id
         LIMIT 200`,
        [personId, authorityId, caseTypes, finalCaseTypes, finalStageNames],
      );
      return rows;
    },
  };
}
