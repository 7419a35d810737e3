import { z } from 'zod';
import type { CefrLevel, Sentence } from '../naturalisation/facts';
import { dateOfBirthSchema, maxTextLength, registerDateSchema, registerTextSchema } from './fieldRules';
import type { Provenance } from './person';

/**
 * The dated evidence facts of a registered person that the rules read. Each fact has a kind and
 * data of that kind's shape; its dates are the dates of the evidence (when the certificate was
 * issued, the test taken, the employment ran), not when it was recorded (that is provenance).
 * A person may have several facts of a kind (two certificates, three employments).
 */

const optionalDate = registerDateSchema.nullable().default(null);
const personReference = z.strictObject({
  /** Another person of the register. */
  personId: z.uuid().nullable().default(null),
  /** Or, for someone not registered, name and date of birth. */
  givenNames: registerTextSchema(maxTextLength.name).nullable().default(null),
  familyName: registerTextSchema(maxTextLength.name).nullable().default(null),
  dateOfBirth: dateOfBirthSchema.nullable().default(null),
});

const cefrLevels = ['A1', 'A2', 'B1', 'B2', 'C1', 'C2'] as const satisfies readonly CefrLevel[];

const motive = { inhumanMotiveFound: z.boolean().optional() };
/** The sentence shapes of domain/naturalisation/facts.ts (§ 12a StAG). */
export const sentenceSchema: z.ZodType<Sentence> = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('fine'), dailyRates: z.number().int().min(1).max(720), ...motive }),
  z.strictObject({
    kind: z.literal('prison'),
    months: z.number().int().min(0).max(1200),
    days: z.number().int().min(0).max(31).optional(),
    suspended: z.boolean(),
    remitted: z.boolean(),
    ...motive,
  }),
  z.strictObject({ kind: z.literal('juvenile_measure'), ...motive }),
  z.strictObject({ kind: z.literal('juvenile_penalty'), months: z.number().int().min(0).max(180), ...motive }),
  z.strictObject({ kind: z.literal('correctional_measure'), stgbSection61Number: z.number().int().min(1).max(8) }),
]);

export const educationKinds = ['schooling', 'school_leaving_certificate', 'vocational_training', 'university_degree', 'recognised_qualification'] as const;

