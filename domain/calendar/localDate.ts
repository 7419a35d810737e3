/**
 * Calendar dates without time or time zone ("civil dates"), as the law counts them.
 *
 * A `LocalDate` is an ISO 8601 calendar date string `YYYY-MM-DD` (proleptic Gregorian calendar,
 * years 0001–9999). Because the form is fixed-width, two valid `LocalDate`s compare correctly
 * as plain strings; `compareLocalDates` is provided anyway so callers need not rely on that.
 *
 * Adding months or years is deliberately NOT offered here: the statutory meaning of
 * "one month later" depends on how the period began (§ 187 BGB, § 188 BGB) and lives in
 * `periods.ts`.
 */

// Implementation: pure integer arithmetic (Howard Hinnant's days_from_civil / civil_from_days).
// No `Date` object is constructed, so neither the system clock nor the system time zone can
// leak in; this module is safe inside the deterministic Temporal workflow sandbox.

/** ISO 8601 calendar date `YYYY-MM-DD`. Construct via `parseLocalDate` or `makeLocalDate`. */
export type LocalDate = string;

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export type IsoDayOfWeek = 1 | 2 | 3 | 4 | 5 | 6 | 7;

export interface LocalDateParts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

export const MIN_LOCAL_DATE_YEAR = 1;
export const MAX_LOCAL_DATE_YEAR = 9999;

const LOCAL_DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Gregorian leap-year rule (divisible by 4, except centuries not divisible by 400). */
export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Number of days of `month` (1–12) in `year`. */
export function getDaysInMonth(year: number, month: number): number {
  if (!Number.isInteger(month) || month < 1 || month > 12) {
    throw new RangeError(`Invalid month: ${month}`);
  }
  if (month === 2) {
    return isLeapYear(year) ? 29 : 28;
  }
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function assertValidParts(year: number, month: number, day: number): void {
  if (!Number.isInteger(year) || year < MIN_LOCAL_DATE_YEAR || year > MAX_LOCAL_DATE_YEAR) {
    throw new RangeError(`Year out of supported range ${MIN_LOCAL_DATE_YEAR}–${MAX_LOCAL_DATE_YEAR}: ${year}`);
  }
  if (!Number.isInteger(month) || month < 1 || month > 12) {
    throw new RangeError(`Invalid month: ${year}-${month}`);
  }
  if (!Number.isInteger(day) || day < 1 || day > getDaysInMonth(year, month)) {
    throw new RangeError(`Invalid day: ${year}-${month}-${day}`);
  }
}

function formatParts(year: number, month: number, day: number): LocalDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function readParts(value: string): LocalDateParts {
  const match = typeof value === 'string' ? LOCAL_DATE_PATTERN.exec(value) : null;
  if (match === null) {
    throw new RangeError(`Not an ISO calendar date (YYYY-MM-DD): ${String(value)}`);
  }
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  assertValidParts(year, month, day);
  return { year, month, day };
}

/** Builds a `LocalDate` from numeric parts; throws `RangeError` for a non-existent date. */
export function makeLocalDate(year: number, month: number, day: number): LocalDate {
  assertValidParts(year, month, day);
  return formatParts(year, month, day);
}

/**
 * Validates an ISO `YYYY-MM-DD` string and returns it as a `LocalDate`.
 * Throws `RangeError` for malformed input and for non-existent dates such as `2025-02-30`.
 */
export function parseLocalDate(value: string): LocalDate {
  readParts(value);
  return value;
}

/** True if `value` is a well-formed, existing `YYYY-MM-DD` date. */
export function isValidLocalDate(value: unknown): value is LocalDate {
  if (typeof value !== 'string') {
    return false;
  }
  try {
    readParts(value);
    return true;
  } catch {
    return false;
  }
}

/** Splits a `LocalDate` into year, month and day (validating it). */
export function splitLocalDate(date: LocalDate): LocalDateParts {
  return readParts(date);
}

/** Days since 1970-01-01 (negative before) of a valid year/month/day triple. */
export function computeEpochDay(year: number, month: number, day: number): number {
  assertValidParts(year, month, day);
  // days_from_civil: shift the year to start on 1 March so the leap day is the last day.
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/** Year, month and day of an epoch day (days since 1970-01-01). Throws outside years 0001–9999. */
export function splitEpochDay(epochDay: number): LocalDateParts {
  if (!Number.isSafeInteger(epochDay)) {
    throw new RangeError(`Epoch day must be an integer: ${epochDay}`);
  }
  // civil_from_days
  const z = epochDay + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shiftedMonth = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * shiftedMonth + 2) / 5) + 1;
  const month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  if (year < MIN_LOCAL_DATE_YEAR || year > MAX_LOCAL_DATE_YEAR) {
    throw new RangeError(`Year out of supported range ${MIN_LOCAL_DATE_YEAR}–${MAX_LOCAL_DATE_YEAR}: ${year}`);
  }
  return { year, month, day };
}

/** ISO weekday of an epoch day: 1 = Monday … 7 = Sunday. */
export function computeIsoDayOfWeek(epochDay: number): IsoDayOfWeek {
  // 1970-01-01 (epoch day 0) was a Thursday (ISO 4).
  return ((((epochDay + 3) % 7) + 7) % 7 + 1) as IsoDayOfWeek;
}

/** Days since 1970-01-01 (negative before). */
export function toEpochDay(date: LocalDate): number {
  const { year, month, day } = readParts(date);
  return computeEpochDay(year, month, day);
}

/** Inverse of `toEpochDay`. Throws `RangeError` outside years 0001–9999. */
export function toLocalDate(epochDay: number): LocalDate {
  const { year, month, day } = splitEpochDay(epochDay);
  return formatParts(year, month, day);
}

/** Calendar day `days` after `date` (negative: before). Plain day arithmetic, no legal rule. */
export function addDays(date: LocalDate, days: number): LocalDate {
  if (!Number.isSafeInteger(days)) {
    throw new RangeError(`Days must be an integer: ${days}`);
  }
  return toLocalDate(toEpochDay(date) + days);
}

/** ISO weekday of `date`: 1 = Monday … 6 = Saturday, 7 = Sunday. */
export function dayOfWeek(date: LocalDate): IsoDayOfWeek {
  return computeIsoDayOfWeek(toEpochDay(date));
}

/** -1 if `a` is earlier than `b`, 0 if equal, 1 if later. */
export function compareLocalDates(a: LocalDate, b: LocalDate): -1 | 0 | 1 {
  const difference = toEpochDay(a) - toEpochDay(b);
  return difference < 0 ? -1 : difference > 0 ? 1 : 0;
}

/** Signed number of days from `from` to `to` (`to` − `from`); 0 for the same day. */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  return toEpochDay(to) - toEpochDay(from);
}
