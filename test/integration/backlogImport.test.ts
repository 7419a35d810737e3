import { randomUUID } from 'node:crypto';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createBacklogImportActivities } from '../../activities/backlogImport';
import { ensureWorkflowStarted } from '../../api/naturalisation/applicationService';
import { prepareBacklogRows } from '../../api/naturalisation/backlogImportService';
import { formatCsv } from '../../api/naturalisation/csv';
import { createBacklogImportQueries } from '../../db/queries/backlogImports';
import { toBerlinLocalDate } from '../../domain/calendar/berlinTime';
import { addDays } from '../../domain/calendar/localDate';
import { backlogImportWorkflowId } from '../../workflows/backlogImportDefinitions';
import { naturalisationWorkflowId } from '../../workflows/naturalisationDefinitions';
import { validApplicationBody } from '../support/system';
import { importWorkerApplicationName, spawnImportWorker, startBacklogSystem, waitUntil } from '../support/backlogImport';

const header = ['Reference', 'Given_Names', 'family_name', 'date_of_birth', 'email', 'preferred_language', 'filed_on'];
const today = toBerlinLocalDate(Date.now());

/** A good row: recent filing dates (a few old backlog ones), every fifth without a reference. */
function goodRow(i: number, prefix: string): string[] {
  const filedOn = i % 50 === 7 ? `2025-0${1 + (i % 9)}-15` : addDays(today, -(i % 30));
  return [i % 5 === 0 ? '' : `${prefix}-${String(i).padStart(4, '0')}`, `Given ${i}`, `Family ${i}`, '1985-06-0' + (1 + (i % 9)), `person${i}@example.org`, i % 2 ? 'en' : '', filedOn];
}

type Backlog = Awaited<ReturnType<typeof startBacklogSystem>>;

async function waitForCompletion(backlog: Backlog, jobId: string, timeoutMs = 120_000) {
  const snapshots: { processed: number; accepted: number; rejected: number; percent: number }[] = [];
  let job: { status: string } | undefined;
  await waitUntil(async () => {
    const response = await backlog.request('GET', `/api/v1/naturalisation/imports/${jobId}`);
    expect(response.status).toBe(200);
    job = response.body;
    snapshots.push(response.body);
    return response.body.status === 'completed';
  }, timeoutMs, `import ${jobId} to complete`);
  return { job: job as Record<string, unknown>, snapshots };
}

async function listRejections(backlog: Backlog, jobId: string, limit: number, token?: string) {
  const items: { row: number; line: number; reference: string | null; reason: string; issues: { path: string; message: string }[] }[] = [];
  let after: string | null = null;
  do {
    const response = await backlog.request('GET', `/api/v1/naturalisation/imports/${jobId}/rejections?limit=${limit}${after ? `&after=${after}` : ''}`, { token });
    expect(response.status).toBe(200);
    items.push(...response.body.items);
    after = response.body.next;
  } while (after);
  return items;
}

/** Every accepted row's case: stored once, under its original filing date, its workflow running. */
async function expectCasesOfAcceptedRows(backlog: Backlog, jobId: string) {
  const pool = backlog.system.db.pool;
  const { rows } = await pool.query(
    `SELECT r.row_number, r.case_id, a.id, a.filed_on, a.reference, a.authority_id
     FROM import_rows r LEFT JOIN naturalisation_applications a ON a.id = r.case_id
     WHERE r.job_id = $1 AND r.status = 'accepted' ORDER BY r.row_number`,
    [jobId],
  );
  for (const row of rows) expect(row.id).toBe(row.case_id);
  const audited = await pool.query(
    "SELECT case_id, count(*)::int AS n FROM audit_log WHERE action = 'naturalisation.application.import' AND detail ->> 'importJobId' = $1 GROUP BY case_id",
    [jobId],
  );
  expect(audited.rows.length).toBe(rows.length);
  expect(audited.rows.every((r) => r.n === 1)).toBe(true);
  const statuses = await Promise.all(
    rows.map(async (row) => (await backlog.system.temporal.workflow.getHandle(naturalisationWorkflowId(row.case_id)).describe()).status.name),
  );
  expect(new Set(statuses)).toEqual(new Set(['RUNNING']));
  return rows as { row_number: number; case_id: string; filed_on: string; reference: string; authority_id: string }[];
}

