import { zodToOpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import type { Criterion, CriterionId, CriterionStatus } from '../../domain/naturalisation/criterion';
import type { EligibilityOverall } from '../../domain/naturalisation/eligibility';
import type {
  CapacityFacts,
  CefrLevel,
  ChildFacts,
  CivicKnowledgeFacts,
  ConductFacts,
  CriminalRecordFacts,
  DeclarationFacts,
  EmploymentFacts,
  ExclusionGroundFacts,
  GuestWorkerEntry,
  HouseholdFacts,
  IntegrationWaiver,
  LanguageFacts,
  LivelihoodFacts,
  NaturalisationFacts,
  Sentence,
  SpouseFacts,
  TriState,
} from '../../domain/naturalisation/facts';
import type { ResidencePeriodFact, ResidenceStatus } from '../../domain/residenceHistory/statuses';
import { dateOfBirthSchema } from '../../domain/register/fieldRules';
import { queryInt4, text } from '../fields';
import { isoDateSchema } from './schemas';

/**
 * The facts of § 10 StAG (`domain/naturalisation/facts.ts`) as the API accepts them, and the
 * explained evaluation it answers with. Every object is strict (unknown fields are refused);
 * dates are ISO calendar dates; enumerations are exactly those of the domain.
 */

// The domain declares its facts as TypeScript types only. The checks at the end of this file make
// the compiler prove that each schema here parses to exactly its domain type (same fields, same
// optionality, same value types, same enumeration members), so a change to `facts.ts` does not
// build until these schemas follow.

// ---- Compile-time equality ----------------------------------------------------------------

/** The domain uses `readonly` throughout; zod's output is mutable. Compare without it. */
type Normalise<T> = T extends readonly (infer E)[]
  ? Normalise<E>[]
  : T extends object
    ? { -readonly [K in keyof T]: Normalise<T[K]> }
    : T;
/** Exact type identity (not mere assignability: an added optional field makes it false). */
type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Assert<T extends true> = T;
type SameShape<Schema extends z.ZodType, Domain> = Equals<Normalise<z.output<Schema>>, Normalise<Domain>>;
type SameMembers<List extends readonly string[], Union extends string> = Equals<List[number], Union>;

// ---- Enumerations (exactly those of facts.ts) ----------------------------------------------

export const triStates = ['yes', 'no', 'unknown'] as const;
export const residenceStatuses = [
  'permit',
  'settlement_permit',
  'eu_free_movement',
  'blue_card',
  'duldung',
  'gestattung',
  'fiktion',
  'none',
] as const;
export const cefrLevels = ['A1', 'A2', 'B1', 'B2', 'C1', 'C2'] as const;
export const integrationWaivers = ['illness_or_disability', 'age'] as const;
export const guestWorkerKinds = ['recruited_frg', 'contract_gdr'] as const;
export const spouseRelationships = ['spouse', 'registered_partner'] as const;

const triState = z.enum(triStates);

// ---- Facts ----------------------------------------------------------------------------------

const guestWorkerEntrySchema = z.strictObject({
  kind: z.enum(guestWorkerKinds),
  enteredOn: isoDateSchema,
});

const residencePeriodSchema = z.strictObject({
  from: isoDateSchema,
  to: isoDateSchema.optional(),
  status: z.enum(residenceStatuses),
  permitBasis: text({ min: 1, max: 120 }).optional(),
  protectionGrantedLater: z.boolean().optional(),
  reenteredWithinPermittedPeriod: z.boolean().optional(),
  lateApplication: z.boolean().optional(),
});

/**
 * Periods must not overlap and must not end before they start (the rules would refuse them):
 * reported here with the path of the offending field.
 */
const residenceHistorySchema = z
  .array(residencePeriodSchema)
  .max(200)
  .superRefine((history, ctx) => {
    history.forEach((period, index) => {
      if (period.to !== undefined && period.to < period.from) {
        ctx.addIssue({ code: 'custom', path: [index, 'to'], message: `must not lie before the period's start (${period.from})` });
      }
    });
    const order = history.map((period, index) => ({ period, index })).sort((a, b) => (a.period.from < b.period.from ? -1 : a.period.from > b.period.from ? 1 : a.index - b.index));
    for (let i = 1; i < order.length; i += 1) {
      const previous = order[i - 1];
      const current = order[i];
      if (previous.period.to === undefined || previous.period.to >= current.period.from) {
        ctx.addIssue({
          code: 'custom',
          path: [current.index, 'from'],
          message:
            previous.period.to === undefined
              ? `overlaps period ${previous.index}, which is ongoing (it has no "to")`
              : `overlaps period ${previous.index} (${previous.period.from} – ${previous.period.to})`,
        });
      }
    }
  });

const capacitySchema = z.strictObject({ incapacitated: triState, legallyRepresented: triState });

const employmentSchema = z.strictObject({
  employedFullTimeNow: triState,
  fullTimeMonthsInLast24: z.number().int().min(0).max(24).optional(),
});

const livelihoodSchema = z.strictObject({
  receivesBenefits: triState,
  responsibleForBenefits: triState,
  guestWorkerEntry: guestWorkerEntrySchema.optional(),
  employment: employmentSchema,
  partner: employmentSchema.extend({ livesInFamilyWithApplicantAndMinorChild: triState }).optional(),
});

const languageSchema = z.strictObject({
  certifiedLevel: z.enum(cefrLevels).optional(),
  germanSchoolCertificate: z.boolean().optional(),
  ageAppropriate: triState.optional(),
  everydayOralGerman: triState.optional(),
  spouseGuestWorkerEntry: guestWorkerEntrySchema.optional(),
  waiver: z.enum(integrationWaivers).optional(),
});

const civicKnowledgeSchema = z.strictObject({
  /** Of the 33 questions of the naturalisation test (EinbTestV). */
  testCorrectAnswers: z.number().int().min(0).max(33).optional(),
  germanSchoolCertificate: z.boolean().optional(),
  waiver: z.enum(integrationWaivers).optional(),
});

const declarationsSchema = z.strictObject({ basicOrderAndLoyalty: triState, historicalResponsibility: triState });

const inhumanMotiveFound = z.boolean().optional();
const sentenceSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('fine'), dailyRates: z.number().int().min(0).max(10_000), inhumanMotiveFound }),
  z.strictObject({
    kind: z.literal('prison'),
    months: z.number().int().min(0).max(1_200),
    days: z.number().int().min(0).max(31).optional(),
    suspended: z.boolean(),
    remitted: z.boolean(),
    inhumanMotiveFound,
  }),
  z.strictObject({ kind: z.literal('juvenile_measure'), inhumanMotiveFound }),
  z.strictObject({ kind: z.literal('juvenile_penalty'), months: z.number().int().min(0).max(120), inhumanMotiveFound }),
  z.strictObject({ kind: z.literal('correctional_measure'), stgbSection61Number: z.number().int().min(1).max(8) }),
]);

