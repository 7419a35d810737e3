import fc from 'fast-check';
import { LocalDate } from '../../domain/calendar/localDate';
import { CriterionStatus, isMoreFavourable } from '../../domain/naturalisation/criterion';
import { LivelihoodFacts, TriState } from '../../domain/naturalisation/facts';
import {
  evaluateCurrentLivelihoodRule,
  evaluateFormerLivelihoodRule,
  evaluateLivelihood,
  isTransitionalLivelihoodApplication,
  livelihoodRulesHistory,
} from '../../domain/naturalisation/livelihood';
import { AS_OF } from './naturalisationFixtures';

const rules = livelihoodRulesHistory[0].value;

const onBenefits = (overrides: Partial<LivelihoodFacts> = {}): LivelihoodFacts => ({
  receivesBenefits: 'yes',
  responsibleForBenefits: 'no',
  employment: { employedFullTimeNow: 'no', fullTimeMonthsInLast24: 0 },
  ...overrides,
});

describe('evaluateCurrentLivelihoodRule — § 10 Abs. 1 Satz 1 Nr. 3 StAG (since 27 June 2024)', () => {
  // Statute: livelihood without SGB II/XII benefits; "dies gilt nicht, wenn" a) guest worker
  // (FRG by 30 June 1974) or contract worker (GDR by 13 June 1990) not responsible; b) full time
  // now and 20 of the last 24 months; c) spouse/partner of (b) living with a minor child.
  test.each<[string, LivelihoodFacts, CriterionStatus, string]>([
    ['no benefits', onBenefits({ receivesBenefits: 'no' }), 'met', '§ 10 Abs. 1 Satz 1 Nr. 3 StAG'],
    ['benefits, not responsible, no exception (no longer enough)', onBenefits(), 'not_met', '§ 10 Abs. 1 Satz 1 Nr. 3 StAG'],
    ['benefits not known', onBenefits({ receivesBenefits: 'unknown' }), 'unknown', '§ 10 Abs. 1 Satz 1 Nr. 3 StAG'],
    // Buchst. a — "bis zum" inclusive.
    ['guest worker entered 30 June 1974, not responsible', onBenefits({ guestWorkerEntry: { kind: 'recruited_frg', enteredOn: '1974-06-30' } }), 'met', '§ 10 Abs. 1 Satz 1 Nr. 3 Buchst. a StAG'],
    ['guest worker entered 1 July 1974', onBenefits({ guestWorkerEntry: { kind: 'recruited_frg', enteredOn: '1974-07-01' } }), 'not_met', '§ 10 Abs. 1 Satz 1 Nr. 3 StAG'],
    ['contract worker entered 13 June 1990', onBenefits({ guestWorkerEntry: { kind: 'contract_gdr', enteredOn: '1990-06-13' } }), 'met', '§ 10 Abs. 1 Satz 1 Nr. 3 Buchst. a StAG'],
    ['contract worker entered 14 June 1990', onBenefits({ guestWorkerEntry: { kind: 'contract_gdr', enteredOn: '1990-06-14' } }), 'not_met', '§ 10 Abs. 1 Satz 1 Nr. 3 StAG'],
    ['guest worker, responsible for benefits', onBenefits({ responsibleForBenefits: 'yes', guestWorkerEntry: { kind: 'recruited_frg', enteredOn: '1970-03-01' } }), 'not_met', '§ 10 Abs. 1 Satz 1 Nr. 3 StAG'],
    ['guest worker, responsibility not established', onBenefits({ responsibleForBenefits: 'unknown', guestWorkerEntry: { kind: 'recruited_frg', enteredOn: '1970-03-01' } }), 'unknown', '§ 10 Abs. 1 Satz 1 Nr. 3 StAG'],
    // Buchst. b
    ['full time now, 20 of 24 months (topping up)', onBenefits({ employment: { employedFullTimeNow: 'yes', fullTimeMonthsInLast24: 20 } }), 'met', '§ 10 Abs. 1 Satz 1 Nr. 3 Buchst. b StAG'],
    ['full time now, 19 of 24 months', onBenefits({ employment: { employedFullTimeNow: 'yes', fullTimeMonthsInLast24: 19 } }), 'not_met', '§ 10 Abs. 1 Satz 1 Nr. 3 StAG'],
    ['24 months but not full time now', onBenefits({ employment: { employedFullTimeNow: 'no', fullTimeMonthsInLast24: 24 } }), 'not_met', '§ 10 Abs. 1 Satz 1 Nr. 3 StAG'],
    ['full time now, months not known', onBenefits({ employment: { employedFullTimeNow: 'yes' } }), 'unknown', '§ 10 Abs. 1 Satz 1 Nr. 3 StAG'],
    // Buchst. c
    [
      'spouse of a full-time worker, with a minor child',
      onBenefits({ partner: { employedFullTimeNow: 'yes', fullTimeMonthsInLast24: 22, livesInFamilyWithApplicantAndMinorChild: 'yes' } }),
      'met',
      '§ 10 Abs. 1 Satz 1 Nr. 3 Buchst. c StAG',
    ],
    [
      'spouse of a full-time worker, no minor child in the family',
      onBenefits({ partner: { employedFullTimeNow: 'yes', fullTimeMonthsInLast24: 22, livesInFamilyWithApplicantAndMinorChild: 'no' } }),
      'not_met',
      '§ 10 Abs. 1 Satz 1 Nr. 3 StAG',
    ],
    [
      'spouse of a part-time worker, with a minor child',
      onBenefits({ partner: { employedFullTimeNow: 'no', fullTimeMonthsInLast24: 22, livesInFamilyWithApplicantAndMinorChild: 'yes' } }),
      'not_met',
      '§ 10 Abs. 1 Satz 1 Nr. 3 StAG',
    ],
  ])('%s → %s', (_name, facts, status, basis) => {
    expect(evaluateCurrentLivelihoodRule(facts, rules)).toMatchObject({ id: 'livelihood', status, basis });
  });

  test('rejects impossible month counts', () => {
    expect(() => evaluateCurrentLivelihoodRule(onBenefits({ employment: { employedFullTimeNow: 'yes', fullTimeMonthsInLast24: 25 } }), rules)).toThrow(RangeError);
  });
});