describe('backlog import from CSV', () => {
  let backlog: Backlog;

  beforeAll(async () => {
    backlog = await startBacklogSystem({ settings: { chunkSize: 25, chunksPerRun: 3, maxBytes: 1024 * 1024 } });
  });
  afterAll(async () => {
    await backlog?.stop();
  });

  test('300 rows with 9 bad ones: the report lists exactly those, with reasons; the others became cases with running workflows and their original filing dates', async () => {
    const taken = await backlog.system.request('POST', '/api/v1/naturalisation/applications', validApplicationBody());
    expect(taken.status).toBe(201);
    const prefix = `B${randomUUID().slice(0, 6)}`;
    const rows = Array.from({ length: 300 }, (_, i) => goodRow(i + 1, prefix));
    const set = (row: number, column: string, value: string) => (rows[row - 1][header.indexOf(column)] = value);
    set(3, 'family_name', 'Haddad\r\ngeb. "Saleh", verw.'); // a quoted field across two lines
    set(5, 'email', 'not-an-address');
    set(17, 'date_of_birth', '1990-02-30');
    set(42, 'filed_on', addDays(today, 3));
    set(60, 'Given_Names', '   ');
    set(60, 'preferred_language', 'deu');
    rows[98].push('an extra field'); // row 99
    set(120, 'Reference', `${prefix}-0011`); // row 11's reference
    set(150, 'Reference', taken.body.reference); // an existing case's reference
    set(200, 'date_of_birth', addDays(rows[199][6], 1));
    set(230, 'Reference', 'no spaces allowed');
    set(250, 'date_of_birth', '12.04.1990'); // German date format: accepted
    set(251, 'filed_on', '01.03.2024');
    const csv = formatCsv([header, ...rows]);

    const upload = await backlog.request('POST', '/api/v1/naturalisation/imports', { body: csv, headers: { 'idempotency-key': `import-${prefix}` } });
    expect(upload.status).toBe(202);
    const jobId = upload.body.id;
    expect(upload.headers.get('location')).toBe(`/api/v1/naturalisation/imports/${jobId}`);
    // The upload refuses two rows itself: the wrong field count (99) and the repeated reference (120).
    expect(upload.body).toMatchObject({ total: 300, processed: 2, rejected: 2, accepted: 0 });

    const { job, snapshots } = await waitForCompletion(backlog, jobId);
    expect(job).toMatchObject({ status: 'completed', total: 300, processed: 300, accepted: 291, rejected: 9, percent: 100, estimatedSecondsRemaining: null });
    for (const [before, after] of snapshots.slice(1).map((s, i) => [snapshots[i], s])) {
      expect(after.processed).toBeGreaterThanOrEqual(before.processed);
      expect(after.accepted + after.rejected).toBe(after.processed);
    }

    const rejections = await listRejections(backlog, jobId, 4);
    expect(rejections.map((r) => [r.row, r.issues.map((i) => i.path).sort()])).toEqual([
      [5, ['email']],
      [17, ['date_of_birth']],
      [42, ['filed_on']],
      [60, ['given_names', 'preferred_language']],
      [99, ['row']],
      [120, ['reference']],
      [150, ['reference']],
      [200, ['date_of_birth']],
      [230, ['reference']],
    ]);
    const byRow = Object.fromEntries(rejections.map((r) => [r.row, r]));
    expect(byRow[5]).toMatchObject({ line: 7, reference: null, reason: 'email: must be an e-mail address' }); // row 3 spans two lines
    expect(byRow[17]).toMatchObject({ line: 19, reference: `${prefix}-0017` });
    expect(byRow[42].reason).toMatch(/^filed_on: must not lie after the day of the upload/);
    expect(byRow[99].reason).toBe('row: has 8 fields; the header has 7');
    expect(byRow[120].reason).toBe("reference: is the same as row 11's");
    expect(byRow[150].reason).toBe('reference: is already the reference of another case');
    expect(byRow[200].reason).toBe('date_of_birth: must lie before the filing date');
    expect(JSON.stringify(rejections)).not.toMatch(/example\.org|Given |Family /);

    const cases = await expectCasesOfAcceptedRows(backlog, jobId);
    expect(cases).toHaveLength(291);
    for (const c of cases) {
      const source = rows[c.row_number - 1];
      const filedOn = source[6] === '01.03.2024' ? '2024-03-01' : source[6];
      expect(c.filed_on).toBe(filedOn);
      expect(c.authority_id).toBe('koeln');
      expect(c.reference).toMatch(source[0] ? new RegExp(`^${source[0].toUpperCase()}$`) : new RegExp(`^EBH-${filedOn.slice(0, 4)}-[A-Z2-9]{10}$`));
    }
    const family3 = await backlog.system.db.pool.query('SELECT family_name FROM naturalisation_applications WHERE id = $1', [cases.find((c) => c.row_number === 3)!.case_id]);
    expect(family3.rows[0].family_name).toBe('Haddad\r\ngeb. "Saleh", verw.');

    // Each case's workflow runs the § 75 VwGO clock from the original filing date: its start input says so
    // (decoded with the deployment's payload key), and the first cases' projections carry it.
    const inputs = await Promise.all(
      cases.map(async (c) => {
        const history = await backlog.system.temporal.workflow.getHandle(naturalisationWorkflowId(c.case_id)).fetchHistory();
        const payloads = history.events![0].workflowExecutionStartedEventAttributes!.input!.payloads!;
        const decoded = await backlog.dataConverter.payloadCodecs![0].decode(payloads as Payload[]);
        return defaultPayloadConverter.fromPayload<{ applicationId: string; filedOn: string; authorityId: string }>(decoded[0]);
      }),
    );
    expect(inputs.map((i) => [i.applicationId, i.filedOn, i.authorityId])).toEqual(cases.map((c) => [c.case_id, c.filed_on, 'koeln']));
    const firstCases = cases.slice(0, 20).map((c) => c.case_id);
    await waitUntil(async () => {
      const { rows: n } = await backlog.system.db.pool.query('SELECT count(*)::int AS n FROM case_projections WHERE case_id = ANY($1::uuid[])', [firstCases]);
      return n[0].n === firstCases.length;
    }, 120_000, 'the projections of the first imported cases');
    const mismatched = await backlog.system.db.pool.query(
      'SELECT count(*)::int AS n FROM case_projections p JOIN naturalisation_applications a ON a.id = p.case_id WHERE p.case_id = ANY($1::uuid[]) AND p.filed_on IS DISTINCT FROM a.filed_on',
      [firstCases],
    );
    expect(mismatched.rows[0].n).toBe(0);

    // Accepted rows no longer keep a copy of the personal data; rejected ones do, for the report.
    const kept = await backlog.system.db.pool.query("SELECT status, count(*)::int AS n FROM import_rows WHERE job_id = $1 AND raw IS NOT NULL GROUP BY status", [jobId]);
    expect(kept.rows).toEqual([{ status: 'rejected', n: 9 }]);

    // 12 chunks, 3 per run: the workflow continued as new, and its last run completed.
    // (Visibility is eventually consistent: wait until it shows the last run as completed.)
    let runs: string[] = [];
    await waitUntil(async () => {
      runs = [];
      for await (const run of backlog.system.temporal.workflow.list({ query: `WorkflowId = '${backlogImportWorkflowId(jobId)}'` })) runs.push(run.status.name);
      return runs.length >= 4 && runs.includes('COMPLETED');
    }, 30_000, 'the import workflow runs in visibility');
    expect(runs.filter((s) => s === 'COMPLETED').length).toBe(1);
    expect(runs.filter((s) => s !== 'COMPLETED' && s !== 'CONTINUED_AS_NEW')).toEqual([]);

    // The same upload under the same key is the same job; another file under it is refused.
    const again = await backlog.request('POST', '/api/v1/naturalisation/imports', { body: csv, headers: { 'idempotency-key': `import-${prefix}` } });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(jobId);
    const other = await backlog.request('POST', '/api/v1/naturalisation/imports', { body: csv.replace('Given 1', 'Given X'), headers: { 'idempotency-key': `import-${prefix}` } });
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('idempotency_key.reused');

    // Another authority finds neither the job nor its report; the attempts are audited.
    const bonn = await backlog.system.tokenFor(['ebh_clerk'], 'bonn', 'bonn-importer');
    expect((await backlog.request('GET', `/api/v1/naturalisation/imports/${jobId}`, { token: bonn })).status).toBe(404);
    expect((await backlog.request('GET', `/api/v1/naturalisation/imports/${jobId}/rejections`, { token: bonn })).status).toBe(404);
    const refused = await backlog.system.db.pool.query("SELECT action FROM audit_log WHERE actor = 'bonn-importer' AND outcome = 'refused' ORDER BY id");
    expect(refused.rows.map((r) => r.action)).toEqual(['naturalisation.import.view', 'naturalisation.import.rejections']);
    const created = await backlog.system.db.pool.query("SELECT actor, authority_id, detail FROM audit_log WHERE action = 'naturalisation.import.create' AND detail ->> 'importJobId' = $1", [jobId]);
    expect(created.rows).toEqual([{ actor: 'ebh_clerk-1', authority_id: 'koeln', detail: expect.objectContaining({ rows: 300 }) }]);
  }, 300_000);

  test.each([
    ['no required column', ['body.header.date_of_birth', 'body.header.email', 'body.header.filed_on'], 'given_names,family_name\r\nA,B\r\n'],
    ['an unknown and a repeated column', ['body.header.colour', 'body.header.email'], `${header.join(',')},colour,email\r\n`],
    ['a header but no rows', ['body'], `${header.join(',')}\r\n`],
    ['nothing in it', ['body'], ''],
    ['a quoted field never closed', ['body'], `${header.join(',')}\r\nx,"Amina,Haddad,1990-01-01,a@example.org,en,2024-01-01\r\n`],
  ])('a file with %s is refused with 400 naming %j', async (_name, paths, body) => {
    const response = await backlog.request('POST', '/api/v1/naturalisation/imports', { body });
    expect(response.status).toBe(400);
    expect(response.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(paths);
  });

  test('a German spreadsheet export (semicolons, windows-1252, DD.MM.YYYY) is read as such; bytes that are not UTF-8 are refused', async () => {
    const row = goodRow(1, `S${randomUUID().slice(0, 6)}`);
    row[header.indexOf('family_name')] = 'Müller-Lüdenscheidt';
    row[header.indexOf('filed_on')] = '02.01.2025';
    const body = Buffer.from(formatCsv([header, row], ';'), 'latin1');
    const response = await backlog.request('POST', '/api/v1/naturalisation/imports', { body, contentType: 'text/csv; charset=windows-1252' });
    expect(response.status).toBe(202);
    const { job } = await waitForCompletion(backlog, response.body.id);
    expect(job).toMatchObject({ accepted: 1, rejected: 0 });
    const stored = await backlog.system.db.pool.query(
      "SELECT a.family_name, a.filed_on FROM import_rows r JOIN naturalisation_applications a ON a.id = r.case_id WHERE r.job_id = $1",
      [response.body.id],
    );
    expect(stored.rows).toEqual([{ family_name: 'Müller-Lüdenscheidt', filed_on: '2025-01-02' }]);

    const notUtf8 = await backlog.request('POST', '/api/v1/naturalisation/imports', { body });
    expect(notUtf8.status).toBe(400);
    expect(notUtf8.body.errors).toEqual([expect.objectContaining({ path: 'body', code: 'charset' })]);
    const unknownCharset = await backlog.request('POST', '/api/v1/naturalisation/imports', { body, contentType: 'text/csv; charset=x-klingon' });
    expect(unknownCharset.status).toBe(415);
  });

  test('a body that is not CSV gets 415, one over the size limit 413, a bad id 400, an unknown one 404, all as problem+json', async () => {
    const json = await backlog.request('POST', '/api/v1/naturalisation/imports', { body: { rows: [] } });
    expect(json.status).toBe(415);
    expect(json.body.code).toBe('request.unsupported_media_type');
    const big = await backlog.request('POST', '/api/v1/naturalisation/imports', { body: `${header.join(',')}\r\n${'x'.repeat(1_100_000)}\r\n` });
    expect(big.status).toBe(413);
    expect(big.body.code).toBe('request.too_large');
    const badId = await backlog.request('GET', '/api/v1/naturalisation/imports/42');
    expect(badId.status).toBe(400);
    expect(badId.body.errors.map((e: { path: string }) => e.path)).toEqual(['params.id']);
    expect((await backlog.request('GET', `/api/v1/naturalisation/imports/${randomUUID()}`)).status).toBe(404);
    expect((await backlog.request('GET', `/api/v1/naturalisation/imports/${randomUUID()}/rejections?limit=0`)).status).toBe(400);
    const noToken = await backlog.request('POST', '/api/v1/naturalisation/imports', { body: 'a,b\r\n', token: null });
    expect(noToken.status).toBe(401);
    const coordinator = await backlog.system.tokenFor(['coordinator']);
    expect((await backlog.request('POST', '/api/v1/naturalisation/imports', { body: 'a,b\r\n', token: coordinator })).status).toBe(403);
  });

  test('a chunk that crashes after storing its cases and starting some workflows, then runs again (and again): no duplicates, each row counted once', async () => {
    const pool = backlog.system.db.pool;
    const prefix = `R${randomUUID().slice(0, 6)}`;
    const rows = Array.from({ length: 10 }, (_, i) => goodRow(i + 1, prefix));
    rows[3][header.indexOf('email')] = 'broken'; // row 4
    // A job and its rows as the upload stores them, without starting the workflow: this test is the workflow.
    const jobId = randomUUID();
    const prepared = prepareBacklogRows(formatCsv([header, ...rows]), 1000);
    await createBacklogImportQueries(pool).insertImportJob({ id: jobId, authorityId: 'koeln', createdBy: 'crash-tester', total: 10, rejectedAtUpload: 0, idempotencyKey: null, fileSha256: 'x' });
    await createBacklogImportQueries(pool).insertImportRows(jobId, prepared);

    let starts = 0;
    const crashing = createBacklogImportActivities({
      pool,
      startConcurrency: 1,
      startCaseWorkflow: async (application) => {
        if (++starts === 4) throw new Error('worker died');
        await ensureWorkflowStarted(backlog.deps, application);
      },
    });
    const healthy = createBacklogImportActivities({ pool, startCaseWorkflow: (application) => ensureWorkflowStarted(backlog.deps, application) });
    const silent = { log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
    const env = new MockActivityEnvironment(undefined, { logger: silent });
    const chunk = { jobId, fromRow: 1, size: 10 };

    await expect(env.run(crashing.importBacklogChunk, chunk)).rejects.toThrow('worker died');
    const afterCrash = await pool.query('SELECT count(*)::int AS n FROM naturalisation_applications WHERE reference LIKE $1', [`${prefix.toUpperCase()}-%`]);
    expect(afterCrash.rows[0].n).toBe(7); // 9 valid rows, 2 of them without a reference
    expect((await pool.query('SELECT processed FROM import_jobs WHERE id = $1', [jobId])).rows[0].processed).toBe(0);

    expect(await env.run(healthy.importBacklogChunk, chunk)).toEqual({ processed: 10, accepted: 9, rejected: 1 });
    expect(await env.run(healthy.importBacklogChunk, chunk)).toEqual({ processed: 0, accepted: 0, rejected: 0 });

    const job = (await pool.query('SELECT status, total, processed, accepted, rejected FROM import_jobs WHERE id = $1', [jobId])).rows[0];
    expect(job).toEqual({ status: 'completed', total: 10, processed: 10, accepted: 9, rejected: 1 });
    const cases = await expectCasesOfAcceptedRows(backlog, jobId);
    expect(cases).toHaveLength(9);
    const apps = await pool.query('SELECT count(*)::int AS n FROM naturalisation_applications WHERE id = ANY($1::uuid[]) OR reference LIKE $2', [cases.map((c) => c.case_id), `${prefix.toUpperCase()}-%`]);
    expect(apps.rows[0].n).toBe(9);
  });
});

describe('backlog import: the import worker is killed in the middle of a file', () => {
  let backlog: Backlog;

  beforeAll(async () => {
    backlog = await startBacklogSystem({ importWorker: false, settings: { chunkSize: 20, chunksPerRun: 4 } });
  });
  afterAll(async () => {
    await backlog?.stop();
  });

  test('after SIGKILL and a new worker, the import completes: every row once, no duplicate case, counters right', async () => {
    const pool = backlog.system.db.pool;
    const prefix = `K${randomUUID().slice(0, 6)}`;
    const rows = Array.from({ length: 240 }, (_, i) => goodRow(i + 1, prefix));
    for (const bad of [33, 177, 201]) rows[bad - 1][header.indexOf('date_of_birth')] = 'gestern';
    const workers = [spawnImportWorker(backlog.system, { START_DELAY_MS: '300' })];
    try {
      const upload = await backlog.request('POST', '/api/v1/naturalisation/imports', { body: formatCsv([header, ...rows]) });
      expect(upload.status).toBe(202);
      const jobId = upload.body.id;
      const progress = async () => (await pool.query('SELECT processed, accepted, rejected, status FROM import_jobs WHERE id = $1', [jobId])).rows[0];

      await waitUntil(async () => (await progress()).processed >= 60, 90_000, 'a quarter of the rows');
      workers[0].child.kill('SIGKILL');
      await new Promise((resolve) => workers[0].child.once('exit', resolve));
      // A statement the worker had sent just before may still commit: wait until PostgreSQL has
      // ended the dead worker's sessions (each finishes or rolls back its statement first). After
      // that nothing can move: no import worker runs.
      await waitUntil(async () => {
        const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1', [importWorkerApplicationName]);
        return rows[0].n === 0;
      }, 30_000, "the killed worker's database sessions to end");
      const atKill = await progress();
      expect(atKill.processed).toBeLessThan(240);

      workers.push(spawnImportWorker(backlog.system));
      await waitUntil(async () => (await progress()).status === 'completed', 150_000, 'the import to complete after the restart');
      expect(await progress()).toEqual({ processed: 240, accepted: 237, rejected: 3, status: 'completed' });

      const cases = await expectCasesOfAcceptedRows(backlog, jobId);
      expect(cases).toHaveLength(237);
      const stored = await pool.query(
        "SELECT count(*)::int AS n, count(DISTINCT reference)::int AS refs FROM naturalisation_applications WHERE id = ANY($1::uuid[]) OR reference LIKE $2",
        [cases.map((c) => c.case_id), `${prefix.toUpperCase()}-%`],
      );
      expect(stored.rows[0]).toEqual({ n: 237, refs: 237 });
      const rejected = await listRejections(backlog, jobId, 100);
      expect(rejected.map((r) => r.row)).toEqual([33, 177, 201]);
    } catch (error) {
      process.stderr.write(`import worker output:\n${workers.map((w) => w.output.join('')).join('\n---\n')}\n`);
      throw error;
    } finally {
      for (const { child } of workers) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await Promise.all(workers.map(({ child }) => (child.exitCode === null && child.signalCode === null ? new Promise((r) => child.once('exit', r)) : undefined)));
    }
  }, 300_000);
});
