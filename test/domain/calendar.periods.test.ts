import fc from 'fast-check';
import {
  addDays,
  compareLocalDates,
  dayOfWeek,
  daysBetween,
  getDaysInMonth,
  isValidLocalDate,
  LocalDate,
  parseLocalDate,
  splitLocalDate,
  toEpochDay,
  toLocalDate,
} from '../../domain/calendar/localDate';
import { computeAgeOn, computePeriodEnd, firstDayAfter, PeriodLength, PeriodStart } from '../../domain/calendar/periods';
import { isWorkingDay } from '../../domain/calendar/publicHolidays';

const arbitraryDate = (from = '1990-01-01', to = '2100-12-31'): fc.Arbitrary<LocalDate> =>
  fc.integer({ min: toEpochDay(from), max: toEpochDay(to) }).map(toLocalDate);
const arbitraryKind: fc.Arbitrary<PeriodStart> = fc.constantFrom('event', 'start_of_day');
const arbitraryUnit = fc.constantFrom<keyof PeriodLength>('days', 'weeks', 'months', 'years');

describe('LocalDate', () => {
  test.each([
    ['2025-01-01', true],
    ['2024-02-29', true],
    ['2000-02-29', true],
    ['2025-12-31', true],
    ['2025-02-30', false],
    ['2023-02-29', false],
    ['1900-02-29', false],
    ['2025-04-31', false],
    ['2025-13-01', false],
    ['2025-00-10', false],
    ['2025-01-00', false],
    ['2025-1-01', false],
    ['0000-01-01', false],
    ['2025-01-01T00:00:00Z', false],
    ['', false],
  ])('parseLocalDate(%s) valid: %s', (value, valid) => {
    expect(isValidLocalDate(value)).toBe(valid);
    if (valid) {
      expect(parseLocalDate(value)).toBe(value);
    } else {
      expect(() => parseLocalDate(value)).toThrow(RangeError);
    }
  });

  test.each([
    ['1970-01-01', 4],
    ['2000-01-01', 6],
    ['2024-02-29', 4],
    ['2025-01-01', 3],
    ['2025-02-15', 6],
    ['2026-03-29', 7],
    ['2026-10-26', 1],
  ])('dayOfWeek(%s) = %i', (date, expected) => {
    expect(dayOfWeek(date)).toBe(expected);
  });

  test.each([
    ['2024-02-28', 1, '2024-02-29'],
    ['2024-02-29', 1, '2024-03-01'],
    ['2025-02-28', 1, '2025-03-01'],
    ['2025-12-31', 1, '2026-01-01'],
    ['2026-01-01', -1, '2025-12-31'],
    ['2024-03-01', -1, '2024-02-29'],
    ['2025-01-31', 365, '2026-01-31'],
    ['2024-01-31', 366, '2025-01-31'],
  ])('addDays(%s, %i) = %s', (date, days, expected) => {
    expect(addDays(date, days)).toBe(expected);
    expect(daysBetween(date, expected)).toBe(days);
  });

  test('compareLocalDates and daysBetween', () => {
    expect(compareLocalDates('2025-01-01', '2025-01-02')).toBe(-1);
    expect(compareLocalDates('2025-01-02', '2025-01-02')).toBe(0);
    expect(compareLocalDates('2026-01-01', '2025-12-31')).toBe(1);
    expect(daysBetween('2024-01-01', '2025-01-01')).toBe(366);
    expect(daysBetween('2025-01-01', '2026-01-01')).toBe(365);
    expect(getDaysInMonth(2100, 2)).toBe(28);
    expect(() => addDays('2025-01-01', 0.5)).toThrow(RangeError);
  });

  test('property: epoch day agrees with Date.UTC and round-trips', () => {
    fc.assert(
      fc.property(arbitraryDate('0001-01-01', '9999-12-31'), (date) => {
        const { year, month, day } = splitLocalDate(date);
        const utc = new Date(0);
        utc.setUTCFullYear(year, month - 1, day);
        expect(toEpochDay(date) * 86_400_000).toBe(utc.getTime());
        expect(toLocalDate(toEpochDay(date))).toBe(date);
        expect(dayOfWeek(date)).toBe(((utc.getUTCDay() + 6) % 7) + 1);
      }),
      { numRuns: 2000 },
    );
  });

  test('property: compareLocalDates agrees with string order and daysBetween', () => {
    fc.assert(
      fc.property(arbitraryDate(), arbitraryDate(), (a, b) => {
        const byString = a < b ? -1 : a > b ? 1 : 0;
        expect(compareLocalDates(a, b)).toBe(byString);
        expect(Math.sign(daysBetween(a, b))).toBe(-byString || 0);
        expect(addDays(a, daysBetween(a, b))).toBe(b);
      }),
    );
  });
});

