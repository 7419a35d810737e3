import fc from 'fast-check';
import { startOfDayInBerlin, toBerlinLocalDate } from '../../domain/calendar/berlinTime';
import { addDays, compareLocalDates, daysBetween, LocalDate, toEpochDay, toLocalDate } from '../../domain/calendar/localDate';
import { isWorkingDay } from '../../domain/calendar/publicHolidays';
import {
  determineInactionDeadline,
  determineWarningInstants,
  InactionPeriodConfig,
  inactionPeriodConfig,
} from '../../domain/naturalisation/inactionDeadline';

const DAY = 86_400_000;
const shifting: InactionPeriodConfig = { ...inactionPeriodConfig, shiftToWorkingDay: true };

describe('inactionPeriodConfig', () => {
  test('three months from the application, not shifted by default (§ 75 Satz 2 VwGO)', () => {
    expect(inactionPeriodConfig.length).toEqual({ months: 3 });
    expect(inactionPeriodConfig.startsWith).toBe('event');
    expect(inactionPeriodConfig.shiftToWorkingDay).toBe(false);
    expect(inactionPeriodConfig.basis).toBe('§ 75 Satz 2 VwGO');
    expect(inactionPeriodConfig.note).toMatch(/§ 193 BGB/);
    expect(Object.isFrozen(inactionPeriodConfig)).toBe(true);
  });
});