describe('evaluateFormerLivelihoodRule — § 10 Abs. 1 Satz 1 Nr. 3 StAG a.F. ("oder deren Inanspruchnahme nicht zu vertreten hat")', () => {
  test.each<[TriState, TriState, CriterionStatus]>([
    ['no', 'yes', 'met'],
    ['yes', 'no', 'met'],
    ['yes', 'yes', 'not_met'],
    ['yes', 'unknown', 'unknown'],
    ['unknown', 'yes', 'unknown'],
    ['unknown', 'no', 'met'],
  ])('benefits %s, responsible %s → %s', (receivesBenefits, responsibleForBenefits, status) => {
    expect(evaluateFormerLivelihoodRule(onBenefits({ receivesBenefits, responsibleForBenefits })).status).toBe(status);
  });
});

describe('evaluateLivelihood — § 40a StAG: applications filed by 23 August 2023 keep the more favourable former rule', () => {
  test.each<[string, LocalDate | undefined, LivelihoodFacts, CriterionStatus, 'current' | 'former', boolean]>([
    ['filed 23 August 2023, benefits not his fault', '2023-08-23', onBenefits(), 'met', 'former', true],
    ['filed 24 August 2023, benefits not his fault', '2023-08-24', onBenefits(), 'not_met', 'current', false],
    ['filed 1 March 2022, benefits not his fault', '2022-03-01', onBenefits(), 'met', 'former', true],
    ['not filed yet (pre-check)', undefined, onBenefits(), 'not_met', 'current', false],
    ['filed 23 August 2023, responsible for benefits', '2023-08-23', onBenefits({ responsibleForBenefits: 'yes' }), 'not_met', 'current', true],
    ['filed 23 August 2023, no benefits: tie → current', '2023-08-23', onBenefits({ receivesBenefits: 'no' }), 'met', 'current', true],
    [
      'filed 23 August 2023, responsible but full time: current exception wins',
      '2023-08-23',
      onBenefits({ responsibleForBenefits: 'yes', employment: { employedFullTimeNow: 'yes', fullTimeMonthsInLast24: 24 } }),
      'met',
      'current',
      true,
    ],
    ['filed 23 August 2023, responsibility unknown: unknown beats not met', '2023-08-23', onBenefits({ responsibleForBenefits: 'unknown' }), 'unknown', 'former', true],
  ])('%s', (_name, filedOn, facts, status, version, transitional) => {
    const criterion = evaluateLivelihood(facts, filedOn, AS_OF);
    expect(criterion.status).toBe(status);
    expect(criterion.details).toMatchObject({ appliedVersion: version, transitional });
    if (version === 'former') {
      expect(criterion.basis).toBe('§ 10 Abs. 1 Satz 1 Nr. 3 StAG a.F.; § 40a StAG');
    }
  });

  test('the comparison is recorded for transitional applications', () => {
    expect(evaluateLivelihood(onBenefits(), '2023-08-23', AS_OF).details).toMatchObject({ comparison: { current: 'not_met', former: 'met' } });
  });

  test('the cut-off is configuration, inclusive', () => {
    expect(rules.transitionalFiledByInclusive).toBe('2023-08-23');
    expect(isTransitionalLivelihoodApplication('2023-08-23', rules)).toBe(true);
    expect(isTransitionalLivelihoodApplication('2023-08-24', rules)).toBe(false);
    expect(() => evaluateLivelihood(onBenefits(), '2023-08-23', '2024-06-26')).toThrow(RangeError);
  });

  const arbitraryFacts: fc.Arbitrary<LivelihoodFacts> = fc.record({
    receivesBenefits: fc.constantFrom<TriState>('yes', 'no', 'unknown'),
    responsibleForBenefits: fc.constantFrom<TriState>('yes', 'no', 'unknown'),
    employment: fc.record({ employedFullTimeNow: fc.constantFrom<TriState>('yes', 'no', 'unknown'), fullTimeMonthsInLast24: fc.integer({ min: 0, max: 24 }) }),
  });

  test('property: a transitional application is never treated worse than under the current rule alone', () => {
    fc.assert(
      fc.property(arbitraryFacts, (facts) => {
        const transitional = evaluateLivelihood(facts, '2023-08-23', AS_OF).status;
        const current = evaluateLivelihood(facts, '2023-08-24', AS_OF).status;
        expect(isMoreFavourable(current, transitional)).toBe(false);
      }),
    );
  });
});
