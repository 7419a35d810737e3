import { z } from 'zod';
import { factSources, maxTextLength, registerDateSchema, registerTextSchema } from '../../domain/register/fieldRules';
import { factInputSchema, factKinds } from '../../domain/register/facts';
import { personCorrectionSchema, personDataSchema } from '../../domain/register/person';
import { contactConsentChangeSchema, contactConsentStatuses, contactPurposes } from '../../domain/register/contactConsent';
import { registerResidenceStatuses, residencePeriodDataSchema } from '../../domain/register/residencePeriods';

/** The version the caller saw; a write with an older one is refused (409). */
const expectedVersion = z.number().int().min(1).max(2_147_483_647);
/** Where the value comes from; a clerk's own entry by default. The bulk load writes `import`. */
const sourceSchema = z.enum(factSources.filter((source) => source !== 'import') as ['document', 'clerk', 'case_management']).default('clerk');
const reasonSchema = registerTextSchema(maxTextLength.long);

export const personIdParamsSchema = z.strictObject({ id: z.uuid({ message: 'must be a person id (UUID)' }) });
export const periodParamsSchema = personIdParamsSchema.extend({ periodId: z.uuid({ message: 'must be a residence period id (UUID)' }) });
export const factParamsSchema = personIdParamsSchema.extend({ factId: z.uuid({ message: 'must be a fact id (UUID)' }) });

export const createPersonBodySchema = personDataSchema.extend({ source: sourceSchema });
export const correctPersonBodySchema = z.strictObject({ expectedVersion, changes: personCorrectionSchema, source: sourceSchema, reason: reasonSchema.optional() });
export const periodBodySchema = z.strictObject({ expectedVersion, period: residencePeriodDataSchema, source: sourceSchema, reason: reasonSchema.optional() });
export const factBodySchema = z.strictObject({ expectedVersion, fact: factInputSchema, source: sourceSchema, reason: reasonSchema.optional() });
/** A change of the consent to be contacted (given or withdrawn, from a day, for a purpose). */
export const contactConsentBodySchema = z.strictObject({ expectedVersion, consent: contactConsentChangeSchema, source: sourceSchema, reason: reasonSchema.optional() });
export const retractionBodySchema = z.strictObject({ expectedVersion, reason: reasonSchema, source: sourceSchema });

export const personListQuerySchema = z.strictObject({
  name: registerTextSchema(maxTextLength.name).optional(),
  fileNumber: registerTextSchema(64).optional(),
  dateOfBirth: registerDateSchema.optional(),
  after: z.string().max(1000).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const historyQuerySchema = z.strictObject({
  after: z.string().max(18).regex(/^\d{1,18}$/, 'must be the `next` value of the previous page').optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

const provenance = { source: z.enum(factSources), recordedBy: z.string(), recordedAt: z.string() };

export const personViewSchema = z.object({
  id: z.uuid(),
  authorityId: z.string(),
  fileNumber: z.string(),
  givenNames: z.string(),
  familyName: z.string(),
  dateOfBirth: z.string(),
  nationalities: z.array(z.string()),
  contact: z.object({
    postalAddress: z.object({ street: z.string(), postalCode: z.string(), city: z.string(), country: z.string() }).nullable(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
  }),
  preferredLanguage: z.string(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const residencePeriodViewSchema = z.object({
  id: z.uuid(),
  status: z.enum(registerResidenceStatuses),
  from: z.string(),
  to: z.string().nullable(),
  permitBasis: z.string().nullable(),
  duldungGround: z.string().nullable(),
  protectionGrantedLater: z.boolean().nullable(),
  documentNumber: z.string().nullable(),
  documentExpiry: z.string().nullable(),
  ...provenance,
});

export const factViewSchema = z.object({ id: z.uuid(), kind: z.enum(factKinds as [string, ...string[]]), data: z.record(z.string(), z.unknown()), ...provenance });

/** A person with the residence periods and facts in force. */
export const personRecordViewSchema = z.object({
  person: personViewSchema,
  residencePeriods: z.array(residencePeriodViewSchema),
  facts: z.array(factViewSchema),
});

export const personListViewSchema = z.object({ items: z.array(personViewSchema), next: z.string().nullable() });

export const revisionViewSchema = z.object({
  id: z.string(),
  version: z.number().int(),
  entity: z.enum(['person', 'residence_period', 'fact', 'contact_consent']),
  entityId: z.uuid(),
  kind: z.string().nullable(),
  action: z.enum(['create', 'correct', 'retract']),
  before: z.unknown(),
  after: z.unknown(),
  ...provenance,
  reason: z.string().nullable(),
});

const contactConsentEntryViewSchema = z.object({ id: z.uuid(), purpose: z.enum(contactPurposes), status: z.enum(contactConsentStatuses), on: z.string(), ...provenance });
export const contactConsentsViewSchema = z.object({
  person: personViewSchema,
  /** Each purpose's consent today. */
  current: z.array(z.object({ purpose: z.enum(contactPurposes), status: z.enum([...contactConsentStatuses, 'none']), since: z.string().nullable() })),
  /** Every entry, by day. */
  entries: z.array(contactConsentEntryViewSchema),
});

export const historyViewSchema = z.object({ personId: z.uuid(), items: z.array(revisionViewSchema), next: z.string().nullable() });
