import type { Pool, PoolClient } from 'pg';

export interface AuditEntry {
  actor: string;
  action: string;
  authorityId?: string | null;
  caseId?: string | null;
  route?: string | null;
  outcome?: 'allowed' | 'refused';
  detail?: Record<string, unknown>;
}

export interface AuditRow {
  id: string;
  at: Date;
  actor: string;
  action: string;
  authority_id: string | null;
  case_id: string | null;
  route: string | null;
  outcome: 'allowed' | 'refused';
  detail: Record<string, unknown>;
}

/**
 * The audit trail is append-only: this module has no update and no delete, the database refuses
 * both (triggers of migration 20261125180000, and no UPDATE/DELETE/TRUNCATE privilege for the
 * application's role), and each row is hash-chained to the one before (20261126120000).
 */
export function createAuditQueries(db: Pool | PoolClient) {
  return {
    async insertAuditEntry(entry: AuditEntry): Promise<void> {
      await db.query(
        'INSERT INTO audit_log (actor, action, authority_id, case_id, route, outcome, detail) VALUES ($1, $2, $3, $4, $5, $6, $7)',
        [
          entry.actor,
          entry.action,
          entry.authorityId ?? null,
          entry.caseId ?? null,
          entry.route ?? null,
          entry.outcome ?? 'allowed',
          JSON.stringify(entry.detail ?? {}),
        ],
      );
    },

    /**
     * Checks the hash chain of the whole trail (migration 20261126120000): every row that was
     * changed, removed or put in out of order. An empty list: the trail is intact.
     */
    async verifyAuditChain(): Promise<{ chainSeq: string; id: string; problem: string }[]> {
      const { rows } = await db.query<{ chain_seq: string; id: string; problem: string }>('SELECT chain_seq, id, problem FROM audit_log_verify()');
      return rows.map((row) => ({ chainSeq: row.chain_seq, id: row.id, problem: row.problem }));
    },

    /** The chain's newest row: its position and hash (hex), or undefined for an empty trail. */
    async findAuditChainHead(): Promise<{ chainSeq: string; rowHash: string } | undefined> {
      const { rows } = await db.query<{ chain_seq: string; row_hash: string }>(
        "SELECT chain_seq, encode(row_hash, 'hex') AS row_hash FROM audit_log ORDER BY chain_seq DESC LIMIT 1",
      );
      return rows[0] && { chainSeq: rows[0].chain_seq, rowHash: rows[0].row_hash };
    },

    /** The hashes (hex) of the rows at these chain positions; a position without a row is absent from the map. */
    async findAuditRowHashesBySeq(chainSeqs: string[]): Promise<Map<string, string>> {
      const { rows } = await db.query<{ chain_seq: string; row_hash: string }>(
        "SELECT chain_seq, encode(row_hash, 'hex') AS row_hash FROM audit_log WHERE chain_seq = ANY ($1::bigint[])",
        [chainSeqs],
      );
      return new Map(rows.map((row) => [row.chain_seq, row.row_hash]));
    },

    /** Whether `actor` did `action` on a case with the outcome allowed (e.g. recorded an agency answer). */
    async hasActorDoneOnCase(caseId: string, actor: string, action: string): Promise<boolean> {
      const { rows } = await db.query(
        "SELECT 1 FROM audit_log WHERE case_id = $1 AND actor = $2 AND action = $3 AND outcome = 'allowed' LIMIT 1",
        [caseId, actor, action],
      );
      return rows.length > 0;
    },

    /** One page of an authority's audit trail, newest first; `beforeId` continues a listing. */
    async listAuditEntriesByAuthority(filter: {
      authorityId: string;
      caseId?: string;
      actor?: string;
      outcome?: 'allowed' | 'refused';
      beforeId?: string;
      limit: number;
    }): Promise<AuditRow[]> {
      const { rows } = await db.query<AuditRow>(
        `SELECT * FROM audit_log
         WHERE authority_id = $1
           AND ($2::uuid IS NULL OR case_id = $2)
           AND ($3::text IS NULL OR actor = $3)
           AND ($4::text IS NULL OR outcome = $4)
           AND ($5::bigint IS NULL OR id < $5)
         ORDER BY id DESC
         LIMIT $6`,
        [filter.authorityId, filter.caseId ?? null, filter.actor ?? null, filter.outcome ?? null, filter.beforeId ?? null, filter.limit],
      );
      return rows;
    },
  };
}
