import type { Pool, PoolClient } from 'pg';

export interface AuditEntry {
  actor: string;
  action: string;
  caseId?: string | null;
  outcome?: 'allowed' | 'refused';
  detail?: Record<string, unknown>;
}

/** The audit trail is append-only: this module has no update and no delete. */
export function createAuditQueries(db: Pool | PoolClient) {
  return {
    async insertAuditEntry(entry: AuditEntry): Promise<void> {
      await db.query('INSERT INTO audit_log (actor, action, case_id, outcome, detail) VALUES ($1, $2, $3, $4, $5)', [
        entry.actor,
        entry.action,
        entry.caseId ?? null,
        entry.outcome ?? 'allowed',
        JSON.stringify(entry.detail ?? {}),
      ]);
    },
  };
}
