import type { Pool } from 'pg';
import { withTransaction } from '../db/transaction';
import { createAuditQueries } from '../db/queries/audit';
import { createRetentionQueries } from '../db/queries/retention';
import { isRetentionDue, type RetentionAction } from '../domain/retention/retentionPolicy';
import { processes } from '../processes';

export const retentionActor = 'system:retention';

/**
 * Applies the retention policies of every process to its closed cases as of `asOf` (the
 * workflow's time): each due case is anonymised or deleted in its own transaction, together
 * with its audit entry. Idempotent: an anonymised or deleted case is not found again.
 */
export function createRetentionActivities(deps: { pool: Pool }) {
  return {
    async applyRetention(request: { asOf: string }): Promise<{ anonymised: number; deleted: number }> {
      const asOf = Date.parse(request.asOf);
      const settings = new Map(
        (await createRetentionQueries(deps.pool).listRetentionSettings()).map((s) => [`${s.authority_id}/${s.case_type}`, s] as const),
      );
      const result = { anonymised: 0, deleted: 0 };
      for (const process of processes) {
        const rule = process.retention;
        for (const closed of await rule.listClosedCasesWithPersonalData(deps.pool)) {
          const setting = settings.get(`${closed.authorityId}/${process.caseType}`);
          const policy = setting
            ? { retainDays: setting.retain_days, action: setting.action as RetentionAction, source: 'authority' }
            : { ...rule.defaultPolicy, source: 'default' };
          if (!isRetentionDue(Date.parse(closed.closedAt), policy.retainDays, asOf)) continue;
          await withTransaction(deps.pool, async (client) => {
            if (policy.action === 'delete') await rule.delete(client, closed.caseId);
            else await rule.anonymise(client, closed.caseId);
            await createAuditQueries(client).insertAuditEntry({
              actor: retentionActor,
              action: `retention.${policy.action}`,
              authorityId: closed.authorityId,
              caseId: closed.caseId,
              detail: { caseType: process.caseType, closedAt: closed.closedAt, retainDays: policy.retainDays, policy: policy.source, asOf: request.asOf },
            });
          });
          if (policy.action === 'delete') result.deleted += 1;
          else result.anonymised += 1;
        }
      }
      return result;
    },
  };
}
