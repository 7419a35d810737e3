import { z } from 'zod';
import type { Role } from '../../security/roles';
import { acceptHandoffUpdate, closeHandoffUpdate, declineHandoffUpdate, recordOutcomeUpdate, recordPhaseUpdate } from '../../workflows/handoffDefinitions';
import { defineRoute } from '../route';
import { listConsents, recordConsent, withdrawConsent } from './consentService';
import {
  closeBodySchema,
  consentBodySchema,
  consentParamsSchema,
  consentViewSchema,
  createHandoffBodySchema,
  declineBodySchema,
  figuresQuerySchema,
  figuresViewSchema,
  gapBodySchema,
  handoffParamsSchema,
  handoffViewSchema,
  outcomeBodySchema,
  personConsentParamsSchema,
  phaseBodySchema,
  withdrawalBodySchema,
} from './schemas';
import { actOnHandoff, createHandoffByClerk, listTeamHandoffs, readHandoff, readHandoffFigures, recordGap } from './service';

const tags = ['handoffs'];
const clerks: readonly Role[] = ['abh_clerk', 'ebh_clerk'];
const caseManagers: readonly Role[] = ['case_manager'];
const base = '/api/v1/handoffs';

const actionResponses = {
  200: { description: 'The handoff after the action', schema: handoffViewSchema },
  400: { description: 'Invalid input; each field named, nothing changed' },
  404: { description: "No such handoff for the caller's team" },
  409: { description: 'The handoff is in a stage that does not allow this action' },
  422: { description: 'The request breaks a rule of the handoff' },
} as const;

function caseManagerAction<B extends z.ZodType>(path: string, operation: string, summary: string, body: B, run: (deps: Parameters<typeof actOnHandoff>[0], principal: Parameters<typeof actOnHandoff>[1], id: string, body: z.infer<B>) => Promise<unknown>) {
  return defineRoute({
    method: 'post',
    path: `${base}/:id/${path}`,
    operation,
    access: caseManagers,
    summary,
    tags,
    request: { params: handoffParamsSchema, body },
    responses: actionResponses,
    handler: async ({ params, body: parsed }, deps, { principal }) => ({ status: 200, body: await run(deps, principal, params.id, parsed) }),
  });
}

