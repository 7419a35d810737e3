import { addDays, compareLocalDates, getDaysInMonth, LocalDate, makeLocalDate, parseLocalDate, splitLocalDate } from '../calendar/localDate';
import { PeriodLength } from '../calendar/periods';
import { isWorkingDay } from '../calendar/publicHolidays';
import { ResidenceHistory } from '../residenceHistory/statuses';
import { continuationConfig, ContinuationConfig, ContinuationResult, evaluatePermitContinuation } from './permitContinuation';

/**
 * The watch over a residence title's expiry, so that the renewal is applied for in time and the
 * title continues under § 81 Abs. 4 Satz 1 AufenthG: a reminder to the holder some weeks before
 * expiry (renewals are usually possible from about eight weeks before), a clerk task when
 * nothing has been filed by a later date, and the continuation once an application is recorded.
 */

// Legal and practical choices made as configuration (`expiryWatchConfig`):
// - Lead times: reminder 8 weeks, clerk task 4 weeks before expiry (practice in domain.md).
// - These are planning dates, not statutory periods: § 193 BGB (which moves a period's end
//   FORWARD) does not apply. A date on a Saturday, Sunday or NRW public holidays (§ 2 Abs. 1
//   FTG NW) moves to the PREVIOUS working day, so that the lead time is never shortened.
// - "N weeks/months before" is counted backwards by analogy to § 188 Abs. 2 BGB and § 188
//   Abs. 3 BGB: same weekday N weeks earlier; same day number N months earlier, or the last day
//   of that month when it is shorter.

export interface ExpiryWatchConfig {
  readonly reminderLeadTime: PeriodLength;
  readonly clerkTaskLeadTime: PeriodLength;
  /** Move a date that is not a working day in NRW to the previous working day. */
  readonly moveToPreviousWorkingDay: boolean;
  readonly continuation: ContinuationConfig;
  readonly note: string;
}

export const expiryWatchConfig: ExpiryWatchConfig = Object.freeze({
  reminderLeadTime: Object.freeze({ weeks: 8 }),
  clerkTaskLeadTime: Object.freeze({ weeks: 4 }),
  moveToPreviousWorkingDay: true,
  continuation: continuationConfig,
  note: 'Reminder 8 weeks and clerk task 4 weeks before expiry (practice); moved to the previous NRW working day.',
});

/**
 * The day `length` before `date`: weeks and days counted back in days; months and years to the
 * same day number (the month's last day where that is missing, cf. § 188 Abs. 3 BGB).
 */
export function computeDateBefore(date: LocalDate, length: PeriodLength): LocalDate {
  const months = (length.years ?? 0) * 12 + (length.months ?? 0);
  const days = (length.weeks ?? 0) * 7 + (length.days ?? 0);
  for (const value of [months, days]) {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new RangeError(`Lead time must be non-negative whole units: ${JSON.stringify(length)}`);
    }
  }
  const { year, month, day } = splitLocalDate(date);
  const index = year * 12 + (month - 1) - months;
  const targetYear = Math.floor(index / 12);
  const targetMonth = (index % 12) + 1;
  const monthShifted = makeLocalDate(targetYear, targetMonth, Math.min(day, getDaysInMonth(targetYear, targetMonth)));
  return addDays(monthShifted, -days);
}

/** The date itself if it is an NRW working day, else the closest earlier working day (§ 2 Abs. 1 FTG NW). */
export function determinePreviousWorkingDay(date: LocalDate): LocalDate {
  let day = date;
  while (!isWorkingDay(day)) {
    day = addDays(day, -1);
  }
  return day;
}

export interface ExpiryWatch {
  readonly expiresOn: LocalDate;
  /** Day the holder is reminded (letter or e-mail). */
  readonly reminderOn: LocalDate;
  /** Day a clerk task is created if nothing has been filed. */
  readonly clerkTaskOn: LocalDate;
  readonly reminderDue: boolean;
  /** The clerk task is due: on or after `clerkTaskOn` and no application filed by `asOf`. */
  readonly clerkTaskDue: boolean;
  /** § 81 Abs. 4 AufenthG for the application (or its absence) on `asOf`. */
  readonly continuation: ContinuationResult;
}

/**
 * The watch dates of a title expiring on `expiresOn`, and what is due on `asOf`
 * (§ 81 Abs. 4 Satz 1 AufenthG).
 */
export function determinePermitExpiryWatch(
  renewal: { readonly expiresOn: LocalDate; readonly filedOn?: LocalDate; readonly permitBasis?: string },
  asOf: LocalDate,
  config: ExpiryWatchConfig = expiryWatchConfig,
): ExpiryWatch {
  parseLocalDate(asOf);
  const shift = (date: LocalDate): LocalDate => (config.moveToPreviousWorkingDay ? determinePreviousWorkingDay(date) : date);
  const reminderOn = shift(computeDateBefore(renewal.expiresOn, config.reminderLeadTime));
  const clerkTaskOn = shift(computeDateBefore(renewal.expiresOn, config.clerkTaskLeadTime));
  const filed = renewal.filedOn !== undefined && compareLocalDates(renewal.filedOn, asOf) <= 0;
  return {
    expiresOn: renewal.expiresOn,
    reminderOn,
    clerkTaskOn,
    reminderDue: !filed && compareLocalDates(reminderOn, asOf) <= 0,
    clerkTaskDue: !filed && compareLocalDates(clerkTaskOn, asOf) <= 0,
    continuation: evaluatePermitContinuation(renewal, asOf, config.continuation),
  };
}

/** A title in the history that expires and is therefore watched. */
export interface WatchedTitle {
  readonly from: LocalDate;
  readonly expiresOn: LocalDate;
  readonly status: 'permit' | 'blue_card';
  readonly permitBasis?: string;
}

/**
 * The titles with an expiry on or after `asOf` (residence permits and Blue Cards; settlement
 * permits and free movement do not expire, a Duldung is not renewed under § 81 Abs. 4 AufenthG).
 */
export function listWatchedTitles(history: ResidenceHistory, asOf: LocalDate): WatchedTitle[] {
  const watched: WatchedTitle[] = [];
  for (const entry of history) {
    if ((entry.status === 'permit' || entry.status === 'blue_card') && entry.to !== undefined && compareLocalDates(entry.to, asOf) >= 0) {
      watched.push({
        from: entry.from,
        expiresOn: entry.to,
        status: entry.status,
        ...(entry.permitBasis === undefined ? {} : { permitBasis: entry.permitBasis }),
      });
    }
  }
  return watched.sort((a, b) => compareLocalDates(a.expiresOn, b.expiresOn));
}