describe('computePeriodEnd — § 187, § 188 BGB', () => {
  test.each<[string, LocalDate, PeriodStart, PeriodLength, LocalDate, string[]]>([
    // Commentary standard examples, § 187 Abs. 1 BGB (event)
    ['event 31 Jan + 1 month → 28 Feb', '2025-01-31', 'event', { months: 1 }, '2025-02-28', ['§ 187 Abs. 1 BGB', '§ 188 Abs. 2 BGB', '§ 188 Abs. 3 BGB']],
    ['event 31 Jan + 1 month → 29 Feb (leap year)', '2024-01-31', 'event', { months: 1 }, '2024-02-29', ['§ 187 Abs. 1 BGB', '§ 188 Abs. 2 BGB', '§ 188 Abs. 3 BGB']],
    ['filing 30 Nov + 3 months → 28 Feb', '2024-11-30', 'event', { months: 3 }, '2025-02-28', ['§ 187 Abs. 1 BGB', '§ 188 Abs. 2 BGB', '§ 188 Abs. 3 BGB']],
    ['filing 30 Nov + 3 months → 29 Feb (leap year)', '2023-11-30', 'event', { months: 3 }, '2024-02-29', ['§ 187 Abs. 1 BGB', '§ 188 Abs. 2 BGB', '§ 188 Abs. 3 BGB']],
    ['event 15 Jan + 1 month → 15 Feb', '2025-01-15', 'event', { months: 1 }, '2025-02-15', ['§ 187 Abs. 1 BGB', '§ 188 Abs. 2 BGB']],
    ['event 28 Feb + 1 month → 28 Mar (not 31 Mar)', '2025-02-28', 'event', { months: 1 }, '2025-03-28', ['§ 187 Abs. 1 BGB', '§ 188 Abs. 2 BGB']],
    ['event 31 Mar + 1 month → 30 Apr', '2025-03-31', 'event', { months: 1 }, '2025-04-30', ['§ 187 Abs. 1 BGB', '§ 188 Abs. 2 BGB', '§ 188 Abs. 3 BGB']],
    ['event 15 Dec + 1 month crosses year end', '2025-12-15', 'event', { months: 1 }, '2026-01-15', ['§ 187 Abs. 1 BGB', '§ 188 Abs. 2 BGB']],
    ['event 31 Dec + 2 months → 28 Feb', '2025-12-31', 'event', { months: 2 }, '2026-02-28', ['§ 187 Abs. 1 BGB', '§ 188 Abs. 2 BGB', '§ 188 Abs. 3 BGB']],
    ['event 29 Feb + 1 year → 28 Feb', '2024-02-29', 'event', { years: 1 }, '2025-02-28', ['§ 187 Abs. 1 BGB', '§ 188 Abs. 2 BGB', '§ 188 Abs. 3 BGB']],
    ['event 29 Feb + 4 years → 29 Feb', '2024-02-29', 'event', { years: 4 }, '2028-02-29', ['§ 187 Abs. 1 BGB', '§ 188 Abs. 2 BGB']],
    ['event + 10 days', '2025-01-10', 'event', { days: 10 }, '2025-01-20', ['§ 187 Abs. 1 BGB', '§ 188 Abs. 1 BGB']],
    ['event + 10 days across year end', '2025-12-25', 'event', { days: 10 }, '2026-01-04', ['§ 187 Abs. 1 BGB', '§ 188 Abs. 1 BGB']],
    ['event + 1 day across leap day', '2024-02-28', 'event', { days: 1 }, '2024-02-29', ['§ 187 Abs. 1 BGB', '§ 188 Abs. 1 BGB']],
    ['event Wednesday + 2 weeks → Wednesday', '2025-01-08', 'event', { weeks: 2 }, '2025-01-22', ['§ 187 Abs. 1 BGB', '§ 188 Abs. 2 BGB']],
    ['event + 1 year 6 months', '2025-01-15', 'event', { years: 1, months: 6 }, '2026-07-15', ['§ 187 Abs. 1 BGB', '§ 188 Abs. 2 BGB']],
    ['event 31 Jan + 1 month and 10 days', '2025-01-31', 'event', { months: 1, days: 10 }, '2025-03-10', ['§ 187 Abs. 1 BGB', '§ 188 Abs. 2 BGB', '§ 188 Abs. 1 BGB', '§ 188 Abs. 3 BGB']],
    // § 187 Abs. 2 BGB (start of day)
    ['start 1 Mar + 1 month → 31 Mar', '2025-03-01', 'start_of_day', { months: 1 }, '2025-03-31', ['§ 187 Abs. 2 BGB', '§ 188 Abs. 2 BGB']],
    ['start 1 Jan + 1 year → 31 Dec', '2025-01-01', 'start_of_day', { years: 1 }, '2025-12-31', ['§ 187 Abs. 2 BGB', '§ 188 Abs. 2 BGB']],
    ['start 1 Mar 2024 + 1 year → 28 Feb 2025', '2024-03-01', 'start_of_day', { years: 1 }, '2025-02-28', ['§ 187 Abs. 2 BGB', '§ 188 Abs. 2 BGB']],
    ['start 1 Mar 2023 + 1 year → 29 Feb 2024', '2023-03-01', 'start_of_day', { years: 1 }, '2024-02-29', ['§ 187 Abs. 2 BGB', '§ 188 Abs. 2 BGB']],
    ['start 16 Jan + 1 month → 15 Feb', '2025-01-16', 'start_of_day', { months: 1 }, '2025-02-15', ['§ 187 Abs. 2 BGB', '§ 188 Abs. 2 BGB']],
    ['start 31 Jan + 1 month → 28 Feb', '2025-01-31', 'start_of_day', { months: 1 }, '2025-02-28', ['§ 187 Abs. 2 BGB', '§ 188 Abs. 2 BGB', '§ 188 Abs. 3 BGB']],
    ['start 30 Mar + 11 months → 28 Feb', '2025-03-30', 'start_of_day', { months: 11 }, '2026-02-28', ['§ 187 Abs. 2 BGB', '§ 188 Abs. 2 BGB', '§ 188 Abs. 3 BGB']],
    ['start 30 Mar + 11 months → 29 Feb (leap year)', '2023-03-30', 'start_of_day', { months: 11 }, '2024-02-29', ['§ 187 Abs. 2 BGB', '§ 188 Abs. 2 BGB']],
    ['start 29 Feb + 1 year → 28 Feb', '2024-02-29', 'start_of_day', { years: 1 }, '2025-02-28', ['§ 187 Abs. 2 BGB', '§ 188 Abs. 2 BGB']],
    ['start 1 Jan + 1 month → 31 Jan', '2026-01-01', 'start_of_day', { months: 1 }, '2026-01-31', ['§ 187 Abs. 2 BGB', '§ 188 Abs. 2 BGB']],
    ['start + 10 days (first day counts)', '2025-01-10', 'start_of_day', { days: 10 }, '2025-01-19', ['§ 187 Abs. 2 BGB', '§ 188 Abs. 1 BGB']],
    ['start + 1 day = same day', '2025-12-31', 'start_of_day', { days: 1 }, '2025-12-31', ['§ 187 Abs. 2 BGB', '§ 188 Abs. 1 BGB']],
    ['start Wednesday + 1 week → Tuesday', '2025-01-08', 'start_of_day', { weeks: 1 }, '2025-01-14', ['§ 187 Abs. 2 BGB', '§ 188 Abs. 2 BGB']],
  ])('%s', (_name, start, event, length, lastDay, basis) => {
    const result = computePeriodEnd({ start, event, length, shiftToWorkingDay: false });
    expect(result).toEqual({ lastDay, basis });
  });

  test.each([
    [{}],
    [{ months: 0 }],
    [{ months: -1 }],
    [{ days: 1.5 }],
    [{ years: Number.NaN }],
  ])('rejects invalid length %j', (length) => {
    expect(() => computePeriodEnd({ start: '2025-01-01', event: 'event', length, shiftToWorkingDay: false })).toThrow(
      RangeError,
    );
  });

  test('rejects an invalid start date', () => {
    expect(() => computePeriodEnd({ start: '2025-02-30', event: 'event', length: { days: 1 }, shiftToWorkingDay: false })).toThrow(
      RangeError,
    );
  });
});

