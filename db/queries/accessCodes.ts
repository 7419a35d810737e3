import type { Pool, PoolClient } from 'pg';

export interface AccessCodeAttemptRow {
  reference: string;
  failures: number;
  locked_until: Date | null;
  blocked: number;
}

/** What the applicant's status lookup checks: the code's hash, and whether and since when the case is closed. */
export interface ApplicantAccessRow {
  id: string;
  authority_id: string;
  access_code_hash: string | null;
  closed_at: Date | null;
}

/** Access codes: their hashes, the secrets waiting for their letters, and wrong attempts per reference. */
export function createAccessCodeQueries(db: Pool | PoolClient) {
  return {
    /**
     * Every case with this reference (unique per authority only, so possibly one per authority);
     * anonymised cases are not found. A closed case's last projection is when it closed.
     */
    async listApplicantAccessByReference(reference: string): Promise<ApplicantAccessRow[]> {
      const { rows } = await db.query<ApplicantAccessRow>(
        `SELECT a.id, a.authority_id, a.access_code_hash,
                CASE WHEN p.stage IN ('closed', 'decided') THEN p.updated_at END AS closed_at
         FROM naturalisation_applications a LEFT JOIN case_projections p ON p.case_id = a.id
         WHERE a.reference = $1 AND a.anonymised_at IS NULL
         ORDER BY a.id`,
        [reference],
      );
      return rows;
    },

    /** The case's current hash (null: none or revoked), scoped to the caller's authority. */
    async findAccessCodeHash(caseId: string, authorityId: string): Promise<{ access_code_hash: string | null } | undefined> {
      const { rows } = await db.query<{ access_code_hash: string | null }>(
        'SELECT access_code_hash FROM naturalisation_applications WHERE id = $1 AND authority_id = $2 AND anonymised_at IS NULL',
        [caseId, authorityId],
      );
      return rows[0];
    },

    /** Puts back a hash (or none) as it was, after a reissue that could not be sent. */
    async restoreAccessCodeHash(caseId: string, hash: string | null): Promise<void> {
      await db.query('UPDATE naturalisation_applications SET access_code_hash = $2 WHERE id = $1', [caseId, hash]);
      await db.query('DELETE FROM message_secrets WHERE case_id = $1', [caseId]);
    },

    async setAccessCodeHash(caseId: string, hash: string): Promise<void> {
      await db.query('UPDATE naturalisation_applications SET access_code_hash = $2, access_code_revoked_at = NULL WHERE id = $1', [caseId, hash]);
    },

    /** Revokes the case's code: no code opens the case until a new one is issued. */
    async revokeAccessCode(caseId: string, authorityId: string): Promise<boolean> {
      const { rowCount } = await db.query(
        'UPDATE naturalisation_applications SET access_code_hash = NULL, access_code_revoked_at = now() WHERE id = $1 AND authority_id = $2',
        [caseId, authorityId],
      );
      await db.query('DELETE FROM message_secrets WHERE case_id = $1', [caseId]);
      return (rowCount ?? 0) > 0;
    },

    /** Keeps the clear code for the letter that tells it, until that letter is delivered (or `expiresAt`). */
    async putMessageSecret(caseId: string, secret: string, expiresAt: Date): Promise<void> {
      await db.query(
        `INSERT INTO message_secrets (case_id, secret, expires_at) VALUES ($1, $2, $3)
         ON CONFLICT (case_id) DO UPDATE SET secret = EXCLUDED.secret, created_at = now(), expires_at = EXCLUDED.expires_at`,
        [caseId, secret, expiresAt],
      );
    },

    async findMessageSecret(caseId: string): Promise<string | undefined> {
      const { rows } = await db.query<{ secret: string }>('SELECT secret FROM message_secrets WHERE case_id = $1 AND expires_at > now()', [caseId]);
      return rows[0]?.secret;
    },

    /** After delivery: the clear code is gone. Only the value that was sent is deleted (a newer code stays for its own letter). */
    async deleteMessageSecret(caseId: string, secret: string): Promise<void> {
      await db.query('DELETE FROM message_secrets WHERE case_id = $1 AND (secret = $2 OR expires_at <= now())', [caseId, secret]);
    },

    async findAttempts(reference: string): Promise<AccessCodeAttemptRow | undefined> {
      const { rows } = await db.query<AccessCodeAttemptRow>('SELECT reference, failures, locked_until, blocked FROM access_code_attempts WHERE reference = $1', [reference]);
      return rows[0];
    },

    /** Counts a wrong attempt; `lockMs(failures)` gives the lockout that follows it (0: none). */
    async recordFailedAttempt(reference: string, lockMs: (failures: number) => number): Promise<AccessCodeAttemptRow> {
      const { rows } = await db.query<AccessCodeAttemptRow>(
        `INSERT INTO access_code_attempts (reference, failures, last_failure_at) VALUES ($1, 1, now())
         ON CONFLICT (reference) DO UPDATE SET failures = access_code_attempts.failures + 1, last_failure_at = now()
         RETURNING reference, failures, locked_until, blocked`,
        [reference],
      );
      const row = rows[0];
      const ms = lockMs(row.failures);
      if (ms > 0) {
        const locked = await db.query<AccessCodeAttemptRow>(
          `UPDATE access_code_attempts SET locked_until = now() + $2 * interval '1 millisecond' WHERE reference = $1 RETURNING reference, failures, locked_until, blocked`,
          [reference, ms],
        );
        return locked.rows[0];
      }
      return row;
    },

    /** An attempt while locked: counted, not checked. */
    async recordBlockedAttempt(reference: string): Promise<void> {
      await db.query('UPDATE access_code_attempts SET blocked = blocked + 1 WHERE reference = $1', [reference]);
    },

    async clearAttempts(reference: string): Promise<void> {
      await db.query('DELETE FROM access_code_attempts WHERE reference = $1', [reference]);
    },
  };
}
