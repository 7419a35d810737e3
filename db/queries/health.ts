import type { Pool } from 'pg';

export function createHealthQueries(pool: Pool) {
  return {
    /** A round trip to PostgreSQL (the health check). */
    async pingDatabase(): Promise<void> {
      await pool.query('SELECT 1');
    },
  };
}
