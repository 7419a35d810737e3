import { z } from 'zod';
import type { LocalDate } from '../calendar/localDate';
import type { ResidenceStatus } from '../naturalisation/facts';
import { parsePermitBasis } from '../residenceHistory/permitPurposes';
import { maxTextLength, registerDateSchema, registerTextSchema } from './fieldRules';
import type { Provenance } from './person';

/**
 * The residence history of a registered person as dated periods. The statuses are those of
 * `ResidencePeriodFact` (domain/naturalisation/facts.ts) plus `absence`, a stay abroad: the
 * history keeps it as a period so a clerk sees it, and the rules read it as a gap.
 *
 * - `permit`: Aufenthaltserlaubnis (§ 7 AufenthG), its legal basis in `permitBasis`
 *   (house format `§ 25 Abs. 2 AufenthG`).
 * - `fiktion`: § 81 Abs. 3 AufenthG or § 81 Abs. 4 AufenthG, the paragraph in `permitBasis`.
 * - `duldung` (§ 60a AufenthG) with its ground in `duldungGround`.
 * - `gestattung` (§ 55 AsylG) with `protectionGrantedLater` (§ 55 Abs. 3 AsylG).
 */
export const registerResidenceStatuses = [
  'permit',
  'settlement_permit',
  'eu_free_movement',
  'blue_card',
  'duldung',
  'gestattung',
  'fiktion',
  'none',
  'absence',
] as const satisfies readonly (ResidenceStatus | 'absence')[];
export type RegisterResidenceStatus = (typeof registerResidenceStatuses)[number];

/** The value of a period, without its id and provenance. */
export interface ResidencePeriodData {
  readonly status: RegisterResidenceStatus;
  readonly from: LocalDate;
  /** Last day (inclusive); null: ongoing. */
  readonly to: LocalDate | null;
  readonly permitBasis: string | null;
  readonly duldungGround: string | null;
  readonly protectionGrantedLater: boolean | null;
  readonly documentNumber: string | null;
  readonly documentExpiry: LocalDate | null;
}

export interface RegisterResidencePeriod extends ResidencePeriodData, Provenance {
  readonly id: string;
}

/** A problem with a period's fields, by field name; empty when it is consistent. */
export function listResidencePeriodProblems(period: ResidencePeriodData): { field: keyof ResidencePeriodData; message: string }[] {
  const problems: { field: keyof ResidencePeriodData; message: string }[] = [];
  if (period.to !== null && period.to < period.from) problems.push({ field: 'to', message: 'must not lie before from' });
  if (period.permitBasis !== null && !['permit', 'fiktion'].includes(period.status)) {
    problems.push({ field: 'permitBasis', message: 'is only recorded for the statuses permit and fiktion' });
  }
  if (period.permitBasis !== null && parsePermitBasis(period.permitBasis) === null) {
    problems.push({ field: 'permitBasis', message: 'must be a legal basis in the form "§ 25 Abs. 2 AufenthG"' });
  }
  if (period.status === 'fiktion' && period.permitBasis !== null) {
    const basis = parsePermitBasis(period.permitBasis);
    if (basis && !(basis.section === '81' && basis.statute === 'AufenthG' && (basis.subsection === 3 || basis.subsection === 4))) {
      problems.push({ field: 'permitBasis', message: 'must be § 81 Abs. 3 or Abs. 4 AufenthG for a fiktion' });
    }
  }
  if (period.duldungGround !== null && period.status !== 'duldung') {
    problems.push({ field: 'duldungGround', message: 'is only recorded for the status duldung' });
  }
  if (period.protectionGrantedLater !== null && period.status !== 'gestattung') {
    problems.push({ field: 'protectionGrantedLater', message: 'is only recorded for the status gestattung' });
  }
  if (period.status === 'absence' && (period.documentNumber !== null || period.documentExpiry !== null)) {
    problems.push({ field: 'documentNumber', message: 'a stay abroad has no residence document' });
  }
  return problems;
}

export const residencePeriodDataSchema = z
  .strictObject({
    status: z.enum(registerResidenceStatuses),
    from: registerDateSchema,
    to: registerDateSchema.nullable().default(null),
    permitBasis: registerTextSchema(maxTextLength.short).nullable().default(null),
    duldungGround: registerTextSchema(maxTextLength.long).nullable().default(null),
    protectionGrantedLater: z.boolean().nullable().default(null),
    documentNumber: registerTextSchema(40).nullable().default(null),
    documentExpiry: registerDateSchema.nullable().default(null),
  })
  .superRefine((period, ctx) => {
    // Field errors (an impossible date) were reported already; compare only what parsed.
    for (const problem of listResidencePeriodProblems(period)) ctx.addIssue({ code: 'custom', path: [problem.field], message: problem.message });
  });

/** Whether two periods (inclusive days; `to` null = ongoing) share at least one day. */
export function isOverlapping(a: { from: LocalDate; to: LocalDate | null }, b: { from: LocalDate; to: LocalDate | null }): boolean {
  return a.from <= (b.to ?? '9999-12-31') && b.from <= (a.to ?? '9999-12-31');
}

/**
 * The first period of `periods` that shares a day with `candidate`, ignoring the one with id
 * `except` (the period being corrected). Periods of one person must not overlap: a day has
 * one status (or the person was abroad).
 */
export function findOverlappingPeriod<P extends ResidencePeriodData & { id: string }>(
  periods: readonly P[],
  candidate: ResidencePeriodData,
  except?: string,
): P | undefined {
  return periods.find((period) => period.id !== except && isOverlapping(period, candidate));
}
