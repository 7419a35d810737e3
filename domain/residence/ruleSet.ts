import { LocalDate } from '../calendar/localDate';
import { DatedHistory, findDatedEntry } from '../naturalisation/datedHistory';

/**
 * The version of the residence-law rules (§ 25a AufenthG, § 25b AufenthG, § 104c AufenthG,
 * § 60c AufenthG, § 60d AufenthG, § 81 Abs. 4 AufenthG), so that a stored evaluation names the
 * rules it was made with. A change of the rules (or of their legal basis) adds an entry.
 */

/** Rules as in force since 1 January 2026 (no new § 104c AufenthG permits). */
export const RESIDENCE_RULE_SET_VERSION = 'aufenthg-25a-25b@2026-01-01';

/**
 * Dated rule-set versions. The § 25a AufenthG and § 25b AufenthG rules in this form apply since
 * the Gesetz zur Einführung eines Chancen-Aufenthaltsrechts (in force 31 December 2022); the
 * current version counts from the end of new § 104c AufenthG applications. A date before the
 * first entry is an error.
 */
export const residenceRuleSetHistory: DatedHistory<{ readonly version: string }> = Object.freeze([
  { validFrom: '2022-12-31', basis: '§ 25a AufenthG, § 25b AufenthG', value: { version: 'aufenthg-25a-25b@2022-12-31' } },
  { validFrom: '2026-01-01', basis: '§ 104c AufenthG', value: { version: RESIDENCE_RULE_SET_VERSION } },
]);

/** The rule-set version in force on `asOf`; throws `RangeError` before 31 December 2022. */
export function determineResidenceRuleSetVersion(asOf: LocalDate): string {
  return findDatedEntry(residenceRuleSetHistory, asOf).value.version;
}
