import { createHash } from 'node:crypto';
import { withTransaction } from '../db/transaction';
import { ApplicationFailure, Context, log } from '@temporalio/activity';
import type { Pool } from 'pg';
import { z } from 'zod';
import { applicantSchema, isoDateSchema } from '../api/naturalisation/schemas';
import type { NaturalisationApplicationRow, NewNaturalisationApplication } from '../db/queries/applications';
import { createBacklogImportQueries, type ImportRowIssue, type ImportRowOutcome } from '../db/queries/backlogImports';
import { FIRST_SUPPORTED_BERLIN_YEAR, toBerlinLocalDate } from '../domain/calendar/berlinTime';
import { checkDateOfBirth } from '../domain/register/fieldRules';
import type { BacklogChunkRequest, BacklogChunkResult } from '../workflows/backlogImportDefinitions';

/** The columns of a backlog file (header names, in any order). */
export const backlogColumns = {
  required: ['given_names', 'family_name', 'date_of_birth', 'email', 'filed_on'],
  /** Without a reference one is generated; without a language, letters are in German. */
  optional: ['reference', 'preferred_language'],
} as const;

const blankToUndefined = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);
const trimmed = (value: unknown) => (typeof value === 'string' ? value.trim() : value);
/** ISO dates, and the German `TT.MM.JJJJ` that spreadsheets of German offices write. */
const toIsoDate = (value: unknown) => {
  if (typeof value !== 'string') return value;
  const german = /^(\d{2})\.(\d{2})\.(\d{4})$/.exec(value.trim());
  return german ? `${german[3]}-${german[2]}-${german[1]}` : value.trim();
};
const dateCell = z.preprocess(
  toIsoDate,
  z.iso.date({ message: 'must be a calendar date, YYYY-MM-DD or DD.MM.YYYY' }).pipe(isoDateSchema),
);
/** A date of birth: as any date cell, and in the range of every date of birth (`dateOfBirthSchema`). */
const dateOfBirthCell = z.preprocess(
  toIsoDate,
  z.iso.date({ message: 'must be a calendar date, YYYY-MM-DD or DD.MM.YYYY' }).pipe(applicantSchema.shape.dateOfBirth),
);

/**
 * One row of a backlog file. The applicant's fields obey the same rules as a registration
 * through the API; the filing date is the original one (the § 75 VwGO clock runs from it), so it
 * must not lie after the day of the upload (`uploadedOn`, fixed per job, so a retried chunk
 * judges a row exactly as the first attempt did).
 */
export function createBacklogRowSchema(uploadedOn: string) {
  const earliestFiling = `${FIRST_SUPPORTED_BERLIN_YEAR}-01-01`;
  return z
    .strictObject({
      reference: z.preprocess(
        blankToUndefined,
        z
          .string()
          .trim()
          .regex(/^[A-Za-z0-9][A-Za-z0-9./_-]{0,63}$/, 'must be 1 to 64 letters, digits or . / _ - (starting with a letter or digit)')
          // References are stored in capitals: the applicant's status lookup reads them so, whatever case they are typed in.
          .transform((reference) => reference.toUpperCase())
          .optional(),
      ),
      given_names: applicantSchema.shape.givenNames,
      family_name: applicantSchema.shape.familyName,
      date_of_birth: dateOfBirthCell,
      email: z.preprocess(trimmed, applicantSchema.shape.email),
      preferred_language: z.preprocess(
        (value) => (typeof value === 'string' ? blankToUndefined(value.toLowerCase().trim()) : value),
        z.string().regex(/^[a-z]{2}$/, 'must be an ISO 639-1 language code such as "en"').default('de'),
      ),
      filed_on: dateCell,
    })
    .superRefine((row, ctx) => {
      // zod runs this also when a field failed; compare only dates that passed.
      const isDate = (value: unknown) => isoDateSchema.safeParse(value).success;
      const birthProblem = isDate(row.date_of_birth) ? checkDateOfBirth(row.date_of_birth, uploadedOn) : null;
      if (birthProblem) ctx.addIssue({ code: 'custom', path: ['date_of_birth'], message: birthProblem });
      if (!isDate(row.filed_on)) return;
      if (row.filed_on > uploadedOn) {
        ctx.addIssue({ code: 'custom', path: ['filed_on'], message: `must not lie after the day of the upload (${uploadedOn})` });
      }
      if (row.filed_on < earliestFiling) {
        ctx.addIssue({ code: 'custom', path: ['filed_on'], message: `must not lie before ${earliestFiling}` });
      }
      if (!birthProblem && isDate(row.date_of_birth) && row.date_of_birth >= row.filed_on) {
        ctx.addIssue({ code: 'custom', path: ['date_of_birth'], message: 'must lie before the filing date' });
      }
    });
}

const importNamespace = Buffer.from('5b0f4a3c9d2e4e1b8f6a7c3d2e1f0a9b', 'hex');

/**
 * The application id of a row: a UUID version 5 (RFC 9562) of the job id and the row number, so
 * every attempt at a chunk inserts the same ids and a retry finds what an earlier one stored.
 */
export function importedApplicationId(jobId: string, rowNumber: number): string {
  const hash = createHash('sha1').update(importNamespace).update(`${jobId}/${rowNumber}`).digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A reference for a row without one, derived from its id (the same on every attempt): EBH-<year>-<10 base32>. */
export function generateImportReference(applicationId: string, filedOn: string): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = createHash('sha256').update(applicationId).digest().subarray(0, 10);
  return `EBH-${filedOn.slice(0, 4)}-${Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('')}`;
}

