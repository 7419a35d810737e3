import { LocalDate } from '../../domain/calendar/localDate';
import { continuationConfig, evaluatePermitContinuation } from '../../domain/residence/permitContinuation';
import {
  computeDateBefore,
  determinePermitExpiryWatch,
  determinePreviousWorkingDay,
  expiryWatchConfig,
  listWatchedTitles,
} from '../../domain/residence/permitExpiryWatch';

describe('§ 81 Abs. 4 AufenthG — continuation of a title while its renewal is pending', () => {
  // Satz 1: filed before expiry → continues; Satz 3: late → the authority may order it (discretion).
  // A title valid until 30 Nov 2026 expires at the end of that day: filing on it is in time.
  test.each<[string, LocalDate | undefined, LocalDate, string, string, LocalDate | null, boolean, number]>([
    ['filed a month before', '2026-10-30', '2026-12-15', 'met', 'continued', '2026-12-01', true, 0],
    ['filed on the expiry day', '2026-11-30', '2026-12-15', 'met', 'continued', '2026-12-01', true, 0],
    ['filed one day late', '2026-12-01', '2026-12-15', 'discretion', 'discretion', '2026-12-01', false, 1],
    ['filed ten days late', '2026-12-10', '2026-12-15', 'discretion', 'discretion', '2026-12-01', false, 10],
    ['not filed, still in time', undefined, '2026-11-30', 'unknown', 'pending', null, false, 0],
    ['not filed, expired', undefined, '2026-12-01', 'not_met', 'none', null, false, 0],
    ['filing recorded for a later day is not yet filed', '2026-11-20', '2026-11-10', 'unknown', 'pending', null, false, 0],
  ])('%s', (_name, filedOn, asOf, status, effect, continuesFrom, certificate, daysLate) => {
    const result = evaluatePermitContinuation({ expiresOn: '2026-11-30', ...(filedOn === undefined ? {} : { filedOn }) }, asOf);
    expect(result.criterion.status).toBe(status);
    expect(result).toMatchObject({ effect, continuesFrom, fiktionsbescheinigung: certificate, daysLate, lastDayInTime: '2026-11-30' });
  });

  test('a late application is never a refusal: the basis is Satz 3 (discretion)', () => {
    const result = evaluatePermitContinuation({ expiresOn: '2026-11-30', filedOn: '2026-12-01' }, '2026-12-02');
    expect(result.criterion).toMatchObject({ status: 'discretion', basis: '§ 81 Abs. 4 Satz 3 AufenthG' });
  });

  test('the expiry-day choice is configuration', () => {
    const strict = { ...continuationConfig, expiryDayIsInTime: false };
    expect(evaluatePermitContinuation({ expiresOn: '2026-11-30', filedOn: '2026-11-30' }, '2026-12-02', strict).effect).toBe('discretion');
  });

  test('a Schengen visa does not continue (Satz 2)', () => {
    const result = evaluatePermitContinuation({ expiresOn: '2026-11-30', filedOn: '2026-11-01', permitBasis: '§ 6 Abs. 1 AufenthG' }, '2026-11-02');
    expect(result.criterion).toMatchObject({ status: 'not_met', basis: '§ 81 Abs. 4 Satz 2 AufenthG' });
  });
});

describe('permit-expiry watch — reminder and clerk-task dates', () => {
  test.each<[LocalDate, { weeks?: number; months?: number }, LocalDate]>([
    ['2026-11-30', { weeks: 8 }, '2026-10-05'],
    ['2026-11-30', { weeks: 4 }, '2026-11-02'],
    ['2026-03-31', { months: 1 }, '2026-02-28'], // no 31 February: the month's last day (cf. § 188 Abs. 3 BGB)
    ['2028-03-30', { months: 1 }, '2028-02-29'],
    ['2026-11-30', { months: 6 }, '2026-05-30'],
  ])('%s minus %j = %s', (date, length, expected) => {
    expect(computeDateBefore(date, length)).toBe(expected);
  });

  // NRW public holidays (§ 2 Abs. 1 FTG NW): 3 Oct 2026 is a Saturday; 25/26 Dec 2026 Friday/Saturday;
  // 8 weeks before 19 Feb 2027 is Christmas Day 2026.
  test.each<[LocalDate, LocalDate, LocalDate]>([
    ['2026-11-30', '2026-10-05', '2026-11-02'], // Mondays: working days, no shift
    ['2027-02-19', '2026-12-24', '2027-01-22'], // 25 Dec 2026 (Christmas, Friday) → Thursday 24 Dec
    ['2026-11-28', '2026-10-02', '2026-10-30'], // 3 Oct 2026 Saturday → Friday 2 Oct; 31 Oct Saturday → 30 Oct
  ])('expiring %s: reminder %s, clerk task %s', (expiresOn, reminderOn, clerkTaskOn) => {
    const watch = determinePermitExpiryWatch({ expiresOn }, '2026-06-01');
    expect(watch).toMatchObject({ reminderOn, clerkTaskOn, reminderDue: false, clerkTaskDue: false });
  });

  test('a previous working day skips weekends and holidays', () => {
    expect(determinePreviousWorkingDay('2026-12-27')).toBe('2026-12-24'); // Sunday ← Sat 26 (holiday) ← Fri 25 (holiday)
    expect(determinePreviousWorkingDay('2026-12-23')).toBe('2026-12-23');
  });

  test.each<[string, LocalDate, LocalDate | undefined, boolean, boolean]>([
    ['the day before the reminder', '2026-10-04', undefined, false, false],
    ['the reminder day', '2026-10-05', undefined, true, false],
    ['the clerk-task day, nothing filed', '2026-11-02', undefined, true, true],
    ['the clerk-task day, filed the day before', '2026-11-02', '2026-11-01', false, false],
  ])('%s', (_name, asOf, filedOn, reminderDue, clerkTaskDue) => {
    const watch = determinePermitExpiryWatch({ expiresOn: '2026-11-30', ...(filedOn === undefined ? {} : { filedOn }) }, asOf);
    expect(watch).toMatchObject({ reminderDue, clerkTaskDue });
  });

  test('lead times are configuration', () => {
    const config = { ...expiryWatchConfig, reminderLeadTime: { weeks: 6 }, moveToPreviousWorkingDay: false };
    expect(determinePermitExpiryWatch({ expiresOn: '2026-11-30' }, '2026-06-01', config).reminderOn).toBe('2026-10-19');
  });

  test('watched titles: permits and Blue Cards expiring on or after asOf', () => {
    const titles = listWatchedTitles(
      [
        { from: '2020-01-01', to: '2022-12-31', status: 'permit', permitBasis: '§ 16b AufenthG' },
        { from: '2023-01-01', to: '2026-11-30', status: 'permit', permitBasis: '§ 18b AufenthG' },
        { from: '2026-12-01', status: 'settlement_permit' },
      ],
      '2026-06-01',
    );
    expect(titles).toEqual([{ from: '2023-01-01', expiresOn: '2026-11-30', status: 'permit', permitBasis: '§ 18b AufenthG' }]);
  });
});
