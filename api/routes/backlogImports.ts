import { z } from 'zod';
import { createBacklogImportQueries } from '../../db/queries/backlogImports';
import {
  createBacklogImport,
  csvContentTypes,
  decodeCsvBody,
  defaultBacklogImportSettings,
  findImportJobForCaller,
  toImportJobView,
  type BacklogImportSettings,
} from '../naturalisation/backlogImportService';
import { idempotencyHeadersSchema } from '../naturalisation/schemas';
import { queryInt4 } from '../fields';
import { defineRoute } from '../route';

const base = '/api/v1/naturalisation/imports';
const tags = ['naturalisation'];

const importJobViewSchema = z.object({
  id: z.uuid(),
  status: z.enum(['pending', 'running', 'completed', 'failed']),
  total: z.number().int(),
  processed: z.number().int(),
  accepted: z.number().int(),
  rejected: z.number().int(),
  percent: z.number().int(),
  createdBy: z.string(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  rowsPerSecond: z.number(),
  estimatedSecondsRemaining: z.number().int().nullable(),
});

const issueSchema = z.object({ path: z.string(), message: z.string(), code: z.string().optional() });

/** A rejected row: where it is in the file and why; no personal data but the reference. */
const rejectionSchema = z.object({
  /** 1 = the first row after the header. */
  row: z.number().int(),
  /** The line of the file the row starts on (the header is line 1). */
  line: z.number().int(),
  reference: z.string().nullable(),
  reason: z.string(),
  /** Field paths are column names (`date_of_birth`), or `row` for the row as a whole. */
  issues: z.array(issueSchema),
});

const jobIdParamsSchema = z.strictObject({ id: z.uuid({ message: 'must be an import id (UUID)' }) });

/** Backlog imports from CSV: the upload, its progress, and its report of rejected rows. */
export function createBacklogImportRoutes(settings: BacklogImportSettings = defaultBacklogImportSettings) {
  return [
    defineRoute({
      method: 'post',
      path: base,
      operation: 'naturalisation.import.create',
      access: ['ebh_clerk'],
      summary:
        'Import backlog applications from a CSV file (Content-Type: text/csv; columns reference, given_names, family_name, ' +
        'date_of_birth, email, preferred_language, filed_on): stores the rows and starts the import, which runs in the background',
      tags,
      upload: { contentTypes: csvContentTypes, maxBytes: settings.maxBytes },
      request: { headers: idempotencyHeadersSchema, query: z.strictObject({}) },
      responses: {
        202: { description: 'Import started; follow its progress at the Location', schema: importJobViewSchema },
        200: { description: 'Already uploaded under this Idempotency-Key', schema: importJobViewSchema },
        400: { description: 'Not readable as CSV, or a missing, unknown or repeated column; each is named' },
        413: { description: `Larger than ${settings.maxBytes / 1024 / 1024} MiB` },
        415: { description: 'Not text/csv, or an unknown charset' },
        422: { description: 'Idempotency-Key reused for a different file' },
      },
      handler: async ({ headers, body }, deps, { req, principal }) => {
        const text = decodeCsvBody(body as unknown as Buffer, req.headers['content-type']);
        const { created, job } = await createBacklogImport(deps, principal, text, headers['idempotency-key'], settings);
        return { status: created ? 202 : 200, body: toImportJobView(job, deps.clock()), headers: { Location: `${base}/${job.id}` } };
      },
    }),
    defineRoute({
      method: 'get',
      path: `${base}/:id`,
      operation: 'naturalisation.import.view',
      access: ['ebh_clerk'],
      summary: 'Progress of a backlog import: rows processed, accepted and rejected, rate and time remaining',
      tags,
      request: { params: jobIdParamsSchema, query: z.strictObject({}) },
      responses: {
        200: { description: 'The import', schema: importJobViewSchema },
        400: { description: 'Invalid id' },
        404: { description: 'No such import' },
      },
      handler: async ({ params }, deps, { principal }) => {
        const job = await findImportJobForCaller(deps, principal, params.id, 'naturalisation.import.view');
        return { status: 200, body: toImportJobView(job, deps.clock()) };
      },
    }),
    defineRoute({
      method: 'get',
      path: `${base}/:id/rejections`,
      operation: 'naturalisation.import.rejections',
      access: ['ebh_clerk'],
      summary: 'The rejected rows of a backlog import, by row number, each with its reasons',
      tags,
      request: {
        params: jobIdParamsSchema,
        query: z.strictObject({
          after: queryInt4({ min: 0 }).optional(),
          limit: queryInt4({ min: 1, max: 1000 }).default(100),
        }),
      },
      responses: {
        200: {
          description: 'One page of rejected rows; `next` continues the listing (null on the last page)',
          schema: z.object({ jobId: z.uuid(), items: z.array(rejectionSchema), next: z.string().nullable() }),
        },
        400: { description: 'Invalid id or query' },
        404: { description: 'No such import' },
      },
      handler: async ({ params, query }, deps, { principal }) => {
        const job = await findImportJobForCaller(deps, principal, params.id, 'naturalisation.import.rejections');
        const rows = await createBacklogImportQueries(deps.pool).listRejectedImportRows({
          jobId: job.id,
          authorityId: principal.authorityId,
          afterRow: query.after,
          limit: query.limit + 1,
        });
        const page = rows.slice(0, query.limit);
        return {
          status: 200,
          body: {
            jobId: job.id,
            items: page.map((row) => ({ row: row.row_number, line: row.line, reference: row.reference, reason: row.reason, issues: row.issues })),
            next: rows.length > query.limit ? String(page[page.length - 1].row_number) : null,
          },
        };
      },
    }),
  ];
}

export const backlogImportRoutes = createBacklogImportRoutes();
