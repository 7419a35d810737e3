import fc from 'fast-check';
import { addDays, compareLocalDates, daysBetween, LocalDate, toEpochDay, toLocalDate } from '../../domain/calendar/localDate';
import {
  computeResidencePeriod,
  determineEarliestResidenceDate,
  determineRequiredResidenceYears,
  requiredResidenceHistory,
  residenceCountingConfig,
} from '../../domain/naturalisation/residencePeriod';
import { computeRequiredDays, determineResidenceMetOn, isResidencePeriodMet } from '../../domain/residenceHistory/counting';
import { findResidencePeriodOn } from '../../domain/residenceHistory/periods';
import { ResidenceHistory, ResidencePeriodFact } from '../../domain/residenceHistory/statuses';
import { findDatedValue } from '../../domain/naturalisation/datedHistory';
import { arbitraryAsOf, arbitraryHistory, overlayDuldung, permitFrom } from './naturalisationFixtures';

describe('determineRequiredResidenceYears — § 10 Abs. 1 Satz 1 StAG (dated)', () => {
  // Gesetz zur Modernisierung des Staatsangehörigkeitsrechts (BGBl. 2024 I Nr. 104): 8 → 5 years
  // from 27 June 2024; the 3-year track (§ 10 Abs. 3 StAG a.F.) deleted with effect from 30 Oct 2025.
  test.each<[LocalDate, number, number[]]>([
    ['2000-01-01', 8, []],
    ['2006-01-01', 8, [7]],
    ['2024-06-26', 8, [7, 6]],
    ['2024-06-27', 5, [3]],
    ['2025-10-29', 5, [3]],
    ['2025-10-30', 5, []],
    ['2026-11-15', 5, []],
  ])('on %s: %i years, shortened tracks %j', (asOf, years, tracks) => {
    expect(determineRequiredResidenceYears(asOf)).toBe(years);
    expect(findDatedValue(requiredResidenceHistory, asOf).shortenedTracks.map((track) => track.years)).toEqual(tracks);
  });

  test('a date before the first entry is an error, not the oldest value', () => {
    expect(() => determineRequiredResidenceYears('1999-12-31')).toThrow(RangeError);
  });
});

describe('computeResidencePeriod — exactly five years (§ 187 Abs. 2 BGB, § 188 Abs. 2 BGB)', () => {
  // A permit valid from day X counts X (start of day); five years end with the day before the
  // anniversary; the requirement is met from the anniversary.
  test.each<[string, LocalDate, LocalDate, boolean]>([
    ['day before the anniversary', '2021-03-01', '2026-02-28', false],
    ['anniversary', '2021-03-01', '2026-03-01', true],
    ['from 1 January: 31 December', '2021-01-01', '2025-12-31', false],
    ['from 1 January: 1 January', '2021-01-01', '2026-01-01', true],
    ['leap day start: 28 February five years later', '2024-02-29', '2029-02-28', false],
    ['leap day start: 1 March five years later', '2024-02-29', '2029-03-01', true],
    ['leap day start 2020: 28 February 2025', '2020-02-29', '2025-02-28', false],
    ['leap day start 2020: 1 March 2025', '2020-02-29', '2025-03-01', true],
    ['15 June: 14 June', '2021-06-15', '2026-06-14', false],
    ['15 June: 15 June', '2021-06-15', '2026-06-15', true],
  ])('%s (permit from %s, asOf %s) → met %s', (_name, from, asOf, met) => {
    const result = computeResidencePeriod([permitFrom(from)], asOf);
    expect(isResidencePeriodMet(result, 5)).toBe(met);
    expect(result.countedDays).toBe(daysBetween(from, asOf));
    expect(result.countedYears).toBe(met ? 5 : 4);
    expect(result.countingStartsOn).toBe(from);
  });

  test.each<[LocalDate, LocalDate]>([
    ['2021-03-01', '2026-03-01'],
    ['2024-02-29', '2029-03-01'],
    ['2020-02-29', '2025-03-01'],
    ['2021-01-01', '2026-01-01'],
  ])('earliest date for a permit from %s is %s — before it, on it and after it', (from, expected) => {
    const history = [permitFrom(from)];
    expect(determineEarliestResidenceDate(history, 5, '2025-11-01')).toBe(expected);
    expect(determineEarliestResidenceDate(history, 5, expected)).toBe(expected);
    expect(determineEarliestResidenceDate(history, 5, addDays(expected, 400))).toBe(expected);
  });

  test('computeRequiredDays: 1826 days across one leap day, 1827 across two', () => {
    expect(computeRequiredDays('2021-03-01', 5)).toBe(1826);
    expect(computeRequiredDays('2024-02-29', 5)).toBe(1827); // to 28 Feb 2029, includes 29 Feb 2024 and 2028
    expect(computeRequiredDays('2021-03-01', 0)).toBe(0);
    expect(computeRequiredDays('2026-01-01', { months: 6 })).toBe(181);
  });
});

