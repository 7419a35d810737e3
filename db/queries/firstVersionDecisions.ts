import type { Pool, PoolClient } from 'pg';

export interface FirstVersionProposalRow {
  case_id: string;
  authority_id: string;
  outcome: string;
  reason: string;
  request: Record<string, unknown>;
  seen_version: number;
  proposed_by: string;
  proposed_at: Date;
  confirmed_by: string | null;
  confirmed_at: Date | null;
}

/** Decision proposals of naturalisation cases on workflow version 1 (four eyes kept in PostgreSQL). */
export function createFirstVersionDecisionQueries(db: Pool | PoolClient) {
  return {
    /** Stores the proposal, replacing one not yet confirmed. @returns false when a confirmed one exists */
    async upsertPendingProposal(p: {
      caseId: string;
      authorityId: string;
      outcome: string;
      reason: string;
      request: Record<string, unknown>;
      seenVersion: number;
      proposedBy: string;
    }): Promise<boolean> {
      const { rowCount } = await db.query(
        `INSERT INTO naturalisation_v1_decision_proposals (case_id, authority_id, outcome, reason, request, seen_version, proposed_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (case_id) DO UPDATE SET outcome = EXCLUDED.outcome, reason = EXCLUDED.reason, request = EXCLUDED.request,
           seen_version = EXCLUDED.seen_version, proposed_by = EXCLUDED.proposed_by, proposed_at = now()
         WHERE naturalisation_v1_decision_proposals.confirmed_by IS NULL`,
        [p.caseId, p.authorityId, p.outcome, p.reason, JSON.stringify(p.request), p.seenVersion, p.proposedBy],
      );
      return (rowCount ?? 0) > 0;
    },

    async findPendingProposalByCaseAndAuthority(caseId: string, authorityId: string): Promise<FirstVersionProposalRow | undefined> {
      const { rows } = await db.query<FirstVersionProposalRow>(
        'SELECT * FROM naturalisation_v1_decision_proposals WHERE case_id = $1 AND authority_id = $2 AND confirmed_by IS NULL',
        [caseId, authorityId],
      );
      return rows[0];
    },

    async markProposalConfirmed(caseId: string, proposedBy: string, confirmedBy: string): Promise<void> {
      await db.query(
        `UPDATE naturalisation_v1_decision_proposals SET confirmed_by = $3, confirmed_at = now()
         WHERE case_id = $1 AND proposed_by = $2 AND confirmed_by IS NULL`,
        [caseId, proposedBy, confirmedBy],
      );
    },
  };
}
