import type { Pool, PoolClient } from 'pg';
import type { NewNaturalisationApplication } from './applications';

type Queryable = Pool | PoolClient;

export type ImportJobStatus = 'pending' | 'running' | 'completed' | 'failed';
export type ImportRowStatus = 'pending' | 'accepted' | 'rejected';

export interface ImportJobRow {
  id: string;
  authority_id: string;
  kind: string;
  created_by: string;
  status: ImportJobStatus;
  total: number;
  processed: number;
  accepted: number;
  rejected: number;
  idempotency_key: string | null;
  file_sha256: string;
  created_at: Date;
  finished_at: Date | null;
}

export interface ImportRowIssue {
  path: string;
  message: string;
  code?: string;
}

export interface NewImportRow {
  rowNumber: number;
  line: number;
  raw: Record<string, string>;
  /** `rejected` for a record the upload already refused (e.g. a wrong number of fields). */
  status: 'pending' | 'rejected';
  reason?: string;
  issues?: ImportRowIssue[];
}

export interface PendingImportRow {
  row_number: number;
  line: number;
  raw: Record<string, string>;
}

export interface ImportRowOutcome {
  rowNumber: number;
  status: 'accepted' | 'rejected';
  reason?: string;
  issues?: ImportRowIssue[];
  caseId?: string;
}

export interface RejectedImportRow {
  row_number: number;
  line: number;
  reference: string | null;
  reason: string;
  issues: ImportRowIssue[];
}

/** Rows per INSERT when storing an uploaded file (keeps each statement's parameters small). */
const rowsPerInsert = 5_000;

