import type { Pool, PoolClient } from 'pg';
import type { RetentionAction } from '../../domain/retention/retentionPolicy';

export interface RetentionSettingRow {
  authority_id: string;
  case_type: string;
  retain_days: number;
  action: RetentionAction;
  updated_by: string;
  updated_at: Date;
  confirmed_by: string | null;
}

export interface RetentionProposalRow {
  authority_id: string;
  case_type: string;
  retain_days: number;
  action: RetentionAction;
  proposed_by: string;
  proposed_at: Date;
}

export interface ClosedCaseRow {
  case_id: string;
  authority_id: string;
  decided_at: string;
}

export function createRetentionQueries(db: Pool | PoolClient) {
  return {
    async listRetentionSettings(): Promise<RetentionSettingRow[]> {
      return (await db.query<RetentionSettingRow>('SELECT * FROM retention_settings')).rows;
    },

    async listRetentionSettingsByAuthority(authorityId: string): Promise<RetentionSettingRow[]> {
      return (await db.query<RetentionSettingRow>('SELECT * FROM retention_settings WHERE authority_id = $1', [authorityId])).rows;
    },

    async upsertRetentionSetting(s: { authorityId: string; caseType: string; retainDays: number; action: RetentionAction; updatedBy: string; confirmedBy?: string }) {
      await db.query(
        `INSERT INTO retention_settings (authority_id, case_type, retain_days, action, updated_by, confirmed_by) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (authority_id, case_type) DO UPDATE SET
           retain_days = EXCLUDED.retain_days, action = EXCLUDED.action, updated_by = EXCLUDED.updated_by,
           confirmed_by = EXCLUDED.confirmed_by, updated_at = now()`,
        [s.authorityId, s.caseType, s.retainDays, s.action, s.updatedBy, s.confirmedBy ?? null],
      );
    },

    /** Stores (or replaces) the authority's pending proposal for a case type. */
    async upsertRetentionProposal(p: { authorityId: string; caseType: string; retainDays: number; action: RetentionAction; proposedBy: string }) {
      await db.query(
        `INSERT INTO retention_setting_proposals (authority_id, case_type, retain_days, action, proposed_by) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (authority_id, case_type) DO UPDATE SET
           retain_days = EXCLUDED.retain_days, action = EXCLUDED.action, proposed_by = EXCLUDED.proposed_by, proposed_at = now()`,
        [p.authorityId, p.caseType, p.retainDays, p.action, p.proposedBy],
      );
    },

    async listRetentionProposalsByAuthority(authorityId: string): Promise<RetentionProposalRow[]> {
      return (await db.query<RetentionProposalRow>('SELECT * FROM retention_setting_proposals WHERE authority_id = $1', [authorityId])).rows;
    },

    /** Takes the pending proposal out (locked, in the caller's transaction); undefined when there is none. */
    async takeRetentionProposal(authorityId: string, caseType: string): Promise<RetentionProposalRow | undefined> {
      const { rows } = await db.query<RetentionProposalRow>(
        'DELETE FROM retention_setting_proposals WHERE authority_id = $1 AND case_type = $2 RETURNING *',
        [authorityId, caseType],
      );
      return rows[0];
    },

    /**
     * Closed naturalisation cases that still hold personal data, with the instant they closed:
     * the handover of the certificate (§ 16 StAG) where there was one, else the decision. The
     * first workflow version ends in `decided`, today's in `closed`.
     */
    async listClosedNaturalisationCasesWithPersonalData(): Promise<ClosedCaseRow[]> {
      const { rows } = await db.query<ClosedCaseRow>(
        `SELECT p.case_id, p.authority_id,
                to_char(COALESCE((p.details->>'naturalisedOn')::date::timestamp AT TIME ZONE 'Europe/Berlin',
                                 (p.decision->>'decidedAt')::timestamptz) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS decided_at
         FROM case_projections p JOIN naturalisation_applications a ON a.id = p.case_id
         WHERE p.case_type = 'naturalisation' AND p.stage IN ('decided', 'closed') AND p.decision ? 'decidedAt' AND a.anonymised_at IS NULL`,
      );
      return rows;
    },

    /**
     * Removes what identifies the person; keeps authority, filing date, stage and outcome. Free
     * texts written about the person go too: the decision's reason, the suspension's reason, the
     * notes on agency answers, and rows of backlog files that named the case's reference.
     */
    async anonymiseNaturalisationCase(caseId: string): Promise<void> {
      const { rows } = await db.query<{ reference: string; authority_id: string }>(
        `UPDATE naturalisation_applications
         SET given_names = '', family_name = '', date_of_birth = NULL, email = '', access_code_hash = NULL, anonymised_at = now()
         WHERE id = $1 RETURNING reference, authority_id`,
        [caseId],
      );
      await db.query(
        `UPDATE case_projections SET
           decision = decision - 'reason',
           details = jsonb_set(
             details - 'suspension',
             '{inquiries}',
             COALESCE((SELECT jsonb_agg(i - 'note') FROM jsonb_array_elements(details->'inquiries') i), '[]'::jsonb))
         WHERE case_id = $1`,
        [caseId],
      );
      await db.query(`UPDATE outbox SET recipient = '', subject = '', body_text = '' WHERE case_id = $1`, [caseId]);
      await db.query('DELETE FROM idempotency_keys WHERE case_id = $1', [caseId]);
      await db.query('DELETE FROM message_secrets WHERE case_id = $1', [caseId]);
      // The facts of eligibility checks and uploaded documents are personal data through and through.
      await db.query('DELETE FROM naturalisation_eligibility_checks WHERE case_id = $1', [caseId]);
      await db.query('DELETE FROM applicant_documents WHERE case_id = $1', [caseId]);
      // A decision proposed on a workflow-version-1 case keeps its outcome, not its reason.
      await db.query(`UPDATE naturalisation_v1_decision_proposals SET reason = '', request = '{}'::jsonb WHERE case_id = $1`, [caseId]);
      // References are unique per authority only: rejected rows of the case's own authority.
      await db.query(
        `UPDATE import_rows SET raw = NULL WHERE case_id = $1
           OR (status = 'rejected' AND raw->>'reference' = $2 AND job_id IN (SELECT id FROM import_jobs WHERE authority_id = $3))`,
        [caseId, rows[0]?.reference ?? null, rows[0]?.authority_id ?? null],
      );
    },

    async deleteNaturalisationCase(caseId: string): Promise<void> {
      const { rows } = await db.query<{ reference: string; authority_id: string }>('SELECT reference, authority_id FROM naturalisation_applications WHERE id = $1', [caseId]);
      await db.query(
        `UPDATE import_rows SET raw = NULL, case_id = NULL WHERE case_id = $1
           OR (status = 'rejected' AND raw->>'reference' = $2 AND job_id IN (SELECT id FROM import_jobs WHERE authority_id = $3))`,
        [caseId, rows[0]?.reference ?? null, rows[0]?.authority_id ?? null],
      );
      await db.query('DELETE FROM naturalisation_v1_decision_proposals WHERE case_id = $1', [caseId]);
      await db.query('DELETE FROM naturalisation_eligibility_checks WHERE case_id = $1', [caseId]);
      await db.query('DELETE FROM outbox WHERE case_id = $1', [caseId]);
      await db.query('DELETE FROM idempotency_keys WHERE case_id = $1', [caseId]);
      await db.query('DELETE FROM applicant_documents WHERE case_id = $1', [caseId]);
      await db.query('DELETE FROM case_projections WHERE case_id = $1', [caseId]);
      await db.query('DELETE FROM naturalisation_applications WHERE id = $1', [caseId]);
    },
  };
}
