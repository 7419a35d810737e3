import { z } from 'zod';
import { createAuditQueries } from '../../db/queries/audit';
import { createWorkQueueQueries, type WorkQueuePosition, type WorkQueueSort } from '../../db/queries/workQueue';
import { toBerlinLocalDate } from '../../domain/calendar/berlinTime';
import { daysBetween } from '../../domain/calendar/localDate';
import { naturalisationStages, type NaturalisationFlag, type WaitingFor } from '../../domain/naturalisation/stages';
import { isoDateSchema } from '../naturalisation/schemas';
import { calendarDate, queryInt4, text } from '../fields';
import { defineRoute } from '../route';

// The domain declares flags and parties as types; these lists must name every one of them (the
// two checks below fail to compile when a new one is added there and not here).
const naturalisationFlags = [
  'inaction_warning_sent',
  'lawsuit_possible',
  'documents_outdated',
  'document_deadline_expired',
  'inquiry_overdue',
  'facts_changed',
  'handoff_reported',
] as const satisfies readonly NaturalisationFlag[];
const waitingParties = ['authority', 'applicant', 'other_agency'] as const satisfies readonly NonNullable<WaitingFor>[];
const everyFlagListed: [Exclude<NaturalisationFlag, (typeof naturalisationFlags)[number]>] extends [never] ? true : never = true;
const everyPartyListed: [Exclude<NonNullable<WaitingFor>, (typeof waitingParties)[number]>] extends [never] ? true : never = true;
void everyFlagListed;
void everyPartyListed;

/**
 * The position after a page, handed to clients as an opaque base64url token: the sort it
 * belongs to, the last case's sort key and its id.
 */
const cursorPayloadSchema = z
  .strictObject({
    v: z.literal(1),
    s: z.enum(['age', 'due']),
    k: z.string().max(64).nullable(),
    id: z.uuid(),
  })
  // The key goes to PostgreSQL as a date (age) or a timestamptz (due): a forged cursor must not
  // carry anything else there.
  .refine((cursor) => cursor.k === null || (cursor.s === 'age' ? calendarDate.safeParse(cursor.k).success : isTimestampKey(cursor.k)));

/** A timestamptz as PostgreSQL prints it (`2026-11-26 12:55:45.793491+00`), in the API's date range. */
function isTimestampKey(key: string): boolean {
  const match = /^(\d{4}-\d{2}-\d{2}) ([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,6})?[+-]\d{2}(:\d{2})?$/.exec(key);
  return match !== null && calendarDate.safeParse(match[1]).success;
}

export function encodeQueueCursor(sort: WorkQueueSort, position: WorkQueuePosition): string {
  return Buffer.from(JSON.stringify({ v: 1, s: sort, k: position.key, id: position.caseId })).toString('base64url');
}

const cursorSchema = z
  .string()
  .max(400)
  .regex(/^[A-Za-z0-9_-]{1,400}$/, { message: 'must be the `next` value of a previous page', abort: true })
  .transform((value, ctx) => {
    let payload: unknown;
    try {
      payload = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
    } catch {
      payload = undefined;
    }
    const parsed = cursorPayloadSchema.safeParse(payload);
    if (!parsed.success) {
      ctx.addIssue({ code: 'custom', message: 'must be the `next` value of a previous page' });
      return z.NEVER;
    }
    return { sort: parsed.data.s, position: { key: parsed.data.k, caseId: parsed.data.id } };
  });

const queueQuerySchema = z
  .strictObject({
    team: text({ min: 1, max: 100 }).optional(),
    stage: z.enum(naturalisationStages).optional(),
    waitingFor: z.enum(waitingParties).optional(),
    assignee: text({ min: 1, max: 200 }).optional(),
    flag: z.enum(naturalisationFlags).optional(),
    /** `age`: oldest filing first; `due`: nearest due date first, cases without one last. */
    sort: z.enum(['age', 'due']).default('age'),
    after: cursorSchema.optional(),
    limit: queryInt4({ min: 1, max: 200 }).default(50),
  })
  .superRefine((query, ctx) => {
    if (query.after && query.after.sort !== query.sort) {
      ctx.addIssue({ code: 'custom', path: ['after'], message: `belongs to a listing sorted by ${query.after.sort}, not ${query.sort}` });
    }
  });

/** A queue entry: what a clerk needs to pick the next case, and no personal data but the reference. */
const queueItemSchema = z.object({
  id: z.uuid(),
  reference: z.string(),
  stage: z.string(),
  waitingFor: z.string().nullable(),
  filedOn: isoDateSchema.nullable(),
  /** Whole days since filing, in German legal time, as of the request. */
  ageDays: z.number().int().nullable(),
  nextDueAt: z.string().nullable(),
  assignee: z.string().nullable(),
  team: z.string(),
  flags: z.array(z.string()),
  suspended: z.boolean(),
});

export const workQueueRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/v1/naturalisation/queue',
    operation: 'naturalisation.queue.list',
    access: ['ebh_clerk'],
    summary: "The work queue of the caller's authority: naturalisation cases filtered and sorted by age or due date, page by page",
    tags: ['naturalisation'],
    request: { query: queueQuerySchema },
    responses: {
      200: {
        description: 'One page of cases; `next` continues the listing (null on the last page)',
        schema: z.object({ items: z.array(queueItemSchema), next: z.string().nullable() }),
      },
      400: { description: 'Invalid filter, sort, limit or cursor; each bad parameter is named' },
    },
    handler: async ({ query }, deps, { principal }) => {
      // One more than asked tells whether another page follows.
      const rows = await createWorkQueueQueries(deps.pool).listNaturalisationQueue({
        authorityId: principal.authorityId,
        team: query.team,
        stage: query.stage,
        waitingFor: query.waitingFor,
        assignee: query.assignee,
        flag: query.flag,
        sort: query.sort,
        after: query.after?.position,
        limit: query.limit + 1,
      });
      const page = rows.slice(0, query.limit);
      const last = page[page.length - 1];
      const today = toBerlinLocalDate(deps.clock().getTime());
      const { after, ...filter } = query;
      await createAuditQueries(deps.pool).insertAuditEntry({
        actor: principal.subject,
        action: 'naturalisation.queue.list',
        authorityId: principal.authorityId,
        detail: { filter, continued: after !== undefined, count: page.length },
      });
      return {
        status: 200,
        body: {
          items: page.map((row) => ({
            id: row.case_id,
            reference: row.reference,
            stage: row.stage,
            waitingFor: row.waiting_for,
            filedOn: row.filed_on,
            ageDays: row.filed_on ? daysBetween(row.filed_on, today) : null,
            nextDueAt: row.next_due_at ? row.next_due_at.toISOString() : null,
            assignee: row.assignee,
            team: row.team,
            flags: row.flags,
            suspended: row.suspended,
          })),
          next: rows.length > query.limit && last ? encodeQueueCursor(query.sort, { key: last.sort_key, caseId: last.case_id }) : null,
        },
      };
    },
  }),
];
