import { Client } from 'pg';
import { startLocalPostgres, type LocalPostgres } from '../../scripts/localPostgres';
import { defaultTestDatabaseUrl } from './postgres';

/**
 * Jest's global setup, once per run: makes sure the tests have a PostgreSQL server and tells the
 * test files its address in TEST_DATABASE_URL (test workers start after this and inherit it).
 * - TEST_DATABASE_URL set: that server is used as it is.
 * - otherwise, if a server answers at TEST_DATABASE_PROBE_URL (default: the `postgres` superuser
 *   with password `postgres` on 127.0.0.1:5432), that one;
 * - otherwise a server of the run's own (initdb/pg_ctl into a temporary folder, a free port),
 *   stopped and removed by the global teardown.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.TEST_DATABASE_URL) return;
  const probeUrl = process.env.TEST_DATABASE_PROBE_URL ?? defaultTestDatabaseUrl;
  const probeFailure = await probe(probeUrl);
  if (!probeFailure) {
    process.env.TEST_DATABASE_URL = probeUrl;
    return;
  }
  const server = await startLocalPostgres();
  (globalThis as { kimTestPostgres?: LocalPostgres }).kimTestPostgres = server;
  process.env.TEST_DATABASE_URL = server.url;
  process.stdout.write(`\nno PostgreSQL at ${redact(probeUrl)} (${probeFailure}): started one for this run at ${server.url}\n`);
}

/** Returns why nothing usable answers at the URL, or undefined when a server does. */
async function probe(url: string): Promise<string | undefined> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (error) {
    return (error as Error).message || String((error as { code?: string }).code);
  } finally {
    await client.end().catch(() => undefined);
  }
}

function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}
