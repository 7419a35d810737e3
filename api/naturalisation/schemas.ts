import { z } from 'zod';
import { assigneeSchema } from '../../security/recipients';
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
  team: z.string(),
  assignee: z.string().nullable(),
  suspended: z.boolean(),
  nextDueAt: z.string().nullable(),
  /** Checklist, document request, inquiries, appointment, suspension, naturalisation date. */
  details: z.record(z.string(), z.unknown()),
  /** Only in the answer that registers the application: the applicant's status access code. */
  accessCode: z.string().optional(),
});
export type ApplicationView = z.infer<typeof applicationViewSchema>;

const checklistItemSchema = z.strictObject({
  type: z.string().regex(/^[a-z_]{2,40}$/, 'must be a document type such as "passport"'),
  status: z.enum(['present', 'missing']),
  issuedOn: isoDateSchema.optional(),
  expires: z.boolean().optional(),
});
const expectedVersion = z.number().int().min(1);

export const completeCheckBodySchema = z.strictObject({ checklist: z.array(checklistItemSchema).min(1).max(50), expectedVersion });
export const recordDocumentsBodySchema = z.strictObject({ received: z.array(checklistItemSchema).min(1).max(50), expectedVersion });
export const extendDeadlineBodySchema = z.strictObject({ dueOn: isoDateSchema, expectedVersion });
export const inquiryAnswerBodySchema = z.strictObject({
  inquiry: z.enum(['regelanfrage', 'register_extract']),
  result: z.enum(['no_findings', 'findings']),
  answeredOn: isoDateSchema,
  note: z.string().max(2000).optional(),
  expectedVersion,
});
export const appointmentBodySchema = z.strictObject({ at: z.iso.datetime({ offset: true }), place: z.string().trim().min(1).max(300), expectedVersion });
export const handoverBodySchema = z.strictObject({ handedOverOn: isoDateSchema, expectedVersion });
export const suspendBodySchema = z.strictObject({ reason: z.string().trim().min(1).max(2000), expectedVersion });
export const resumeBodySchema = z.strictObject({ expectedVersion });
export const reassignBodySchema = z.strictObject({ assignee: assigneeSchema.nullable(), team: z.string().regex(/^[a-z0-9-]{1,40}$/).optional(), expectedVersion });

/** The deciding clerk is the caller (the token's subject), never a field of the body. */
export const recordDecisionBodySchema = z.strictObject({
  outcome: z.enum(naturalisationDecisions),
  reason: z.string().trim().min(1).max(5000),
  expectedVersion: z.number().int().min(1),
  /** Approval: minor children naturalised with the applicant (§ 38 Abs. 2 StAG fee). */
  minorChildren: z.number().int().min(0).max(20).optional(),
  /** Refusal or withdrawal: the fee set within the § 38 Abs. 2 StAG range. */
  refusalFeeEuro: z.number().int().min(0).optional(),
});
