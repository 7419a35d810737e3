import { addDays, compareLocalDates, type LocalDate } from '../calendar/localDate';
import { computePeriodEnd } from '../calendar/periods';

/**
 * The document checklist of an application and whether it is complete. Documents older than
 * the configured age are requested again (domain.md: "Documents older than 6 months are commonly
 * requested again" — a practice, not a statute: configuration).
 */
/**
 * The documents a naturalisation application is checked for (the clerk's checklist, the
 * document request letter, the applicant's uploads). A language certificate of any level
 * (B1, B2, …) is a `language_certificate`; the level is a fact of the eligibility check.
 */
export const naturalisationDocumentTypes = [
  'passport',
  'residence_permit',
  'birth_certificate',
  'marriage_certificate',
  'income_proof',
  'language_certificate',
  'naturalisation_test',
  'school_certificate',
  'pension_record',
] as const;
export type NaturalisationDocumentType = (typeof naturalisationDocumentTypes)[number];

export interface ChecklistItem {
  /** One of `naturalisationDocumentTypes` (a string: recorded histories may hold others). */
  type: string;
  status: 'present' | 'missing';
  /** Date of issue, for documents that go out of date (income proofs, register extracts). */
  issuedOn?: LocalDate;
  /** Whether the document's age matters (identity documents: validity counts, not age). */
  expires?: boolean;
}

export interface CompletenessAssessment {
  complete: boolean;
  missing: string[];
  outdated: string[];
}

export const documentAgeConfig = {
  maxAgeMonths: 6,
  basis: 'practice of the naturalisation authorities (verify per authority)',
} as const;

/**
 * Which documents are missing or older than `maxAgeMonths` on `asOf`.
 * @returns complete only when nothing is missing or outdated
 */
export function assessCompleteness(items: ChecklistItem[], asOf: LocalDate, maxAgeMonths: number = documentAgeConfig.maxAgeMonths): CompletenessAssessment {
  const missing = items.filter((item) => item.status === 'missing').map((item) => item.type);
  const outdated = items
    .filter((item) => item.status === 'present' && item.expires !== false && item.issuedOn !== undefined)
    .filter((item) => {
      const lastValidDay = computePeriodEnd({ start: item.issuedOn!, event: 'event', length: { months: maxAgeMonths }, shiftToWorkingDay: false }).lastDay;
      return compareLocalDates(lastValidDay, asOf) < 0;
    })
    .map((item) => item.type);
  return { complete: missing.length === 0 && outdated.length === 0, missing, outdated };
}

/**
 * The last day for documents the authority requests, `days` after the request letter, moved to
 * the next working day when it falls on a weekend or an NRW public holiday.
 * § 31 Abs. 1 VwVfG NRW with § 187 Abs. 1 BGB, § 188 Abs. 1 BGB; § 31 Abs. 3 Satz 1 VwVfG NRW
 */
export function determineDocumentDeadline(requestedOn: LocalDate, days: number): LocalDate {
  return computePeriodEnd({ start: requestedOn, event: 'event', length: { days }, shiftToWorkingDay: true }).lastDay;
}

/** The day a reminder goes out: `daysBefore` the deadline, but never before the request. */
export function determineReminderDay(requestedOn: LocalDate, deadline: LocalDate, daysBefore: number): LocalDate {
  const day = addDays(deadline, -daysBefore);
  return compareLocalDates(day, requestedOn) > 0 ? day : requestedOn;
}
