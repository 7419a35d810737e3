import type { Pool } from 'pg';

export type WorkQueueSort = 'age' | 'due';

/**
 * Where a page ends: the sort key of its last case (as PostgreSQL prints it, so timestamps keep
 * their microseconds; `null` once the listing has reached the cases without one) and its id.
 */
export interface WorkQueuePosition {
  key: string | null;
  caseId: string;
}

export interface WorkQueueFilter {
  authorityId: string;
  team?: string;
  stage?: string;
  waitingFor?: string;
  assignee?: string;
  flag?: string;
  sort: WorkQueueSort;
  after?: WorkQueuePosition;
  limit: number;
}

export interface WorkQueueRow {
  case_id: string;
  reference: string;
  stage: string;
  waiting_for: string | null;
  filed_on: string | null;
  next_due_at: Date | null;
  assignee: string | null;
  team: string;
  flags: string[];
  suspended: boolean;
  /** The sort key as text, for the position of the next page. */
  sort_key: string | null;
}

/**
 * Two statements per sort, both ordered `<key>, case_id` and paged by keyset (never OFFSET): the
 * cases with a key first, then — once those are exhausted — the cases without one (NULLS LAST).
 * Each is an ordered range scan of one of the queue indexes (migrations 20261125210000 and
 * 20261126020000), so a page costs the same at the 1st and at the 100,000th case.
 *
 * Optional filters use `$n IS NULL OR …`: node-postgres sends unnamed statements, which
 * PostgreSQL plans with the actual values, so an absent filter folds away and a present one
 * becomes an index condition.
 */
function listingSql(column: 'filed_on' | 'next_due_at', type: 'date' | 'timestamptz') {
  // The page is chosen from the projections alone; only its rows are joined to their applications.
  const page = (conditions: string, limit: string) => `
    SELECT q.case_id, a.reference, q.stage, q.waiting_for, q.filed_on, q.next_due_at, q.assignee, q.team, q.flags, q.suspended, q.sort_key
    FROM (
      SELECT p.case_id, p.authority_id, p.stage, p.waiting_for, p.filed_on, p.next_due_at, p.assignee, p.team, p.flags, p.suspended,
             p.${column} AS sort_value, p.${column}::text AS sort_key
      FROM case_projections p
      WHERE p.authority_id = $1 AND p.case_type = 'naturalisation'
        AND ($2::text IS NULL OR p.team = $2)
        AND ($3::text IS NULL OR p.stage = $3)
        AND ($4::text IS NULL OR p.waiting_for = $4)
        AND ($5::text IS NULL OR p.assignee = $5)
        AND ($6::text IS NULL OR p.flags ? $6)
        ${conditions}
      ORDER BY p.${column}, p.case_id
      LIMIT ${limit}
    ) q
    JOIN naturalisation_applications a ON a.id = q.case_id AND a.authority_id = q.authority_id
    ORDER BY q.sort_value, q.case_id`;
  return {
    /** $7, $8: the last key and case id of the previous page (none on the first page). */
    withKey: page(
      `AND p.${column} IS NOT NULL
        AND ($7::${type} IS NULL OR (p.${column}, p.case_id) > ($7::${type}, $8::uuid))`,
      '$9',
    ),
    /** $7: the last case id of the previous page if it ended among these cases; all keys NULL, so by case id. */
    withoutKey: page(
      `AND p.${column} IS NULL
        AND ($7::uuid IS NULL OR p.case_id > $7::uuid)`,
      '$8',
    ),
  };
}

const listings = { age: listingSql('filed_on', 'date'), due: listingSql('next_due_at', 'timestamptz') };

export function createWorkQueueQueries(pool: Pool) {
  return {
    /** One page of an authority's naturalisation work queue; `after` continues a listing. */
    async listNaturalisationQueue(filter: WorkQueueFilter): Promise<WorkQueueRow[]> {
      const sql = listings[filter.sort];
      const filters = [
        filter.authorityId,
        filter.team ?? null,
        filter.stage ?? null,
        filter.waitingFor ?? null,
        filter.assignee ?? null,
        filter.flag ?? null,
      ];
      const afterWithoutKey = filter.after !== undefined && filter.after.key === null;
      let rows: WorkQueueRow[] = [];
      if (!afterWithoutKey) {
        rows = (await pool.query<WorkQueueRow>(sql.withKey, [...filters, filter.after?.key ?? null, filter.after?.caseId ?? null, filter.limit])).rows;
        if (rows.length === filter.limit) return rows;
      }
      const rest = await pool.query<WorkQueueRow>(sql.withoutKey, [
        ...filters,
        afterWithoutKey ? filter.after!.caseId : null,
        filter.limit - rows.length,
      ]);
      return [...rows, ...rest.rows];
    },
  };
}
