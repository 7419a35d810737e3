import { createHash, randomUUID } from 'node:crypto';
import { findOwnImportJob } from '../importJobs';
import { createAuditQueries } from '../../db/queries/audit';
import { createStagingWriter, type StagedPeriod, type StagedPerson, type StagingWriter } from '../../db/queries/personImportMerge';
import { createPersonImportQueries, type PersonImportJobRow, type PersonImportRejection } from '../../db/queries/personImports';
import { withTransaction } from '../../db/transaction';
import { toBerlinLocalDate } from '../../domain/calendar/berlinTime';
import { checkPersonRow, checkResidencePeriodRow, importColumns, type ImportKind, type RowIssue } from '../../domain/register/importRows';
import type { Principal } from '../../security/roles';
import type { ApiDependencies } from '../deps';
import { AppError, assertThat, type FieldIssue } from '../errors';
import { forEachCsvRecord } from './csvPieces';
import { ensurePersonImportRunning, type PersonImportSettings } from './importRunner';

export interface PersonImportUploadSettings extends PersonImportSettings {
  maxBytes: number;
  maxRows: number;
  /** Merge the rows in the background right after the upload (tests and the benchmark drive the chunks themselves). */
  startInBackground: boolean;
}

export const defaultPersonImportSettings: PersonImportUploadSettings = {
  maxBytes: 512 * 1024 * 1024,
  maxRows: 5_000_000,
  chunkSize: 5_000,
  startInBackground: true,
};

/** What a clerk sees of an import: counters and progress, no row data. */
export function toPersonImportView(job: PersonImportJobRow, now: Date) {
  const elapsedSeconds = Math.max(((job.finished_at ?? now).getTime() - job.created_at.getTime()) / 1000, 0.001);
  return {
    id: job.id,
    kind: job.kind,
    status: job.status,
    total: job.total,
    processed: job.processed,
    accepted: job.accepted,
    unchanged: job.unchanged,
    rejected: job.rejected,
    percent: job.total === 0 ? 100 : Math.floor((job.processed * 100) / job.total),
    failure: job.failure,
    createdBy: job.created_by,
    createdAt: job.created_at.toISOString(),
    finishedAt: job.finished_at ? job.finished_at.toISOString() : null,
    rowsPerSecond: Math.round((job.processed / elapsedSeconds) * 10) / 10,
  };
}

const invalid = (issues: FieldIssue[]) => new AppError('request.invalid', 400, 'the request is invalid', issues);
const describe = (issues: RowIssue[]) => issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');

/**
 * Stores an uploaded register file as an import job: reads it piece by piece, checks every row
 * (the same schemas as the API's JSON bodies), COPYs the good rows into the staging table and
 * records the others as rejected with their reasons — all in one transaction with the job, so
 * an upload is stored whole or not at all. Then the merge starts in the background
 * (importRunner.ts). With an Idempotency-Key, a repeated upload returns the first job.
 */
