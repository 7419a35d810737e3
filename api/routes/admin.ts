import { z } from 'zod';
import { withTransaction } from '../../db/transaction';
import { createAuditQueries } from '../../db/queries/audit';
import { createRetentionQueries } from '../../db/queries/retention';
import { retentionActions } from '../../domain/retention/retentionPolicy';
import { caseTypes, findProcess } from '../../processes';
import { AppError } from '../errors';
import { defineRoute } from '../route';

const policySchema = z.object({
  caseType: z.enum(caseTypes),
  retainDays: z.number().int(),
  action: z.enum(retentionActions),
  source: z.enum(['default', 'authority']),
  basis: z.string(),
  updatedBy: z.string().nullable(),
  confirmedBy: z.string().nullable(),
  /** A change proposed by one admin, waiting for a second admin's confirmation. */
  pending: z.object({ retainDays: z.number().int(), action: z.enum(retentionActions), proposedBy: z.string(), proposedAt: z.string() }).nullable(),
});

const settingBodySchema = z.strictObject({
  retainDays: z.number().int().min(30, 'must be at least 30 days').max(100 * 365),
  action: z.enum(retentionActions),
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
      const queries = createRetentionQueries(deps.pool);
      const own = new Map((await queries.listRetentionSettingsByAuthority(principal.authorityId)).map((s) => [s.case_type, s]));
      const proposals = new Map((await queries.listRetentionProposalsByAuthority(principal.authorityId)).map((p) => [p.case_type, p]));
      const policies = caseTypes.map((caseType) => {
        const setting = own.get(caseType);
        const proposal = proposals.get(caseType);
        const fallback = findProcess(caseType).retention.defaultPolicy;
        const pending = proposal
          ? { retainDays: proposal.retain_days, action: proposal.action, proposedBy: proposal.proposed_by, proposedAt: proposal.proposed_at.toISOString() }
          : null;
        return setting
          ? {
              caseType, retainDays: setting.retain_days, action: setting.action, source: 'authority' as const, basis: fallback.basis,
              updatedBy: setting.updated_by, confirmedBy: setting.confirmed_by, pending,
            }
          : { caseType, retainDays: fallback.retainDays, action: fallback.action, source: 'default' as const, basis: fallback.basis, updatedBy: null, confirmedBy: null, pending };
      });
      return { status: 200, body: { policies } };
    },
  }),
  defineRoute({
    method: 'put',
    path: '/api/v1/admin/retention/:caseType',
    operation: 'admin.retention.propose',
    access: ['admin'],
    summary:
      "Propose how long closed cases of a type keep personal data in the caller's authority, and what happens then (anonymise or delete); it takes effect when a second admin confirms it",
    tags: ['admin'],
    request: { params: z.strictObject({ caseType: z.enum(caseTypes) }), query: z.strictObject({}), body: settingBodySchema },
    responses: {
      202: { description: 'Proposed; waits for a second admin', schema: z.object({ caseType: z.enum(caseTypes), retainDays: z.number().int(), action: z.enum(retentionActions), status: z.literal('proposed') }) },
      400: { description: 'Invalid setting' },
    },
    handler: async ({ params, body }, deps, { principal }) => {
      await withTransaction(deps.pool, async (client) => {
        await createRetentionQueries(client).upsertRetentionProposal({ authorityId: principal.authorityId, caseType: params.caseType, ...body, proposedBy: principal.subject });
        await createAuditQueries(client).insertAuditEntry({
          actor: principal.subject,
          action: 'admin.retention.propose',
          authorityId: principal.authorityId,
          detail: { caseType: params.caseType, ...body },
        });
      });
      return { status: 202, body: { caseType: params.caseType, ...body, status: 'proposed' as const } };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/admin/retention/:caseType/confirmation',
    operation: 'admin.retention.set',
    access: ['admin'],
    summary: 'Confirm the pending retention proposal as a second admin (the body repeats what is confirmed): it takes effect',
    tags: ['admin'],
    request: { params: z.strictObject({ caseType: z.enum(caseTypes) }), query: z.strictObject({}), body: settingBodySchema },
    responses: {
      200: { description: 'In force', schema: z.object({ caseType: z.enum(caseTypes), retainDays: z.number().int(), action: z.enum(retentionActions) }) },
      400: { description: 'Invalid setting' },
      403: { description: 'The caller proposed the change (four eyes)' },
      409: { description: 'No such proposal pending, or it differs from the body' },
    },
    handler: async ({ params, body }, deps, { principal }) => {
      // A refusal rolls the transaction back, so the proposal stays pending.
      const refusal = await withTransaction(deps.pool, async (client) => {
        const audit = createAuditQueries(client);
        const proposal = await createRetentionQueries(client).takeRetentionProposal(principal.authorityId, params.caseType);
        let error: AppError | undefined;
        if (!proposal || proposal.retain_days !== body.retainDays || proposal.action !== body.action) {
          error = new AppError('retention.no_such_proposal', 409, 'no pending proposal with these values: read the retention settings again');
        } else if (proposal.proposed_by === principal.subject) {
          error = new AppError('retention.four_eyes', 403, 'the admin who proposed the change may not confirm it');
        }
        if (error) throw error;
        await createRetentionQueries(client).upsertRetentionSetting({
          authorityId: principal.authorityId,
          caseType: params.caseType,
          retainDays: body.retainDays,
          action: body.action,
          updatedBy: proposal!.proposed_by,
          confirmedBy: principal.subject,
        });
        await audit.insertAuditEntry({
          actor: principal.subject,
          action: 'admin.retention.set',
          authorityId: principal.authorityId,
          detail: { caseType: params.caseType, ...body, proposedBy: proposal!.proposed_by },
        });
        return undefined;
      }).catch((error: unknown) => {
        if (error instanceof AppError) return error;
        throw error;
      });
      if (refusal) {
        await createAuditQueries(deps.pool).insertAuditEntry({
          actor: principal.subject, action: 'admin.retention.set', authorityId: principal.authorityId, outcome: 'refused', detail: { caseType: params.caseType, reason: refusal.code },
        });
        throw refusal;
      }
      return { status: 200, body: { caseType: params.caseType, ...body } };
    },
  }),
];
