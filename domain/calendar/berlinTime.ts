import { computeEpochDay, computeIsoDayOfWeek, LocalDate, splitEpochDay, toEpochDay, toLocalDate } from './localDate';

/**
 * Legal time in Germany (Europe/Berlin), computed without any time-zone database.
 *
 * § 4 EinhZeitG (Einheiten- und Zeitgesetz) in conjunction with Directive 2000/84/EC: Central
 * European Time (UTC+1); Central European Summer Time (UTC+2) from the last Sunday of March,
 * 01:00 UTC, to the last Sunday of October, 01:00 UTC.
 */

// Implementation notes:
// - No `Intl`, no `Date` parsing, no system time zone: the offset is derived from the date
//   arithmetic in localDate.ts, so the functions are deterministic inside Temporal workflows.
// - Historical rules (as in the IANA tz database, Europe/Berlin) so that past instants also map
//   correctly: 1950–1979 no summer time; 1980 first Sunday of April to last Sunday of September;
//   1981–1995 last Sunday of March to last Sunday of September (then applicable EC directives
//   and the German Sommerzeitverordnungen); from 1996 the rule above. All switches at 01:00 UTC.
//   Years before 1950 throw (post-war double summer time etc. are not modelled).
// - Should the EU abolish the clock change, only `findSummerTimeWindow` has to change.
// - Local midnight never falls into a switch (switches happen at 02:00/03:00 local time), so
//   every local date has exactly one 00:00.

const MS_PER_MINUTE = 60_000;
const MS_PER_HOUR = 60 * MS_PER_MINUTE;
const MS_PER_DAY = 24 * MS_PER_HOUR;
const STANDARD_OFFSET_MS = MS_PER_HOUR;
const SUMMER_OFFSET_MS = 2 * MS_PER_HOUR;

export const FIRST_SUPPORTED_BERLIN_YEAR = 1950;

interface SummerTimeWindow {
  /** First instant of summer time (epoch ms, inclusive). */
  readonly begins: number;
  /** First instant of standard time again (epoch ms, exclusive end of summer time). */
  readonly ends: number;
}

// Helpers work on epoch days (integers) to avoid string round trips on this hot path.
function findLastSunday(year: number, month: number, lastDayOfMonth: number): number {
  const lastDay = computeEpochDay(year, month, lastDayOfMonth);
  return lastDay - (computeIsoDayOfWeek(lastDay) % 7);
}

function findFirstSunday(year: number, month: number): number {
  const first = computeEpochDay(year, month, 1);
  return first + ((7 - computeIsoDayOfWeek(first)) % 7);
}

function computeOneAmUtc(epochDay: number): number {
  return epochDay * MS_PER_DAY + MS_PER_HOUR;
}

/** Summer-time window of `year`, or `null` if there was none. § 4 EinhZeitG, Directive 2000/84/EC. */
function findSummerTimeWindow(year: number): SummerTimeWindow | null {
  if (year < FIRST_SUPPORTED_BERLIN_YEAR) {
    throw new RangeError(`Berlin time is modelled from ${FIRST_SUPPORTED_BERLIN_YEAR} only: ${year}`);
  }
  if (year < 1980) {
    return null;
  }
  const begins = year === 1980 ? findFirstSunday(year, 4) : findLastSunday(year, 3, 31);
  const ends = year < 1996 ? findLastSunday(year, 9, 30) : findLastSunday(year, 10, 31);
  return { begins: computeOneAmUtc(begins), ends: computeOneAmUtc(ends) };
}

/**
 * Offset of German legal time from UTC at `epochMs`, in milliseconds (3 600 000 or 7 200 000).
 * § 4 EinhZeitG; Directive 2000/84/EC.
 */
export function computeBerlinUtcOffset(epochMs: number): number {
  if (!Number.isFinite(epochMs)) {
    throw new RangeError(`Not a finite instant: ${epochMs}`);
  }
  // The year is taken in standard local time, so the supported range starts exactly at
  // 1950-01-01 00:00 local time; switches are far from year ends, so this choice is otherwise moot.
  const { year } = splitEpochDay(Math.floor((epochMs + STANDARD_OFFSET_MS) / MS_PER_DAY));
  const window = findSummerTimeWindow(year);
  return window !== null && epochMs >= window.begins && epochMs < window.ends ? SUMMER_OFFSET_MS : STANDARD_OFFSET_MS;
}

/**
 * Epoch milliseconds of 00:00 German legal time on `date`.
 * § 4 EinhZeitG; Directive 2000/84/EC.
 */
export function startOfDayInBerlin(date: LocalDate): number {
  const utcMidnight = toEpochDay(date) * MS_PER_DAY;
  // Local midnight lies 1 h (CET) or 2 h (CEST) before UTC midnight. Trying the standard offset
  // first and checking it is consistent is exact, because midnight is never near a switch.
  const standardCandidate = utcMidnight - STANDARD_OFFSET_MS;
  if (computeBerlinUtcOffset(standardCandidate) === STANDARD_OFFSET_MS) {
    return standardCandidate;
  }
  return utcMidnight - SUMMER_OFFSET_MS;
}

/**
 * The German calendar date (Europe/Berlin) at instant `epochMs`.
 * § 4 EinhZeitG; Directive 2000/84/EC.
 */
export function toBerlinLocalDate(epochMs: number): LocalDate {
  const localMs = epochMs + computeBerlinUtcOffset(epochMs);
  return toLocalDate(Math.floor(localMs / MS_PER_DAY));
}
