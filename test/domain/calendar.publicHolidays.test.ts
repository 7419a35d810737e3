import fc from 'fast-check';
import { addDays, dayOfWeek, LocalDate, makeLocalDate, toEpochDay, toLocalDate } from '../../domain/calendar/localDate';
import {
  computeEasterSunday,
  findPublicHolidaysNrw,
  isPublicHolidayNrw,
  isWorkingDay,
  listPublicHolidaysNrw,
} from '../../domain/calendar/publicHolidays';

// Independent cross-check: Gauss's Easter formula with the Lichtenberg corrections.
function computeEasterByGauss(year: number): LocalDate {
  const k = Math.floor(year / 100);
  const m = 15 + Math.floor((3 * k + 3) / 4) - Math.floor((8 * k + 13) / 25);
  const s = 2 - Math.floor((3 * k + 3) / 4);
  const a = year % 19;
  const d = (19 * a + m) % 30;
  const r = Math.floor((d + Math.floor(a / 11)) / 29);
  const og = 21 + d - r;
  const sz = 7 - ((year + Math.floor(year / 4) + s) % 7);
  const oe = 7 - ((og - sz) % 7);
  return addDays(makeLocalDate(year, 3, 1), og + oe - 1);
}

describe('computeEasterSunday', () => {
  test.each([
    [1818, '1818-03-22'],
    [2000, '2000-04-23'],
    [2008, '2008-03-23'],
    [2011, '2011-04-24'],
    [2019, '2019-04-21'],
    [2024, '2024-03-31'],
    [2025, '2025-04-20'],
    [2026, '2026-04-05'],
    [2027, '2027-03-28'],
    [2028, '2028-04-16'],
    [2029, '2029-04-01'],
    [2030, '2030-04-21'],
    [2038, '2038-04-25'],
    [2285, '2285-03-22'],
  ])('Easter %i = %s', (year, expected) => {
    expect(computeEasterSunday(year)).toBe(expected);
  });

  test('property: a Sunday between 22 March and 25 April, agreeing with Gauss', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1583, max: 9999 }), (year) => {
        const easter = computeEasterSunday(year);
        expect(dayOfWeek(easter)).toBe(7);
        expect(easter >= makeLocalDate(year, 3, 22) && easter <= makeLocalDate(year, 4, 25)).toBe(true);
        expect(easter).toBe(computeEasterByGauss(year));
      }),
      { numRuns: 2000 },
    );
  });

  test('rejects years outside the Gregorian range', () => {
    expect(() => computeEasterSunday(1582)).toThrow(RangeError);
    expect(() => computeEasterSunday(2025.5)).toThrow(RangeError);
  });
});

