import { z } from 'zod';
import { personCorrectionSchema } from '../../domain/register/person';
import { erasePerson, exportPersonData, rectifyPerson } from '../persons/dataRights';
import { personIdParamsSchema, personRecordViewSchema } from '../persons/schemas';
import { text } from '../fields';
import { defineRoute } from '../route';

const base = '/api/v1/admin/persons';
const tags = ['admin'];

/** The data subject's rights (Art. 15, 16, 17 DSGVO), exercised by an admin of the person's authority. */
export const personDataRightsRoutes = [
  defineRoute({
    method: 'get',
    path: `${base}/:id/export`,
    operation: 'admin.person.export',
    access: ['admin'],
    summary: 'Art. 15 DSGVO: everything stored about a person — register entry, periods, facts, consents, history, cases, their letters, documents (metadata), handoffs with their notes, residence checks, outreach and audit entries — as one JSON file',
    tags,
    request: { params: personIdParamsSchema, query: z.strictObject({}) },
    responses: {
      200: { description: 'The export (a download)', schema: z.object({ format: z.string(), legalBasis: z.string(), person: z.record(z.string(), z.unknown()) }).passthrough() },
      400: { description: 'Invalid id' },
      404: { description: "No such person in the caller's authority" },
    },
    handler: async ({ params }, deps, { principal }) => ({
      status: 200,
      body: await exportPersonData(deps, principal, params.id),
      headers: { 'Content-Disposition': `attachment; filename="person-${params.id}.json"`, 'Cache-Control': 'no-store' },
    }),
  }),
  defineRoute({
    method: 'post',
    path: `${base}/:id/rectification`,
    operation: 'admin.person.rectify',
    access: ['admin'],
    summary: "Art. 16 DSGVO: correct a person's data through the register's append-only correction path (the history keeps before, after and the reason)",
    tags,
    request: {
      params: personIdParamsSchema,
      query: z.strictObject({}),
      body: z.strictObject({ expectedVersion: z.number().int().min(1).max(2_147_483_647), changes: personCorrectionSchema, reason: text({ min: 1, max: 2000 }) }),
    },
    responses: {
      200: { description: 'Corrected; the new record', schema: personRecordViewSchema },
      400: { description: 'Invalid request' },
      404: { description: "No such person in the caller's authority" },
      409: { description: 'The person changed since it was read (expectedVersion)' },
      422: { description: 'The correction changes nothing' },
    },
    handler: async ({ params, body }, deps, { principal }) => ({ status: 200, body: await rectifyPerson(deps, principal, params.id, body) }),
  }),
  defineRoute({
    method: 'post',
    path: `${base}/:id/erasure`,
    operation: 'admin.person.erase',
    access: ['admin'],
    summary:
      'Art. 17 DSGVO: erase a person where the law allows (anonymises the register entry and the closed cases); refused with the reasons while a case is open, a naturalisation was approved, or a retention period runs',
    tags,
    request: { params: personIdParamsSchema, query: z.strictObject({}), body: z.strictObject({ reason: text({ min: 1, max: 2000 }) }) },
    responses: {
      200: { description: 'Erased', schema: z.object({ personId: z.uuid(), erased: z.literal(true), casesAnonymised: z.array(z.uuid()) }) },
      400: { description: 'Invalid request' },
      404: { description: "No such person in the caller's authority" },
      409: { description: 'The data must be kept: each reason is named (errors), with its legal basis' },
    },
    handler: async ({ params, body }, deps, { principal }) => ({ status: 200, body: await erasePerson(deps, principal, params.id, body) }),
  }),
];