export const handoffRoutes = [
  defineRoute({
    method: 'post',
    path: '/api/v1/persons/:id/consents',
    operation: 'handoff.consent.record',
    access: clerks,
    summary: "Record a person's consent to hand data to case management (purpose, recipients, data categories, validity, the signed form's reference)",
    tags,
    request: { params: personConsentParamsSchema, body: consentBodySchema },
    responses: { 201: { description: 'Recorded', schema: consentViewSchema }, 400: { description: 'Invalid input' }, 404: { description: "No such person in the caller's authority" } },
    handler: async ({ params, body }, deps, { principal }) => ({ status: 201, body: await recordConsent(deps, principal, params.id, body) }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/persons/:id/consents',
    operation: 'handoff.consent.list',
    access: clerks,
    summary: "A person's consents, withdrawn ones included",
    tags,
    request: { params: personConsentParamsSchema },
    responses: { 200: { description: 'The consents', schema: z.object({ items: z.array(consentViewSchema) }) }, 404: { description: "No such person in the caller's authority" } },
    handler: async ({ params }, deps, { principal }) => ({ status: 200, body: { items: await listConsents(deps, principal, params.id) } }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/persons/:id/consents/:consentId/withdrawal',
    operation: 'handoff.consent.withdraw',
    access: clerks,
    summary: 'Withdraw a consent (Art. 7 Abs. 3 DSGVO): running handoffs of the person end at once',
    tags,
    request: { params: consentParamsSchema, body: withdrawalBodySchema },
    responses: {
      200: { description: 'Withdrawn; the running handoffs told', schema: z.object({ consent: consentViewSchema, stoppedHandoffs: z.array(z.string()) }) },
      400: { description: 'Invalid input' },
      404: { description: 'No such consent of the person' },
      409: { description: 'Already withdrawn' },
    },
    handler: async ({ params, body }, deps, { principal }) => ({ status: 200, body: await withdrawConsent(deps, principal, params.id, params.consentId, body.reason ?? null) }),
  }),
  defineRoute({
    method: 'post',
    path: base,
    operation: 'handoff.create',
    access: clerks,
    summary: 'Hand a person to case management (needs, urgency, the case deadline): only with a valid consent',
    tags,
    request: { body: createHandoffBodySchema },
    responses: {
      201: { description: 'Sent to case management', schema: z.object({ handoffId: z.string() }) },
      400: { description: 'Invalid input' },
      404: { description: "No such person in the caller's authority" },
      422: { description: 'No valid consent, or the originating case is not found' },
    },
    handler: async ({ body }, deps, { principal }) => {
      const result = await createHandoffByClerk(deps, principal, body);
      return { status: 201, body: result, headers: { Location: `${base}/${result.handoffId}` } };
    },
  }),
  defineRoute({
    method: 'get',
    path: base,
    operation: 'handoff.list',
    access: caseManagers,
    summary: "The handoffs addressed to the caller's case-management team",
    tags,
    request: { query: z.strictObject({ limit: z.coerce.number().int().min(1).max(200).default(50) }) },
    responses: {
      200: { description: 'Newest first', schema: z.object({ items: z.array(z.object({ id: z.string(), reference: z.string(), needs: z.array(z.string()), urgency: z.string(), stage: z.string(), requestedAt: z.string() })) }) },
      400: { description: 'Invalid query' },
    },
    handler: async ({ query }, deps, { principal }) => ({ status: 200, body: { items: await listTeamHandoffs(deps, principal, query.limit) } }),
  }),
  defineRoute({
    method: 'get',
    path: `${base}/:id`,
    operation: 'handoff.view',
    access: [...caseManagers, ...clerks],
    summary: 'A handoff: case managers see the minimal data and progress, the sender only what case management reports back',
    tags,
    request: { params: handoffParamsSchema },
    responses: { 200: { description: 'The handoff', schema: handoffViewSchema }, 400: { description: 'Invalid id' }, 404: { description: "No such handoff for the caller's team" } },
    handler: async ({ params }, deps, { principal }) => ({ status: 200, body: await readHandoff(deps, principal, params.id) }),
  }),
  caseManagerAction('acceptance', 'handoff.accept', 'Accept the handoff', z.strictObject({}), (deps, principal, id) =>
    actOnHandoff(deps, principal, id, 'handoff.accept', acceptHandoffUpdate, { caseManager: principal.subject }),
  ),
  caseManagerAction('decline', 'handoff.decline', 'Decline the handoff with a reason (it goes back to the sender)', declineBodySchema, (deps, principal, id, body) =>
    actOnHandoff(deps, principal, id, 'handoff.decline', declineHandoffUpdate, { caseManager: principal.subject, reason: body.reason }),
  ),
  caseManagerAction('phases', 'handoff.phase.record', 'Record a case-management phase', phaseBodySchema, (deps, principal, id, body) =>
    actOnHandoff(deps, principal, id, 'handoff.phase.record', recordPhaseUpdate, { caseManager: principal.subject, ...body }),
  ),
  caseManagerAction('outcomes', 'handoff.outcome.record', 'Record an outcome; one that is evidence becomes a dated fact on the person', outcomeBodySchema, (deps, principal, id, body) =>
    actOnHandoff(deps, principal, id, 'handoff.outcome.record', recordOutcomeUpdate, { caseManager: principal.subject, outcome: body }),
  ),
  caseManagerAction('closure', 'handoff.close', 'Close the accepted handoff', closeBodySchema, (deps, principal, id, body) =>
    actOnHandoff(deps, principal, id, 'handoff.close', closeHandoffUpdate, { caseManager: principal.subject, note: body.note }),
  ),
  defineRoute({
    method: 'post',
    path: `${base}/:id/gaps`,
    operation: 'handoff.gap.record',
    access: caseManagers,
    summary: 'Record a system gap: a need without a service at a place, for a target group',
    tags,
    request: { params: handoffParamsSchema, body: gapBodySchema },
    responses: { 201: { description: 'Recorded', schema: z.object({ id: z.string(), need: z.string(), place: z.string(), targetGroup: z.string() }) }, 400: { description: 'Invalid input' }, 404: { description: "No such handoff for the caller's team" } },
    handler: async ({ params, body }, deps, { principal }) => ({ status: 201, body: await recordGap(deps, principal, params.id, body) }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/statistics/handoffs',
    operation: 'statistics.handoffs',
    access: ['coordinator', 'admin'],
    summary: "Anonymised handoff figures of the caller's authority for a period: persons per cell, cells below five suppressed",
    tags: ['statistics'],
    request: { query: figuresQuerySchema },
    responses: { 200: { description: 'The figures', schema: figuresViewSchema }, 400: { description: 'Invalid period' } },
    handler: async ({ query }, deps, { principal }) => ({ status: 200, body: await readHandoffFigures(deps, principal, query.from, query.to) }),
  }),
];
