import { z } from 'zod';
import { defineRoute } from '../route';
import {
  completeCheckUpdate,
  extendDocumentDeadlineUpdate,
  reassignUpdate,
  recordDocumentsUpdate,
  recordHandoverUpdate,
  recordInquiryAnswerUpdate,
  resumeUpdate,
  scheduleAppointmentUpdate,
  suspendUpdate,
} from '../../workflows/naturalisationDefinitions';
import { performClerkAction, readApplicationView, registerApplication } from '../naturalisation/applicationService';
import { confirmDecision, recordDecision } from '../naturalisation/decisionService';
import { reissueAccessCode, revokeAccessCode } from '../naturalisation/accessCodeService';
import {
  applicationIdParamsSchema,
  applicationViewSchema,
  createApplicationBodySchema,
  idempotencyHeadersSchema,
  recordDecisionBodySchema,
  appointmentBodySchema,
  completeCheckBodySchema,
  confirmDecisionBodySchema,
  extendDeadlineBodySchema,
  handoverBodySchema,
  inquiryAnswerBodySchema,
  reassignBodySchema,
  recordDocumentsBodySchema,
  resumeBodySchema,
  suspendBodySchema,
} from '../naturalisation/schemas';

const base = '/api/v1/naturalisation/applications';

const actionResponses = {
  200: { description: 'Done; the new state', schema: applicationViewSchema },
  400: { description: 'Invalid request; each bad field is named' },
  404: { description: 'No such application in your authority' },
  409: { description: 'Not possible in the current stage, or the case changed since it was read (expectedVersion)' },
  422: { description: 'An invalid value (e.g. a deadline in the past, a fee outside the range)' },
};

/** Clerk actions: each one update of the case's workflow, validated there against the stage. */
const clerkActions = [
  {
    path: 'completeness-check',
    operation: 'naturalisation.completeness.check',
    summary: 'Record the document checklist; complete → inquiries to other agencies, else a document request with a deadline',
    body: completeCheckBodySchema,
    update: completeCheckUpdate,
  },
  {
    path: 'documents',
    operation: 'naturalisation.documents.record',
    summary: 'Record documents received; once complete, the inquiries start',
    body: recordDocumentsBodySchema,
    update: recordDocumentsUpdate,
  },
  {
    path: 'document-deadline',
    operation: 'naturalisation.documents.extend',
    summary: 'Extend the deadline for requested documents',
    body: extendDeadlineBodySchema,
    update: extendDocumentDeadlineUpdate,
  },
  {
    path: 'inquiry-answers',
    operation: 'naturalisation.inquiry.answer',
    summary: 'Record the answer to the security inquiry (§ 37 Abs. 5 StAG) or the federal register extract (§ 41 BZRG)',
    body: inquiryAnswerBodySchema,
    update: recordInquiryAnswerUpdate,
  },
  {
    path: 'appointment',
    operation: 'naturalisation.certificate.schedule',
    summary: 'Schedule the handover of the naturalisation certificate (invites the applicant)',
    body: appointmentBodySchema,
    update: scheduleAppointmentUpdate,
  },
  {
    path: 'handover',
    operation: 'naturalisation.certificate.handover',
    summary: 'Record the handover of the certificate: the naturalisation takes effect (§ 16 StAG)',
    body: handoverBodySchema,
    update: recordHandoverUpdate,
  },
  {
    path: 'suspension',
    operation: 'naturalisation.suspend',
    summary: 'Suspend the procedure (e.g. a pending criminal investigation, § 12a Abs. 3 StAG)',
    body: suspendBodySchema,
    update: suspendUpdate,
  },
  {
    path: 'resumption',
    operation: 'naturalisation.resume',
    summary: 'Resume a suspended procedure',
    body: resumeBodySchema,
    update: resumeUpdate,
  },
  {
    path: 'assignment',
    operation: 'naturalisation.reassign',
    summary: 'Assign the case to a clerk (their e-mail address receives its deadline warnings) or a team',
    body: reassignBodySchema,
    update: reassignUpdate,
  },
] as const;
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
    operation: 'naturalisation.decision.propose',
    access: ['ebh_clerk'],
    summary:
      'Propose the decision (approve, refuse, withdrawn) with its reason; the fee follows § 38 Abs. 2 StAG. It takes effect when a second clerk confirms it (four eyes)',
    tags,
    request: { params: applicationIdParamsSchema, body: recordDecisionBodySchema, query: z.strictObject({}) },
    responses: { ...actionResponses, 403: { description: 'The caller recorded an agency answer on the case (four eyes)' } },
    handler: async ({ params, body }, deps, { principal }) => ({
      status: 200,
      body: await recordDecision(deps, principal, params.id, body),
    }),
  }),
  defineRoute({
    method: 'post',
    path: `${base}/:id/decision/confirmation`,
    operation: 'naturalisation.decision.confirm',
    access: ['ebh_clerk'],
    summary: 'Confirm the proposed decision as a second clerk (not the proposer, not who recorded an agency answer): it takes effect',
    tags,
    request: { params: applicationIdParamsSchema, body: confirmDecisionBodySchema, query: z.strictObject({}) },
    responses: { ...actionResponses, 403: { description: 'The caller proposed the decision or recorded an agency answer (four eyes)' } },
    handler: async ({ params, body }, deps, { principal }) => ({
      status: 200,
      body: await confirmDecision(deps, principal, params.id, body),
    }),
  }),
  ...clerkActions.map((action) =>
    defineRoute({
      method: 'post',
      path: `${base}/:id/${action.path}`,
      operation: action.operation,
      access: ['ebh_clerk'],
      summary: action.summary,
      tags,
      request: { params: applicationIdParamsSchema, body: action.body, query: z.strictObject({}) },
      responses: actionResponses,
      handler: async ({ params, body }, deps, { principal }) => ({
        status: 200,
        body: await performClerkAction(deps, principal, params.id, action.operation, action.update as never, {
          ...(body as object),
          actor: principal.subject,
        } as never),
      }),
    }),
  ),
  defineRoute({
    method: 'post',
    path: `${base}/:id/access-code`,
    operation: 'naturalisation.access_code.reissue',
    access: ['ebh_clerk'],
    summary: "Issue a new access code for the applicant's status lookup and send it by letter; the old code stops working at once",
    tags,
    request: { params: applicationIdParamsSchema, body: resumeBodySchema, query: z.strictObject({}) },
    responses: actionResponses,
    handler: async ({ params, body }, deps, { principal }) => ({ status: 200, body: await reissueAccessCode(deps, principal, params.id, body) }),
  }),
  defineRoute({
    method: 'post',
    path: `${base}/:id/access-code/revocation`,
    operation: 'naturalisation.access_code.revoke',
    access: ['ebh_clerk'],
    summary: "Revoke the applicant's access code (e.g. it was disclosed): no code opens the case until a new one is issued",
    tags,
    request: { params: applicationIdParamsSchema, body: z.strictObject({}), query: z.strictObject({}) },
    responses: {
      200: { description: 'Revoked', schema: z.object({ revoked: z.literal(true) }) },
      400: { description: 'Invalid id' },
      404: { description: 'No such application in your authority' },
    },
    handler: async ({ params }, deps, { principal }) => ({ status: 200, body: await revokeAccessCode(deps, principal, params.id) }),
  }),
];
