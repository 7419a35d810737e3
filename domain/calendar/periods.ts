import { addDays, getDaysInMonth, LocalDate, makeLocalDate, splitLocalDate } from './localDate';
import { findPublicHolidaysNrw, isWorkingDay } from './publicHolidays';

/**
 * Computation of statutory periods ("Fristen") under the BGB period rules, § 187 BGB to § 193 BGB.
 *
 * Dates only: a period ends at the end (24:00) of `lastDay`; the next act is possible from the
 * start of `firstDayAfter(lastDay)`. Converting that to an instant is `berlinTime.ts`'s job.
 */

// Implementation notes:
// - `length` may combine units. Years are counted as 12 months (§ 188 Abs. 2 BGB treats them
//   alike); weeks and days are then appended as whole days after the month part, i.e. the
//   combined period is read as consecutive periods ("1 month and 10 days" = 1 month, then
//   10 days). A pure week period gives the same result as § 188 Abs. 2 BGB's weekday rule,
//   because 7 days later is always the same weekday.
// - Half months (§ 189 BGB) and non-contiguous periods (§ 191 BGB) are not supported.
// - § 193 BGB uses the NRW holiday calendar, since all authorities served here are in NRW.
// - `basis` lists only the provisions actually applied to this computation, in order.

/** How the period starts. */
export type PeriodStart =
  /** § 187 Abs. 1 BGB: starts with an event during a day (filing, service); that day does not count. */
  | 'event'
  /** § 187 Abs. 2 BGB: starts at the beginning of a day (birth date, permit valid from); that day counts. */
  | 'start_of_day';

export interface PeriodLength {
  readonly years?: number;
  readonly months?: number;
  readonly weeks?: number;
  readonly days?: number;
}

export interface PeriodInput {
  /** The event day (`event`) or the first day of the period (`start_of_day`). */
  readonly start: LocalDate;
  readonly event: PeriodStart;
  readonly length: PeriodLength;
  /** Apply § 193 BGB (move a last day on Saturday, Sunday or holiday to the next working day). */
  readonly shiftToWorkingDay: boolean;
}

export interface PeriodEnd {
  /** Last day of the period; the period expires at the end of this day. */
  readonly lastDay: LocalDate;
  /** Present only if § 193 BGB moved the end: the unshifted last day. */
  readonly shiftedFrom?: LocalDate;
  /** Provisions applied, e.g. `['§ 187 Abs. 1 BGB', '§ 188 Abs. 2 BGB']`. */
  readonly basis: readonly string[];
}

function readLengthUnit(length: PeriodLength, unit: keyof PeriodLength): number {
  const value = length[unit] ?? 0;
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`Period ${unit} must be a non-negative integer: ${value}`);
  }
  return value;
}

/**
 * Last day of a statutory period.
 *
 * - § 187 Abs. 1 BGB: a period starting with an event does not count the event day.
 * - § 187 Abs. 2 BGB: a period starting at the beginning of a day counts that day.
 * - § 188 Abs. 1 BGB: a period of days ends with the end of its last day.
 * - § 188 Abs. 2 BGB: a period of weeks, months or years ends with the day of the last week or
 *   month whose name or number corresponds to the event day (§ 187 Abs. 1 BGB), or with the day
 *   before the day corresponding to the first day (§ 187 Abs. 2 BGB).
 * - § 188 Abs. 3 BGB: if that day is missing in the last month, the period ends with the last
 *   day of that month.
 * - § 193 BGB: if the last day is a Saturday, Sunday or public holiday at the place of
 *   performance (here NRW: § 2 Abs. 1 FTG NW, Art. 2 Abs. 2 EinigVtr), the next working day
 *   takes its place — only when `shiftToWorkingDay` is set.
 */
