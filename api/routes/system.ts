import { z } from 'zod';
import { createHealthQueries } from '../../db/queries/health';
import { createAuditQueries } from '../../db/queries/audit';
import { defineRoute } from '../route';

const checkSchema = z.object({ status: z.enum(['ok', 'failing']), error: z.string().optional() });
const detailsSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  checks: z.object({ database: checkSchema, temporal: checkSchema, smtp: checkSchema }),
});

async function check(probe: () => Promise<unknown>): Promise<z.infer<typeof checkSchema>> {
  try {
    await Promise.race([probe(), new Promise((_, reject) => setTimeout(() => reject(new Error('timed out after 5 s')), 5_000).unref())]);
    return { status: 'ok' };
  } catch (error) {
    return { status: 'failing', error: (error as Error).message };
  }
}

export const systemRoutes = [
  defineRoute({
    method: 'get',
    path: '/health',
    operation: 'system.health',
    access: 'public',
    summary: 'Liveness: the API process answers. It touches no dependency (details: /health/details, for admins)',
    tags: ['system'],
    request: { query: z.strictObject({}) },
    responses: { 200: { description: 'The API answers', schema: z.object({ status: z.literal('ok') }) } },
    handler: async () => ({ status: 200, body: { status: 'ok' } }),
  }),
  defineRoute({
    method: 'get',
    path: '/health/details',
    operation: 'system.health.details',
    access: ['admin'],
    summary: 'Health of the parts the API runs on — PostgreSQL, Temporal, SMTP — with their error texts',
    tags: ['system'],
    request: { query: z.strictObject({}) },
    responses: {
      200: { description: 'All parts answer', schema: detailsSchema },
      503: { description: 'At least one part does not answer', schema: detailsSchema, contentType: 'application/json' },
    },
    handler: async (_input, deps, { principal }) => {
      const [database, temporal, smtp] = await Promise.all([
        check(() => createHealthQueries(deps.pool).pingDatabase()),
        check(() => deps.temporal.workflowService.getSystemInfo({})),
        check(() => deps.mailer.verify()),
      ]);
      await createAuditQueries(deps.pool)
        .insertAuditEntry({ actor: principal.subject, action: 'system.health.details', authorityId: principal.authorityId })
        .catch(() => undefined);
      const ok = [database, temporal, smtp].every((c) => c.status === 'ok');
      return { status: ok ? 200 : 503, body: { status: ok ? 'ok' : 'degraded', checks: { database, temporal, smtp } } };
    },
  }),
];
