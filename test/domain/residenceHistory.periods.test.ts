import fc from 'fast-check';
import { addDays, LocalDate, toEpochDay, toLocalDate } from '../../domain/calendar/localDate';
import {
  countDaysWhere,
  DatedPeriod,
  findGaps,
  findResidencePeriodOn,
  findStretchCovering,
  mergePeriods,
  sortResidenceHistory,
} from '../../domain/residenceHistory/periods';
import { determineFiktionKind, isPermitBasisUnder } from '../../domain/residenceHistory/permitPurposes';
import { ResidenceHistory } from '../../domain/residenceHistory/statuses';

describe('sortResidenceHistory / findResidencePeriodOn', () => {
  const history: ResidenceHistory = [
    { from: '2021-01-01', status: 'permit', permitBasis: '§ 104c AufenthG' },
    { from: '2018-03-01', to: '2020-12-31', status: 'duldung' },
  ];

  test('sorts by start and finds the period on a day, both ends inclusive', () => {
    expect(sortResidenceHistory(history).map((entry) => entry.from)).toEqual(['2018-03-01', '2021-01-01']);
    expect(findResidencePeriodOn(history, '2018-02-28')).toBeNull();
    expect(findResidencePeriodOn(history, '2018-03-01')?.status).toBe('duldung');
    expect(findResidencePeriodOn(history, '2020-12-31')?.status).toBe('duldung');
    expect(findResidencePeriodOn(history, '2021-01-01')?.status).toBe('permit');
  });

  test.each<[string, ResidenceHistory]>([
    ['overlapping periods', [{ from: '2020-01-01', to: '2020-06-30', status: 'duldung' }, { from: '2020-06-30', status: 'permit' }]],
    ['an open period before another', [{ from: '2020-01-01', status: 'duldung' }, { from: '2021-01-01', status: 'permit' }]],
    ['an end before the start', [{ from: '2020-01-02', to: '2020-01-01', status: 'duldung' }]],
    ['an invalid date', [{ from: '2020-02-30', status: 'duldung' }]],
  ])('rejects %s', (_name, bad) => {
    expect(() => sortResidenceHistory(bad)).toThrow(RangeError);
  });
});

describe('mergePeriods / findGaps', () => {
  test.each<[string, DatedPeriod[], number, DatedPeriod[]]>([
    ['touching periods merge', [{ from: '2020-01-01', to: '2020-01-31' }, { from: '2020-02-01', to: '2020-02-29' }], 0, [{ from: '2020-01-01', to: '2020-02-29' }]],
    ['a one-day gap stays', [{ from: '2020-01-01', to: '2020-01-31' }, { from: '2020-02-02', to: '2020-02-29' }], 0, [{ from: '2020-01-01', to: '2020-01-31' }, { from: '2020-02-02', to: '2020-02-29' }]],
    ['a one-day gap within tolerance merges', [{ from: '2020-01-01', to: '2020-01-31' }, { from: '2020-02-02', to: '2020-02-29' }], 1, [{ from: '2020-01-01', to: '2020-02-29' }]],
    ['an open period swallows later ones', [{ from: '2020-01-01' }, { from: '2021-01-01', to: '2021-12-31' }], 0, [{ from: '2020-01-01' }]],
    ['an open period last stays open', [{ from: '2020-01-01', to: '2020-12-31' }, { from: '2021-01-01' }], 0, [{ from: '2020-01-01' }]],
  ])('%s', (_name, periods, tolerance, expected) => {
    expect(mergePeriods(periods, tolerance)).toEqual(expected);
  });

  test('gaps between periods and after the last end, up to the last day', () => {
    const periods: DatedPeriod[] = [{ from: '2020-01-01', to: '2020-01-31' }, { from: '2020-03-01', to: '2020-03-31' }];
    expect(findGaps(periods, '2020-04-10')).toEqual([
      { from: '2020-02-01', to: '2020-02-29' },
      { from: '2020-04-01', to: '2020-04-10' },
    ]);
    expect(findGaps(periods, '2020-02-10')).toEqual([{ from: '2020-02-01', to: '2020-02-10' }]);
  });
});

describe('countDaysWhere / findStretchCovering', () => {
  const history: ResidenceHistory = [
    { from: '2020-01-01', to: '2020-12-31', status: 'duldung' },
    { from: '2021-01-02', to: '2021-06-30', status: 'duldung' },
    { from: '2021-07-01', status: 'gestattung' },
  ];

  test('days under a predicate up to a last day (leap year 2020: 366 days)', () => {
    expect(countDaysWhere(history, '2021-12-31', (entry) => entry.status === 'duldung')).toBe(366 + 180);
    expect(countDaysWhere(history, '2020-01-31', (entry) => entry.status === 'duldung')).toBe(31);
    expect(countDaysWhere(history, '2021-12-31', (entry) => entry.status === 'permit')).toBe(0);
  });

  test('the uninterrupted stretch covering a day: a one-day gap splits it unless tolerated', () => {
    const any = (): boolean => true;
    expect(findStretchCovering(history, '2021-08-01', any)).toEqual({ from: '2021-01-02' });
    expect(findStretchCovering(history, '2021-08-01', any, 1)).toEqual({ from: '2020-01-01' });
    expect(findStretchCovering(history, '2021-01-01', any)).toBeNull();
  });

  test('property: counted days never exceed the days since the first start and grow with the last day', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ start: fc.integer({ min: 0, max: 2000 }), length: fc.integer({ min: 0, max: 400 }) }), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 0, max: 3000 }),
        fc.integer({ min: 0, max: 500 }),
        (raw, lastOffset, extra) => {
          const base = toEpochDay('2015-01-01');
          const periods: DatedPeriod[] = raw.map((part) => ({ from: toLocalDate(base + part.start), to: toLocalDate(base + part.start + part.length) }));
          const lastDay: LocalDate = toLocalDate(base + lastOffset);
          const counted = countDaysWhere(periods, lastDay, () => true);
          expect(counted).toBeLessThanOrEqual(Math.max(0, lastOffset + 1));
          expect(countDaysWhere(periods, addDays(lastDay, extra), () => true)).toBeGreaterThanOrEqual(counted);
        },
      ),
    );
  });
});

describe('permit purposes', () => {
  test.each<[string | undefined, string, number | undefined, boolean]>([
    ['§ 104c AufenthG', '104c', undefined, true],
    ['§ 104c Abs. 1 AufenthG', '104c', undefined, true],
    ['§ 104 AufenthG', '104c', undefined, false],
    ['§ 25 Abs. 5 AufenthG', '25', 5, true],
    ['§ 25 Abs. 4a AufenthG', '25', 5, false],
    ['§ 104c AsylG', '104c', undefined, false],
    [undefined, '104c', undefined, false],
  ])('isPermitBasisUnder(%j, %s, %s) = %s', (text, section, subsection, expected) => {
    expect(isPermitBasisUnder(text, section, subsection)).toBe(expected);
  });

  test.each([
    ['§ 81 Abs. 4 AufenthG', 'continued'],
    ['§ 81 Abs. 4 Satz 1 AufenthG', 'continued'],
    ['§ 81 Abs. 3 Satz 1 AufenthG', 'permitted'],
    ['§ 81 Abs. 3 Satz 2 AufenthG', 'tolerated'],
    ['§ 81 Abs. 3 AufenthG', 'unknown'],
    ['§ 60a AufenthG', 'unknown'],
    [undefined, 'unknown'],
  ])('determineFiktionKind(%j) = %s', (text, kind) => {
    expect(determineFiktionKind(text)).toBe(kind);
  });
});
