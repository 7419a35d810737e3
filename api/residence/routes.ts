import { z } from 'zod';
import type { ResidenceCheckKind } from '../../db/queries/residenceChecks';
import type { Role } from '../../security/roles';
import {
  assignResidenceCheckUpdate,
  closeExpiryWatchUpdate,
  confirmHandoffProposalUpdate,
  decideResidenceCheckUpdate,
  recordEvidenceUpdate,
  recordFiktionsbescheinigungUpdate,
  recordFollowOnApplicationUpdate,
  recordRenewalFiledUpdate,
} from '../../workflows/residenceDefinitions';
import { defineRoute } from '../route';
import { exportResidenceCandidatesCsv, listResidenceCandidates } from './candidates';
import {
  assignmentBodySchema,
  candidatesQuerySchema,
  candidateViewSchema,
  checkIdParamsSchema,
  checkViewSchema,
  closureBodySchema,
  confirmHandoffBodySchema,
  decisionBodySchema,
  evidenceBodySchema,
  fiktionsbescheinigungBodySchema,
  followOnBodySchema,
  renewalFiledBodySchema,
  startCheckBodySchema,
} from './schemas';
import { performResidenceAction, readResidenceCheck, startResidenceCheck } from './service';

const base = '/api/v1/residence';
const tags = ['residence'];
const clerks: readonly Role[] = ['abh_clerk'];
const readers: readonly Role[] = ['abh_clerk', 'admin'];
const noQuery = z.strictObject({});

const actionResponses = {
  200: { description: 'Done; the check as it is now', schema: checkViewSchema },
  400: { description: 'Invalid request; each bad field is named, nothing changed' },
  404: { description: "No such check in the caller's authority" },
  409: { description: 'Not possible in the current stage or for this kind of check, or the check changed since it was read (expectedVersion)' },
  422: { description: 'An invalid value (a grant of a title that is not met, a date in the past)' },
};

const checkKinds: readonly ResidenceCheckKind[] = ['eligibility', 'transition'];
const watchKinds: readonly ResidenceCheckKind[] = ['permit_expiry'];

/** Clerk actions: each one update of the check's workflow, validated there. */
const actions = [
  { path: 'evidence', operation: 'residence.evidence.record', summary: 'Record evidence received (passport, school certificates, A2 certificate, proof of livelihood) and the findings it proves', body: evidenceBodySchema, update: recordEvidenceUpdate, kinds: checkKinds },
  { path: 'decision', operation: 'residence.decision.record', summary: 'Decide: grant (§ 25a or § 25b AufenthG), refuse, or "not yet" (waits for the computed date, or reviewOn)', body: decisionBodySchema, update: decideResidenceCheckUpdate, kinds: checkKinds },
  { path: 'follow-on-application', operation: 'residence.follow_on.record', summary: 'Record the follow-on application of a § 104c AufenthG holder (stops the escalation)', body: followOnBodySchema, update: recordFollowOnApplicationUpdate, kinds: checkKinds },
  { path: 'handoff-proposal/confirm', operation: 'residence.handoff.confirm', summary: 'Confirm the proposed handoff to case management (integration deficit)', body: confirmHandoffBodySchema, update: confirmHandoffProposalUpdate, kinds: checkKinds },
  { path: 'assignment', operation: 'residence.check.assign', summary: 'Assign the check to a clerk', body: assignmentBodySchema, update: assignResidenceCheckUpdate, kinds: checkKinds },
  { path: 'renewal-filed', operation: 'residence.renewal.record', summary: 'Record the renewal application with its filing date: § 81 Abs. 4 AufenthG continuation (Satz 1) or discretion (Satz 3)', body: renewalFiledBodySchema, update: recordRenewalFiledUpdate, kinds: watchKinds },
  { path: 'fiktionsbescheinigung', operation: 'residence.fiktionsbescheinigung.record', summary: 'Record the Fiktionsbescheinigung (§ 81 Abs. 5 AufenthG) and its validity', body: fiktionsbescheinigungBodySchema, update: recordFiktionsbescheinigungUpdate, kinds: watchKinds },
  { path: 'closure', operation: 'residence.watch.close', summary: 'Close a permit-expiry watch with its result', body: closureBodySchema, update: closeExpiryWatchUpdate, kinds: watchKinds },
] as const;

export const residenceRoutes = [
  defineRoute({
    method: 'post',
    path: `${base}/checks`,
    operation: 'residence.check.start',
    access: clerks,
    summary: 'Start a residence-law check (§ 25a, § 25b AufenthG) of a person of the register',
    tags,
    request: { body: startCheckBodySchema, query: noQuery },
    responses: {
      201: { description: 'Started; its first evaluation follows', schema: checkViewSchema },
      400: { description: 'Invalid request; each bad field is named' },
      404: { description: "No such person in the caller's authority" },
    },
    handler: async ({ body }, deps, { principal }) => {
      const view = await startResidenceCheck(deps, principal, body);
      return { status: 201, body: view, headers: { Location: `${base}/checks/${view.id}` } };
    },
  }),
  defineRoute({
    method: 'get',
    path: `${base}/checks/:id`,
    operation: 'residence.check.view',
    access: readers,
    summary: 'A check with its stage, deadlines and every criterion explained with its paragraph',
    tags,
    request: { params: checkIdParamsSchema, query: noQuery },
    responses: { 200: { description: 'The check', schema: checkViewSchema }, 400: { description: 'Invalid id' }, 404: { description: 'No such check' } },
    handler: async ({ params }, deps, { principal }) => ({ status: 200, body: await readResidenceCheck(deps, principal, params.id) }),
  }),
  ...actions.map((action) =>
    defineRoute({
      method: 'post',
      path: `${base}/checks/:id/${action.path}`,
      operation: action.operation,
      access: clerks,
      summary: action.summary,
      tags,
      request: { params: checkIdParamsSchema, body: action.body, query: noQuery },
      responses: actionResponses,
      handler: async ({ params, body }, deps, { principal }) => ({
        status: 200,
        body: await performResidenceAction(deps, principal, params.id, action.operation, action.kinds, action.update as never, { ...(body as object), actor: principal.subject } as never),
      }),
    }),
  ),
  defineRoute({
    method: 'get',
    path: `${base}/candidates`,
    operation: 'residence.candidates.list',
    access: readers,
    summary: 'Persons who meet § 25a or § 25b AufenthG now or within horizonMonths, with the reason per title (keyset-paginated)',
    tags,
    request: { query: candidatesQuerySchema },
    responses: {
      200: { description: 'One page; `next` continues (null on the last page)', schema: z.object({ items: z.array(candidateViewSchema), next: z.string().nullable() }) },
      400: { description: 'Invalid horizon, limit or cursor' },
    },
    handler: async ({ query }, deps, { principal }) => ({ status: 200, body: await listResidenceCandidates(deps, principal, query) }),
  }),
  defineRoute({
    method: 'get',
    path: `${base}/candidates.csv`,
    operation: 'residence.candidates.export',
    access: readers,
    summary: 'Every candidate as CSV (cells that start a formula are neutralised)',
    tags,
    request: { query: candidatesQuerySchema.pick({ horizonMonths: true }) },
    responses: { 200: { description: 'CSV, one line per person and title', contentType: 'text/csv' }, 400: { description: 'Invalid horizon' } },
    handler: async ({ query }, deps, { principal }) => ({
      status: 200,
      body: await exportResidenceCandidatesCsv(deps, principal, query.horizonMonths),
      headers: { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': 'attachment; filename="residence-candidates.csv"' },
    }),
  }),
];
