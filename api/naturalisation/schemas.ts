import { z } from 'zod';
import { naturalisationDecisions, naturalisationStages } from '../../domain/naturalisation/stages';

export const isoDateSchema = z.iso.date({ message: 'must be a calendar date YYYY-MM-DD' });

export const applicantSchema = z.strictObject({
  givenNames: z.string().trim().min(1).max(200),
  familyName: z.string().trim().min(1).max(200),
  dateOfBirth: isoDateSchema,
  email: z.email({ message: 'must be an e-mail address' }),
  /** ISO 639-1 code of the language letters are written in, after German. */
  preferredLanguage: z.string().regex(/^[a-z]{2}$/, 'must be an ISO 639-1 language code such as "en"').default('de'),
});

/** The authority comes from the caller's token, never from the body. */
export const createApplicationBodySchema = z.strictObject({
  /** The filing date; defaults to today. Backlog imports give the original date. */
  filedOn: isoDateSchema.optional(),
  applicant: applicantSchema,
});
export type CreateApplicationBody = z.infer<typeof createApplicationBodySchema>;

export const idempotencyHeadersSchema = z.object({
  'idempotency-key': z.string().min(8).max(200).optional(),
});

export const applicationIdParamsSchema = z.strictObject({ id: z.uuid({ message: 'must be an application id (UUID)' }) });

export const applicationViewSchema = z.object({
  id: z.uuid(),
  reference: z.string(),
  authorityId: z.string(),
  filedOn: isoDateSchema,
  /** After retention has anonymised a closed case, the fields are empty and the date of birth null. */
  applicant: z.object({
    givenNames: z.string(),
    familyName: z.string(),
    dateOfBirth: isoDateSchema.nullable(),
    email: z.string(),
    preferredLanguage: z.string(),
  }),
  workflowId: z.string(),
  stage: z.enum([...naturalisationStages, 'registering']),
  version: z.number().int(),
  waitingFor: z.string().nullable(),
  flags: z.array(z.string()),
  deadlines: z.record(z.string(), z.string()),
  decision: z.record(z.string(), z.unknown()).nullable(),
});
export type ApplicationView = z.infer<typeof applicationViewSchema>;

/** The deciding clerk is the caller (the token's subject), never a field of the body. */
export const recordDecisionBodySchema = z.strictObject({
  outcome: z.enum(naturalisationDecisions),
  reason: z.string().trim().min(1).max(5000),
  expectedVersion: z.number().int().min(1),
});