const criminalRecordSchema = z.strictObject({
  sentences: z.array(sentenceSchema).max(100).optional(),
  pendingInvestigation: triState,
  juvenilePenaltyDeferred: z.boolean().optional(),
});

const conductSchema = z.strictObject({ multipleMarriage: triState, disregardsGenderEquality: triState });

const exclusionGroundsSchema = z.strictObject({
  extremistActivity: triState,
  credibleDistancing: z.boolean().optional(),
  declarationContentIncorrect: triState,
  seriousExpulsionInterest: triState,
});

/** All facts of one person's case (§ 10 StAG); spouse and children carry their own. */
export const naturalisationFactsSchema = z.strictObject({
  dateOfBirth: dateOfBirthSchema,
  nationalities: z.array(z.string().max(2).regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as "TR"')).max(10),
  identityClarified: triState,
  nationalityClarified: triState,
  capacity: capacitySchema,
  residenceHistory: residenceHistorySchema,
  livelihood: livelihoodSchema,
  language: languageSchema,
  civicKnowledge: civicKnowledgeSchema,
  declarations: declarationsSchema,
  criminalRecord: criminalRecordSchema,
  conduct: conductSchema,
  exclusionGrounds: exclusionGroundsSchema,
  applicationFiledOn: isoDateSchema.optional(),
  get household() {
    return householdSchema.optional();
  },
});

// The facts are recursive (spouse and children carry their own): the OpenAPI document must show them
// as one named component referring to itself, or its generator would recurse without end.
zodToOpenAPIRegistry.add(naturalisationFactsSchema, { _internal: { refId: 'NaturalisationFacts' } });

const spouseSchema = z.strictObject({
  relationship: z.enum(spouseRelationships),
  marriedOn: isoDateSchema.optional(),
  livingTogether: triState,
  appliesJointly: z.boolean(),
  get facts() {
    return naturalisationFactsSchema;
  },
});

const childSchema = z.strictObject({
  appliesJointly: z.boolean(),
  get facts() {
    return naturalisationFactsSchema;
  },
});

const householdSchema = z.strictObject({
  get spouse() {
    return spouseSchema.optional();
  },
  get minorChildren() {
    return z.array(childSchema).max(20).optional();
  },
});

// ---- Request and response -------------------------------------------------------------------

export const eligibilityCheckBodySchema = z.strictObject({
  /**
   * The facts to evaluate ("what if"). Without them, the case's person is evaluated on their
   * stored register facts as of the day.
   */
  facts: naturalisationFactsSchema.optional(),
  /** The day the law and the facts are taken on; default: today in Germany (Europe/Berlin). */
  asOf: isoDateSchema.optional(),
});
export type EligibilityCheckBody = z.infer<typeof eligibilityCheckBodySchema>;

export const criterionIds = [
  'identity_and_nationality',
  'capacity_to_act',
  'residence_period',
  'declaration_basic_order',
  'historical_responsibility',
  'residence_title',
  'livelihood',
  'convictions',
  'german_language',
  'civic_knowledge',
  'no_multiple_marriage',
  'gender_equality',
  'exclusion_grounds',
  'principal_applicant',
  'joint_application',
  'marriage_duration',
  'marital_community',
  'minor_child',
] as const;
export const criterionStatuses = ['met', 'not_met', 'unknown', 'discretion'] as const;
export const eligibilityOveralls = ['eligible', 'not_eligible', 'incomplete', 'discretion'] as const;

export const criterionSchema = z.object({
  id: z.enum(criterionIds),
  status: z.enum(criterionStatuses),
  reason: z.object({ de: z.string(), en: z.string() }),
  /** The provision applied, in the house format, e.g. `§ 10 Abs. 1 Satz 1 Nr. 3 StAG`. */
  basis: z.string(),
  /** What the rule counted or found (dates, days, statuses), for staff. */
  details: z.record(z.string(), z.unknown()).optional(),
});

/** One stored evaluation, as answered by the POST (201) and listed by the GET. */
export const eligibilityCheckSchema = z.object({
  id: z.uuid(),
  caseId: z.uuid(),
  /** The rule set that evaluated the facts, e.g. `stag-10@2025-10-30`. */
  ruleSetVersion: z.string(),
  asOf: isoDateSchema,
  overall: z.enum(eligibilityOveralls),
  /** `asOf` if eligible; the day the residence period is complete if only that is missing; else null. */
  earliestEligibleOn: isoDateSchema.nullable(),
  criteria: z.array(criterionSchema),
  createdBy: z.string(),
  createdAt: z.string(),
  /** `register`: the person's stored facts; `what_if`: facts given with the check. */
  source: z.enum(['register', 'what_if']),
});
export type EligibilityCheckView = z.infer<typeof eligibilityCheckSchema>;

/** A stored check with the facts it evaluated (personal data: only through this API, audited). */
export const storedEligibilityCheckSchema = eligibilityCheckSchema.extend({ facts: naturalisationFactsSchema });
export type StoredEligibilityCheckView = z.infer<typeof storedEligibilityCheckSchema>;

export const eligibilityCheckListSchema = z.object({ checks: z.array(storedEligibilityCheckSchema) });

export const eligibilityCheckListQuerySchema = z.strictObject({
  limit: queryInt4({ min: 1, max: 200 }).default(50),
});

// ---- The proof that these schemas are the domain's types --------------------------------------

export type EligibilitySchemasMatchDomain = [
  Assert<SameMembers<typeof triStates, TriState>>,
  Assert<SameMembers<typeof residenceStatuses, ResidenceStatus>>,
  Assert<SameMembers<typeof cefrLevels, CefrLevel>>,
  Assert<SameMembers<typeof integrationWaivers, IntegrationWaiver>>,
  Assert<SameMembers<typeof guestWorkerKinds, GuestWorkerEntry['kind']>>,
  Assert<SameMembers<typeof spouseRelationships, SpouseFacts['relationship']>>,
  Assert<SameShape<typeof guestWorkerEntrySchema, GuestWorkerEntry>>,
  Assert<SameShape<typeof residencePeriodSchema, ResidencePeriodFact>>,
  Assert<SameShape<typeof capacitySchema, CapacityFacts>>,
  Assert<SameShape<typeof employmentSchema, EmploymentFacts>>,
  Assert<SameShape<typeof livelihoodSchema, LivelihoodFacts>>,
  Assert<SameShape<typeof languageSchema, LanguageFacts>>,
  Assert<SameShape<typeof civicKnowledgeSchema, CivicKnowledgeFacts>>,
  Assert<SameShape<typeof declarationsSchema, DeclarationFacts>>,
  Assert<SameShape<typeof sentenceSchema, Sentence>>,
  Assert<SameShape<typeof criminalRecordSchema, CriminalRecordFacts>>,
  Assert<SameShape<typeof conductSchema, ConductFacts>>,
  Assert<SameShape<typeof exclusionGroundsSchema, ExclusionGroundFacts>>,
  Assert<SameShape<typeof spouseSchema, SpouseFacts>>,
  Assert<SameShape<typeof childSchema, ChildFacts>>,
  Assert<SameShape<typeof householdSchema, HouseholdFacts>>,
  Assert<SameShape<typeof naturalisationFactsSchema, NaturalisationFacts>>,
  Assert<SameMembers<typeof criterionIds, CriterionId>>,
  Assert<SameMembers<typeof criterionStatuses, CriterionStatus>>,
  Assert<SameMembers<typeof eligibilityOveralls, EligibilityOverall>>,
  Assert<SameShape<typeof criterionSchema, Omit<Criterion, 'details'> & { details?: Record<string, unknown> }>>,
];

// Runtime use also proves assignability both ways (parsed facts go straight into the rules).
const parsesToDomain: (input: unknown) => NaturalisationFacts = (input) => naturalisationFactsSchema.parse(input);
void parsesToDomain;
