import { z } from 'zod';
import { withTransaction } from '../../db/transaction';
import { createAuditQueries } from '../../db/queries/audit';
import { createRetentionQueries } from '../../db/queries/retention';
import { retentionActions } from '../../domain/retention/retentionPolicy';
import { caseTypes, findProcess } from '../../processes';
import { defineRoute } from '../route';

const policySchema = z.object({
  caseType: z.enum(caseTypes),
  retainDays: z.number().int(),
  action: z.enum(retentionActions),
  source: z.enum(['default', 'authority']),
  basis: z.string(),
  updatedBy: z.string().nullable(),
});

export const adminRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/v1/admin/retention',
    operation: 'admin.retention.list',
    access: ['admin'],
    summary: "The retention policies in force for the caller's authority (its own settings, else the defaults)",
    tags: ['admin'],
    request: { query: z.strictObject({}) },
    responses: { 200: { description: 'Policies per case type', schema: z.object({ policies: z.array(policySchema) }) } },
    handler: async (_input, deps, { principal }) => {
      const own = new Map(
        (await createRetentionQueries(deps.pool).listRetentionSettingsByAuthority(principal.authorityId)).map((s) => [s.case_type, s]),
      );
      const policies = caseTypes.map((caseType) => {
        const setting = own.get(caseType);
        const fallback = findProcess(caseType).retention.defaultPolicy;
        return setting
          ? { caseType, retainDays: setting.retain_days, action: setting.action, source: 'authority' as const, basis: fallback.basis, updatedBy: setting.updated_by }
          : { caseType, retainDays: fallback.retainDays, action: fallback.action, source: 'default' as const, basis: fallback.basis, updatedBy: null };
      });
      return { status: 200, body: { policies } };
    },
  }),
  defineRoute({
    method: 'put',
    path: '/api/v1/admin/retention/:caseType',
    operation: 'admin.retention.set',
    access: ['admin'],
    summary: "Set how long closed cases of a type keep personal data in the caller's authority, and what happens then",
    tags: ['admin'],
    request: {
      params: z.strictObject({ caseType: z.enum(caseTypes) }),
      query: z.strictObject({}),
      body: z.strictObject({
        retainDays: z.number().int().min(30, 'must be at least 30 days').max(100 * 365),
        action: z.enum(retentionActions),
      }),
    },
    responses: {
      200: { description: 'Stored', schema: z.object({ caseType: z.enum(caseTypes), retainDays: z.number().int(), action: z.enum(retentionActions) }) },
      400: { description: 'Invalid setting' },
    },
    handler: async ({ params, body }, deps, { principal }) => {
      await withTransaction(deps.pool, async (client) => {
        await createRetentionQueries(client).upsertRetentionSetting({
          authorityId: principal.authorityId,
          caseType: params.caseType,
          retainDays: body.retainDays,
          action: body.action,
          updatedBy: principal.subject,
        });
        await createAuditQueries(client).insertAuditEntry({
          actor: principal.subject,
          action: 'admin.retention.set',
          authorityId: principal.authorityId,
          detail: { caseType: params.caseType, ...body },
        });
      });
      return { status: 200, body: { caseType: params.caseType, ...body } };
    },
  }),
];
