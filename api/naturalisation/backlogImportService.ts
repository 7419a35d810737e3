import { createHash, randomUUID } from 'node:crypto';
import { findOwnImportJob } from '../importJobs';
import { TextDecoder } from 'node:util';
import { backlogColumns } from '../../activities/backlogImport';
import { createAuditQueries } from '../../db/queries/audit';
import { createBacklogImportQueries, type ImportJobRow, type NewImportRow } from '../../db/queries/backlogImports';
import { withTransaction } from '../../db/transaction';
import type { backlogImport } from '../../workflows/backlogImport';
import {
  backlogImportTaskQueue,
  backlogImportWorkflowId,
  defaultBacklogImportSizing,
} from '../../workflows/backlogImportDefinitions';
import type { Principal } from '../../security/roles';
import type { ApiDependencies } from '../deps';
import { AppError, assertThat, type FieldIssue } from '../errors';
import { CsvSyntaxError, detectDelimiter, parseCsv } from './csv';

export interface BacklogImportSettings {
  /** Largest file accepted, in bytes. */
  maxBytes: number;
  /** Most data rows per file. */
  maxRows: number;
  chunkSize: number;
  chunksPerRun: number;
}

export const defaultBacklogImportSettings: BacklogImportSettings = { maxBytes: 20 * 1024 * 1024, maxRows: 250_000, ...defaultBacklogImportSizing };

/** The media types an upload may declare. */
export const csvContentTypes = ['text/csv', 'application/csv'] as const;

/** What a clerk sees of an import: counters and progress, no row data. */
export interface ImportJobView {
  id: string;
  status: ImportJobRow['status'];
  total: number;
  processed: number;
  accepted: number;
  rejected: number;
  /** processed / total, in whole percent (rounded down, so 100 means done). */
  percent: number;
  createdBy: string;
  createdAt: string;
  finishedAt: string | null;
  /** Rows per second so far. */
  rowsPerSecond: number;
  /** At the rate so far; null when done or before the first chunk. */
  estimatedSecondsRemaining: number | null;
}

export function toImportJobView(job: ImportJobRow, now: Date): ImportJobView {
  const elapsedSeconds = Math.max(((job.finished_at ?? now).getTime() - job.created_at.getTime()) / 1000, 0.001);
  const rate = job.processed / elapsedSeconds;
  const remaining = job.total - job.processed;
  return {
    id: job.id,
    status: job.status,
    total: job.total,
    processed: job.processed,
    accepted: job.accepted,
    rejected: job.rejected,
    percent: job.total === 0 ? 100 : Math.floor((job.processed * 100) / job.total),
    createdBy: job.created_by,
    createdAt: job.created_at.toISOString(),
    finishedAt: job.finished_at ? job.finished_at.toISOString() : null,
    rowsPerSecond: Math.round(rate * 10) / 10,
    estimatedSecondsRemaining: remaining > 0 && rate > 0 ? Math.ceil(remaining / rate) : null,
  };
}

/**
 * The text of an uploaded file, decoded by the charset its Content-Type names (default UTF-8;
 * e.g. `text/csv; charset=windows-1252` for older spreadsheet exports). A byte order mark is
 * dropped; bytes that are not valid in the charset are refused rather than replaced.
 */
export function decodeCsvBody(body: Buffer, contentType: string | undefined): string {
  const charset = /charset\s*=\s*"?([^";]+)"?/i.exec(contentType ?? '')?.[1]?.trim().toLowerCase() ?? 'utf-8';
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(charset, { fatal: true });
  } catch {
    throw new AppError('request.unsupported_media_type', 415, `unknown charset ${charset}`);
  }
  let text: string;
  try {
    text = decoder.decode(body);
  } catch {
    throw invalid([{ path: 'body', message: `is not ${charset} text (name the file's charset in the Content-Type, e.g. text/csv; charset=windows-1252)`, code: 'charset' }]);
  }
  // PostgreSQL cannot store U+0000 (the rows are kept as they came): a text file has none.
  const nul = text.indexOf('\u0000');
  if (nul !== -1) {
    const line = text.slice(0, nul).split(/\r\n|\r|\n/).length;
    throw invalid([{ path: 'body', message: `contains a NUL character (U+0000) on line ${line}: not a text file, or saved in another charset (e.g. UTF-16)`, code: 'nul_character' }]);
  }
  return text;
}

function invalid(issues: FieldIssue[]): AppError {
  return new AppError('request.invalid', 400, 'the request is invalid', issues);
}

/**
 * Splits an uploaded file into import rows. The header names the columns (any order, any case);
 * a record with another number of fields than the header, or repeating an earlier row's
 * reference, is rejected here already; every other row is validated by the import itself.
 */
