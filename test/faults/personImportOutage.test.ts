import pino from 'pino';
import { formatCsv } from '../../api/naturalisation/csv';
import { determineRetryDelayMs, ensurePersonImportRunning, runPersonImportChunk, type ImportRetrySettings } from '../../api/persons/importRunner';
import { createPersonImport, defaultPersonImportSettings } from '../../api/persons/importService';
import { startLocalPostgres, type LocalPostgres } from '../../scripts/localPostgres';
import { startSystem } from '../support/system';

const personHeader = ['file_number', 'family_name', 'given_names', 'date_of_birth', 'nationalities', 'street', 'postal_code', 'city', 'email', 'preferred_language'];

test('retry delays double from the first and stop at the cap', () => {
  const retry: ImportRetrySettings = { initialDelayMs: 2_000, maxDelayMs: 30_000, maxFailures: 5 };
  expect([1, 2, 3, 4, 5, 6, 100].map((failures) => determineRetryDelayMs(retry, failures))).toEqual([2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
});

/**
 * The register's bulk load while PostgreSQL is away for longer than the runner's old retries
 * lasted: the background loop keeps retrying at its capped pace and finishes the job by itself
 * once the database is back — no restart, no resume by hand.
 */
describe('person import during a PostgreSQL outage', () => {
  let pg: LocalPostgres;
  let system: Awaited<ReturnType<typeof startSystem>>;

  beforeAll(async () => {
    // A server of this test's own: the shared one is not stopped under other tests.
    pg = await startLocalPostgres();
    system = await startSystem({ databaseServerUrl: pg.url, importWorker: false });
  });
  afterAll(async () => {
    await system?.stop();
    await pg?.destroy();
  });

  test('the import keeps retrying through the outage and completes with every row exactly once', async () => {
    const principal = { subject: 'clerk-outage', roles: ['abh_clerk' as const], authorityId: 'outagetown' };
    const rows = [personHeader, ...Array.from({ length: 12 }, (_, i) => [`O-${i + 1}`, `Family${i + 1}`, 'Given', '1980-05-05', 'IQ', '', '', '', '', ''])];
    // Short delays, and a limit of 3 failures for other errors: the outage below outlasts 3
    // failures many times over, so a runner that counted them would give up.
    const retry: ImportRetrySettings = { initialDelayMs: 100, maxDelayMs: 400, maxFailures: 3 };
    const settings = { ...defaultPersonImportSettings, chunkSize: 4, startInBackground: false, retry };
    const { job } = await createPersonImport(system.deps, principal, 'persons', Buffer.from(formatCsv(rows)), 'text/csv', undefined, settings);
    expect((await runPersonImportChunk(system.deps, job.id, settings))?.outcome).toMatchObject({ processed: 4, accepted: 4 });

    const failures: Array<{ failures: number; databaseUnavailable: boolean }> = [];
    const logger = pino({ level: 'error' }, { write: (line: string) => void failures.push(JSON.parse(line)) });

    await pg.stopServer();
    const run = ensurePersonImportRunning({ ...system.deps, logger }, job.id, settings);
    let finishedEarly = false;
    void run.then(() => (finishedEarly = true));
    // Wait until the runner has failed well past its limit for other errors.
    for (let i = 0; i < 300 && failures.length < retry.maxFailures * 3; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(failures.length).toBeGreaterThanOrEqual(retry.maxFailures * 3);
    expect(failures.every((f) => f.databaseUnavailable)).toBe(true);
    expect(finishedEarly).toBe(false);
    await pg.startServer();

    // The run ends once the job is done: its promise is the proof that nothing else is left.
    await run;
    const { rows: [final] } = await system.db.pool.query('SELECT status, processed, accepted, unchanged, rejected FROM person_import_jobs WHERE id = $1', [job.id]);
    expect(final).toEqual({ status: 'completed', processed: 12, accepted: 12, unchanged: 0, rejected: 0 });
    const { rows: [persons] } = await system.db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM persons WHERE authority_id = 'outagetown'");
    expect(persons.n).toBe(12);
    const { rows: [revisions] } = await system.db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM person_revisions WHERE authority_id = 'outagetown'");
    expect(revisions.n).toBe(12);
  });
});
