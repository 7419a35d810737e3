import type { Pool } from 'pg';

export interface TeamDigestRow {
  authority_id: string;
  team: string;
  open_cases: number;
  by_stage: Record<string, number>;
  lawsuit_possible: string[];
  overdue: string[];
  due_within_week: string[];
  waiting_for_applicant: number;
  waiting_for_other_agency: number;
  suspended: number;
  oldest: string[];
}

/** The figures of each team's daily digest: its open cases of every process, references only. */
export function createTeamDigestQueries(pool: Pool) {
  return {
    /** @param finalStages stages at which a case of any process is over */
    async listTeamDigests(asOf: string, finalStages: readonly string[]): Promise<TeamDigestRow[]> {
      const { rows } = await pool.query<TeamDigestRow>(
        `WITH open_cases AS (
           SELECT p.authority_id, p.team, p.stage, p.waiting_for, p.flags, p.next_due_at, p.suspended,
                  COALESCE(p.reference, p.case_id::text) AS reference, p.filed_on
           FROM case_projections p
           WHERE p.stage <> ALL ($2::text[])
         ), stages AS (
           SELECT authority_id, team, jsonb_object_agg(stage, n) AS by_stage
           FROM (SELECT authority_id, team, stage, count(*)::int AS n FROM open_cases GROUP BY 1, 2, 3) s
           GROUP BY 1, 2
         )
         SELECT o.authority_id, o.team, count(*)::int AS open_cases, s.by_stage,
           coalesce(array_agg(o.reference ORDER BY o.reference) FILTER (WHERE o.flags ? 'lawsuit_possible'), '{}') AS lawsuit_possible,
           coalesce(array_agg(o.reference ORDER BY o.next_due_at) FILTER (WHERE o.next_due_at < $1::timestamptz), '{}') AS overdue,
           coalesce(array_agg(o.reference ORDER BY o.next_due_at)
             FILTER (WHERE o.next_due_at >= $1::timestamptz AND o.next_due_at < $1::timestamptz + interval '7 days'), '{}') AS due_within_week,
           count(*) FILTER (WHERE o.waiting_for = 'applicant')::int AS waiting_for_applicant,
           count(*) FILTER (WHERE o.waiting_for = 'other_agency')::int AS waiting_for_other_agency,
           count(*) FILTER (WHERE o.suspended)::int AS suspended,
           (array_agg(o.reference || ' (' || to_char(o.filed_on, 'DD.MM.YYYY') || ')' ORDER BY o.filed_on, o.reference))[1:5] AS oldest
         FROM open_cases o JOIN stages s USING (authority_id, team)
         GROUP BY o.authority_id, o.team, s.by_stage
         ORDER BY o.authority_id, o.team`,
        [asOf, finalStages],
      );
      return rows;
    },
  };
}
