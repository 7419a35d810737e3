import type { Pool } from 'pg';

/** The figures an operator watches, read at each metrics scrape (worker/metrics/system.ts). */
export function createMetricsQueries(pool: Pool) {
  return {
    /** Messages not yet delivered, and the age of the oldest of them in seconds. */
    async findPendingOutboxSummary(): Promise<{ pending: number; oldestAgeSeconds: number }> {
      const { rows } = await pool.query<{ pending: number; oldest_age: number | null }>(
        `SELECT count(*)::int AS pending, EXTRACT(EPOCH FROM now() - min(created_at))::float8 AS oldest_age
           FROM outbox WHERE status = 'pending'`,
      );
      return { pending: rows[0].pending, oldestAgeSeconds: rows[0].oldest_age ?? 0 };
    },
    /** Messages of the last 24 hours addressed to a fallback mailbox (no staff-directory entry for their authority and team). */
    async countFallbackRecipientMessagesOfLastDay(): Promise<number> {
      const { rows } = await pool.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM outbox WHERE recipient_fallback AND created_at > now() - interval '24 hours'",
      );
      return rows[0].n;
    },
    /** Per case type: cases whose next due instant (projection `next_due_at`) has passed. */
    async countOverdueCasesByType(): Promise<Array<{ caseType: string; count: number }>> {
      const { rows } = await pool.query<{ case_type: string; count: number }>(
        `SELECT case_type, count(*)::int AS count FROM case_projections
          WHERE next_due_at IS NOT NULL AND next_due_at <= now() GROUP BY case_type ORDER BY case_type`,
      );
      return rows.map((row) => ({ caseType: row.case_type, count: row.count }));
    },
  };
}
