import { z } from 'zod';
import { defineRoute } from '../route';
import {
  readApplicationView,
  recordDecision,
  registerApplication,
} from '../naturalisation/applicationService';
import {
  applicationIdParamsSchema,
  applicationViewSchema,
  createApplicationBodySchema,
  idempotencyHeadersSchema,
  recordDecisionBodySchema,
} from '../naturalisation/schemas';

const base = '/api/v1/naturalisation/applications';
const tags = ['naturalisation'];

export const naturalisationApplicationRoutes = [
  defineRoute({
    method: 'post',
    path: base,
    operation: 'naturalisation.application.create',
    access: ['ebh_clerk'],
    summary: 'Register a naturalisation application and start its procedure',
    tags,
    request: { body: createApplicationBodySchema, headers: idempotencyHeadersSchema, query: z.strictObject({}) },
    responses: {
      201: { description: 'Registered', schema: applicationViewSchema },
      200: { description: 'Already registered under this Idempotency-Key', schema: applicationViewSchema },
      400: { description: 'Invalid request; each bad field is named' },
      422: { description: 'Idempotency-Key reused for a different request' },
    },
    handler: async ({ body, headers }, deps, { principal }) => {
      const { created, view } = await registerApplication(deps, principal, body, headers['idempotency-key']);
      return { status: created ? 201 : 200, body: view, headers: { Location: `${base}/${view.id}` } };
    },
  }),
  defineRoute({
    method: 'get',
    path: `${base}/:id`,
    operation: 'naturalisation.application.view',
    access: ['ebh_clerk'],
    summary: 'Status and deadlines of a naturalisation application',
    tags,
    request: { params: applicationIdParamsSchema, query: z.strictObject({}) },
    responses: {
      200: { description: 'The application', schema: applicationViewSchema },
      400: { description: 'Invalid id' },
      404: { description: 'No such application' },
    },
    handler: async ({ params }, deps, { principal }) => ({ status: 200, body: await readApplicationView(deps, principal, params.id) }),
  }),
  defineRoute({
    method: 'post',
    path: `${base}/:id/decision`,
    operation: 'naturalisation.decision.record',
    access: ['ebh_clerk'],
    summary: 'Record the decision on an application (stops the § 75 VwGO clock)',
    tags,
    request: { params: applicationIdParamsSchema, body: recordDecisionBodySchema, query: z.strictObject({}) },
    responses: {
      200: { description: 'Decision recorded; the new state', schema: applicationViewSchema },
      400: { description: 'Invalid request' },
      404: { description: 'No such application' },
      409: { description: 'Already decided, or the case changed since the clerk read it' },
      422: { description: 'The decision is not allowed' },
    },
    handler: async ({ params, body }, deps, { principal }) => ({
      status: 200,
      body: await recordDecision(deps, principal, params.id, body),
    }),
  }),
];
