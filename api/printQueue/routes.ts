import { z } from 'zod';
import type { Role } from '../../security/roles';
import { defineRoute } from '../route';
import { listLettersToPrint, markLetterPosted, renderLetterToPrint } from './service';

const base = '/api/v1/letters';
const tags = ['letters'];
/** Staff of a process print its letters (the case types follow from their roles); admins too. */
const printers: readonly Role[] = ['abh_clerk', 'ebh_clerk', 'admin'];
const noQuery = z.strictObject({});
const letterId = z.string().max(18).regex(/^[1-9][0-9]{0,17}$/, 'must be a letter id (a positive integer)');
const letterParamsSchema = z.strictObject({ id: letterId });

const letterViewSchema = z.object({
  id: z.string(),
  caseId: z.uuid().nullable(),
  caseType: z.string(),
  kind: z.string(),
  reference: z.string().nullable(),
  subject: z.string(),
  recipient: z.object({
    name: z.string().nullable(),
    postalAddress: z.object({ street: z.string(), postalCode: z.string(), city: z.string(), country: z.string().optional() }).nullable(),
  }),
  createdAt: z.string(),
  postedAt: z.string().nullable(),
  postedBy: z.string().nullable(),
});

/**
 * The print queue: letters to persons without an e-mail address (outbox status `to_print`) of
 * every process whose staff role the caller has, in the caller's authority; each as a PDF; and
 * the record that it was posted.
 */
export const printQueueRoutes = [
  defineRoute({
    method: 'get',
    path: `${base}/to-print`,
    operation: 'letters.print_queue.list',
    access: printers,
    summary: "Letters to print and post (persons without an e-mail address) of the caller's authority, oldest first, page by page",
    tags,
    request: { query: z.strictObject({ after: letterId.optional(), limit: z.coerce.number().int().min(1).max(200).default(50) }) },
    responses: {
      200: { description: 'One page; `next` continues (null on the last page)', schema: z.object({ items: z.array(letterViewSchema), next: z.string().nullable() }) },
      400: { description: 'Invalid cursor or limit' },
    },
    handler: async ({ query }, deps, { principal }) => ({ status: 200, body: await listLettersToPrint(deps, principal, query) }),
  }),
  defineRoute({
    method: 'get',
    path: `${base}/:id/pdf`,
    operation: 'letters.letter.download',
    access: printers,
    summary: 'The letter as a printable PDF (A4, address window; German first, then the person’s language)',
    tags,
    request: { params: letterParamsSchema, query: noQuery },
    responses: {
      200: { description: 'The PDF', contentType: 'application/pdf' },
      400: { description: 'Invalid id' },
      404: { description: "No such letter to print in the caller's authority" },
    },
    handler: async ({ params }, deps, { principal }) => {
      const { pdf, filename } = await renderLetterToPrint(deps, principal, params.id);
      return { status: 200, body: pdf, headers: { 'Content-Type': 'application/pdf', 'Content-Disposition': `attachment; filename="${filename}"` } };
    },
  }),
  defineRoute({
    method: 'post',
    path: `${base}/:id/posted`,
    operation: 'letters.letter.posted',
    access: printers,
    summary: 'Record that the printed letter was posted: it leaves the print queue',
    tags,
    request: { params: letterParamsSchema, query: noQuery, body: z.strictObject({}) },
    responses: {
      200: { description: 'Recorded', schema: letterViewSchema },
      400: { description: 'Invalid id' },
      404: { description: "No such letter to print in the caller's authority" },
      409: { description: 'Posted before' },
    },
    handler: async ({ params }, deps, { principal }) => ({ status: 200, body: await markLetterPosted(deps, principal, params.id) }),
  }),
];
