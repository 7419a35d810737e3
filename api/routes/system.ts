import { z } from 'zod';
import { createHealthQueries } from '../../db/queries/health';
import { defineRoute } from '../route';

const checkSchema = z.object({ status: z.enum(['ok', 'failing']), error: z.string().optional() });
const healthSchema = z.object({
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
    summary: 'Health of the API and the three parts it runs on: PostgreSQL, Temporal, SMTP',
    tags: ['system'],
    request: { query: z.strictObject({}) },
    responses: {
      200: { description: 'All parts answer', schema: healthSchema },
      503: { description: 'At least one part does not answer', schema: healthSchema, contentType: 'application/json' },
    },
    handler: async (_input, deps) => {
      const [database, temporal, smtp] = await Promise.all([
        check(() => createHealthQueries(deps.pool).pingDatabase()),
        check(() => deps.temporal.workflowService.getSystemInfo({})),
        check(() => deps.mailer.verify()),
      ]);
      const ok = [database, temporal, smtp].every((c) => c.status === 'ok');
      return { status: ok ? 200 : 503, body: { status: ok ? 'ok' : 'degraded', checks: { database, temporal, smtp } } };
    },
  }),
];