/** Each kind's data. */
export const factDataSchemas = {
  /** German language certificate (§ 10 Abs. 1 Satz 1 Nr. 6 StAG, § 10 Abs. 4 StAG). */
  language_certificate: z.strictObject({ level: z.enum(cefrLevels), issuedOn: registerDateSchema, issuer: registerTextSchema(maxTextLength.short).nullable().default(null) }),
  /** Naturalisation test (§ 10 Abs. 1 Satz 1 Nr. 7 StAG): correct answers of 33. */
  naturalisation_test: z.strictObject({ correctAnswers: z.number().int().min(0).max(33), takenOn: registerDateSchema }),
  /** Integration course's orientation course (§ 43 AufenthG) with its final test "Leben in Deutschland". */
  orientation_course: z.strictObject({ completedOn: registerDateSchema, testPassed: z.boolean().nullable().default(null) }),
  /** Schooling, school-leaving certificates, training and qualifications. */
  education: z.strictObject({
    kind: z.enum(educationKinds),
    /** In Germany (a German school or training). */
    inGermany: z.boolean(),
    from: registerDateSchema,
    to: optionalDate,
    /** Completed successfully; null: not (yet) known. */
    successful: z.boolean().nullable().default(null),
    description: registerTextSchema(maxTextLength.name).nullable().default(null),
  }),
  /** Employment (from/to, hours a week). */
  employment: z.strictObject({
    from: registerDateSchema,
    to: optionalDate,
    hoursPerWeek: z.number().min(0).max(80),
    fullTime: z.boolean(),
  }),
  /**
   * Livelihood benefits under SGB II or SGB XII received from/to (§ 10 Abs. 1 Satz 1 Nr. 3 StAG);
   * `none`: evidence (e.g. of the Jobcenter) that none were received in that time.
   */
  benefits: z.strictObject({
    scheme: z.enum(['sgb_ii', 'sgb_xii', 'none']),
    from: registerDateSchema,
    to: optionalDate,
    /** The person is responsible for needing them ("hat zu vertreten"); null: not assessed. */
    responsible: z.boolean().nullable().default(null),
  }),
  /** A conviction that may still be held against the person (§ 12a StAG). */
  conviction: z.strictObject({ convictedOn: registerDateSchema, sentence: sentenceSchema, court: registerTextSchema(maxTextLength.name).nullable().default(null) }),
  /**
   * An unrestricted federal register extract (§ 41 BZRG) was received: from then on, the recorded
   * convictions are taken as the complete list.
   */
  register_extract: z.strictObject({ receivedOn: registerDateSchema }),
  /** A pending criminal investigation or proceedings (§ 12a Abs. 3 StAG); `concludedOn` once it ended. */
  pending_investigation: z.strictObject({ since: registerDateSchema, concludedOn: optionalDate }),
  /** Identity clarified (§ 10 Abs. 1 Satz 1 StAG), as established on a day. */
  identity_clarified: z.strictObject({ clarified: z.boolean(), on: registerDateSchema }),
  /** Nationality clarified (§ 10 Abs. 1 Satz 1 StAG), as established on a day. */
  nationality_clarified: z.strictObject({ clarified: z.boolean(), on: registerDateSchema }),
  /** Spouse or registered partner; `endedOn` when the marriage or the living together ended. */
  spouse: personReference.extend({
    relationship: z.enum(['spouse', 'registered_partner']),
    marriedOn: registerDateSchema,
    livingTogether: z.boolean().nullable().default(null),
    endedOn: optionalDate,
  }),
  /** A minor child living with the person (from `from`, until `to` if it moved out). */
  minor_child: personReference.extend({ livesWithPerson: z.boolean(), from: optionalDate, to: optionalDate }),
} as const;

export type FactKind = keyof typeof factDataSchemas;
export const factKinds = Object.keys(factDataSchemas) as FactKind[];
export type FactData<K extends FactKind = FactKind> = z.infer<(typeof factDataSchemas)[K]>;

/** A fact as the API takes it: `{ kind, data }`, checked against the kind's shape and its dates. */
export const factInputSchema: z.ZodType<FactInput> = z
  .discriminatedUnion(
    'kind',
    factKinds.map((kind) => z.strictObject({ kind: z.literal(kind), data: factDataSchemas[kind] })) as unknown as [
      z.ZodObject<{ kind: z.ZodLiteral<FactKind>; data: z.ZodType }>,
    ],
  )
  .superRefine((fact, ctx) => {
    for (const problem of listFactProblems(fact as FactInput)) ctx.addIssue({ code: 'custom', path: ['data', problem.field], message: problem.message });
  }) as unknown as z.ZodType<FactInput>;

export type FactInput = { [K in FactKind]: { kind: K; data: FactData<K> } }[FactKind];

export type RegisterFact = FactInput & Provenance & { readonly id: string };

/** Date-order and reference problems of a fact's data; empty when consistent. */
export function listFactProblems(fact: FactInput): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  const data = fact.data as Record<string, unknown>;
  const ordered = (start: string, end: string) => {
    const a = data[start];
    const b = data[end];
    if (typeof a === 'string' && typeof b === 'string' && b < a) problems.push({ field: end, message: `must not lie before ${start}` });
  };
  ordered('from', 'to');
  ordered('since', 'concludedOn');
  ordered('marriedOn', 'endedOn');
  if (fact.kind === 'spouse' || fact.kind === 'minor_child') {
    const named = data.givenNames !== null && data.familyName !== null && data.dateOfBirth !== null;
    if ((data.personId === null) === !named) {
      problems.push({ field: 'personId', message: 'name either a registered person (personId) or givenNames, familyName and dateOfBirth, not both' });
    }
  }
  return problems;
}
