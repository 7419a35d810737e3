import { addDays, compareLocalDates, getDaysInMonth, LocalDate, makeLocalDate, splitLocalDate } from '../calendar/localDate';
import { makeResidenceCriterion, ResidenceCriterion } from './criterion';

/**
 * The age limits of § 25a AufenthG ("jugendlicher oder junger volljähriger Ausländer"):
 * - § 25a Abs. 1 Satz 1 Nr. 3 AufenthG: the application is filed before the person completes
 *   the 27th year of life. By § 187 Abs. 2 Satz 2 BGB and § 188 Abs. 2 BGB the 27th year is
 *   completed at the end of the day before the 27th birthday, so the LAST day to apply is the day
 *   before the 27th birthday; from the birthday on, the person has lost eligibility. Born on
 *   29 February: in a common year the year of life ends with 28 February (§ 188 Abs. 2 BGB:
 *   the day before the 29th), so the last day is 28 February and eligibility is lost on 1 March.
 * - § 25a Abs. 1 Satz 1 AufenthG: a "Jugendlicher" is 14 or older (§ 1 Abs. 2 JGG); the minimum
 *   age is judged on the day of the decision (`asOf`). (verify: configuration)
 * What counts is the filing date for the upper limit (`applicationFiledOn`; a what-if without it
 * assumes filing on `asOf`) and `asOf` for the lower one.
 */

export interface AgeLimitConfig {
  readonly minimumAge: number;
  readonly minimumAgeBasis: string;
  readonly applicationBeforeAge: number;
  readonly note: string;
}

export const ageLimitConfig: AgeLimitConfig = Object.freeze({
  minimumAge: 14,
  minimumAgeBasis: '§ 25a Abs. 1 Satz 1 AufenthG',
  applicationBeforeAge: 27,
  note: '"Jugendlicher" from 14 (§ 1 Abs. 2 JGG), judged at the decision; the upper limit at the filing. (verify)',
});

/**
 * The birthday on which a person born on `dateOfBirth` reaches `age` (§ 187 Abs. 2 Satz 2 BGB):
 * the same day and month; for 29 February in a common year, 1 March.
 */
export function determineBirthday(dateOfBirth: LocalDate, age: number): LocalDate {
  const { year, month, day } = splitLocalDate(dateOfBirth);
  const targetYear = year + age;
  return day > getDaysInMonth(targetYear, month) ? makeLocalDate(targetYear, month + 1, 1) : makeLocalDate(targetYear, month, day);
}

/**
 * The last day on which a § 25a AufenthG application meets the age limit: the day before the
 * 27th birthday (§ 25a Abs. 1 Satz 1 Nr. 3 AufenthG, § 187 Abs. 2 Satz 2 BGB, § 188 Abs. 2 BGB).
 */
export function determineLastDayToApply(dateOfBirth: LocalDate, config: AgeLimitConfig = ageLimitConfig): LocalDate {
  return addDays(determineBirthday(dateOfBirth, config.applicationBeforeAge), -1);
}

/** § 25a Abs. 1 Satz 1 AufenthG: at least 14 on `asOf`; `becomesMetOn` the 14th birthday. */
export function evaluateMinimumAge(dateOfBirth: LocalDate, asOf: LocalDate, config: AgeLimitConfig = ageLimitConfig): ResidenceCriterion {
  const reachedOn = determineBirthday(dateOfBirth, config.minimumAge);
  const met = compareLocalDates(reachedOn, asOf) <= 0;
  return makeResidenceCriterion(
    'minimum_age',
    met ? 'met' : 'not_met',
    config.minimumAgeBasis,
    met
      ? { de: `Mindestens ${config.minimumAge} Jahre alt.`, en: `At least ${config.minimumAge} years old.` }
      : { de: `Noch nicht ${config.minimumAge} Jahre alt (ab ${reachedOn}).`, en: `Not yet ${config.minimumAge} years old (from ${reachedOn}).` },
    { becomesMetOn: reachedOn, details: { note: config.note } },
  );
}

/**
 * § 25a Abs. 1 Satz 1 Nr. 3 AufenthG: the application filed (or, as a what-if, filed on `asOf`)
 * no later than the day before the 27th birthday.
 * @returns `application_before_27` with `details.lastDayToApply` and `details.losesEligibilityOn`.
 */
export function evaluateApplicationBefore27(
  dateOfBirth: LocalDate,
  asOf: LocalDate,
  applicationFiledOn: LocalDate | undefined,
  config: AgeLimitConfig = ageLimitConfig,
): ResidenceCriterion {
  const lastDayToApply = determineLastDayToApply(dateOfBirth, config);
  const filedOn = applicationFiledOn ?? asOf;
  const details = { lastDayToApply, losesEligibilityOn: addDays(lastDayToApply, 1), filedOn, filed: applicationFiledOn !== undefined };
  const basis = '§ 25a Abs. 1 Satz 1 Nr. 3 AufenthG';
  if (compareLocalDates(filedOn, lastDayToApply) <= 0) {
    return makeResidenceCriterion('application_before_27', 'met', basis, applicationFiledOn === undefined
      ? { de: `Antrag vor Vollendung des 27. Lebensjahres möglich, spätestens am ${lastDayToApply}.`, en: `An application before the 27th birthday is possible, at the latest on ${lastDayToApply}.` }
      : { de: 'Antrag vor Vollendung des 27. Lebensjahres gestellt.', en: 'Application filed before the 27th birthday.' }, { details });
  }
  return makeResidenceCriterion('application_before_27', 'not_met', basis, {
    de: `Antrag nach Vollendung des 27. Lebensjahres (letzter Tag: ${lastDayToApply}).`,
    en: `Application after the 27th year was completed (last day: ${lastDayToApply}).`,
  }, { details });
}
