import type { Pool } from 'pg';
import type { Logger } from 'pino';
import { mergePeriodChunk, mergePersonChunk } from '../../db/queries/personImportMerge';
import { createPersonImportQueries, type ChunkOutcome, type PersonImportJobRow } from '../../db/queries/personImports';
import { isDatabaseUnavailable } from '../../db/pool';
import { withTransaction } from '../../db/transaction';
import type { ApiDependencies } from '../deps';
import { signalOpenCasesOfPersons } from './caseSignals';

/**
 * Runs the register's bulk loads: chunk after chunk, each ONE transaction that locks the job,
 * merges the staged rows from the job's cursor on, records the rejections, deletes the staged
 * rows and advances the cursor. A crash anywhere rolls the chunk back whole, so a resumed import
 * (after a restart of the API, or by a second runner in another process — the job lock makes
 * them take turns) continues at the cursor and processes every row exactly once.
 *
 * Why not a Temporal workflow like the naturalisation backlog: that import starts a workflow per
 * row, so its chunks need Temporal's retries around many external calls. Here a chunk is a
 * single database transaction — atomic by itself — and a workflow would add only a history
 * event per chunk and a worker hop, no safety. The loop lives in the API process; `npm start`
 * resumes unfinished jobs, and so does any read of an import's progress.
 */

export interface PersonImportSettings {
  /** Rows per chunk transaction. */
  chunkSize: number;
  /** How a failed chunk is retried (defaults: `defaultImportRetry`). */
  retry?: ImportRetrySettings;
}

export interface ImportRetrySettings {
  /** The wait after the first failure; it doubles with every further one … */
  initialDelayMs: number;
  /** … up to this cap. */
  maxDelayMs: number;
  /**
   * Failures in a row after which the runner stops until the next resume — for errors other than
   * an unavailable database. While the database is away (a restart, a failover), the runner
   * keeps retrying at the capped pace however long it takes.
   */
  maxFailures: number;
}

export const defaultImportRetry: ImportRetrySettings = { initialDelayMs: 2_000, maxDelayMs: 30_000, maxFailures: 5 };

/** The wait after `failures` failures in a row: initial · 2^(failures − 1), capped. */
export function determineRetryDelayMs(retry: ImportRetrySettings, failures: number): number {
  return Math.min(retry.maxDelayMs, retry.initialDelayMs * 2 ** Math.min(failures - 1, 30));
}

export interface ChunkResult {
  job: PersonImportJobRow;
  outcome?: ChunkOutcome;
}

type RunnerDeps = Pick<ApiDependencies, 'pool' | 'temporal' | 'logger' | 'clock'>;

/** Runs one chunk of a job, if any remains. `afterMerge` is a test's hook into the transaction. */
export async function runPersonImportChunk(
  deps: Pick<RunnerDeps, 'pool' | 'clock'>,
  jobId: string,
  settings: PersonImportSettings,
  afterMerge?: (outcome: ChunkOutcome) => Promise<void> | void,
): Promise<ChunkResult | undefined> {
  return withTransaction(deps.pool, async (client) => {
    const imports = createPersonImportQueries(client);
    const job = await imports.lockImportJobById(jobId);
    if (!job || job.status === 'completed' || job.status === 'failed') return job ? { job } : undefined;
    const fromRow = job.next_row;
    const toRow = Math.min(job.total, fromRow + settings.chunkSize - 1);
    // Every row of the range is either staged or was rejected at upload; fewer means the unlogged
    // staging table was emptied by a crash of the database server itself.
    const counted = await imports.countChunkRows(job.id, job.kind, fromRow, toRow);
    if (counted.staged + counted.rejected < toRow - fromRow + 1) {
      await imports.markImportJobFailed(job.id, 'the staged rows were lost (the database restarted); upload the file again — rows already imported are recognised and left unchanged');
      return { job: (await imports.lockImportJobById(job.id))! };
    }
    const scope = { jobId: job.id, authorityId: job.authority_id, actor: job.created_by, fromRow, toRow, at: deps.clock() };
    const outcome = job.kind === 'persons' ? await mergePersonChunk(client, scope) : await mergePeriodChunk(client, scope);
    await afterMerge?.(outcome);
    const updated = await imports.recordChunkProgress(job.id, toRow + 1, outcome);
    return { job: updated, outcome };
  });
}

const running = new Map<string, Promise<void>>();

/**
 * Runs a job's chunks until it is done, in the background of this process (once per job and
 * process). Open cases of persons an import changed are told after each chunk. A failure is
 * logged and retried with capped exponential backoff: while the database is unavailable, until it
 * is back (the job continues at its cursor by itself); after `maxFailures` other errors in a row,
 * the job stays unfinished for the next resume (a start of the API, a read of its progress).
 */
export function ensurePersonImportRunning(deps: RunnerDeps, jobId: string, settings: PersonImportSettings): Promise<void> {
  const existing = running.get(jobId);
  if (existing) return existing;
  const retry = settings.retry ?? defaultImportRetry;
  const run = (async () => {
    let failures = 0;
    let otherFailures = 0;
    for (;;) {
      try {
        const result = await runPersonImportChunk(deps, jobId, settings);
        if (!result?.outcome) return;
        failures = 0;
        otherFailures = 0;
        if (result.outcome.changedPersons.length > 0) {
          const at = deps.clock().toISOString();
          const changed = [result.job.kind === 'persons' ? 'person' : 'residence_period'];
          await signalOpenCasesOfPersons(deps, result.outcome.changedPersons.map((p) => ({ personId: p.personId, version: p.version, changed, at }))).catch((error: unknown) =>
            deps.logger.warn({ err: error, jobId }, 'import: could not signal the open cases of changed persons'),
          );
        }
      } catch (error) {
        failures++;
        const unavailable = isDatabaseUnavailable(error);
        deps.logger.error({ err: error, jobId, failures, databaseUnavailable: unavailable }, 'import chunk failed');
        otherFailures = unavailable ? otherFailures : otherFailures + 1;
        if (otherFailures >= retry.maxFailures) return;
        // Unreferenced: a waiting import does not keep a process from ending.
        await new Promise((resolve) => setTimeout(resolve, determineRetryDelayMs(retry, failures)).unref());
      }
    }
  })().finally(() => running.delete(jobId));
  running.set(jobId, run);
  return run;
}

/** Continues every unfinished import (at start of the API). */
export async function resumeUnfinishedPersonImports(deps: RunnerDeps & { pool: Pool; logger: Logger }, settings: PersonImportSettings): Promise<number> {
  const jobs = await createPersonImportQueries(deps.pool).listUnfinishedImportJobs();
  for (const job of jobs) void ensurePersonImportRunning(deps, job.id, settings);
  return jobs.length;
}
