import { z } from 'zod';
import { createAuditQueries } from '../../db/queries/audit';
import { createCaseQueueQueries } from '../../db/queries/caseQueue';
import { caseTypes, findProcess } from '../../processes';
import type { Role } from '../../security/roles';
import { AppError } from '../errors';
import { defineRoute } from '../route';

/** A timestamptz as PostgreSQL prints it (the page's last due key). */
const pgTimestamp = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2})?$/;

const cursorSchema = z
  .string()
  .max(400)
  .regex(/^[A-Za-z0-9_-]{1,400}$/, { message: 'must be the `next` value of a previous page', abort: true })
  .transform((value, ctx) => {
    try {
      const [due, caseId] = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as unknown[];
      if ((due === null || (typeof due === 'string' && pgTimestamp.test(due))) && typeof caseId === 'string' && z.uuid().safeParse(caseId).success) {
        return { due: due as string | null, caseId };
      }
    } catch {
      // fall through
    }
    ctx.addIssue({ code: 'custom', message: 'must be the `next` value of a previous page' });
    return z.NEVER;
  });

const queueQuerySchema = z.strictObject({
  caseType: z.enum(caseTypes, { message: `must be one of ${caseTypes.join(', ')}` }),
  stage: z.string().max(60).trim().regex(/^[a-z_]{1,60}$/, 'must be a stage name').optional(),
  waitingFor: z.string().max(60).trim().regex(/^[a-z_]{1,60}$/, 'must be a party name').optional(),
  assignee: z.string().trim().min(1).max(200).optional(),
  flag: z.string().max(60).trim().regex(/^[a-z_]{1,60}$/, 'must be a flag name').optional(),
  after: cursorSchema.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

const queueItemSchema = z.object({
  id: z.uuid(),
  caseType: z.string(),
  reference: z.string().nullable(),
  stage: z.string(),
  waitingFor: z.string().nullable(),
  due: z.string().nullable(),
  flags: z.array(z.string()),
  assignee: z.string().nullable(),
  team: z.string(),
});

/**
 * The work queue of every process, from the projections alone: the process's open cases
 * (its final stages from the list of processes), nearest due date first. A caller sees the
 * queue of a process only with one of its staff roles (or admin).
 */
export const caseQueueRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/v1/queue',
    operation: 'queue.list',
    access: ['abh_clerk', 'ebh_clerk', 'admin'],
    summary: "The open cases of one process of the caller's authority, nearest due date first, page by page",
    tags: ['queue'],
    request: { query: queueQuerySchema },
    responses: {
      200: { description: 'One page; `next` continues (null on the last page)', schema: z.object({ items: z.array(queueItemSchema), next: z.string().nullable() }) },
      400: { description: 'Invalid filter, limit or cursor; each bad parameter is named' },
      403: { description: "The caller's roles do not cover this process" },
    },
    handler: async ({ query }, deps, { principal }) => {
      const process = findProcess(query.caseType);
      const allowed: readonly Role[] = [...(process.staffRoles ?? []), 'admin'];
      const audit = createAuditQueries(deps.pool);
      const { after, ...filter } = query;
      if (!principal.roles.some((role) => allowed.includes(role))) {
        await audit.insertAuditEntry({ actor: principal.subject, action: 'queue.list', authorityId: principal.authorityId, outcome: 'refused', detail: { filter, reason: 'role' } });
        throw new AppError('auth.forbidden', 403, `the ${query.caseType} queue needs one of the roles: ${allowed.join(', ')}`);
      }
      const rows = await createCaseQueueQueries(deps.pool).listOpenCasesByDue({
        authorityId: principal.authorityId,
        caseType: query.caseType,
        finalStages: process.finalStages,
        stage: query.stage,
        waitingFor: query.waitingFor,
        assignee: query.assignee,
        flag: query.flag,
        after,
        limit: query.limit + 1,
      });
      const page = rows.slice(0, query.limit);
      const last = page[page.length - 1];
      await audit.insertAuditEntry({ actor: principal.subject, action: 'queue.list', authorityId: principal.authorityId, detail: { filter, continued: after !== undefined, count: page.length } });
      return {
        status: 200,
        body: {
          items: page.map((row) => ({
            id: row.case_id,
            caseType: query.caseType,
            reference: row.reference,
            stage: row.stage,
            waitingFor: row.waiting_for,
            due: row.next_due_at ? row.next_due_at.toISOString() : null,
            flags: row.flags,
            assignee: row.assignee,
            team: row.team,
          })),
          next: rows.length > query.limit && last ? Buffer.from(JSON.stringify([last.due_key, last.case_id])).toString('base64url') : null,
        },
      };
    },
  }),
];