describe('computePeriodEnd — § 193 BGB', () => {
  test.each<[string, LocalDate, PeriodLength, LocalDate, LocalDate | undefined, string[]]>([
    ['Saturday → Monday', '2025-01-15', { months: 1 }, '2025-02-17', '2025-02-15', ['§ 193 BGB']],
    ['Sunday → Monday', '2025-01-16', { months: 1 }, '2025-02-17', '2025-02-16', ['§ 193 BGB']],
    ['Karfreitag → Tuesday after Ostermontag', '2025-03-18', { months: 1 }, '2025-04-22', '2025-04-18', ['§ 193 BGB', '§ 2 Abs. 1 FTG NW']],
    ['Tag der Deutschen Einheit (Friday) → Monday', '2025-09-03', { months: 1 }, '2025-10-06', '2025-10-03', ['§ 193 BGB', 'Art. 2 Abs. 2 EinigVtr']],
    ['1. Weihnachtstag (Thursday) → Monday', '2025-11-25', { months: 1 }, '2025-12-29', '2025-12-25', ['§ 193 BGB', '§ 2 Abs. 1 FTG NW']],
    ['Neujahr (Thursday) → Friday 2 January', '2025-12-01', { months: 1 }, '2026-01-02', '2026-01-01', ['§ 193 BGB', '§ 2 Abs. 1 FTG NW']],
    ['Saturday 28 Feb 2026 → Monday 2 March', '2025-11-30', { months: 3 }, '2026-03-02', '2026-02-28', ['§ 193 BGB']],
    ['working day stays', '2025-01-17', { months: 1 }, '2025-02-17', undefined, []],
    ['24 December is a working day', '2025-12-14', { days: 10 }, '2025-12-24', undefined, []],
  ])('%s', (_name, start, length, lastDay, shiftedFrom, extraBasis) => {
    const result = computePeriodEnd({ start, event: 'event', length, shiftToWorkingDay: true });
    expect(result.lastDay).toBe(lastDay);
    expect(result.shiftedFrom).toBe(shiftedFrom);
    expect('shiftedFrom' in result).toBe(shiftedFrom !== undefined);
    for (const basis of extraBasis) {
      expect(result.basis).toContain(basis);
    }
    if (shiftedFrom === undefined) {
      expect(result.basis).not.toContain('§ 193 BGB');
    }
    const unshifted = computePeriodEnd({ start, event: 'event', length, shiftToWorkingDay: false });
    expect(unshifted.lastDay).toBe(shiftedFrom ?? lastDay);
  });
});

