import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { createPool } from '../../db/pool';
import { migrate } from '../../db/migrate';

/** The real PostgreSQL server the tests use (`.ci/run` installs and starts one). */
export const testDatabaseServerUrl =
  process.env.TEST_DATABASE_URL ?? 'postgresql://postgres:postgres@127.0.0.1:5432/postgres';

/**
 * Creates a fresh, migrated database on the test server for one test file, and drops it after.
 */
export async function createTestDatabase() {
  const admin = new Pool({ connectionString: testDatabaseServerUrl, max: 1 });
  const name = `kim_test_${randomBytes(6).toString('hex')}`;
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } catch (error) {
    await admin.end();
    throw new Error(
      `cannot reach the test PostgreSQL at ${testDatabaseServerUrl} (${(error as Error).message}); ` +
        'start one (`.ci/run` does) or set TEST_DATABASE_URL',
    );
  }
  const url = new URL(testDatabaseServerUrl);
  url.pathname = `/${name}`;
  const pool = createPool(url.toString(), 10);
  // Dropping the database ends connections the pool may still be closing: not a test failure.
  pool.on('error', () => undefined);
  await migrate(pool);
  return {
    url: url.toString(),
    pool,
    async drop() {
      await pool.end();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}