export function createBacklogImportQueries(db: Queryable) {
  return {
    /**
     * Creates a job; with an idempotency key already used by the authority, creates nothing.
     * @returns the new job, or undefined if the key names an existing one
     */
    async insertImportJob(job: {
      id: string;
      authorityId: string;
      createdBy: string;
      total: number;
      rejectedAtUpload: number;
      idempotencyKey: string | null;
      fileSha256: string;
    }): Promise<ImportJobRow | undefined> {
      const { rows } = await db.query<ImportJobRow>(
        `INSERT INTO import_jobs (id, authority_id, created_by, total, processed, rejected, idempotency_key, file_sha256)
         VALUES ($1, $2, $3, $4, $5, $5, $6, $7)
         ON CONFLICT (authority_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
         RETURNING *`,
        [job.id, job.authorityId, job.createdBy, job.total, job.rejectedAtUpload, job.idempotencyKey, job.fileSha256],
      );
      return rows[0];
    },

    async findImportJobByIdempotencyKey(authorityId: string, key: string): Promise<ImportJobRow | undefined> {
      const { rows } = await db.query<ImportJobRow>('SELECT * FROM import_jobs WHERE authority_id = $1 AND idempotency_key = $2', [authorityId, key]);
      return rows[0];
    },

    /** Scoped to the caller's authority in SQL: another authority's job is not found. */
    async findImportJobByIdAndAuthority(id: string, authorityId: string): Promise<ImportJobRow | undefined> {
      const { rows } = await db.query<ImportJobRow>('SELECT * FROM import_jobs WHERE id = $1 AND authority_id = $2', [id, authorityId]);
      return rows[0];
    },

    /** Unscoped: for the import's activity, which acts for the job's own authority. */
    async findImportJobById(id: string): Promise<ImportJobRow | undefined> {
      const { rows } = await db.query<ImportJobRow>('SELECT * FROM import_jobs WHERE id = $1', [id]);
      return rows[0];
    },

    /** Jobs not completed or failed, of every authority: for resuming imports at start. */
    async listUnfinishedImportJobs(): Promise<ImportJobRow[]> {
      const { rows } = await db.query<ImportJobRow>("SELECT * FROM import_jobs WHERE status IN ('pending', 'running') ORDER BY created_at");
      return rows;
    },

    async insertImportRows(jobId: string, rows: NewImportRow[]): Promise<void> {
      for (let from = 0; from < rows.length; from += rowsPerInsert) {
        const batch = rows.slice(from, from + rowsPerInsert);
        await db.query(
          `INSERT INTO import_rows (job_id, row_number, line, raw, status, reason, issues)
           SELECT $1, r.row_number, r.line, r.raw, r.status, r.reason, r.issues
           FROM unnest($2::int[], $3::int[], $4::jsonb[], $5::text[], $6::text[], $7::jsonb[])
             AS r(row_number, line, raw, status, reason, issues)`,
          [
            jobId,
            batch.map((row) => row.rowNumber),
            batch.map((row) => row.line),
            batch.map((row) => JSON.stringify(row.raw)),
            batch.map((row) => row.status),
            batch.map((row) => row.reason ?? null),
            batch.map((row) => (row.issues ? JSON.stringify(row.issues) : null)),
          ],
        );
      }
    },

    /** The rows of [fromRow, toRow] still to be processed, in row order. */
    async listPendingImportRows(jobId: string, fromRow: number, toRow: number): Promise<PendingImportRow[]> {
      const { rows } = await db.query<PendingImportRow>(
        `SELECT row_number, line, raw FROM import_rows
         WHERE job_id = $1 AND row_number BETWEEN $2 AND $3 AND status = 'pending'
         ORDER BY row_number`,
        [jobId, fromRow, toRow],
      );
      return rows;
    },

    /**
     * Inserts applications; an id or a reference that exists already is skipped.
     * @returns the ids inserted by this call
     */
    async insertApplicationsIfAbsent(applications: NewNaturalisationApplication[]): Promise<Set<string>> {
      if (applications.length === 0) return new Set();
      const { rows } = await db.query<{ id: string }>(
        `INSERT INTO naturalisation_applications
           (id, authority_id, reference, given_names, family_name, date_of_birth, email, preferred_language, filed_on)
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::date[], $7::text[], $8::text[], $9::date[])
         ON CONFLICT DO NOTHING
         RETURNING id`,
        [
          applications.map((a) => a.id),
          applications.map((a) => a.authority_id),
          applications.map((a) => a.reference),
          applications.map((a) => a.given_names),
          applications.map((a) => a.family_name),
          applications.map((a) => a.date_of_birth),
          applications.map((a) => a.email),
          applications.map((a) => a.preferred_language),
          applications.map((a) => a.filed_on),
        ],
      );
      return new Set(rows.map((row) => row.id));
    },

    async findExistingApplicationIds(ids: string[]): Promise<Set<string>> {
      if (ids.length === 0) return new Set();
      const { rows } = await db.query<{ id: string }>('SELECT id FROM naturalisation_applications WHERE id = ANY($1::uuid[])', [ids]);
      return new Set(rows.map((row) => row.id));
    },

    /**
     * One audit entry per imported case, in one statement (the same columns as
     * `insertAuditEntry` of db/queries/audit.ts writes one at a time).
     */
    async insertCaseImportAuditEntries(entries: { actor: string; authorityId: string; caseId: string; detail: Record<string, unknown> }[]): Promise<void> {
      if (entries.length === 0) return;
      await db.query(
        `INSERT INTO audit_log (actor, action, authority_id, case_id, outcome, detail)
         SELECT e.actor, 'naturalisation.application.import', e.authority_id, e.case_id, 'allowed', e.detail
         FROM unnest($1::text[], $2::text[], $3::uuid[], $4::jsonb[]) AS e(actor, authority_id, case_id, detail)`,
        [entries.map((e) => e.actor), entries.map((e) => e.authorityId), entries.map((e) => e.caseId), entries.map((e) => JSON.stringify(e.detail))],
      );
    },

    /**
     * Records the outcome of rows still pending and adds the rows that changed to the job's
     * counters, in one statement: a row already recorded (by an earlier attempt of the same
     * chunk) changes nothing and is not counted again. An accepted row's raw copy is cleared
     * (the case register holds its data now). The job is completed when every row is.
     * @returns the rows this call moved out of `pending`
     */
    async recordImportRowOutcomes(jobId: string, outcomes: ImportRowOutcome[]): Promise<{ processed: number; accepted: number; rejected: number }> {
      const { rows } = await db.query<{ processed: number; accepted: number; rejected: number }>(
        `WITH outcome AS (
           SELECT * FROM unnest($2::int[], $3::text[], $4::text[], $5::jsonb[], $6::uuid[]) AS o(row_number, status, reason, issues, case_id)
         ), changed AS (
           UPDATE import_rows r
           SET status = o.status, reason = o.reason, issues = o.issues, case_id = o.case_id,
               raw = CASE WHEN o.status = 'accepted' THEN NULL ELSE r.raw END
           FROM outcome o
           WHERE r.job_id = $1 AND r.row_number = o.row_number AND r.status = 'pending'
           RETURNING r.status
         ), counts AS (
           SELECT count(*)::int AS processed,
                  (count(*) FILTER (WHERE status = 'accepted'))::int AS accepted,
                  (count(*) FILTER (WHERE status = 'rejected'))::int AS rejected
           FROM changed
         ), job AS (
           UPDATE import_jobs j
           SET processed = j.processed + c.processed, accepted = j.accepted + c.accepted, rejected = j.rejected + c.rejected,
               status = CASE WHEN j.processed + c.processed >= j.total THEN 'completed' ELSE 'running' END,
               finished_at = CASE WHEN j.processed + c.processed >= j.total THEN COALESCE(j.finished_at, now()) END
           FROM counts c
           WHERE j.id = $1
         )
         SELECT * FROM counts`,
        [
          jobId,
          outcomes.map((o) => o.rowNumber),
          outcomes.map((o) => o.status),
          outcomes.map((o) => o.reason ?? null),
          outcomes.map((o) => (o.issues ? JSON.stringify(o.issues) : null)),
          outcomes.map((o) => o.caseId ?? null),
        ],
      );
      return rows[0];
    },

    /** One page of a job's rejected rows, by row number; scoped to the authority in SQL. */
    async listRejectedImportRows(filter: { jobId: string; authorityId: string; afterRow?: number; limit: number }): Promise<RejectedImportRow[]> {
      const { rows } = await db.query<RejectedImportRow>(
        `SELECT r.row_number, r.line, NULLIF(btrim(r.raw ->> 'reference'), '') AS reference, r.reason, r.issues
         FROM import_rows r JOIN import_jobs j ON j.id = r.job_id
         WHERE r.job_id = $1 AND j.authority_id = $2 AND r.status = 'rejected' AND ($3::int IS NULL OR r.row_number > $3)
         ORDER BY r.row_number
         LIMIT $4`,
        [filter.jobId, filter.authorityId, filter.afterRow ?? null, filter.limit],
      );
      return rows;
    },
  };
}