describe('computePeriodEnd — properties', () => {
  test('a longer period never ends earlier', () => {
    fc.assert(
      fc.property(
        arbitraryDate('2000-01-01', '2080-12-31'),
        arbitraryKind,
        arbitraryUnit,
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 0, max: 60 }),
        fc.boolean(),
        (start, event, unit, shorter, extra, shiftToWorkingDay) => {
          const a = computePeriodEnd({ start, event, length: { [unit]: shorter }, shiftToWorkingDay });
          const b = computePeriodEnd({ start, event, length: { [unit]: shorter + extra }, shiftToWorkingDay });
          expect(compareLocalDates(a.lastDay, b.lastDay)).toBeLessThanOrEqual(0);
        },
      ),
      { numRuns: 1000 },
    );
  });

  test('the end is never before the start (event: strictly after)', () => {
    fc.assert(
      fc.property(
        arbitraryDate('2000-01-01', '2080-12-31'),
        arbitraryKind,
        fc.record({
          years: fc.integer({ min: 0, max: 5 }),
          months: fc.integer({ min: 0, max: 24 }),
          weeks: fc.integer({ min: 0, max: 10 }),
          days: fc.integer({ min: 0, max: 40 }),
        }),
        fc.boolean(),
        (start, event, length, shiftToWorkingDay) => {
          fc.pre(length.years + length.months + length.weeks + length.days > 0);
          const { lastDay } = computePeriodEnd({ start, event, length, shiftToWorkingDay });
          const distance = daysBetween(start, lastDay);
          expect(distance).toBeGreaterThanOrEqual(event === 'event' ? 1 : 0);
        },
      ),
      { numRuns: 1000 },
    );
  });

  test('a shifted end is always a working day, at most 4 days after the unshifted one', () => {
    fc.assert(
      fc.property(arbitraryDate('2000-01-01', '2080-12-31'), arbitraryKind, arbitraryUnit, fc.integer({ min: 1, max: 30 }), (start, event, unit, n) => {
        const shifted = computePeriodEnd({ start, event, length: { [unit]: n }, shiftToWorkingDay: true });
        const plain = computePeriodEnd({ start, event, length: { [unit]: n }, shiftToWorkingDay: false });
        expect(isWorkingDay(shifted.lastDay)).toBe(true);
        const from = shifted.shiftedFrom ?? shifted.lastDay;
        expect(from).toBe(plain.lastDay);
        expect(daysBetween(plain.lastDay, shifted.lastDay)).toBeGreaterThanOrEqual(0);
        expect(daysBetween(plain.lastDay, shifted.lastDay)).toBeLessThanOrEqual(4);
        expect(shifted.basis.includes('§ 193 BGB')).toBe(shifted.shiftedFrom !== undefined);
      }),
      { numRuns: 1000 },
    );
  });

  test('days and weeks: § 187 Abs. 1 excludes, § 187 Abs. 2 includes the first day', () => {
    fc.assert(
      fc.property(arbitraryDate(), fc.integer({ min: 1, max: 1000 }), (start, n) => {
        const inclusive = (event: PeriodStart) => (event === 'event' ? 0 : -1);
        for (const event of ['event', 'start_of_day'] as const) {
          expect(computePeriodEnd({ start, event, length: { days: n }, shiftToWorkingDay: false }).lastDay).toBe(
            addDays(start, n + inclusive(event)),
          );
          expect(computePeriodEnd({ start, event, length: { weeks: n }, shiftToWorkingDay: false }).lastDay).toBe(
            addDays(start, 7 * n + inclusive(event)),
          );
        }
      }),
    );
  });

  test('months after an event end on the same day number, or the month end (§ 188 Abs. 3 BGB)', () => {
    fc.assert(
      fc.property(arbitraryDate(), fc.integer({ min: 1, max: 120 }), (start, months) => {
        const result = computePeriodEnd({ start, event: 'event', length: { months }, shiftToWorkingDay: false });
        const s = splitLocalDate(start);
        const e = splitLocalDate(result.lastDay);
        expect((e.year - s.year) * 12 + (e.month - s.month)).toBe(months);
        expect(e.day).toBe(Math.min(s.day, getDaysInMonth(e.year, e.month)));
        expect(result.basis.includes('§ 188 Abs. 3 BGB')).toBe(e.day !== s.day);
        // years are 12 months
        if (months % 12 === 0) {
          const asYears = computePeriodEnd({ start, event: 'event', length: { years: months / 12 }, shiftToWorkingDay: false });
          expect(asYears).toEqual(result);
        }
      }),
    );
  });

  test('start-of-day months: the next period starts on the corresponding day', () => {
    fc.assert(
      fc.property(arbitraryDate(), fc.integer({ min: 1, max: 120 }), (start, months) => {
        const { lastDay } = computePeriodEnd({ start, event: 'start_of_day', length: { months }, shiftToWorkingDay: false });
        const s = splitLocalDate(start);
        const next = splitLocalDate(firstDayAfter(lastDay));
        if (s.day <= getDaysInMonth(next.year, next.month) && next.day !== 1) {
          expect(next.day).toBe(s.day);
        }
        expect(daysBetween(start, lastDay)).toBeGreaterThanOrEqual(27 * months);
      }),
    );
  });
});