export function computePeriodEnd(input: PeriodInput): PeriodEnd {
  const { year, month, day } = splitLocalDate(input.start);
  if (input.event !== 'event' && input.event !== 'start_of_day') {
    throw new RangeError(`Unknown period start kind: ${String(input.event)}`);
  }
  const years = readLengthUnit(input.length, 'years');
  const months = readLengthUnit(input.length, 'months');
  const weeks = readLengthUnit(input.length, 'weeks');
  const days = readLengthUnit(input.length, 'days');
  const totalMonths = years * 12 + months;
  if (totalMonths + weeks + days === 0) {
    throw new RangeError('Period length must be positive');
  }

  const basis: string[] = [input.event === 'event' ? '§ 187 Abs. 1 BGB' : '§ 187 Abs. 2 BGB'];
  if (totalMonths > 0 || weeks > 0) {
    basis.push('§ 188 Abs. 2 BGB');
  }
  if (days > 0) {
    basis.push('§ 188 Abs. 1 BGB');
  }

  // Month part (with totalMonths = 0 this yields the natural anchor: the event day itself,
  // or the day before the first counted day).
  const monthIndex = year * 12 + (month - 1) + totalMonths;
  const targetYear = Math.floor(monthIndex / 12);
  const targetMonth = (monthIndex % 12) + 1;
  let anchor: LocalDate;
  if (input.event === 'start_of_day' && day === 1) {
    // The day before the 1st of the target month: the last day of the preceding month. It
    // always exists, so § 188 Abs. 3 BGB is never needed here.
    anchor = addDays(makeLocalDate(targetYear, targetMonth, 1), -1);
  } else {
    // Event: same day number; start of day: the day number before it (a person born on
    // 29 February completes a year at the end of 28 February in common years).
    const wantedDay = input.event === 'event' ? day : day - 1;
    const lastDayOfTargetMonth = getDaysInMonth(targetYear, targetMonth);
    if (wantedDay > lastDayOfTargetMonth) {
      basis.push('§ 188 Abs. 3 BGB');
    }
    anchor = makeLocalDate(targetYear, targetMonth, Math.min(wantedDay, lastDayOfTargetMonth));
  }

  const unshiftedLastDay = addDays(anchor, weeks * 7 + days);
  if (!input.shiftToWorkingDay || isWorkingDay(unshiftedLastDay)) {
    return { lastDay: unshiftedLastDay, basis };
  }

  basis.push('§ 193 BGB');
  const holidayBases = new Set<string>();
  let lastDay = unshiftedLastDay;
  while (!isWorkingDay(lastDay)) {
    for (const holiday of findPublicHolidaysNrw(lastDay)) {
      holidayBases.add(holiday.basis);
    }
    lastDay = addDays(lastDay, 1);
  }
  return { lastDay, shiftedFrom: unshiftedLastDay, basis: [...basis, ...holidayBases] };
}

/**
 * The first day after a period: the day from whose beginning the period has expired
 * (§ 188 Abs. 1 BGB: a period ends with the end of its last day).
 */
export function firstDayAfter(lastDay: LocalDate): LocalDate {
  return addDays(lastDay, 1);
}

/**
 * Age in completed years of a person born on `birthDate`, at the start of `date`.
 *
 * § 187 Abs. 2 Satz 2 BGB: the day of birth counts, so a year of life is completed at the end
 * of the day before the birthday (§ 188 Abs. 2 BGB). Born 1 March 2000 → 18 from the start of
 * 1 March 2018. Born 29 February → in common years one year older from 1 March, because the
 * year of life ends with 28 February (§ 188 Abs. 2 BGB, the day preceding the 29th).
 */
export function computeAgeOn(birthDate: LocalDate, date: LocalDate): number {
  const birth = splitLocalDate(birthDate);
  const on = splitLocalDate(date);
  if (date < birthDate) {
    throw new RangeError(`Date ${date} lies before birth date ${birthDate}`);
  }
  // Birthday in year `on.year`, i.e. the first day after the completed year of life; for
  // 29 February in a common year that is 1 March (the year ended with 28 February).
  const birthdayIsMissing = birth.day > getDaysInMonth(on.year, birth.month);
  const birthdayMonth = birthdayIsMissing ? birth.month + 1 : birth.month;
  const birthdayDay = birthdayIsMissing ? 1 : birth.day;
  const birthdayReached = on.month > birthdayMonth || (on.month === birthdayMonth && on.day >= birthdayDay);
  return on.year - birth.year - (birthdayReached ? 0 : 1);
}
