import type { Pool } from 'pg';
import { withTransaction } from '../db/transaction';
import { createAuditQueries } from '../db/queries/audit';
import { createRetentionQueries } from '../db/queries/retention';
import { isRetentionDue, type RetentionAction } from '../domain/retention/retentionPolicy';
import { processes } from '../processes';
import type { RetentionRule } from '../processes/contract';

export const retentionActor = 'system:retention';

type SettingsByKey = Map<string, { retain_days: number; action: string }>;

/**
 * Sweeps a process's records that are not cases, one authority at a time: one transaction each,
 * with one audit entry per kind of record removed (counts, no personal data).
 */
async function sweepRecords(
  pool: Pool,
  caseType: string,
  records: NonNullable<RetentionRule['records']>,
  defaultPolicy: RetentionRule['defaultPolicy'],
  settings: SettingsByKey,
  asOf: string,
  result: { anonymised: number; deleted: number },
): Promise<void> {
  for (const authorityId of await records.listAuthorities(pool)) {
    const setting = settings.get(`${authorityId}/${caseType}`);
    const policy = setting
      ? { retainDays: setting.retain_days, action: setting.action as RetentionAction, source: 'authority' }
      : { ...defaultPolicy, source: 'default' };
    await withTransaction(pool, async (client) => {
      const swept = await records.sweep(client, { authorityId, retainDays: policy.retainDays, action: policy.action, asOf: new Date(asOf) });
      for (const done of swept.filter((s) => s.count > 0)) {
        await createAuditQueries(client).insertAuditEntry({
          actor: retentionActor,
          action: `retention.${done.action}`,
          authorityId,
          detail: { caseType, records: done.records, count: done.count, basis: done.basis, retainDays: policy.retainDays, policy: policy.source, asOf },
        });
        if (done.action === 'delete') result.deleted += done.count;
        else result.anonymised += done.count;
      }
    });
  }
}

/**
 * Applies the retention policies of every process to its closed cases (and to records that are
 * not cases, `RetentionRule.records`) as of `asOf` (the
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
        if (rule.records) await sweepRecords(deps.pool, process.caseType, rule.records, rule.defaultPolicy, settings, request.asOf, result);
      }
      return result;
    },
  };
}
