import { z } from 'zod';
import { createPersonImportQueries } from '../../db/queries/personImports';
import { idempotencyHeadersSchema } from '../naturalisation/schemas';
import { defineRoute } from '../route';
import { createPersonImport, defaultPersonImportSettings, findPersonImportForCaller, toPersonImportView } from './importService';
import { ensurePersonImportRunning } from './importRunner';

const base = '/api/v1/persons/imports';
const tags = ['register'];

const importViewSchema = z.object({
  id: z.uuid(),
  kind: z.enum(['persons', 'residence_periods']),
  status: z.enum(['pending', 'running', 'completed', 'failed']),
  total: z.number().int(),
  processed: z.number().int(),
  /** Rows that created or changed something (each change a revision with source `import`). */
  accepted: z.number().int(),
  /** Rows identical to what the register holds: nothing written. */
  unchanged: z.number().int(),
  rejected: z.number().int(),
  percent: z.number().int(),
  failure: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  rowsPerSecond: z.number(),
});

const rejectionSchema = z.object({
  /** 1 = the first row after the header. */
  row: z.number().int(),
  /** The line of the file the row starts on (the header is line 1). */
  line: z.number().int(),
  fileNumber: z.string().nullable(),
  reason: z.string(),
  /** Paths are column names (`date_of_birth`), or `row` for the row as a whole. */
  issues: z.array(z.object({ path: z.string(), message: z.string() })),
});

const jobIdParamsSchema = z.strictObject({ id: z.uuid({ message: 'must be an import id (UUID)' }) });
const settings = defaultPersonImportSettings;

/** Bulk loads of the register from CSV: the upload, its progress, and its rejected rows. */
export const personImportRoutes = [
  defineRoute({
    method: 'post',
    path: base,
    operation: 'register.import.create',
    access: ['abh_clerk', 'ebh_clerk'],
    summary:
      'Load persons (kind=persons) or their residence periods (kind=residence_periods) from a CSV file (Content-Type: text/csv; the column sets are in the README): ' +
      'checks and stores the rows, then merges them in the background — idempotent per file number',
    tags,
    upload: { contentTypes: ['text/csv', 'application/csv'], maxBytes: settings.maxBytes },
    request: { headers: idempotencyHeadersSchema, query: z.strictObject({ kind: z.enum(['persons', 'residence_periods']) }) },
    responses: {
      202: { description: 'Stored; follow the progress at the Location', schema: importViewSchema },
      200: { description: 'Already uploaded under this Idempotency-Key', schema: importViewSchema },
      400: { description: 'Not readable as CSV, or a missing, unknown or repeated column; each is named' },
      413: { description: `Larger than ${settings.maxBytes / 1024 / 1024} MiB` },
      415: { description: 'Not text/csv, or an unsupported charset' },
      422: { description: 'Idempotency-Key reused for a different file' },
    },
    handler: async ({ headers, query, body }, deps, { req, principal }) => {
      const { created, job } = await createPersonImport(deps, principal, query.kind, body as unknown as Buffer, req.headers['content-type'], headers['idempotency-key']);
      return { status: created ? 202 : 200, body: toPersonImportView(job, deps.clock()), headers: { Location: `${base}/${job.id}` } };
    },
  }),
  defineRoute({
    method: 'get',
    path: `${base}/:id`,
    operation: 'register.import.view',
    access: ['abh_clerk', 'ebh_clerk', 'admin'],
    summary: 'Progress of a register import: rows processed, accepted, unchanged and rejected',
    tags,
    request: { params: jobIdParamsSchema, query: z.strictObject({}) },
    responses: { 200: { description: 'The import', schema: importViewSchema }, 400: { description: 'Invalid id' }, 404: { description: 'No such import' } },
    handler: async ({ params }, deps, { principal }) => {
      const job = await findPersonImportForCaller(deps, principal, params.id, 'register.import.view');
      // An import left unfinished by a stopped process continues when someone looks at it.
      if (job.status === 'pending' || job.status === 'running') void ensurePersonImportRunning(deps, job.id, settings);
      return { status: 200, body: toPersonImportView(job, deps.clock()) };
    },
  }),
  defineRoute({
    method: 'get',
    path: `${base}/:id/rejections`,
    operation: 'register.import.rejections',
    access: ['abh_clerk', 'ebh_clerk', 'admin'],
    summary: 'The rejected rows of a register import, by row number, each with its reasons',
    tags,
    request: {
      params: jobIdParamsSchema,
      query: z.strictObject({ after: z.coerce.number().int().min(0).max(2_147_483_647).optional(), limit: z.coerce.number().int().min(1).max(1000).default(100) }),
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
      const job = await findPersonImportForCaller(deps, principal, params.id, 'register.import.rejections');
      const rows = await createPersonImportQueries(deps.pool).listRejectionsByJob({ jobId: job.id, authorityId: principal.authorityId, afterRow: query.after, limit: query.limit + 1 });
      const page = rows.slice(0, query.limit);
      return {
        status: 200,
        body: {
          jobId: job.id,
          items: page.map((r) => ({ row: r.rowNumber, line: r.line, fileNumber: r.fileNumber, reason: r.reason, issues: r.issues })),
          next: rows.length > query.limit ? String(page[page.length - 1].rowNumber) : null,
        },
      };
    },
  }),
];
