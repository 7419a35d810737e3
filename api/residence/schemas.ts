import { z } from 'zod';
import { evidenceKinds, grantableTitles, residenceDecisionOutcomes } from '../../domain/residence/checkProcedure';
import { isoDateSchema } from '../naturalisation/schemas';

const expectedVersion = z.number().int().min(1).max(1_000_000);
const triState = z.enum(['yes', 'no', 'unknown']);
const reason = z.string().trim().min(1).max(2000);

export const checkIdParamsSchema = z.strictObject({ id: z.uuid({ message: 'must be a check id (UUID)' }) });

export const startCheckBodySchema = z.strictObject({
  personId: z.uuid({ message: 'must be a person id (UUID)' }),
  /** The person agreed to be written to about the check (e.g. when the "not yet" date comes). */
  contactConsent: z.boolean().default(false),
});

export const findingsSchema = z.strictObject({
  passportHeld: triState.optional(),
  identityClarified: triState.optional(),
  declaredCommitmentToBasicOrder: triState.optional(),
  indicationsAgainstDemocraticOrder: triState.optional(),
  ownDeceptionAboutIdentity: triState.optional(),
  nonCooperation: triState.optional(),
  seriousExpulsionInterest: triState.optional(),
  integrationPrognosis: triState.optional(),
  livelihoodSecuredExpected: triState.optional(),
  livelihoodShareFromWork: z.number().min(0).max(1).optional(),
});

export const evidenceBodySchema = z.strictObject({
  expectedVersion,
  received: z.array(z.enum(evidenceKinds, { message: `must be one of ${evidenceKinds.join(', ')}` })).max(evidenceKinds.length),
  findings: findingsSchema.optional(),
});

export const decisionBodySchema = z
  .strictObject({
    expectedVersion,
    outcome: z.enum(residenceDecisionOutcomes, { message: `must be one of ${residenceDecisionOutcomes.join(', ')}` }),
    reason,
    title: z.enum(grantableTitles, { message: `must be one of ${grantableTitles.join(', ')}` }).optional(),
    reviewOn: isoDateSchema.optional(),
  })
  .superRefine((body, ctx) => {
    if (body.outcome === 'grant' && !body.title) ctx.addIssue({ code: 'custom', path: ['title'], message: 'a grant names the title granted' });
    if (body.outcome !== 'grant' && body.title) ctx.addIssue({ code: 'custom', path: ['title'], message: 'only a grant names a title' });
    if (body.outcome !== 'not_yet' && body.reviewOn) ctx.addIssue({ code: 'custom', path: ['reviewOn'], message: 'only "not_yet" takes a review date' });
  });

export const followOnBodySchema = z.strictObject({ expectedVersion, filedOn: isoDateSchema });
export const confirmHandoffBodySchema = z.strictObject({ expectedVersion });
export const assignmentBodySchema = z.strictObject({ expectedVersion, assignee: z.string().trim().min(1).max(200).nullable() });
export const renewalFiledBodySchema = z.strictObject({ expectedVersion, filedOn: isoDateSchema });
export const fiktionsbescheinigungBodySchema = z
  .strictObject({ expectedVersion, issuedOn: isoDateSchema, validUntil: isoDateSchema })
  .refine((b) => b.validUntil > b.issuedOn, { path: ['validUntil'], message: 'must lie after issuedOn' });
export const closureBodySchema = z.strictObject({
  expectedVersion,
  result: z.enum(['renewed', 'refused', 'other_title', 'left', 'withdrawn']),
  note: reason,
});

const criterionViewSchema = z.object({
  id: z.string(),
  status: z.enum(['met', 'not_met', 'unknown', 'discretion']),
  /** The paragraph applied, e.g. `§ 25b Abs. 1 Satz 2 Nr. 4 AufenthG`. */
  basis: z.string(),
  reason: z.object({ de: z.string(), en: z.string() }),
  becomesMetOn: z.string().nullable().optional(),
});

export const checkViewSchema = z.object({
  id: z.uuid(),
  reference: z.string(),
  kind: z.enum(['eligibility', 'transition', 'permit_expiry']),
  personId: z.uuid(),
  workflowId: z.string(),
  stage: z.string(),
  version: z.number().int(),
  waitingFor: z.string().nullable(),
  flags: z.array(z.string()),
  deadlines: z.record(z.string(), z.string()),
  decision: z.record(z.string(), z.unknown()).nullable(),
  assignee: z.string().nullable(),
  nextDueAt: z.string().nullable(),
  contactConsent: z.boolean(),
  /** Per title: overall status, dates and every criterion with its paragraph and reason. */
  evaluation: z
    .object({
      asOf: z.string(),
      ruleSetVersion: z.string(),
      overall: z.string(),
      nextEligibleOn: z.string().nullable(),
      titles: z.array(
        z.object({ rule: z.string(), overall: z.string(), eligibleFrom: z.string().nullable(), eligibleUntil: z.string().nullable(), criteria: z.array(criterionViewSchema) }),
      ),
      evidenceNeeded: z.array(z.string()),
      deficits: z.array(z.string()),
      transition: z.record(z.string(), z.unknown()).nullable(),
    })
    .nullable(),
  details: z.record(z.string(), z.unknown()),
});
export type CheckView = z.infer<typeof checkViewSchema>;

export const candidatesQuerySchema = z.strictObject({
  horizonMonths: z.coerce.number().int().min(0).max(60).default(6),
  after: z.string().max(600).regex(/^[A-Za-z0-9_-]{1,600}$/, 'must be the `next` value of a previous page').optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const candidateViewSchema = z.object({
  personId: z.uuid(),
  fileNumber: z.string(),
  givenNames: z.string(),
  familyName: z.string(),
  dateOfBirth: z.string(),
  rules: z.array(z.object({ rule: z.string(), outcome: z.string(), on: z.string().nullable(), openCriteria: z.array(z.string()), reason: z.object({ de: z.string(), en: z.string() }) })),
});
