import { addDays, dayOfWeek, LocalDate, makeLocalDate, splitLocalDate } from './localDate';

/**
 * Statutory public holidays in North Rhine-Westphalia, computed for any supported year.
 *
 * Legal basis:
 * - § 2 Abs. 1 FTG NW (Gesetz über die Sonn- und Feiertage, Feiertagsgesetz NW): Neujahrstag,
 *   Karfreitag, Ostermontag, 1. Mai, Christi Himmelfahrt, Pfingstmontag, Fronleichnam,
 *   Allerheiligen (1. November), 1. und 2. Weihnachtstag.
 * - Art. 2 Abs. 2 EinigVtr (Einigungsvertrag): 3. Oktober as Tag der Deutschen Einheit,
 *   a statutory holiday in every Land.
 */

// Implementation notes:
// - Movable feasts are offsets from Easter Sunday, computed with the anonymous Gregorian
//   algorithm (Meeus/Jones/Butcher); nothing is listed per year by hand.
// - Supported years: 1990 (first Tag der Deutschen Einheit) to 9999. Earlier years throw,
//   because the holiday set differed (17 June was the national holiday until 1990).
// - One-off holidays are NOT modelled (e.g. Reformationstag 31 October 2017, a single-year
//   holiday for the 500th anniversary). Deadlines in 2017 that touch that day would be off.
// - 24 and 31 December are not statutory holidays and are therefore working days here.
// - Two holidays can fall on the same date (Christi Himmelfahrt on 1 May, e.g. 2008); both are
//   listed, so the list always has 11 entries.

export const FIRST_SUPPORTED_HOLIDAY_YEAR = 1990;

export type PublicHolidayBasis = '§ 2 Abs. 1 FTG NW' | 'Art. 2 Abs. 2 EinigVtr';

export interface PublicHoliday {
  readonly date: LocalDate;
  /** German statutory name. */
  readonly name: string;
  readonly basis: PublicHolidayBasis;
}

const FTG_NW: PublicHolidayBasis = '§ 2 Abs. 1 FTG NW';
const EINIGUNGSVERTRAG: PublicHolidayBasis = 'Art. 2 Abs. 2 EinigVtr';

/**
 * Easter Sunday of a Gregorian year (anonymous Gregorian algorithm, Meeus/Jones/Butcher).
 * Basis for the movable holidays of § 2 Abs. 1 FTG NW.
 */
export function computeEasterSunday(year: number): LocalDate {
  if (!Number.isInteger(year) || year < 1583 || year > 9999) {
    throw new RangeError(`Easter is computed for Gregorian years 1583–9999 only: ${year}`);
  }
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return makeLocalDate(year, month, day);
}

/**
 * All NRW public holidays of `year`, sorted by date, with German name and legal basis.
 * § 2 Abs. 1 FTG NW; Art. 2 Abs. 2 EinigVtr (3 October).
 */
export function listPublicHolidaysNrw(year: number): readonly PublicHoliday[] {
  if (!Number.isInteger(year) || year < FIRST_SUPPORTED_HOLIDAY_YEAR || year > 9999) {
    throw new RangeError(`NRW public holidays are modelled for ${FIRST_SUPPORTED_HOLIDAY_YEAR}–9999 only: ${year}`);
  }
  const easter = computeEasterSunday(year);
  const holidays: PublicHoliday[] = [
    { date: makeLocalDate(year, 1, 1), name: 'Neujahr', basis: FTG_NW },
    { date: addDays(easter, -2), name: 'Karfreitag', basis: FTG_NW },
    { date: addDays(easter, 1), name: 'Ostermontag', basis: FTG_NW },
    { date: makeLocalDate(year, 5, 1), name: 'Tag der Arbeit', basis: FTG_NW },
    { date: addDays(easter, 39), name: 'Christi Himmelfahrt', basis: FTG_NW },
    { date: addDays(easter, 50), name: 'Pfingstmontag', basis: FTG_NW },
    { date: addDays(easter, 60), name: 'Fronleichnam', basis: FTG_NW },
    { date: makeLocalDate(year, 10, 3), name: 'Tag der Deutschen Einheit', basis: EINIGUNGSVERTRAG },
    { date: makeLocalDate(year, 11, 1), name: 'Allerheiligen', basis: FTG_NW },
    { date: makeLocalDate(year, 12, 25), name: '1. Weihnachtstag', basis: FTG_NW },
    { date: makeLocalDate(year, 12, 26), name: '2. Weihnachtstag', basis: FTG_NW },
  ];
  // Stable sort keeps the statutory order for same-day holidays (1 May before Himmelfahrt).
  return holidays.sort((x, y) => (x.date < y.date ? -1 : x.date > y.date ? 1 : 0));
}

/** The NRW public holidays falling on `date` (usually none or one). § 2 Abs. 1 FTG NW. */
export function findPublicHolidaysNrw(date: LocalDate): readonly PublicHoliday[] {
  const { year } = splitLocalDate(date);
  return listPublicHolidaysNrw(year).filter((holiday) => holiday.date === date);
}

/** True if `date` is a statutory public holiday in NRW. § 2 Abs. 1 FTG NW; Art. 2 Abs. 2 EinigVtr. */
export function isPublicHolidayNrw(date: LocalDate): boolean {
  return findPublicHolidaysNrw(date).length > 0;
}

/**
 * True if `date` is a working day in NRW: Monday to Friday and not a public holiday.
 * Saturday ("Sonnabend") counts as non-working, as in § 193 BGB.
 */
export function isWorkingDay(date: LocalDate): boolean {
  return dayOfWeek(date) <= 5 && !isPublicHolidayNrw(date);
}
