import type { Pool } from 'pg';
import { withTransaction } from '../db/transaction';
import { createAuditQueries } from '../db/queries/audit';
import { createRetentionQueries } from '../db/queries/retention';
import { defaultRetentionPolicies, isRetentionDue, type RetentionAction } from '../domain/retention/retentionPolicy';

export const retentionActor = 'system:retention';

/**
 * Applies the retention policies to closed cases as of `asOf` (the workflow's time): each due
 * case is anonymised or deleted in its own transaction, together with its audit entry.
 * Idempotent: an anonymised or deleted case is not found again.
 */
export function createRetentionActivities(deps: { pool: Pool }) {
  return {
    async applyRetention(request: { asOf: string }): Promise<{ anonymised: number; deleted: number }> {
      const asOf = Date.parse(request.asOf);
      const queries = createRetentionQueries(deps.pool);
      const settings = new Map(
        (await queries.listRetentionSettings()).map((s) => [`${s.authority_id}/${s.case_type}`, s] as const),
      );
      const result = { anonymised: 0, deleted: 0 };
      for (const closed of await queries.listClosedNaturalisationCasesWithPersonalData()) {
        const setting = settings.get(`${closed.authority_id}/naturalisation`);
        const policy = setting
          ? { retainDays: setting.retain_days, action: setting.action as RetentionAction, source: 'authority' }
          : { ...defaultRetentionPolicies.naturalisation, source: 'default' };
        if (!isRetentionDue(Date.parse(closed.decided_at), policy.retainDays, asOf)) continue;
        await withTransaction(deps.pool, async (client) => {
          const tx = createRetentionQueries(client);
          if (policy.action === 'delete') await tx.deleteNaturalisationCase(closed.case_id);
          else await tx.anonymiseNaturalisationCase(closed.case_id);
          await createAuditQueries(client).insertAuditEntry({
            actor: retentionActor,
            action: `retention.${policy.action}`,
            authorityId: closed.authority_id,
            caseId: closed.case_id,
            detail: { caseType: 'naturalisation', decidedAt: closed.decided_at, retainDays: policy.retainDays, policy: policy.source, asOf: request.asOf },
          });
        });
        if (policy.action === 'delete') result.deleted += 1;
        else result.anonymised += 1;
      }
      return result;
    },
  };
}
