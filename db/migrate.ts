import fs from 'node:fs/promises';
import path from 'node:path';
import type { Pool } from 'pg';

export const migrationsDir = path.resolve(__dirname, '..', '..', 'db', 'migrations');

/**
 * Applies the plain SQL files of db/migrations in name order, each in its own transaction,
 * and records them in schema_migrations. A file already recorded is never run again, so
 * migrations are never edited after they land. An advisory lock keeps two starting processes
 * from applying the same file.
 */
export async function migrate(pool: Pool, dir = migrationsDir): Promise<string[]> {
  const client = await pool.connect();
  const applied: string[] = [];
  try {
    await client.query('SELECT pg_advisory_lock(727274)');
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const done = new Set(
      (await client.query<{ name: string }>('SELECT name FROM schema_migrations')).rows.map((row) => row.name),
    );
    const files = (await fs.readdir(dir)).filter((name) => name.endsWith('.sql')).sort();
    for (const name of files) {
      if (done.has(name)) continue;
      const sql = await fs.readFile(path.join(dir, name), 'utf8');
      await client.query('BEGIN');
      try {
        await client.query(sql);
        await client.query('INSERT INTO schema_migrations (name) VALUES ($1)', [name]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new Error(`migration ${name} failed: ${(error as Error).message}`);
      }
      applied.push(name);
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock(727274)').catch(() => undefined);
    client.release();
  }
  return applied;
}