export function toIssues(error: z.ZodError): ImportRowIssue[] {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join('.') || 'row', message: issue.message, code: issue.code }));
}

export function describeIssues(issues: ImportRowIssue[]): string {
  return issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
}

async function forEachConcurrently<T>(items: T[], concurrency: number, action: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) await action(items[next++]);
  });
  await Promise.all(lanes);
}

export interface BacklogImportActivityDependencies {
  pool: Pool;
  /** Starts a case's workflow unless it runs already (production: `ensureWorkflowStarted`). */
  startCaseWorkflow: (application: NaturalisationApplicationRow) => Promise<void>;
  /** Workflow starts in flight at once within a chunk (default 16). */
  startConcurrency?: number;
}

/**
 * The backlog import's activity. Idempotent: a chunk retried after a crash at any point stores
 * no second case, starts no second workflow and counts no row twice.
 */
export function createBacklogImportActivities(deps: BacklogImportActivityDependencies) {
  const concurrency = deps.startConcurrency ?? 16;

  return {
    /**
     * Imports the rows `fromRow .. fromRow + size - 1` still pending: validates each, inserts the
     * valid ones as applications under ids derived from job and row (with their audit entries,
     * in one transaction), starts their workflows, then records every row's outcome and the
     * job's counters in one statement. A crash before that statement leaves the rows pending;
     * the retry inserts nothing new (the ids exist), starts nothing new (the workflows run) and
     * records them then.
     */
    async importBacklogChunk(request: BacklogChunkRequest): Promise<BacklogChunkResult> {
      const queries = createBacklogImportQueries(deps.pool);
      const job = await queries.findImportJobById(request.jobId);
      if (!job) {
        throw ApplicationFailure.create({ type: 'import.not_found', message: `no import job ${request.jobId}`, nonRetryable: true });
      }
      const context = Context.current();
      const heartbeat = setInterval(() => context.heartbeat(), 2_000);
      try {
        const pending = await queries.listPendingImportRows(job.id, request.fromRow, request.fromRow + request.size - 1);
        const schema = createBacklogRowSchema(toBerlinLocalDate(job.created_at.getTime()));
        const outcomes: ImportRowOutcome[] = [];
        const candidates: { rowNumber: number; line: number; application: NewNaturalisationApplication }[] = [];
        for (const row of pending) {
          const parsed = schema.safeParse(row.raw);
          if (!parsed.success) {
            const issues = toIssues(parsed.error);
            outcomes.push({ rowNumber: row.row_number, status: 'rejected', issues, reason: describeIssues(issues) });
            continue;
          }
          const id = importedApplicationId(job.id, row.row_number);
          candidates.push({
            rowNumber: row.row_number,
            line: row.line,
            application: {
              id,
              authority_id: job.authority_id,
              reference: parsed.data.reference ?? generateImportReference(id, parsed.data.filed_on),
              given_names: parsed.data.given_names,
              family_name: parsed.data.family_name,
              date_of_birth: parsed.data.date_of_birth,
              email: parsed.data.email,
              preferred_language: parsed.data.preferred_language,
              filed_on: parsed.data.filed_on,
            },
          });
        }

        // The applications and their audit entries, together.
        const stored = await withTransaction(deps.pool, async (client) => {
          const inTransaction = createBacklogImportQueries(client);
          const inserted = await inTransaction.insertApplicationsIfAbsent(candidates.map((c) => c.application));
          // Not inserted: either stored by an earlier attempt (the id exists: fine), or the
          // reference belongs to another case of the same authority. References are unique per
          // authority (migration 20261126163001): another authority's case never conflicts, so
          // this answer tells nothing about other authorities' files.
          const earlier = await inTransaction.findExistingApplicationIds(candidates.filter((c) => !inserted.has(c.application.id)).map((c) => c.application.id));
          await inTransaction.insertCaseImportAuditEntries(
            candidates
              .filter((c) => inserted.has(c.application.id))
              .map((c) => ({ actor: job.created_by, authorityId: job.authority_id, caseId: c.application.id, detail: { importJobId: job.id, row: c.rowNumber } })),
          );
          return new Set([...inserted, ...earlier]);
        });

        const accepted = candidates.filter((c) => stored.has(c.application.id));
        for (const c of candidates) {
          if (stored.has(c.application.id)) {
            outcomes.push({ rowNumber: c.rowNumber, status: 'accepted', caseId: c.application.id });
          } else {
            const issues = [{ path: 'reference', message: 'is already the reference of another case', code: 'duplicate' }]; // of this authority
            outcomes.push({ rowNumber: c.rowNumber, status: 'rejected', issues, reason: describeIssues(issues) });
          }
        }

        await forEachConcurrently(accepted, concurrency, (c) =>
          deps.startCaseWorkflow({ ...c.application, created_at: job.created_at, anonymised_at: null, person_id: null }),
        );

        outcomes.sort((a, b) => a.rowNumber - b.rowNumber);
        const result = await queries.recordImportRowOutcomes(job.id, outcomes);
        log.info('backlog chunk imported', { jobId: job.id, fromRow: request.fromRow, ...result });
        return result;
      } finally {
        clearInterval(heartbeat);
      }
    },
  };
}

export type BacklogImportActivities = ReturnType<typeof createBacklogImportActivities>;
