import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { createPool } from '../../db/pool';
import { migrate } from '../../db/migrate';

/** Where the tests look for a PostgreSQL server when TEST_DATABASE_URL is unset. */
export const defaultTestDatabaseUrl = 'postgresql://postgres:postgres@127.0.0.1:5432/postgres';

/**
 * The real PostgreSQL server the tests use: TEST_DATABASE_URL — set by `.ci/run`, by the
 * operator, or by jest's global setup (test/support/globalSetup.ts), which otherwise finds the
 * server at the default address or starts one of its own for the run.
 */
export function testDatabaseServerUrl(): string {
  return process.env.TEST_DATABASE_URL ?? defaultTestDatabaseUrl;
}

/**
 * Creates a fresh, migrated database on the test server (or on `serverUrl`) for one test file,
 * and drops it after.
 */
export async function createTestDatabase(serverUrl = testDatabaseServerUrl(), options: { poolSize?: number } = {}) {
  const admin = new Pool({ connectionString: serverUrl, max: 1 });
  admin.on('error', () => undefined);
  const name = `kim_test_${randomBytes(6).toString('hex')}`;
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } catch (error) {
    await admin.end();
    throw new Error(
      `cannot reach the test PostgreSQL at ${serverUrl} (${(error as Error).message}); ` +
        'start one (`.ci/run` does) or set TEST_DATABASE_URL',
    );
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  // The pool rides out connections the server ends (db/pool.ts): dropping the database, or a
  // fault test restarting the server.
  const pool = createPool(url.toString(), options.poolSize ?? 10);
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
