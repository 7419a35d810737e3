import { LocalDate } from '../../domain/calendar/localDate';
import {
  computeRequiredDays,
  countResidence,
  determineResidenceMetOn,
  projectResidenceMetOn,
  ResidenceClassifier,
} from '../../domain/residenceHistory/counting';
import { ResidenceHistory } from '../../domain/residenceHistory/statuses';

// A classifier as simple as possible, so the tests show the machinery alone: Duldung and
// Gestattung count, `none` is neutral, every stay abroad interrupts.
const classifier: ResidenceClassifier = {
  classifyPeriod: (entry) => ({
    effect: entry.status === 'none' ? 'neutral' : 'counts',
    uncertain: false,
    basis: 'test',
    reason: { de: 'Test', en: 'test' },
  }),
  classifyAbsence: () => ({ effect: 'interrupts', uncertain: false, basis: 'test', reason: { de: 'Test', en: 'test' } }),
};

describe('computeRequiredDays — § 187 Abs. 2 BGB, § 188 Abs. 2 BGB, § 188 Abs. 3 BGB', () => {
  test.each<[LocalDate, number | { months: number }, number]>([
    ['2020-01-01', 1, 366], // 2020 is a leap year
    ['2021-01-01', 1, 365],
    ['2020-03-01', 6, 2191], // 1 Mar 2020 – 28 Feb 2026: two leap days (2020 is before, 2024 inside)
    ['2024-02-29', 1, 366], // ends 28 Feb 2025 (§ 188 Abs. 2 BGB: the day before the 29th)
    ['2020-01-31', { months: 1 }, 30], // 31 Jan – 29 Feb 2020: no 30 Feb, so the month's last day (§ 188 Abs. 3 BGB)
    ['2020-01-01', 0, 0],
  ])('from %s, %j → %i days', (start, required, days) => {
    expect(computeRequiredDays(start, required)).toBe(days);
  });
});

describe('countResidence / determineResidenceMetOn / projectResidenceMetOn', () => {
  // Duldung from 1 March 2020: three years complete at the end of 28 February 2023, met from 1 March 2023.
  const history: ResidenceHistory = [{ from: '2020-03-01', status: 'duldung' }];

  test.each<[LocalDate, number, LocalDate | null]>([
    ['2023-02-28', 2, null],
    ['2023-03-01', 3, '2023-03-01'],
    ['2026-11-15', 6, '2023-03-01'],
  ])('on %s: %i completed years, three years met on %s', (asOf, years, metOn) => {
    const count = countResidence(history, asOf, classifier);
    expect(count.countedYears).toBe(years);
    expect(determineResidenceMetOn(count, 3)).toBe(metOn);
  });

  test('a projection from a counting status is the same date the count reaches later', () => {
    const early = countResidence(history, '2021-06-15', classifier);
    expect(projectResidenceMetOn(early, 3, true)).toBe('2023-03-01');
    expect(projectResidenceMetOn(early, 3, false)).toBeNull();
  });

  test('a stay abroad interrupts: the run restarts after it; a neutral period delays by its days', () => {
    const interrupted: ResidenceHistory = [
      { from: '2018-01-01', to: '2020-12-31', status: 'duldung' },
      { from: '2021-01-02', status: 'duldung' },
    ];
    const count = countResidence(interrupted, '2024-06-01', classifier);
    expect(count.lastInterruption).toMatchObject({ kind: 'absence', from: '2021-01-01', to: '2021-01-01' });
    expect(count.runStartsOn).toBe('2021-01-02');
    expect(determineResidenceMetOn(count, 3)).toBe('2024-01-02');

    const neutral: ResidenceHistory = [
      { from: '2021-01-01', to: '2021-01-10', status: 'duldung' },
      { from: '2021-01-11', to: '2021-01-20', status: 'none' },
      { from: '2021-01-21', status: 'duldung' },
    ];
    expect(determineResidenceMetOn(countResidence(neutral, '2025-01-01', classifier), 3)).toBe('2024-01-11');
  });

  test('status on asOf: recorded, abroad after the last end, or null before any period', () => {
    const closed: ResidenceHistory = [{ from: '2020-01-01', to: '2020-12-31', status: 'gestattung' }];
    expect(countResidence(closed, '2020-06-01', classifier).statusOnAsOf).toBe('gestattung');
    expect(countResidence(closed, '2021-06-01', classifier).statusOnAsOf).toBe('abroad');
    expect(countResidence(closed, '2019-06-01', classifier).statusOnAsOf).toBeNull();
  });
});
