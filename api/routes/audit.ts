import { z } from 'zod';
import { createAuditQueries } from '../../db/queries/audit';
import { queryInt4, text } from '../fields';
import { defineRoute } from '../route';

const auditEntrySchema = z.object({
  id: z.string(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  caseId: z.string().nullable(),
  route: z.string().nullable(),
  outcome: z.enum(['allowed', 'refused']),
  detail: z.record(z.string(), z.unknown()),
});

export const auditRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/v1/audit',
    operation: 'audit.list',
    access: ['admin'],
    summary: "The audit trail of the caller's authority, newest first (read-only: nothing can change or delete it)",
    tags: ['audit'],
    request: {
      query: z.strictObject({
        caseId: z.uuid().optional(),
        actor: text({ min: 1, max: 200, trim: false }).optional(),
        outcome: z.enum(['allowed', 'refused']).optional(),
        /** An entry id (PostgreSQL `bigint`: at most 18 digits here, so it always fits). */
        before: z.string().max(18).regex(/^\d{1,18}$/, 'must be an entry id').optional(),
        limit: queryInt4({ min: 1, max: 500 }).default(100),
      }),
    },
    responses: {
      200: { description: 'One page of entries', schema: z.object({ entries: z.array(auditEntrySchema), next: z.string().nullable() }) },
      400: { description: 'Invalid filter' },
    },
    handler: async ({ query }, deps, { principal }) => {
      const audit = createAuditQueries(deps.pool);
      const rows = await audit.listAuditEntriesByAuthority({
        authorityId: principal.authorityId,
        caseId: query.caseId,
        actor: query.actor,
        outcome: query.outcome,
        beforeId: query.before,
        limit: query.limit,
      });
      await audit.insertAuditEntry({
        actor: principal.subject,
        action: 'audit.list',
        authorityId: principal.authorityId,
        caseId: query.caseId ?? null,
        detail: { filter: { ...query } },
      });
      return {
        status: 200,
        body: {
          entries: rows.map((row) => ({
            id: String(row.id),
            at: row.at.toISOString(),
            actor: row.actor,
            action: row.action,
            caseId: row.case_id,
            route: row.route,
            outcome: row.outcome,
            detail: row.detail,
          })),
          next: rows.length === query.limit ? String(rows[rows.length - 1].id) : null,
        },
      };
    },
  }),
];