type Case = [string, ResidencePeriodFact[], LocalDate, { countingStartsOn: LocalDate | null; metOn: LocalDate | null; interruption?: string }];

describe('computeResidencePeriod — what counts, what interrupts', () => {
  test.each<Case>([
    // § 55 Abs. 3 AsylG: Gestattung counts only if protection was later granted.
    [
      'Gestattung with later protection counts',
      [{ from: '2018-01-01', to: '2020-12-31', status: 'gestattung', protectionGrantedLater: true }, permitFrom('2021-01-01', '§ 25 Abs. 2 AufenthG')],
      '2026-11-15',
      { countingStartsOn: '2018-01-01', metOn: '2023-01-01' },
    ],
    [
      'Gestattung without protection neither counts nor interrupts',
      [{ from: '2018-01-01', to: '2020-12-31', status: 'gestattung', protectionGrantedLater: false }, permitFrom('2021-01-01', '§ 19c AufenthG')],
      '2026-11-15',
      { countingStartsOn: '2021-01-01', metOn: '2026-01-01' },
    ],
    // domain.md: Duldung periods do not count; they interrupt (§ 10 Abs. 1 Satz 1 StAG "rechtmäßig … seit").
    [
      'Duldung in between restarts the period',
      [
        { from: '2015-01-01', to: '2019-12-31', status: 'permit', permitBasis: '§ 16b AufenthG' },
        { from: '2020-01-01', to: '2020-12-31', status: 'duldung' },
        permitFrom('2021-01-01', '§ 25b AufenthG'),
      ],
      '2026-11-15',
      { countingStartsOn: '2021-01-01', metOn: '2026-01-01', interruption: 'duldung' },
    ],
    // § 81 Abs. 4 AufenthG: the old title continues while the renewal is pending.
    [
      'Fiktion under § 81 Abs. 4 AufenthG counts',
      [
        { from: '2018-01-01', to: '2020-06-30', status: 'permit', permitBasis: '§ 18b AufenthG' },
        { from: '2020-07-01', to: '2020-09-30', status: 'fiktion', permitBasis: '§ 81 Abs. 4 AufenthG' },
        permitFrom('2020-10-01'),
      ],
      '2023-06-01',
      { countingStartsOn: '2018-01-01', metOn: '2023-01-01' },
    ],
    [
      'Fiktion under § 81 Abs. 3 Satz 1 AufenthG counts',
      [{ from: '2018-01-01', to: '2018-03-31', status: 'fiktion', permitBasis: '§ 81 Abs. 3 Satz 1 AufenthG' }, permitFrom('2018-04-01')],
      '2023-06-01',
      { countingStartsOn: '2018-01-01', metOn: '2023-01-01' },
    ],
    [
      '§ 81 Abs. 3 Satz 2 AufenthG (late application: deportation suspended) interrupts like a Duldung',
      [
        { from: '2018-01-01', to: '2020-06-30', status: 'permit', permitBasis: '§ 18b AufenthG' },
        { from: '2020-07-01', to: '2020-09-30', status: 'fiktion', permitBasis: '§ 81 Abs. 3 Satz 2 AufenthG' },
        permitFrom('2020-10-01'),
      ],
      '2023-06-01',
      { countingStartsOn: '2020-10-01', metOn: '2025-10-01', interruption: 'fiktion' },
    ],
    // § 12b Abs. 1 Satz 1 StAG: stays abroad up to six months do not interrupt.
    [
      'stay abroad of three months: no interruption, counted',
      [{ from: '2018-01-01', to: '2019-03-31', status: 'permit', permitBasis: '§ 18b AufenthG' }, permitFrom('2019-07-01')],
      '2023-06-01',
      { countingStartsOn: '2018-01-01', metOn: '2023-01-01' },
    ],
    [
      'stay abroad of exactly six months (1 April – 30 September): no interruption',
      [{ from: '2018-01-01', to: '2019-03-31', status: 'permit', permitBasis: '§ 18b AufenthG' }, permitFrom('2019-10-01')],
      '2023-06-01',
      { countingStartsOn: '2018-01-01', metOn: '2023-01-01' },
    ],
    [
      'stay abroad of six months and one day: interrupts',
      [{ from: '2018-01-01', to: '2019-03-31', status: 'permit', permitBasis: '§ 18b AufenthG' }, permitFrom('2019-10-02')],
      '2026-11-15',
      { countingStartsOn: '2019-10-02', metOn: '2024-10-02', interruption: 'absence' },
    ],
    // § 12b Abs. 1 Satz 2 StAG: re-entry within the period set by the authority — no interruption, not counted.
    [
      'longer stay abroad with re-entry within the permitted period: no interruption, days added',
      [
        { from: '2018-01-01', to: '2019-03-31', status: 'permit', permitBasis: '§ 18b AufenthG' },
        { ...permitFrom('2019-10-02'), reenteredWithinPermittedPeriod: true },
      ],
      '2026-11-15',
      { countingStartsOn: '2018-01-01', metOn: '2023-07-04' },
    ],
    // § 12b Abs. 3 StAG: a lapse caused only by a late application is disregarded.
    [
      'no status because of a late renewal application: no interruption, not counted',
      [
        { from: '2018-01-01', to: '2019-12-31', status: 'permit', permitBasis: '§ 18b AufenthG' },
        { from: '2020-01-01', to: '2020-01-31', status: 'none', lateApplication: true },
        permitFrom('2020-02-01'),
      ],
      '2023-06-01',
      { countingStartsOn: '2018-01-01', metOn: '2023-02-01' },
    ],
    [
      'no status (unlawful stay): interrupts',
      [
        { from: '2018-01-01', to: '2019-12-31', status: 'permit', permitBasis: '§ 18b AufenthG' },
        { from: '2020-01-01', to: '2020-01-31', status: 'none' },
        permitFrom('2020-02-01'),
      ],
      '2026-11-15',
      { countingStartsOn: '2020-02-01', metOn: '2025-02-01', interruption: 'none' },
    ],
    [
      'EU free movement and Blue Card count like permits',
      [{ from: '2017-05-01', to: '2019-04-30', status: 'eu_free_movement' }, { from: '2019-05-01', status: 'blue_card' }],
      '2026-11-15',
      { countingStartsOn: '2017-05-01', metOn: '2022-05-01' },
    ],
    [
      'student permit (§ 16b AufenthG) counts towards the period',
      [{ from: '2019-10-01', to: '2022-09-30', status: 'permit', permitBasis: '§ 16b AufenthG' }, permitFrom('2022-10-01', '§ 18b AufenthG')],
      '2026-11-15',
      { countingStartsOn: '2019-10-01', metOn: '2024-10-01' },
    ],
  ])('%s', (_name, history, asOf, expected) => {
    const result = computeResidencePeriod(history, asOf);
    expect(result.countingStartsOn).toBe(expected.countingStartsOn);
    expect(determineEarliestResidenceDate(history, 5, asOf)).toBe(expected.metOn);
    if (expected.interruption === undefined) {
      expect(result.lastInterruption).toBeNull();
    } else {
      expect(result.lastInterruption?.status ?? result.lastInterruption?.kind).toBe(expected.interruption);
    }
  });

  test('an unknown Gestattung outcome is neutral but reported as uncertain', () => {
    const history: ResidencePeriodFact[] = [{ from: '2018-01-01', to: '2020-12-31', status: 'gestattung' }, permitFrom('2021-01-01', '§ 25 Abs. 2 AufenthG')];
    const result = computeResidencePeriod(history, '2024-06-01');
    expect(result.countingStartsOn).toBe('2021-01-01');
    expect(result.uncertainDays).toBe(daysBetween('2018-01-01', '2021-01-01'));
    expect(result.segments[0]).toMatchObject({ effect: 'neutral', uncertain: true, basis: '§ 55 Abs. 3 AsylG' });
  });

  test('§ 12b Abs. 2 StAG: after a long stay abroad the earlier residence is reported as creditable (max 5 years)', () => {
    const history: ResidencePeriodFact[] = [
      { from: '2010-01-01', to: '2018-12-31', status: 'settlement_permit' },
      permitFrom('2020-01-01'),
    ];
    const result = computeResidencePeriod(history, '2022-01-01');
    expect(result.lastInterruption).toMatchObject({ kind: 'absence', effect: 'interrupts' });
    expect(result.earlierResidenceCredit).toEqual({ days: computeRequiredDays('2010-01-01', 5), basis: '§ 12b Abs. 2 StAG' });
    expect(result.countingStartsOn).toBe('2020-01-01');
  });

  test.each<[string, LocalDate, number, boolean]>([
    // The ongoing stay abroad after a permit that ended on 31 May 2026: six months run to 30 November 2026.
    ['short ongoing stay abroad counts', '2026-11-15', daysBetween('2019-01-01', '2026-11-15'), false],
    ['ongoing stay abroad beyond six months interrupts', '2026-12-15', 0, true],
  ])('%s', (_name, asOf, countedDays, interrupted) => {
    const history: ResidencePeriodFact[] = [{ from: '2019-01-01', to: '2026-05-31', status: 'permit', permitBasis: '§ 18b AufenthG' }];
    const result = computeResidencePeriod(history, asOf);
    expect(result.countedDays).toBe(countedDays);
    expect(result.lastInterruption !== null).toBe(interrupted);
    expect(result.statusOnAsOf).toBe('abroad');
  });

  test.each<[string, ResidencePeriodFact[]]>([
    ['Duldung now', [{ from: '2019-01-01', to: '2020-12-31', status: 'permit', permitBasis: '§ 16b AufenthG' }, { from: '2021-01-01', status: 'duldung' }]],
    ['Gestattung now, outcome unknown', [{ from: '2024-01-01', status: 'gestattung' }]],
    ['Gestattung now, no protection', [{ from: '2024-01-01', status: 'gestattung', protectionGrantedLater: false }]],
    ['no status now', [{ from: '2024-01-01', status: 'none' }]],
    ['abroad now', [{ from: '2024-01-01', to: '2026-10-31', status: 'permit', permitBasis: '§ 18b AufenthG' }]],
    ['no history', []],
  ])('earliest date is null when the current status cannot reach the period: %s', (_name, history) => {
    expect(determineEarliestResidenceDate(history, 5, '2026-11-15')).toBeNull();
  });

  test('the recorded end of the current permit is ignored ("if the current status continues")', () => {
    const history: ResidencePeriodFact[] = [{ from: '2024-02-29', to: '2026-12-31', status: 'permit', permitBasis: '§ 18b AufenthG' }];
    expect(determineEarliestResidenceDate(history, 5, '2026-11-15')).toBe('2029-03-01');
  });

  test('a period starting on asOf counts from asOf; a period starting later is ignored', () => {
    expect(determineEarliestResidenceDate([permitFrom('2026-11-15')], 5, '2026-11-15')).toBe('2031-11-15');
    expect(determineEarliestResidenceDate([permitFrom('2026-11-16')], 5, '2026-11-15')).toBeNull();
    expect(computeResidencePeriod([permitFrom('2026-11-16')], '2026-11-15').statusOnAsOf).toBeNull();
  });

  test.each<[string, ResidencePeriodFact[]]>([
    ['overlapping periods', [{ from: '2020-01-01', to: '2021-01-01', status: 'permit' }, { from: '2021-01-01', status: 'permit' }]],
    ['open period followed by another', [{ from: '2020-01-01', status: 'permit' }, { from: '2021-01-01', status: 'permit' }]],
    ['end before start', [{ from: '2020-01-01', to: '2019-12-31', status: 'permit' }]],
    ['invalid date', [{ from: '2021-02-29', status: 'permit' }]],
  ])('rejects invalid history: %s', (_name, history) => {
    expect(() => computeResidencePeriod(history, '2026-11-15')).toThrow(RangeError);
  });

  test('the configuration carries its legal bases', () => {
    expect(residenceCountingConfig.shortAbsence).toMatchObject({ maxMonths: 6, basis: '§ 12b Abs. 1 Satz 1 StAG' });
    expect(residenceCountingConfig.permittedLongAbsence.basis).toBe('§ 12b Abs. 1 Satz 2 StAG');
    expect(residenceCountingConfig.lateApplication.basis).toBe('§ 12b Abs. 3 StAG');
    expect(residenceCountingConfig.earlierResidenceCredit).toMatchObject({ maxYears: 5, basis: '§ 12b Abs. 2 StAG' });
    expect(residenceCountingConfig.shortAbsence.note).toMatch(/verify/);
    expect(Object.isFrozen(residenceCountingConfig)).toBe(true);
  });

  test('with short absences not counted (configuration), they still do not interrupt', () => {
    const config = { ...residenceCountingConfig, shortAbsence: { ...residenceCountingConfig.shortAbsence, counts: false } };
    const history: ResidencePeriodFact[] = [{ from: '2018-01-01', to: '2019-03-31', status: 'permit', permitBasis: '§ 18b AufenthG' }, permitFrom('2019-07-01')];
    const result = computeResidencePeriod(history, '2023-06-01', config);
    expect(result.lastInterruption).toBeNull();
    expect(result.countedDays).toBe(daysBetween('2018-01-01', '2023-06-01') - daysBetween('2019-04-01', '2019-07-01'));
  });
});

