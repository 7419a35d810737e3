import type { Pool, PoolClient } from 'pg';

export interface CaseProjection {
  caseId: string;
  caseType: string;
  authorityId: string;
  workflowId: string;
  version: number;
  stage: string;
  waitingFor: string | null;
  flags: string[];
  deadlines: Record<string, string>;
  decision: Record<string, unknown> | null;
  /** Work-queue fields (optional for projections written before they existed). */
  team?: string;
  assignee?: string | null;
  filedOn?: string | null;
  /** ISO instant of the next due date (a deadline, a follow-up), for sorting work queues. */
  nextDueAt?: string | null;
  suspended?: boolean;
  /** What the case view shows beyond the queue fields. */
  details?: Record<string, unknown>;
  /** The reference staff and letters quote (kept once set). */
  reference?: string | null;
  /** The person of the register the case is about (kept once set). */
  personId?: string | null;
}

interface CaseProjectionRow {
  case_id: string;
  case_type: string;
  authority_id: string;
  workflow_id: string;
  version: number;
  stage: string;
  waiting_for: string | null;
  flags: string[];
  deadlines: Record<string, string>;
  decision: Record<string, unknown> | null;
  team: string;
  assignee: string | null;
  filed_on: string | null;
  next_due_at: Date | null;
  suspended: boolean;
  details: Record<string, unknown>;
  reference: string | null;
  person_id: string | null;
  updated_at: Date;
}

function toProjection(row: CaseProjectionRow): CaseProjection & { updatedAt: Date } {
  return {
    caseId: row.case_id,
    caseType: row.case_type,
    authorityId: row.authority_id,
    workflowId: row.workflow_id,
    version: row.version,
    stage: row.stage,
    waitingFor: row.waiting_for,
    flags: row.flags,
    deadlines: row.deadlines,
    decision: row.decision,
    team: row.team,
    assignee: row.assignee,
    filedOn: row.filed_on,
    nextDueAt: row.next_due_at ? row.next_due_at.toISOString() : null,
    suspended: row.suspended,
    details: row.details,
    reference: row.reference,
    personId: row.person_id,
    updatedAt: row.updated_at,
  };
}

export function createCaseProjectionQueries(pool: Pool | PoolClient) {
  return {
    /**
     * Upserts a case's projection; a write carrying an older or equal version than the stored
     * one changes nothing (a retried or late activity cannot move a case backwards).
     * @returns whether the row was written
     */
    async upsertProjectionIfNewer(p: CaseProjection): Promise<boolean> {
      const result = await pool.query(
        `INSERT INTO case_projections
           (case_id, case_type, authority_id, workflow_id, version, stage, waiting_for, flags, deadlines, decision,
            team, assignee, filed_on, next_due_at, suspended, details, reference, person_id, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, now())
         ON CONFLICT (case_id) DO UPDATE SET
           version = EXCLUDED.version, stage = EXCLUDED.stage, waiting_for = EXCLUDED.waiting_for,
           flags = EXCLUDED.flags, deadlines = EXCLUDED.deadlines, decision = EXCLUDED.decision,
           team = EXCLUDED.team, assignee = EXCLUDED.assignee, filed_on = COALESCE(EXCLUDED.filed_on, case_projections.filed_on),
           next_due_at = EXCLUDED.next_due_at, suspended = EXCLUDED.suspended, details = EXCLUDED.details,
           reference = COALESCE(EXCLUDED.reference, case_projections.reference),
           person_id = COALESCE(EXCLUDED.person_id, case_projections.person_id), updated_at = now()
         WHERE case_projections.version < EXCLUDED.version`,
        [p.caseId, p.caseType, p.authorityId, p.workflowId, p.version, p.stage, p.waitingFor,
          JSON.stringify(p.flags), JSON.stringify(p.deadlines), p.decision === null ? null : JSON.stringify(p.decision),
          p.team ?? 'default', p.assignee ?? null, p.filedOn ?? null, p.nextDueAt ?? null, p.suspended ?? false,
          JSON.stringify(p.details ?? {}), p.reference ?? null, p.personId ?? null],
      );
      return (result.rowCount ?? 0) > 0;
    },

    /** Anonymised figures of one authority's cases of one type: counts by stage, month of filing and flag. */
    async countCasesByAuthority(authorityId: string, caseType: string) {
      const { rows } = await pool.query<{ stage: string; filed_month: string | null; flags: string[]; n: string }>(
        `SELECT stage, to_char(filed_on, 'YYYY-MM') AS filed_month, flags, count(*) AS n
         FROM case_projections
         WHERE authority_id = $1 AND case_type = $2
         GROUP BY 1, 2, 3`,
        [authorityId, caseType],
      );
      return rows.map((row) => ({ stage: row.stage, filedMonth: row.filed_month, flags: row.flags, count: Number(row.n) }));
    },

    async findProjectionByCaseId(caseId: string) {
      const { rows } = await pool.query<CaseProjectionRow>('SELECT * FROM case_projections WHERE case_id = $1', [caseId]);
      return rows[0] ? toProjection(rows[0]) : undefined;
    },
  };
}