export function prepareBacklogRows(text: string, maxRows: number): NewImportRow[] {
  let records;
  try {
    records = parseCsv(text, { delimiter: detectDelimiter(text.slice(0, 10_000)) });
  } catch (error) {
    if (error instanceof CsvSyntaxError) throw invalid([{ path: 'body', message: error.message, code: 'csv_syntax' }]);
    throw error;
  }
  const [header, ...data] = records;
  if (!header) throw invalid([{ path: 'body', message: 'the file is empty', code: 'empty' }]);
  const columns = header.fields.map((name) => name.trim().toLowerCase());
  const known: readonly string[] = [...backlogColumns.required, ...backlogColumns.optional];
  const issues: FieldIssue[] = [];
  columns.forEach((name, index) => {
    if (!known.includes(name)) {
      issues.push({ path: `body.header.${name || index + 1}`, message: `unknown column (the columns are: ${known.join(', ')})`, code: 'unknown_column' });
    } else if (columns.indexOf(name) !== index) {
      issues.push({ path: `body.header.${name}`, message: 'appears twice', code: 'duplicate_column' });
    }
  });
  for (const name of backlogColumns.required) {
    if (!columns.includes(name)) issues.push({ path: `body.header.${name}`, message: 'required column missing', code: 'missing_column' });
  }
  if (issues.length > 0) throw invalid(issues);
  if (data.length === 0) throw invalid([{ path: 'body', message: 'the file has a header but no rows', code: 'empty' }]);
  if (data.length > maxRows) throw invalid([{ path: 'body', message: `at most ${maxRows} rows per file (this one has ${data.length}): split it`, code: 'too_many_rows' }]);

  const referenceRows = new Map<string, number>();
  return data.map((record, index): NewImportRow => {
    const rowNumber = index + 1;
    const raw: Record<string, string> = {};
    columns.forEach((name, i) => {
      if (i < record.fields.length) raw[name] = record.fields[i];
    });
    if (record.fields.length !== columns.length) {
      const issue = { path: 'row', message: `has ${record.fields.length} fields; the header has ${columns.length}`, code: 'field_count' };
      return { rowNumber, line: record.line, raw, status: 'rejected', issues: [issue], reason: `${issue.path}: ${issue.message}` };
    }
    const reference = raw.reference?.trim();
    if (reference) {
      const first = referenceRows.get(reference);
      if (first !== undefined) {
        const issue = { path: 'reference', message: `is the same as row ${first}'s`, code: 'duplicate' };
        return { rowNumber, line: record.line, raw, status: 'rejected', issues: [issue], reason: `${issue.path}: ${issue.message}` };
      }
      referenceRows.set(reference, rowNumber);
    }
    return { rowNumber, line: record.line, raw, status: 'pending' };
  });
}

/** Starts the job's workflow unless it runs already, or the job is done. */
export async function ensureBacklogImportStarted(deps: ApiDependencies, job: ImportJobRow, settings: BacklogImportSettings): Promise<void> {
  if (job.status === 'completed' || job.status === 'failed') return;
  await deps.temporal.workflow.start<typeof backlogImport>('backlogImport', {
    taskQueue: backlogImportTaskQueue,
    workflowId: backlogImportWorkflowId(job.id),
    workflowIdConflictPolicy: 'USE_EXISTING',
    args: [{ jobId: job.id, total: job.total, nextRow: 1, chunkSize: settings.chunkSize, chunksPerRun: settings.chunksPerRun }],
  });
}

/**
 * Starts the workflows of imports that are not done and have none running (the API stopped
 * between storing a job and starting it, or a workflow was terminated). Safe at every start: a
 * running import is left alone, and a restarted one skips the rows already processed.
 */
export async function resumeUnfinishedBacklogImports(deps: ApiDependencies, settings: BacklogImportSettings = defaultBacklogImportSettings): Promise<number> {
  const jobs = await createBacklogImportQueries(deps.pool).listUnfinishedImportJobs();
  for (const job of jobs) await ensureBacklogImportStarted(deps, job, settings);
  return jobs.length;
}

/**
 * Stores an uploaded backlog file as an import job with its rows, and starts the import. With an
 * Idempotency-Key, a repeated upload returns the job the first one created (and makes sure it
 * runs); the same key with another file is refused.
 */
export async function createBacklogImport(
  deps: ApiDependencies,
  principal: Principal,
  text: string,
  idempotencyKey: string | undefined,
  settings: BacklogImportSettings,
): Promise<{ created: boolean; job: ImportJobRow }> {
  const fileSha256 = createHash('sha256').update(text).digest('hex');
  const replay = async (existing: ImportJobRow) => {
    assertThat(
      existing.file_sha256 === fileSha256,
      new AppError('idempotency_key.reused', 422, 'this Idempotency-Key was already used for a different file'),
    );
    await ensureBacklogImportStarted(deps, existing, settings);
    return { created: false, job: existing };
  };
  if (idempotencyKey) {
    const existing = await createBacklogImportQueries(deps.pool).findImportJobByIdempotencyKey(principal.authorityId, idempotencyKey);
    if (existing) return replay(existing);
  }

  const rows = prepareBacklogRows(text, settings.maxRows);
  const job = await withTransaction(deps.pool, async (client) => {
    const imports = createBacklogImportQueries(client);
    const job = await imports.insertImportJob({
      id: randomUUID(),
      authorityId: principal.authorityId,
      createdBy: principal.subject,
      total: rows.length,
      rejectedAtUpload: rows.filter((row) => row.status === 'rejected').length,
      idempotencyKey: idempotencyKey ?? null,
      fileSha256,
    });
    if (job) {
      await imports.insertImportRows(job.id, rows);
      await createAuditQueries(client).insertAuditEntry({
        actor: principal.subject,
        action: 'naturalisation.import.create',
        authorityId: principal.authorityId,
        detail: { importJobId: job.id, rows: rows.length, bytes: Buffer.byteLength(text), sha256: fileSha256 },
      });
    }
    return job;
  });
  if (!job) {
    // The same key, uploaded concurrently: the other request created the job.
    const existing = await createBacklogImportQueries(deps.pool).findImportJobByIdempotencyKey(principal.authorityId, idempotencyKey!);
    assertThat(existing, new AppError('internal', 500, 'internal error'));
    return replay(existing);
  }
  await ensureBacklogImportStarted(deps, job, settings);
  return { created: true, job };
}

/** One of the caller's authority's jobs; another authority's is not found, and the attempt audited as refused. */
export function findImportJobForCaller(deps: ApiDependencies, principal: Principal, id: string, operation: string): Promise<ImportJobRow> {
  const imports = createBacklogImportQueries(deps.pool);
  return findOwnImportJob(deps, principal, id, operation, (jobId, authorityId) => imports.findImportJobByIdAndAuthority(jobId, authorityId));
}