describe('determineInactionDeadline — § 75 Satz 2 VwGO', () => {
  test.each<[string, LocalDate, LocalDate, LocalDate, number]>([
    ['30 Nov → 28 Feb', '2024-11-30', '2025-02-28', '2025-03-01', Date.UTC(2025, 1, 28, 23)],
    ['30 Nov → 29 Feb in a leap year', '2023-11-30', '2024-02-29', '2024-03-01', Date.UTC(2024, 1, 29, 23)],
    ['30 Nov → Saturday 28 Feb, not shifted', '2025-11-30', '2026-02-28', '2026-03-01', Date.UTC(2026, 1, 28, 23)],
    ['31 Jan → 30 Apr', '2025-01-31', '2025-04-30', '2025-05-01', Date.UTC(2025, 3, 30, 22)],
    ['15 Mar → 15 Jun (summer time)', '2025-03-15', '2025-06-15', '2025-06-16', Date.UTC(2025, 5, 15, 22)],
    ['period ends on DST switch day 29 Mar 2026', '2025-12-29', '2026-03-29', '2026-03-30', Date.UTC(2026, 2, 29, 22)],
    ['lawsuit possible on DST switch day 25 Oct 2026', '2026-07-24', '2026-10-24', '2026-10-25', Date.UTC(2026, 9, 24, 22)],
    ['lawsuit possible the day after 25 Oct 2026', '2026-07-25', '2026-10-25', '2026-10-26', Date.UTC(2026, 9, 25, 23)],
    ['filed 31 Dec → 31 Mar', '2025-12-31', '2026-03-31', '2026-04-01', Date.UTC(2026, 2, 31, 22)],
    ['filed 30 Sep → 30 Dec', '2025-09-30', '2025-12-30', '2025-12-31', Date.UTC(2025, 11, 30, 23)],
    ['filed 31 Oct → 31 Jan across year end', '2025-10-31', '2026-01-31', '2026-02-01', Date.UTC(2026, 0, 31, 23)],
  ])('default: %s', (_name, filedOn, periodEndsOn, lawsuitPossibleFrom, lawsuitPossibleAt) => {
    const deadline = determineInactionDeadline(filedOn);
    expect(deadline).toMatchObject({ filedOn, periodEndsOn, lawsuitPossibleFrom, lawsuitPossibleAt });
    expect(deadline.basis.slice(0, 4)).toEqual(['§ 75 Satz 2 VwGO', '§ 57 Abs. 2 VwGO', '§ 222 Abs. 1 ZPO', '§ 187 Abs. 1 BGB']);
    expect(deadline.basis).toContain('§ 188 Abs. 2 BGB');
    expect(deadline.basis).not.toContain('§ 193 BGB');
  });

  test('§ 188 Abs. 3 BGB is cited only when the day is missing', () => {
    expect(determineInactionDeadline('2024-11-30').basis).toContain('§ 188 Abs. 3 BGB');
    expect(determineInactionDeadline('2025-03-15').basis).not.toContain('§ 188 Abs. 3 BGB');
  });

  test.each<[string, LocalDate, LocalDate, LocalDate]>([
    ['Saturday 28 Feb 2026 → Monday 2 March', '2025-11-30', '2026-03-02', '2026-03-03'],
    ['Sunday 29 Mar 2026 → Monday 30 March', '2025-12-29', '2026-03-30', '2026-03-31'],
    ['Karfreitag 18 Apr 2025 → Tuesday 22 April', '2025-01-18', '2025-04-22', '2025-04-23'],
    ['working day stays', '2024-11-30', '2025-02-28', '2025-03-01'],
  ])('with § 193 BGB configured: %s', (_name, filedOn, periodEndsOn, lawsuitPossibleFrom) => {
    const deadline = determineInactionDeadline(filedOn, shifting);
    expect(deadline.periodEndsOn).toBe(periodEndsOn);
    expect(deadline.lawsuitPossibleFrom).toBe(lawsuitPossibleFrom);
    expect(deadline.lawsuitPossibleAt).toBe(startOfDayInBerlin(lawsuitPossibleFrom));
    expect(deadline.basis.includes('§ 193 BGB')).toBe(periodEndsOn !== determineInactionDeadline(filedOn).periodEndsOn);
  });

  test('rejects an invalid filing date', () => {
    expect(() => determineInactionDeadline('2025-02-30')).toThrow(RangeError);
  });

  test('property: default is never later than the shifted variant; shifted ends on a working day', () => {
    fc.assert(
      fc.property(fc.integer({ min: toEpochDay('2000-01-01'), max: toEpochDay('2090-12-31') }).map(toLocalDate), (filedOn) => {
        const plain = determineInactionDeadline(filedOn);
        const shifted = determineInactionDeadline(filedOn, shifting);
        expect(compareLocalDates(plain.lawsuitPossibleFrom, shifted.lawsuitPossibleFrom)).toBeLessThanOrEqual(0);
        expect(isWorkingDay(shifted.periodEndsOn)).toBe(true);
        expect(plain.lawsuitPossibleFrom).toBe(addDays(plain.periodEndsOn, 1));
        expect(toBerlinLocalDate(plain.lawsuitPossibleAt)).toBe(plain.lawsuitPossibleFrom);
        expect(toBerlinLocalDate(plain.lawsuitPossibleAt - 1)).toBe(plain.periodEndsOn);
        const waited = daysBetween(filedOn, plain.periodEndsOn);
        expect(waited).toBeGreaterThanOrEqual(89);
        expect(waited).toBeLessThanOrEqual(92);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('determineWarningInstants', () => {
  const deadline = determineInactionDeadline('2024-11-30');
  const at = deadline.lawsuitPossibleAt;

  test('returns instants sorted ascending, one per lead time', () => {
    expect(determineWarningInstants(deadline, [7 * DAY, 1 * DAY, 14 * DAY, 0])).toEqual([at - 14 * DAY, at - 7 * DAY, at - DAY, at]);
  });

  test('drops nothing: past instants and duplicates are kept', () => {
    const longAgo = at - Date.UTC(2000, 0, 1);
    expect(determineWarningInstants(deadline, [DAY, longAgo, DAY])).toEqual([Date.UTC(2000, 0, 1), at - DAY, at - DAY]);
    expect(determineWarningInstants(deadline, [])).toEqual([]);
  });

  test.each([[-1], [Number.NaN], [1.5], [Number.POSITIVE_INFINITY]])('rejects lead time %p', (leadTime) => {
    expect(() => determineWarningInstants(deadline, [leadTime])).toThrow(RangeError);
  });

  test('does not mutate the lead-time array', () => {
    const leadTimes = [DAY, 3 * DAY];
    determineWarningInstants(deadline, leadTimes);
    expect(leadTimes).toEqual([DAY, 3 * DAY]);
  });

  test('property: sorted, same length, never after lawsuitPossibleAt', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 365 * DAY })), (leadTimes) => {
        const instants = determineWarningInstants(deadline, leadTimes);
        expect(instants).toHaveLength(leadTimes.length);
        expect(instants.every((instant, i) => i === 0 || instants[i - 1]! <= instant)).toBe(true);
        expect(instants.every((instant) => instant <= at)).toBe(true);
        expect([...instants].map((instant) => at - instant).sort((a, b) => a - b)).toEqual([...leadTimes].sort((a, b) => a - b));
      }),
    );
  });
});