describe('firstDayAfter', () => {
  test.each([
    ['2024-02-28', '2024-02-29'],
    ['2025-02-28', '2025-03-01'],
    ['2025-12-31', '2026-01-01'],
  ])('firstDayAfter(%s) = %s', (lastDay, expected) => {
    expect(firstDayAfter(lastDay)).toBe(expected);
  });
});

describe('computeAgeOn — § 187 Abs. 2 Satz 2 BGB', () => {
  test.each([
    ['2000-03-01', '2018-02-28', 17],
    ['2000-03-01', '2018-03-01', 18],
    ['2000-02-29', '2018-02-28', 17],
    ['2000-02-29', '2018-03-01', 18],
    ['2000-02-29', '2020-02-28', 19],
    ['2000-02-29', '2020-02-29', 20],
    ['2000-01-01', '2017-12-31', 17],
    ['2000-01-01', '2018-01-01', 18],
    ['2000-12-31', '2018-12-30', 17],
    ['2000-12-31', '2018-12-31', 18],
    ['2000-12-31', '2019-01-01', 18],
    ['2007-06-15', '2007-06-15', 0],
    ['2007-06-15', '2008-06-14', 0],
    ['2007-06-15', '2008-06-15', 1],
  ])('born %s, on %s → %i', (birthDate, date, age) => {
    expect(computeAgeOn(birthDate, date)).toBe(age);
  });

  test('rejects a date before birth', () => {
    expect(() => computeAgeOn('2000-01-02', '2000-01-01')).toThrow(RangeError);
  });

  test('property: a year of life ends with the § 188 Abs. 2 BGB period from the birth day', () => {
    fc.assert(
      fc.property(arbitraryDate('1950-01-01', '2050-12-31'), fc.integer({ min: 1, max: 100 }), (birthDate, years) => {
        const { lastDay } = computePeriodEnd({ start: birthDate, event: 'start_of_day', length: { years }, shiftToWorkingDay: false });
        expect(computeAgeOn(birthDate, lastDay)).toBe(years - 1);
        expect(computeAgeOn(birthDate, firstDayAfter(lastDay))).toBe(years);
      }),
      { numRuns: 1000 },
    );
  });
});
