import type { Pool } from 'pg';

export interface CaseQueueFilter {
  authorityId: string;
  caseType: string;
  /** Stages at which a case is over: left out. */
  finalStages: readonly string[];
  stage?: string;
  waitingFor?: string;
  assignee?: string;
  flag?: string;
  /** The last case of the previous page: its due instant (null among the cases without one) and id. */
  after?: { due: string | null; caseId: string };
  limit: number;
}

export interface CaseQueueRow {
  case_id: string;
  reference: string | null;
  stage: string;
  waiting_for: string | null;
  next_due_at: Date | null;
  due_key: string | null;
  assignee: string | null;
  team: string;
  flags: string[];
}

/**
 * The open cases of any process from the projections alone, nearest due date first (cases
 * without one last), keyset-paginated as in workQueue.ts: first the cases with a due date, then
 * — once those are exhausted — the cases without, each an ordered range scan.
 */
function listingSql(withDue: boolean): string {
  return `
    SELECT p.case_id, p.reference, p.stage, p.waiting_for, p.next_due_at, p.next_due_at::text AS due_key, p.assignee, p.team, p.flags
    FROM case_projections p
    WHERE p.authority_id = $1 AND p.case_type = $2 AND p.stage <> ALL ($3::text[])
      AND ($4::text IS NULL OR p.stage = $4)
      AND ($5::text IS NULL OR p.waiting_for = $5)
      AND ($6::text IS NULL OR p.assignee = $6)
      AND ($7::text IS NULL OR p.flags ? $7)
      ${withDue
        ? 'AND p.next_due_at IS NOT NULL AND ($8::timestamptz IS NULL OR (p.next_due_at, p.case_id) > ($8::timestamptz, $9::uuid))'
        : 'AND p.next_due_at IS NULL AND ($8::uuid IS NULL OR p.case_id > $8::uuid)'}
    ORDER BY ${withDue ? 'p.next_due_at, ' : ''}p.case_id
    LIMIT ${withDue ? '$10' : '$9'}`;
}

export function createCaseQueueQueries(pool: Pool) {
  return {
    /** One page of an authority's open cases of one process; `after` continues a listing. */
    async listOpenCasesByDue(filter: CaseQueueFilter): Promise<CaseQueueRow[]> {
      const params = [filter.authorityId, filter.caseType, filter.finalStages, filter.stage ?? null, filter.waitingFor ?? null, filter.assignee ?? null, filter.flag ?? null];
      const afterWithoutDue = filter.after !== undefined && filter.after.due === null;
      let rows: CaseQueueRow[] = [];
      if (!afterWithoutDue) {
        rows = (await pool.query<CaseQueueRow>(listingSql(true), [...params, filter.after?.due ?? null, filter.after?.caseId ?? null, filter.limit])).rows;
        if (rows.length === filter.limit) return rows;
      }
      const rest = await pool.query<CaseQueueRow>(listingSql(false), [...params, afterWithoutDue ? filter.after!.caseId : null, filter.limit - rows.length]);
      return [...rows, ...rest.rows];
    },
  };
}
