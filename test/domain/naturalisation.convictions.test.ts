import fc from 'fast-check';
import {
  computeSentenceDays,
  convictionRulesHistory,
  evaluateConvictions,
} from '../../domain/naturalisation/convictions';
import { CriterionStatus, isMoreFavourable } from '../../domain/naturalisation/criterion';
import { CriminalRecordFacts, Sentence } from '../../domain/naturalisation/facts';
import { AS_OF } from './naturalisationFixtures';

const fine = (dailyRates: number, inhumanMotiveFound = false): Sentence => ({ kind: 'fine', dailyRates, inhumanMotiveFound });
const prison = (months: number, suspended: boolean, remitted: boolean, days?: number): Sentence => ({
  kind: 'prison',
  months,
  suspended,
  remitted,
  inhumanMotiveFound: false,
  ...(days === undefined ? {} : { days }),
});
const record = (sentences: Sentence[], pendingInvestigation: CriminalRecordFacts['pendingInvestigation'] = 'no'): CriminalRecordFacts => ({ sentences, pendingInvestigation });

describe('evaluateConvictions — § 10 Abs. 1 Satz 1 Nr. 5 StAG with § 12a Abs. 1 StAG', () => {
  // § 12a Abs. 1 Satz 1 StAG: JGG measures, fines up to 90 daily rates, prison up to 3 months
  // suspended and remitted are disregarded. Satz 3: sentences add up, 1 daily rate = 1 day of
  // prison. Satz 4: a slight excess is decided case by case — VAH-StAG 12a.1.3: up to 21 daily
  // rates or three weeks, i.e. up to 111. Prison months at 30 days (implementation choice).
  test.each<[string, Sentence[], CriterionStatus, string, number | undefined]>([
    ['no conviction', [], 'met', '§ 10 Abs. 1 Satz 1 Nr. 5 StAG', 0],
    ['fine 90 daily rates', [fine(90)], 'met', '§ 12a Abs. 1 Satz 1 StAG', 90],
    ['fine 91 daily rates', [fine(91)], 'discretion', '§ 12a Abs. 1 Satz 4 StAG', 91],
    ['fine 111 daily rates', [fine(111)], 'discretion', '§ 12a Abs. 1 Satz 4 StAG', 111],
    ['fine 112 daily rates', [fine(112)], 'not_met', '§ 12a Abs. 1 Satz 4 StAG', 112],
    ['fine 120 daily rates (a third over: not slight)', [fine(120)], 'not_met', '§ 12a Abs. 1 Satz 4 StAG', 120],
    ['two fines 60 + 30 add up to 90', [fine(60), fine(30)], 'met', '§ 12a Abs. 1 Satz 1 StAG', 90],
    ['two fines 60 + 31 add up to 91', [fine(60), fine(31)], 'discretion', '§ 12a Abs. 1 Satz 4 StAG', 91],
    ['three fines 40 + 40 + 32 add up to 112', [fine(40), fine(40), fine(32)], 'not_met', '§ 12a Abs. 1 Satz 4 StAG', 112],
    ['prison 3 months suspended and remitted', [prison(3, true, true)], 'met', '§ 12a Abs. 1 Satz 1 StAG', 90],
    ['prison 2 months 21 days suspended and remitted', [prison(2, true, true, 21)], 'met', '§ 12a Abs. 1 Satz 1 StAG', 81],
    ['prison 3 months + 3 weeks suspended and remitted', [prison(3, true, true, 21)], 'discretion', '§ 12a Abs. 1 Satz 4 StAG', 111],
    ['prison 4 months suspended and remitted', [prison(4, true, true)], 'not_met', '§ 12a Abs. 1 Satz 4 StAG', 120],
    ['prison 3 months (remitted) + fine 21 = 111', [prison(3, true, true), fine(21)], 'discretion', '§ 12a Abs. 1 Satz 4 StAG', 111],
    ['prison 3 months (remitted) + fine 22 = 112', [prison(3, true, true), fine(22)], 'not_met', '§ 12a Abs. 1 Satz 4 StAG', 112],
    ['prison 1 month without probation', [prison(1, false, false)], 'not_met', '§ 12a Abs. 1 Satz 1 Nr. 3 StAG', undefined],
    ['prison 2 months on probation, not yet remitted', [prison(2, true, false)], 'not_met', '§ 12a Abs. 1 Satz 1 Nr. 3 StAG', undefined],
    ['juvenile educational measures', [{ kind: 'juvenile_measure' }], 'met', '§ 12a Abs. 1 Satz 1 StAG', 0],
    ['juvenile measures do not add to a 90-rate fine', [{ kind: 'juvenile_measure' }, { kind: 'juvenile_measure' }, fine(90)], 'met', '§ 12a Abs. 1 Satz 1 StAG', 90],
    ['youth penalty (Jugendstrafe)', [{ kind: 'juvenile_penalty', months: 6, inhumanMotiveFound: false }], 'not_met', '§ 10 Abs. 1 Satz 1 Nr. 5 StAG', undefined],
    // § 12a Abs. 1 Satz 2 StAG: no allowance at all for an inhuman motive found in the judgment.
    ['fine 10 with antisemitic/racist motive found', [fine(10, true)], 'not_met', '§ 12a Abs. 1 Satz 2 StAG', undefined],
    ['prison 1 month remitted with motive found', [{ ...prison(1, true, true), inhumanMotiveFound: true } as Sentence], 'not_met', '§ 12a Abs. 1 Satz 2 StAG', undefined],
    ['juvenile measure with motive noted (Satz 2 needs a prison, fine or youth sentence)', [{ kind: 'juvenile_measure', inhumanMotiveFound: true }], 'met', '§ 12a Abs. 1 Satz 1 StAG', 0],
    ['motive finding not recorded', [{ kind: 'fine', dailyRates: 10 }], 'unknown', '§ 12a Abs. 1 Satz 2 StAG', 10],
    // § 12a Abs. 1 Satz 5 StAG: § 61 Nr. 5/6 StGB measures case by case; others are a bar (Nr. 5).
    ['withdrawal of driving licence (§ 61 Nr. 5 StGB)', [{ kind: 'correctional_measure', stgbSection61Number: 5 }], 'discretion', '§ 12a Abs. 1 Satz 5 StAG', 0],
    ['psychiatric placement (§ 61 Nr. 1 StGB)', [{ kind: 'correctional_measure', stgbSection61Number: 1 }], 'not_met', '§ 10 Abs. 1 Satz 1 Nr. 5 StAG', undefined],
  ])('%s → %s', (_name, sentences, status, basis, totalDays) => {
    const criterion = evaluateConvictions(record(sentences), AS_OF);
    expect(criterion).toMatchObject({ id: 'convictions', status, basis });
    if (totalDays !== undefined) {
      expect(criterion.details?.totalDays).toBe(totalDays);
    }
    expect(criterion.reason.de.length).toBeGreaterThan(0);
    expect(criterion.reason.en.length).toBeGreaterThan(0);
  });

  test('computeSentenceDays: 1 daily rate = 1 day; 1 month = 30 days', () => {
    const rules = convictionRulesHistory[0].value;
    expect(computeSentenceDays(fine(45), rules)).toBe(45);
    expect(computeSentenceDays(prison(2, true, true, 14), rules)).toBe(74);
    expect(computeSentenceDays({ kind: 'juvenile_measure' }, rules)).toBe(0);
    expect(() => computeSentenceDays(fine(-1), rules)).toThrow(RangeError);
    expect(rules.note).toMatch(/verify/);
  });

  test('thresholds are a dated history: before 27 June 2024 it is an error', () => {
    expect(() => evaluateConvictions(record([]), '2024-06-26')).toThrow(RangeError);
  });
});

