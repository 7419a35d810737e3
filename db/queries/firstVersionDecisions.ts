import type { Pool, PoolClient } from 'pg';

export interface FirstVersionProposalRow {
  case_id: string;
  /** New with every proposal: the confirmation names it (a replaced proposal cannot be confirmed). */
  proposal_id: string;
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
    /** Stores the proposal under a new id, replacing one not yet confirmed. @returns false when a confirmed one exists */
    async upsertPendingProposal(p: {
      caseId: string;
      proposalId: string;
      authorityId: string;
      outcome: string;
      reason: string;
      request: Record<string, unknown>;
      seenVersion: number;
      proposedBy: string;
    }): Promise<boolean> {
      const { rowCount } = await db.query(
        `INSERT INTO naturalisation_v1_decision_proposals (case_id, authority_id, outcome, reason, request, seen_version, proposed_by, proposal_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (case_id) DO UPDATE SET outcome = EXCLUDED.outcome, reason = EXCLUDED.reason, request = EXCLUDED.request,
           seen_version = EXCLUDED.seen_version, proposed_by = EXCLUDED.proposed_by, proposed_at = now(), proposal_id = EXCLUDED.proposal_id
         WHERE naturalisation_v1_decision_proposals.confirmed_by IS NULL`,
        [p.caseId, p.authorityId, p.outcome, p.reason, JSON.stringify(p.request), p.seenVersion, p.proposedBy, p.proposalId],
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

    /**
     * Marks the named proposal confirmed, if it is still the pending one: a proposal made meanwhile
     * has replaced it (or another clerk confirmed it), and nothing is marked.
     * @returns the confirmed proposal, or undefined
     */
    async confirmPendingProposalById(caseId: string, proposalId: string, confirmedBy: string): Promise<FirstVersionProposalRow | undefined> {
      const { rows } = await db.query<FirstVersionProposalRow>(
        `UPDATE naturalisation_v1_decision_proposals SET confirmed_by = $3, confirmed_at = now()
         WHERE case_id = $1 AND proposal_id = $2 AND confirmed_by IS NULL
         RETURNING *`,
        [caseId, proposalId, confirmedBy],
      );
      return rows[0];
    },

    /** Takes back a confirmation the workflow then refused: the proposal is pending again. */
    async releaseConfirmation(caseId: string, proposalId: string, confirmedBy: string): Promise<void> {
      await db.query(
        `UPDATE naturalisation_v1_decision_proposals SET confirmed_by = NULL, confirmed_at = NULL
         WHERE case_id = $1 AND proposal_id = $2 AND confirmed_by = $3`,
        [caseId, proposalId, confirmedBy],
      );
    },
  };
}
