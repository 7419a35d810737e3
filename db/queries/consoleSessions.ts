import type { Pool } from 'pg';

export interface ConsoleLoginRow {
  codeVerifier: string;
  nonce: string;
  returnTo: string;
}

export interface ConsoleSessionRow {
  subject: string;
  displayName: string;
  roles: string[];
  authorityId: string;
  accessToken: string;
  csrfToken: string;
  expiresAt: Date;
}

/** Sign-ins in progress (state → PKCE verifier and nonce) and sessions of the staff console, keyed by hashes. */
export function createConsoleSessionQueries(pool: Pool) {
  return {
    async insertLogin(stateHash: string, login: ConsoleLoginRow, expiresAt: Date): Promise<void> {
      await pool.query(
        'INSERT INTO console_logins (state_hash, code_verifier, nonce, return_to, expires_at) VALUES ($1, $2, $3, $4, $5)',
        [stateHash, login.codeVerifier, login.nonce, login.returnTo, expiresAt],
      );
    },
    /** Takes a sign-in once: a replayed callback finds nothing. Expired ones are removed on the way. */
    async takeLoginByStateHash(stateHash: string, now: Date): Promise<ConsoleLoginRow | undefined> {
      await pool.query('DELETE FROM console_logins WHERE expires_at < $1', [now]);
      const { rows } = await pool.query<{ code_verifier: string; nonce: string; return_to: string }>(
        'DELETE FROM console_logins WHERE state_hash = $1 AND expires_at >= $2 RETURNING code_verifier, nonce, return_to',
        [stateHash, now],
      );
      return rows[0] && { codeVerifier: rows[0].code_verifier, nonce: rows[0].nonce, returnTo: rows[0].return_to };
    },
    async insertSession(idHash: string, session: ConsoleSessionRow): Promise<void> {
      await pool.query(
        `INSERT INTO console_sessions (id_hash, subject, display_name, roles, authority_id, access_token, csrf_token, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [idHash, session.subject, session.displayName, session.roles, session.authorityId, session.accessToken, session.csrfToken, session.expiresAt],
      );
    },
    async findSessionByIdHash(idHash: string, now: Date): Promise<ConsoleSessionRow | undefined> {
      const { rows } = await pool.query(
        `SELECT subject, display_name, roles, authority_id, access_token, csrf_token, expires_at
           FROM console_sessions WHERE id_hash = $1 AND expires_at > $2`,
        [idHash, now],
      );
      const row = rows[0];
      return row && {
        subject: row.subject, displayName: row.display_name, roles: row.roles, authorityId: row.authority_id,
        accessToken: row.access_token, csrfToken: row.csrf_token, expiresAt: row.expires_at,
      };
    },
    /** Sign-out, and the sweep of expired sessions at each sign-in. */
    async deleteSessionByIdHash(idHash: string): Promise<void> {
      await pool.query('DELETE FROM console_sessions WHERE id_hash = $1', [idHash]);
    },
    async deleteExpiredSessions(now: Date): Promise<void> {
      await pool.query('DELETE FROM console_sessions WHERE expires_at < $1', [now]);
    },
  };
}
