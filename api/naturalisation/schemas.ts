import { z } from 'zod';
import { naturalisationDocumentTypes } from '../../domain/naturalisation/completeness';
import { assigneeSchema } from '../../security/recipients';
import { naturalisationDecisions, naturalisationStages } from '../../domain/naturalisation/stages';
import { FIRST_SUPPORTED_BERLIN_YEAR } from '../../domain/calendar/berlinTime';
import { dateOfBirthSchema } from '../../domain/register/fieldRules';
import { calendarDate, instant, int4, oneOf, pattern, text } from '../fields';

/** An ISO calendar date in the range the API accepts (`api/fields.ts`). */
export const isoDateSchema = calendarDate;

/**
 * An applicant's reference, as applicants type it into the status lookup and the upload:
 * `EBH-<year>-<6 to 12 letters or digits>`, in upper or lower case. The pattern is a plain
 * ECMAScript regular expression without flags (case-insensitivity is spelled out in the
 * character classes), because the OpenAPI document carries its source as the JSON Schema
 * `pattern`, and a client validating against the document must accept what the API accepts.
 */
export const applicantReferenceSchema = z
  .string()
  .trim()
  .max(30)
  .regex(/^[Ee][Bb][Hh]-\d{4}-[A-Za-z0-9]{6,12}$/, 'must be a reference such as EBH-2026-ABCDEFGHJK');

export const applicantSchema = z.strictObject({
  givenNames: text({ min: 1, max: 200 }),
  familyName: text({ min: 1, max: 200 }),
  /** Not after the day of registration (checked by the service with the API's clock). */
  dateOfBirth: dateOfBirthSchema,
  /** At most 254 characters (RFC 5321's limit for a path, less the angle brackets). */
  email: z.email({ message: 'must be an e-mail address' }).max(254),
  /** ISO 639-1 code of the language letters are written in, after German. */
  preferredLanguage: z.string().max(2).regex(/^[a-z]{2}$/, 'must be an ISO 639-1 language code such as "en"').default('de'),
});

/** The authority comes from the caller's token, never from the body. */
export const createApplicationBodySchema = z.strictObject({
  /**
   * The filing date; defaults to today. Backlog imports give the original date. German legal
   * time, from which the § 75 VwGO clock runs, is modelled from 1950 on.
   */
  filedOn: isoDateSchema
    .refine((value) => value >= `${FIRST_SUPPORTED_BERLIN_YEAR}-01-01`, { message: `must not lie before ${FIRST_SUPPORTED_BERLIN_YEAR}-01-01` })
    .optional(),
  applicant: applicantSchema,
  /** The applicant's entry in the person register (of the caller's authority): eligibility is then evaluated on their stored facts. */
  personId: z.uuid({ message: 'must be a person id (UUID) from the register' }).optional(),
});
export type CreateApplicationBody = z.infer<typeof createApplicationBodySchema>;

export const idempotencyHeadersSchema = z.object({
  'idempotency-key': text({ min: 8, max: 200, trim: false }).optional(),
});

export const applicationIdParamsSchema = z.strictObject({ id: z.uuid({ message: 'must be an application id (UUID)' }) });

export const applicationViewSchema = z.object({
  id: z.uuid(),
  reference: z.string(),
  authorityId: z.string(),
  filedOn: isoDateSchema,
  /** The applicant's entry in the person register; null for applications registered without one. */
  personId: z.uuid().nullable(),
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

/** A document of the checklist; a refusal lists the accepted types. */
export const documentTypeSchema = oneOf(naturalisationDocumentTypes, 'a language certificate of any level, e.g. B1, is "language_certificate"');

const checklistItemSchema = z.strictObject({
  type: documentTypeSchema,
  status: z.enum(['present', 'missing']),
  issuedOn: isoDateSchema.optional(),
  expires: z.boolean().optional(),
});
const expectedVersion = int4({ min: 1 });

export const completeCheckBodySchema = z.strictObject({ checklist: z.array(checklistItemSchema).min(1).max(50), expectedVersion });
export const recordDocumentsBodySchema = z.strictObject({ received: z.array(checklistItemSchema).min(1).max(50), expectedVersion });
export const extendDeadlineBodySchema = z.strictObject({ dueOn: isoDateSchema, expectedVersion });
export const inquiryAnswerBodySchema = z.strictObject({
  inquiry: z.enum(['regelanfrage', 'register_extract']),
  result: z.enum(['no_findings', 'findings']),
  answeredOn: isoDateSchema,
  note: text({ max: 2000 }).optional(),
  expectedVersion,
});
export const appointmentBodySchema = z.strictObject({ at: instant, place: text({ min: 1, max: 300 }), expectedVersion });
export const handoverBodySchema = z.strictObject({ handedOverOn: isoDateSchema, expectedVersion });
export const suspendBodySchema = z.strictObject({ reason: text({ min: 1, max: 2000 }), expectedVersion });
export const resumeBodySchema = z.strictObject({ expectedVersion });
/**
 * The confirming clerk is the caller; they confirm the proposal they saw, named by the id the case
 * view shows with it (`details.decisionProposal.id`), in the version they saw. A proposal made
 * since replaces it: the confirmation is then refused (409), never applied to the new one.
 */
export const confirmDecisionBodySchema = z.strictObject({
  expectedVersion,
  proposalId: pattern(/^[0-9A-Fa-f-]{32,64}$/, 'must be the id of the proposal as the case view shows it (details.decisionProposal.id)', 64),
});
export const reassignBodySchema = z.strictObject({
  assignee: assigneeSchema.nullable(),
  team: z.string().max(40).regex(/^[a-z0-9-]{1,40}$/, 'must be 1 to 40 lower-case letters, digits or -').optional(),
  expectedVersion,
});

/** The deciding clerk is the caller (the token's subject), never a field of the body. */
export const recordDecisionBodySchema = z.strictObject({
  outcome: z.enum(naturalisationDecisions),
  reason: text({ min: 1, max: 5000 }),
  expectedVersion,
  /** Approval: minor children naturalised with the applicant (§ 38 Abs. 2 StAG fee). */
  minorChildren: int4({ min: 0, max: 20 }).optional(),
  /** Refusal or withdrawal: the fee set within the § 38 Abs. 2 StAG range. */
  refusalFeeEuro: int4({ min: 0, max: 100_000 }).optional(),
  /**
   * Approval on an evaluation whose overall result is `discretion`: the clerk's decision on every
   * criterion left to discretion, each with its reason.
   */
  discretionDecisions: z
    .array(z.strictObject({ criterion: z.string().min(1).max(100), decision: z.enum(['met', 'not_met']), reason: z.string().trim().min(1).max(2000) }))
    .max(50)
    .optional(),
});
