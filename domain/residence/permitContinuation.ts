import { addDays, compareLocalDates, daysBetween, LocalDate, parseLocalDate } from '../calendar/localDate';
import { isPermitBasisUnder } from '../residenceHistory/permitPurposes';
import { makeResidenceCriterion, ResidenceCriterion } from './criterion';

/**
 * Continuation of a residence title while its renewal is pending, § 81 Abs. 4 AufenthG:
 * - Satz 1: an application for renewal (or for another title) filed BEFORE the title expires
 *   keeps the title in force from its expiry until the authority decides ("Fortgeltungsfiktion");
 *   a Fiktionsbescheinigung is issued (§ 81 Abs. 5 AufenthG);
 * - Satz 2: not for a visa under § 6 Abs. 1 AufenthG (Schengen visa);
 * - Satz 3: after a LATE application the authority MAY order the continuation to avoid undue
 *   hardship — a `discretion`, never an automatic refusal.
 */

// Legal choice made as configuration (`continuationConfig.expiryDayIsInTime`): a title "valid
// until" a day expires at the end of that day (§ 188 Abs. 1 BGB, read by analogy), so an
// application filed ON the expiry day is filed before "Ablauf": in time. § 193 BGB does not
// move the end of a title's validity (it is not a period for a declaration). (verify)

export interface ContinuationConfig {
  readonly expiryDayIsInTime: boolean;
  readonly basis: string;
  readonly note: string;
}

export const continuationConfig: ContinuationConfig = Object.freeze({
  expiryDayIsInTime: true,
  basis: '§ 81 Abs. 4 Satz 1 AufenthG',
  note:
    'A title valid until day D expires at the end of D; an application on D is filed before expiry. The end of the ' +
    'validity is not moved by § 193 BGB. (verify)',
});

/** A title and its renewal application. */
export interface RenewalFacts {
  /** Last day of the title's validity. */
  readonly expiresOn: LocalDate;
  /** Day the renewal (or another title) was applied for. Absent: not filed. */
  readonly filedOn?: LocalDate;
  /** Legal basis of the title, e.g. `'§ 25a Abs. 1 AufenthG'` or `'§ 6 Abs. 1 AufenthG'` (Schengen visa). */
  readonly permitBasis?: string;
}

/** The continuation: whether the title continues, from when, and the certificate to issue. */
export interface ContinuationResult {
  readonly criterion: ResidenceCriterion;
  /** `continued`: by law (Satz 1); `discretion`: may be ordered (Satz 3); `none`; `pending`: not filed yet, still in time. */
  readonly effect: 'continued' | 'discretion' | 'none' | 'pending';
  /** The last day on which an application is in time. */
  readonly lastDayInTime: LocalDate;
  /** First day of the continuation (the day after expiry), when continued or at discretion. */
  readonly continuesFrom: LocalDate | null;
  /** A Fiktionsbescheinigung is to be issued (§ 81 Abs. 5 AufenthG). */
  readonly fiktionsbescheinigung: boolean;
  /** Days the application came after the last day in time (0 if in time). */
  readonly daysLate: number;
}

/**
 * § 81 Abs. 4 AufenthG on `asOf` for one title and its renewal.
 * @returns the `permit_continuation` criterion and the continuation's effect and dates.
 */
export function evaluatePermitContinuation(renewal: RenewalFacts, asOf: LocalDate, config: ContinuationConfig = continuationConfig): ContinuationResult {
  parseLocalDate(asOf);
  const lastDayInTime = config.expiryDayIsInTime ? renewal.expiresOn : addDays(renewal.expiresOn, -1);
  const continuesFrom = addDays(renewal.expiresOn, 1);
  const details = { expiresOn: renewal.expiresOn, filedOn: renewal.filedOn ?? null, lastDayInTime, note: config.note };
  if (isPermitBasisUnder(renewal.permitBasis, '6', 1)) {
    return {
      criterion: makeResidenceCriterion('permit_continuation', 'not_met', '§ 81 Abs. 4 Satz 2 AufenthG', {
        de: 'Für ein Schengen-Visum gilt die Fortgeltung nicht.',
        en: 'A Schengen visa does not continue.',
      }, { details }),
      effect: 'none',
      lastDayInTime,
      continuesFrom: null,
      fiktionsbescheinigung: false,
      daysLate: 0,
    };
  }
  const filedOn = renewal.filedOn !== undefined && compareLocalDates(renewal.filedOn, asOf) <= 0 ? renewal.filedOn : undefined;
  if (filedOn === undefined) {
    const stillInTime = compareLocalDates(asOf, lastDayInTime) <= 0;
    return {
      criterion: makeResidenceCriterion('permit_continuation', stillInTime ? 'unknown' : 'not_met', config.basis, stillInTime
        ? { de: `Noch kein Verlängerungsantrag; rechtzeitig bis einschließlich ${lastDayInTime}.`, en: `No renewal application yet; in time up to and including ${lastDayInTime}.` }
        : { de: 'Titel abgelaufen ohne Antrag; ein verspäteter Antrag ist möglich, die Fortgeltung dann Ermessen (Satz 3).', en: 'Title expired without an application; a late application is possible, continuation is then at discretion (Satz 3).' },
      { details }),
      effect: stillInTime ? 'pending' : 'none',
      lastDayInTime,
      continuesFrom: null,
      fiktionsbescheinigung: false,
      daysLate: 0,
    };
  }
  if (compareLocalDates(filedOn, lastDayInTime) <= 0) {
    return {
      criterion: makeResidenceCriterion('permit_continuation', 'met', config.basis, {
        de: `Antrag vor Ablauf gestellt: der Titel gilt ab ${continuesFrom} bis zur Entscheidung fort; Fiktionsbescheinigung ausstellen (§ 81 Abs. 5 AufenthG).`,
        en: `Applied before expiry: the title continues from ${continuesFrom} until the decision; issue a Fiktionsbescheinigung (§ 81 Abs. 5 AufenthG).`,
      }, { details }),
      effect: 'continued',
      lastDayInTime,
      continuesFrom,
      fiktionsbescheinigung: true,
      daysLate: 0,
    };
  }
  const daysLate = daysBetween(lastDayInTime, filedOn);
  return {
    criterion: makeResidenceCriterion('permit_continuation', 'discretion', '§ 81 Abs. 4 Satz 3 AufenthG', {
      de: `Antrag ${daysLate} Tag(e) nach Ablauf: die Behörde kann die Fortgeltung zur Vermeidung einer unbilligen Härte anordnen.`,
      en: `Applied ${daysLate} day(s) after expiry: the authority may order the continuation to avoid undue hardship.`,
    }, { details: { ...details, daysLate } }),
    effect: 'discretion',
    lastDayInTime,
    continuesFrom,
    fiktionsbescheinigung: false,
    daysLate,
  };
}
