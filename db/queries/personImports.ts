import type { Pool, PoolClient } from 'pg';
import type { ImportKind, RowIssue } from '../../domain/register/importRows';

type Queryable = Pool | PoolClient;

export interface PersonImportJobRow {
  id: string;
  authority_id: string;
  kind: ImportKind;
  created_by: string;
  status: 'pending' | 'running' | 'completed' | 'failed';
  total: number;
  next_row: number;
  processed: number;
  accepted: number;
  unchanged: number;
  rejected: number;
  failure: string | null;
  idempotency_key: string | null;
  file_sha256: string;
  created_at: Date;
  finished_at: Date | null;
}

export interface PersonImportRejection {
  rowNumber: number;
  line: number;
  fileNumber: string | null;
  reason: string;
  issues: RowIssue[];
}

/** What one chunk did. */
export interface ChunkOutcome {
  processed: number;
  accepted: number;
  unchanged: number;
  rejected: number;
  /** Persons whose register entry changed (not the ones created), to tell their open cases. */
  changedPersons: { personId: string; version: number }[];
}

/** Jobs, rejections and progress of the register's bulk loads; the merging lives in personImportMerge.ts. */
export function createPersonImportQueries(db: Queryable) {
  return {
    /** @returns the new job, or undefined if the idempotency key names an existing one */
    async insertImportJob(job: {
      id: string;
      authorityId: string;
      kind: ImportKind;
      createdBy: string;
      total: number;
      rejectedAtUpload: number;
      idempotencyKey: string | null;
      fileSha256: string;
    }): Promise<PersonImportJobRow | undefined> {
      const { rows } = await db.query<PersonImportJobRow>(
        `INSERT INTO person_import_jobs (id, authority_id, kind, created_by, total, processed, rejected, idempotency_key, file_sha256,
           status, finished_at)
         VALUES ($1, $2, $3, $4, $5::int, $6::int, $6::int, $7, $8, CASE WHEN $6::int >= $5::int THEN 'completed' ELSE 'pending' END, CASE WHEN $6::int >= $5::int THEN now() END)
         ON CONFLICT (authority_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
         RETURNING *`,
        [job.id, job.authorityId, job.kind, job.createdBy, job.total, job.rejectedAtUpload, job.idempotencyKey, job.fileSha256],
      );
      return rows[0];
    },

    async findImportJobByIdempotencyKey(authorityId: string, key: string): Promise<PersonImportJobRow | undefined> {
      const { rows } = await db.query<PersonImportJobRow>('SELECT * FROM person_import_jobs WHERE authority_id = $1 AND idempotency_key = $2', [authorityId, key]);
      return rows[0];
    },

    /** Scoped to the caller's authority in SQL. */
    async findImportJobByIdAndAuthority(id: string, authorityId: string): Promise<PersonImportJobRow | undefined> {
      const { rows } = await db.query<PersonImportJobRow>('SELECT * FROM person_import_jobs WHERE id = $1 AND authority_id = $2', [id, authorityId]);
      return rows[0];
    },

    /** The job, locked until the transaction ends: one chunk of a job runs at a time, in any process. */
    async lockImportJobById(id: string): Promise<PersonImportJobRow | undefined> {
      const { rows } = await db.query<PersonImportJobRow>('SELECT * FROM person_import_jobs WHERE id = $1 FOR UPDATE', [id]);
      return rows[0];
    },

    async listUnfinishedImportJobs(): Promise<PersonImportJobRow[]> {
      const { rows } = await db.query<PersonImportJobRow>("SELECT * FROM person_import_jobs WHERE status IN ('pending', 'running') ORDER BY created_at");
      return rows;
    },

    async insertRejections(jobId: string, rejections: PersonImportRejection[]): Promise<void> {
      for (let from = 0; from < rejections.length; from += 5_000) {
        const batch = rejections.slice(from, from + 5_000);
        await db.query(
          `INSERT INTO person_import_rejections (job_id, row_number, line, file_number, reason, issues)
           SELECT $1, * FROM unnest($2::int[], $3::int[], $4::text[], $5::text[], $6::jsonb[])`,
          [jobId, batch.map((r) => r.rowNumber), batch.map((r) => r.line), batch.map((r) => r.fileNumber), batch.map((r) => r.reason), batch.map((r) => JSON.stringify(r.issues))],
        );
      }
    },

    /** Advances the job past a chunk and adds its counts; completes it after the last row. */
    async recordChunkProgress(jobId: string, nextRow: number, outcome: Omit<ChunkOutcome, 'changedPersons'>): Promise<PersonImportJobRow> {
      const { rows } = await db.query<PersonImportJobRow>(
        `UPDATE person_import_jobs
         SET next_row = $2, processed = processed + $3, accepted = accepted + $4, unchanged = unchanged + $5, rejected = rejected + $6,
             status = CASE WHEN $2 > total THEN 'completed' ELSE 'running' END,
             finished_at = CASE WHEN $2 > total THEN now() END
         WHERE id = $1
         RETURNING *`,
        [jobId, nextRow, outcome.processed, outcome.accepted, outcome.unchanged, outcome.rejected],
      );
      return rows[0];
    },

    async markImportJobFailed(jobId: string, failure: string): Promise<void> {
      await db.query("UPDATE person_import_jobs SET status = 'failed', failure = $2, finished_at = now() WHERE id = $1 AND status IN ('pending', 'running')", [jobId, failure]);
    },

    /** One page of a job's rejected rows, by row number; scoped to the authority in SQL. */
    async listRejectionsByJob(filter: { jobId: string; authorityId: string; afterRow?: number; limit: number }): Promise<PersonImportRejection[]> {
      const { rows } = await db.query<{ row_number: number; line: number; file_number: string | null; reason: string; issues: RowIssue[] }>(
        `SELECT r.row_number, r.line, r.file_number, r.reason, r.issues
         FROM person_import_rejections r JOIN person_import_jobs j ON j.id = r.job_id
         WHERE r.job_id = $1 AND j.authority_id = $2 AND ($3::int IS NULL OR r.row_number > $3)
         ORDER BY r.row_number
         LIMIT $4`,
        [filter.jobId, filter.authorityId, filter.afterRow ?? null, filter.limit],
      );
      return rows.map((row) => ({ rowNumber: row.row_number, line: row.line, fileNumber: row.file_number, reason: row.reason, issues: row.issues }));
    },
  };
}