describe('properties', () => {
  const earlierPermit = (history: ResidenceHistory, days: number): ResidenceHistory => {
    const first = [...history].sort((a, b) => compareLocalDates(a.from, b.from))[0];
    return [{ from: addDays(first.from, -days), to: addDays(first.from, -1), status: 'permit', permitBasis: '§ 18b AufenthG' }, ...history];
  };

  test('a longer lawful history (an earlier permit prepended) never shortens the counted period', () => {
    fc.assert(
      fc.property(arbitraryHistory, fc.integer({ min: 1, max: 2000 }), arbitraryAsOf, (history, days, asOf) => {
        const before = computeResidencePeriod(history, asOf);
        const after = computeResidencePeriod(earlierPermit(history, days), asOf);
        expect(after.countedDays).toBeGreaterThanOrEqual(before.countedDays);
      }),
      { numRuns: 300 },
    );
  });

  test('a later asOf under an ongoing permit never shortens the counted period', () => {
    fc.assert(
      fc.property(arbitraryHistory, fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 1000 }), (history, wait, later) => {
        // Close every period, then continue with an ongoing permit from the day after the last one.
        const closed = history.map((entry) => ({ ...entry, to: entry.to ?? entry.from }));
        const lastEnd = closed.map((entry) => entry.to).sort(compareLocalDates).at(-1) as LocalDate;
        const withOngoing: ResidenceHistory = [...closed, permitFrom(addDays(lastEnd, 1))];
        const asOf = addDays(lastEnd, 1 + wait);
        const now = computeResidencePeriod(withOngoing, asOf);
        const then = computeResidencePeriod(withOngoing, addDays(asOf, later));
        expect(then.countedDays).toBeGreaterThanOrEqual(now.countedDays);
      }),
      { numRuns: 300 },
    );
  });

  test('adding a Duldung period never increases the counted period', () => {
    fc.assert(
      fc.property(
        arbitraryHistory,
        arbitraryAsOf,
        fc.integer({ min: toEpochDay('2004-01-01'), max: toEpochDay('2030-12-31') }),
        fc.integer({ min: 1, max: 900 }),
        (history, asOf, start, length) => {
          const from = toLocalDate(start);
          const to = addDays(from, length - 1);
          const before = computeResidencePeriod(history, asOf);
          const after = computeResidencePeriod(overlayDuldung(history, from, to), asOf);
          expect(after.countedDays).toBeLessThanOrEqual(before.countedDays);
        },
      ),
      { numRuns: 400 },
    );
  });

  test('earliest residence date: not before asOf when not yet met; met on it and not the day before', () => {
    fc.assert(
      fc.property(arbitraryHistory, arbitraryAsOf, (history, asOf) => {
        const result = computeResidencePeriod(history, asOf);
        const earliest = determineEarliestResidenceDate(history, 5, asOf);
        if (isResidencePeriodMet(result, 5)) {
          expect(earliest).not.toBeNull();
          expect(compareLocalDates(earliest as LocalDate, asOf)).toBeLessThanOrEqual(0);
          expect(earliest).toBe(determineResidenceMetOn(result, 5));
          return;
        }
        if (earliest === null) {
          return;
        }
        expect(compareLocalDates(earliest, asOf)).toBeGreaterThan(0);
        // The status on asOf, continued without end, reaches the period exactly on `earliest`.
        const continued = history.map((entry) => (entry === findResidencePeriodOn(history, asOf) ? { ...entry, to: undefined } : entry)).filter(
          (entry) => compareLocalDates(entry.from, asOf) <= 0,
        );
        expect(isResidencePeriodMet(computeResidencePeriod(continued, earliest), 5)).toBe(true);
        expect(isResidencePeriodMet(computeResidencePeriod(continued, addDays(earliest, -1)), 5)).toBe(false);
      }),
      { numRuns: 400 },
    );
  });
});
