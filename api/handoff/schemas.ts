import { z } from 'zod';
import { consentDataCategories, consentPurposes, consentRecipients } from '../../domain/handoff/consent';
import { caseManagementPhases } from '../../domain/handoff/progress';
import { maxTextLength, registerDateSchema, registerTextSchema } from '../../domain/register/fieldRules';
import { handoffNeeds } from '../../workflows/shared/handoffs';

export const personConsentParamsSchema = z.strictObject({ id: z.uuid({ message: 'must be a person id (UUID)' }) });
export const consentParamsSchema = personConsentParamsSchema.extend({ consentId: z.uuid({ message: 'must be a consent id (UUID)' }) });
export const handoffParamsSchema = z.strictObject({ id: z.uuid({ message: 'must be a handoff id (UUID)' }) });

const text = (max: number) => registerTextSchema(max);

export const consentBodySchema = z
  .strictObject({
    purpose: z.enum(consentPurposes),
    recipients: z.array(z.enum(consentRecipients)).min(1),
    dataCategories: z.array(z.enum(consentDataCategories)).min(1),
    validFrom: registerDateSchema,
    validUntil: registerDateSchema,
    /** The reference of the signed form (in the authority's file), not the form itself. */
    formReference: text(maxTextLength.short),
  })
  .superRefine((body, ctx) => {
    if (body.validUntil < body.validFrom) ctx.addIssue({ code: 'custom', path: ['validUntil'], message: 'must not lie before validFrom' });
  });

export const consentViewSchema = z.object({
  id: z.string(),
  personId: z.string(),
  purpose: z.string(),
  recipients: z.array(z.string()),
  dataCategories: z.array(z.string()),
  validFrom: z.string(),
  validUntil: z.string(),
  formReference: z.string(),
  recordedBy: z.string(),
  recordedAt: z.string(),
  withdrawnAt: z.string().nullable(),
  withdrawnBy: z.string().nullable(),
  withdrawalReason: z.string().nullable(),
});

export const withdrawalBodySchema = z.strictObject({ reason: text(maxTextLength.long).optional() });

const need = z.enum(handoffNeeds);

export const createHandoffBodySchema = z.strictObject({
  personId: z.uuid({ message: 'must be a person id (UUID)' }),
  needs: z.array(need).min(1),
  urgency: z.enum(['normal', 'urgent']).default('normal'),
  /** The originating case's deadline that matters to case management. */
  relevantDeadline: registerDateSchema.optional(),
  /** A case of the caller's authority the handoff belongs to (it is told what becomes of it). */
  origin: z.strictObject({ caseId: z.uuid({ message: 'must be a case id (UUID)' }) }).optional(),
  /** Makes a repeated request idempotent. */
  requestKey: text(maxTextLength.short).optional(),
  /** The case-management team addressed (a token's `team` claim); the authority's default team when absent. */
  team: z.string().max(64).regex(/^[a-z0-9_-]{1,64}$/, 'must be a team name of lower-case letters, digits, _ and -').optional(),
});

export const declineBodySchema = z.strictObject({ reason: text(maxTextLength.long) });
export const phaseBodySchema = z.strictObject({ phase: z.enum(caseManagementPhases), on: registerDateSchema, note: text(maxTextLength.long).optional() });
export const outcomeBodySchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('language_certificate_obtained'), on: registerDateSchema, level: z.enum(['A1', 'A2', 'B1', 'B2', 'C1', 'C2']), issuer: text(maxTextLength.short).optional(), note: text(maxTextLength.long).optional() }),
  z.strictObject({ kind: z.literal('employment_started'), on: registerDateSchema, hoursPerWeek: z.number().min(0).max(80), fullTime: z.boolean(), note: text(maxTextLength.long).optional() }),
  z.strictObject({ kind: z.literal('school_place_found'), on: registerDateSchema, note: text(maxTextLength.long).optional() }),
  z.strictObject({ kind: z.literal('other'), on: registerDateSchema, note: text(maxTextLength.long).optional() }),
]);
export const closeBodySchema = z.strictObject({ note: text(maxTextLength.long).optional() });
export const gapBodySchema = z.strictObject({ need, place: text(maxTextLength.name), targetGroup: text(maxTextLength.name) });

export const handoffViewSchema = z.object({
  id: z.string(),
  reference: z.string(),
  needs: z.array(z.string()),
  urgency: z.string(),
  stage: z.string(),
  flags: z.array(z.string()),
  closing: z.string().nullable(),
  reason: z.string().nullable(),
  outcomes: z.array(z.object({ kind: z.string(), on: z.string(), factRecorded: z.boolean() })),
  person: z.object({ name: z.string().nullable(), email: z.string().nullable(), phone: z.string().nullable(), language: z.string().nullable() }).optional(),
  relevantDeadline: z.string().nullable().optional(),
  deadlines: z.record(z.string(), z.string()).optional(),
  acceptedBy: z.string().nullable().optional(),
  phases: z.array(z.object({ phase: z.string().nullable(), on: z.string(), note: z.string().nullable() })).optional(),
});

const cell = z.object({ value: z.number().int().nullable(), suppressed: z.boolean() });
export const figuresQuerySchema = z
  .strictObject({ from: registerDateSchema, to: registerDateSchema })
  .superRefine((q, ctx) => {
    if (q.to < q.from) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not lie before from' });
  });
export const figuresViewSchema = z.object({
  authorityId: z.string(),
  from: z.string(),
  to: z.string(),
  unit: z.literal('persons'),
  sent: cell,
  acceptedInTime: cell,
  escalated: cell,
  declined: cell,
  expired: cell,
  outcomesByNeed: z.array(z.object({ need: z.string().nullable(), persons: cell })),
  gaps: z.array(z.object({ need: z.string().nullable(), place: z.string().nullable(), persons: cell })),
});