export async function createPersonImport(
  deps: ApiDependencies,
  principal: Principal,
  kind: ImportKind,
  body: Buffer,
  contentType: string | undefined,
  idempotencyKey: string | undefined,
  settings = defaultPersonImportSettings,
): Promise<{ created: boolean; job: PersonImportJobRow }> {
  const fileSha256 = createHash('sha256').update(body).digest('hex');
  const imports = createPersonImportQueries(deps.pool);
  const replay = (existing: PersonImportJobRow) => {
    assertThat(
      existing.file_sha256 === fileSha256 && existing.kind === kind,
      new AppError('idempotency_key.reused', 422, 'this Idempotency-Key was already used for a different file'),
    );
    if (settings.startInBackground) void ensurePersonImportRunning(deps, existing.id, settings);
    return { created: false, job: existing };
  };
  if (idempotencyKey) {
    const existing = await imports.findImportJobByIdempotencyKey(principal.authorityId, idempotencyKey);
    if (existing) return replay(existing);
  }

  const jobId = randomUUID();
  const uploadedOn = toBerlinLocalDate(deps.clock().getTime());
  const columns = importColumns[kind];
  const known: readonly string[] = [...columns.required, ...columns.optional];
  const job = await withTransaction(deps.pool, async (client) => {
    const writer = createStagingWriter(client, kind, jobId) as StagingWriter<StagedPerson | StagedPeriod>;
    const rejections: PersonImportRejection[] = [];
    const seen = new Map<string, number>();
    let header: string[] | undefined;
    let rows = 0;
    const stage = forEachCsvRecord(body, contentType, async (record) => {
      if (!header) {
        header = record.fields.map((name) => name.trim().toLowerCase());
        const issues: FieldIssue[] = [];
        header.forEach((name, index) => {
          if (!known.includes(name)) issues.push({ path: `body.header.${name || index + 1}`, message: `unknown column (the columns are: ${known.join(', ')})`, code: 'unknown_column' });
          else if (header!.indexOf(name) !== index) issues.push({ path: `body.header.${name}`, message: 'appears twice', code: 'duplicate_column' });
        });
        for (const name of columns.required) if (!header.includes(name)) issues.push({ path: `body.header.${name}`, message: 'required column missing', code: 'missing_column' });
        if (issues.length > 0) throw invalid(issues);
        return;
      }
      const rowNumber = ++rows;
      if (rowNumber > settings.maxRows) throw invalid([{ path: 'body', message: `at most ${settings.maxRows} rows per file: split it`, code: 'too_many_rows' }]);
      const cells: Record<string, string> = {};
      header.forEach((name, i) => {
        if (i < record.fields.length) cells[name] = record.fields[i];
      });
      const reject = (issues: RowIssue[]) => {
        rejections.push({ rowNumber, line: record.line, fileNumber: cells.file_number?.replace(/\u0000/g, '').trim().slice(0, 64) || null, reason: describe(issues), issues });
      };
      if (record.fields.length !== header.length) return reject([{ path: 'row', message: `has ${record.fields.length} fields; the header has ${header.length}` }]);
      const checked = kind === 'persons' ? checkPersonRow(cells, uploadedOn) : checkResidencePeriodRow(cells);
      if (!checked.ok) return reject(checked.issues);
      // One person per file number, one period per person and first day, in a file.
      const key = kind === 'persons' ? checked.value.fileNumber : `${checked.value.fileNumber}\u0000${(checked.value as StagedPeriod).from}`;
      const first = seen.get(key);
      if (first !== undefined) {
        return reject([{ path: kind === 'persons' ? 'file_number' : 'valid_from', message: `repeats row ${first} (${kind === 'persons' ? 'the same file number' : 'the same person and first day'})` }]);
      }
      seen.set(key, rowNumber);
      await writer.write({ ...checked.value, rowNumber, line: record.line });
    }).then(() => {
      if (!header) throw invalid([{ path: 'body', message: 'the file is empty', code: 'empty' }]);
      if (rows === 0) throw invalid([{ path: 'body', message: 'the file has a header but no rows', code: 'empty' }]);
    });
    try {
      await stage;
      await writer.finish();
    } catch (error) {
      await writer.abort(error as Error);
      throw error;
    }
    const inserted = await createPersonImportQueries(client).insertImportJob({
      id: jobId,
      authorityId: principal.authorityId,
      kind,
      createdBy: principal.subject,
      total: rows,
      rejectedAtUpload: rejections.length,
      idempotencyKey: idempotencyKey ?? null,
      fileSha256,
    });
    if (!inserted) return undefined;
    await createPersonImportQueries(client).insertRejections(jobId, rejections);
    await createAuditQueries(client).insertAuditEntry({
      actor: principal.subject,
      action: 'register.import.create',
      authorityId: principal.authorityId,
      detail: { importJobId: jobId, kind, rows, rejectedAtUpload: rejections.length, bytes: body.length, sha256: fileSha256 },
    });
    return inserted;
  });
  if (!job) {
    // The same key, uploaded concurrently: the other request created the job (this one's staging was rolled back).
    const existing = await imports.findImportJobByIdempotencyKey(principal.authorityId, idempotencyKey!);
    assertThat(existing, new AppError('internal', 500, 'internal error'));
    return replay(existing);
  }
  if (settings.startInBackground) void ensurePersonImportRunning(deps, job.id, settings);
  return { created: true, job };
}

/** One of the caller's authority's imports; another authority's is not found, and the attempt audited as refused. */
export function findPersonImportForCaller(deps: ApiDependencies, principal: Principal, id: string, operation: string): Promise<PersonImportJobRow> {
  const imports = createPersonImportQueries(deps.pool);
  return findOwnImportJob(deps, principal, id, operation, (jobId, authorityId) => imports.findImportJobByIdAndAuthority(jobId, authorityId));
}