describe('listPublicHolidaysNrw — § 2 Abs. 1 FTG NW, Art. 2 Abs. 2 EinigVtr', () => {
  test.each([
    [
      2025,
      [
        ['2025-01-01', 'Neujahr'],
        ['2025-04-18', 'Karfreitag'],
        ['2025-04-21', 'Ostermontag'],
        ['2025-05-01', 'Tag der Arbeit'],
        ['2025-05-29', 'Christi Himmelfahrt'],
        ['2025-06-09', 'Pfingstmontag'],
        ['2025-06-19', 'Fronleichnam'],
        ['2025-10-03', 'Tag der Deutschen Einheit'],
        ['2025-11-01', 'Allerheiligen'],
        ['2025-12-25', '1. Weihnachtstag'],
        ['2025-12-26', '2. Weihnachtstag'],
      ],
    ],
    [
      2026,
      [
        ['2026-01-01', 'Neujahr'],
        ['2026-04-03', 'Karfreitag'],
        ['2026-04-06', 'Ostermontag'],
        ['2026-05-01', 'Tag der Arbeit'],
        ['2026-05-14', 'Christi Himmelfahrt'],
        ['2026-05-25', 'Pfingstmontag'],
        ['2026-06-04', 'Fronleichnam'],
        ['2026-10-03', 'Tag der Deutschen Einheit'],
        ['2026-11-01', 'Allerheiligen'],
        ['2026-12-25', '1. Weihnachtstag'],
        ['2026-12-26', '2. Weihnachtstag'],
      ],
    ],
    [
      2024,
      [
        ['2024-01-01', 'Neujahr'],
        ['2024-03-29', 'Karfreitag'],
        ['2024-04-01', 'Ostermontag'],
        ['2024-05-01', 'Tag der Arbeit'],
        ['2024-05-09', 'Christi Himmelfahrt'],
        ['2024-05-20', 'Pfingstmontag'],
        ['2024-05-30', 'Fronleichnam'],
        ['2024-10-03', 'Tag der Deutschen Einheit'],
        ['2024-11-01', 'Allerheiligen'],
        ['2024-12-25', '1. Weihnachtstag'],
        ['2024-12-26', '2. Weihnachtstag'],
      ],
    ],
  ])('holidays %i', (year, expected) => {
    expect(listPublicHolidaysNrw(year).map((h) => [h.date, h.name])).toEqual(expected);
  });

  test('legal basis per holiday', () => {
    for (const holiday of listPublicHolidaysNrw(2025)) {
      expect(holiday.basis).toBe(holiday.name === 'Tag der Deutschen Einheit' ? 'Art. 2 Abs. 2 EinigVtr' : '§ 2 Abs. 1 FTG NW');
    }
  });

  test('2008: Christi Himmelfahrt coincides with 1 May; both are listed', () => {
    const holidays = listPublicHolidaysNrw(2008);
    expect(holidays).toHaveLength(11);
    expect(findPublicHolidaysNrw('2008-05-01').map((h) => h.name)).toEqual(['Tag der Arbeit', 'Christi Himmelfahrt']);
    expect(isPublicHolidayNrw('2008-05-01')).toBe(true);
  });

  test('years before 1990 are not modelled', () => {
    expect(() => listPublicHolidaysNrw(1989)).toThrow(RangeError);
    expect(() => isPublicHolidayNrw('1989-12-25')).toThrow(RangeError);
    expect(listPublicHolidaysNrw(1990).map((h) => h.date)).toContain('1990-10-03');
  });

  test('property: 11 sorted holidays; Himmelfahrt and Fronleichnam on Thursday, Karfreitag on Friday', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1990, max: 2200 }), (year) => {
        const holidays = listPublicHolidaysNrw(year);
        expect(holidays).toHaveLength(11);
        const dates = holidays.map((h) => h.date);
        expect([...dates].sort()).toEqual(dates);
        expect(dates.every((d) => d.startsWith(`${year}-`))).toBe(true);
        const byName = new Map(holidays.map((h) => [h.name, h.date]));
        expect(dayOfWeek(byName.get('Karfreitag')!)).toBe(5);
        expect(dayOfWeek(byName.get('Ostermontag')!)).toBe(1);
        expect(dayOfWeek(byName.get('Pfingstmontag')!)).toBe(1);
        expect(dayOfWeek(byName.get('Christi Himmelfahrt')!)).toBe(4);
        expect(dayOfWeek(byName.get('Fronleichnam')!)).toBe(4);
      }),
    );
  });
});

describe('isPublicHolidayNrw / isWorkingDay', () => {
  test.each([
    ['2025-12-24', false, true], // Heiligabend (Wednesday): no statutory holiday
    ['2025-12-25', true, false],
    ['2025-12-26', true, false],
    ['2025-12-31', false, true], // Silvester (Wednesday)
    ['2026-01-01', true, false],
    ['2025-02-15', false, false], // Saturday
    ['2025-02-16', false, false], // Sunday
    ['2025-02-17', false, true], // Monday
    ['2025-06-19', true, false], // Fronleichnam (NRW)
    ['2025-10-31', false, true], // Reformationstag: not a holiday in NRW
    ['2025-11-19', false, true], // Buß- und Bettag: not a holiday in NRW
    ['2025-03-03', false, true], // Rosenmontag: customary, not statutory
    ['2026-11-01', true, false], // Allerheiligen on a Sunday
  ])('%s: holiday %s, working day %s', (date, holiday, working) => {
    expect(isPublicHolidayNrw(date)).toBe(holiday);
    expect(isWorkingDay(date)).toBe(working);
  });

  test('property: working day ⇔ Monday–Friday and not in the holiday list', () => {
    fc.assert(
      fc.property(fc.integer({ min: toEpochDay('1990-01-01'), max: toEpochDay('2100-12-31') }).map(toLocalDate), (date) => {
        const listed = listPublicHolidaysNrw(Number(date.slice(0, 4))).some((h) => h.date === date);
        expect(isPublicHolidayNrw(date)).toBe(listed);
        expect(isWorkingDay(date)).toBe(dayOfWeek(date) <= 5 && !listed);
      }),
    );
  });
});