describe('evaluateConvictions — § 12a Abs. 3 StAG (suspension) and missing evidence', () => {
  test.each<[string, CriminalRecordFacts, CriterionStatus, string]>([
    ['pending investigation, clean record: decision suspended', record([], 'yes'), 'unknown', '§ 12a Abs. 3 Satz 1 StAG'],
    ['pending investigation, fine 50: decision suspended', record([fine(50)], 'yes'), 'unknown', '§ 12a Abs. 3 Satz 1 StAG'],
    ['pending investigation, fine 100: decision suspended', record([fine(100)], 'yes'), 'unknown', '§ 12a Abs. 3 Satz 1 StAG'],
    ['pending investigation but already barred (fine 200): not met', record([fine(200)], 'yes'), 'not_met', '§ 12a Abs. 1 Satz 4 StAG'],
    ['youth penalty deferred under § 27 JGG', { sentences: [], pendingInvestigation: 'no', juvenilePenaltyDeferred: true }, 'unknown', '§ 12a Abs. 3 Satz 2 StAG'],
    ['no register extract yet', { pendingInvestigation: 'no' }, 'unknown', '§ 10 Abs. 1 Satz 1 Nr. 5 StAG'],
    ['not known whether an investigation is pending', record([], 'unknown'), 'unknown', '§ 12a Abs. 3 Satz 1 StAG'],
  ])('%s', (_name, facts, status, basis) => {
    const criterion = evaluateConvictions(facts, AS_OF);
    expect(criterion).toMatchObject({ status, basis });
  });

  test('a suspended decision says so', () => {
    const criterion = evaluateConvictions(record([], 'yes'), AS_OF);
    expect(criterion.details).toEqual({ suspended: true });
    expect(criterion.reason.de).toMatch(/ausgesetzt/);
    expect(criterion.reason.en).toMatch(/suspended/);
  });

  test('a bar despite a pending investigation lists the investigation', () => {
    expect(evaluateConvictions(record([fine(200)], 'yes'), AS_OF).details).toMatchObject({ pendingInvestigation: 'yes' });
  });
});

describe('properties', () => {
  const arbitrarySentence: fc.Arbitrary<Sentence> = fc.oneof(
    fc.record({ kind: fc.constant('fine' as const), dailyRates: fc.integer({ min: 1, max: 200 }), inhumanMotiveFound: fc.constantFrom(true, false, undefined) }),
    fc.record({
      kind: fc.constant('prison' as const),
      months: fc.integer({ min: 0, max: 12 }),
      suspended: fc.boolean(),
      remitted: fc.boolean(),
      inhumanMotiveFound: fc.constantFrom(true, false, undefined),
    }),
    fc.constant<Sentence>({ kind: 'juvenile_measure' }),
    fc.record({ kind: fc.constant('correctional_measure' as const), stgbSection61Number: fc.integer({ min: 1, max: 8 }) }),
  );

  test('an additional sentence never makes the outcome more favourable', () => {
    fc.assert(
      fc.property(fc.array(arbitrarySentence, { maxLength: 5 }), arbitrarySentence, (sentences, extra) => {
        const before = evaluateConvictions(record(sentences), AS_OF).status;
        const after = evaluateConvictions(record([...sentences, extra]), AS_OF).status;
        expect(isMoreFavourable(after, before)).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  test('fines only: met up to 90, discretion up to 111, not met above', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 60 }), { minLength: 1, maxLength: 4 }), (rates) => {
        const total = rates.reduce((sum, rate) => sum + rate, 0);
        const expected: CriterionStatus = total <= 90 ? 'met' : total <= 111 ? 'discretion' : 'not_met';
        expect(evaluateConvictions(record(rates.map((rate) => fine(rate))), AS_OF).status).toBe(expected);
      }),
    );
  });
});
