import fc from 'fast-check';
import { addDays, compareLocalDates, LocalDate } from '../../domain/calendar/localDate';
import { ResidenceCriterionId } from '../../domain/residence/criterion';
import { ResidenceCheckFacts } from '../../domain/residence/facts';
import {
  evaluateSustainedIntegration,
  nrwShorteningDecree,
  sustainedIntegrationConfig,
  SustainedIntegrationConfig,
} from '../../domain/residence/sustainedIntegration';
import { evaluateWellIntegratedYoungPeople } from '../../domain/residence/wellIntegratedYoungPeople';
import { arbitraryDate, arbitraryTriState, AS_OF, duldungFrom, makeResidenceFacts } from './residenceFixtures';

const withoutDecree: SustainedIntegrationConfig = { ...sustainedIntegrationConfig, shorteningDecree: { ...nrwShorteningDecree, enabled: false } };

function criterion(facts: ResidenceCheckFacts, asOf: LocalDate, id: ResidenceCriterionId, config = sustainedIntegrationConfig) {
  const found = evaluateSustainedIntegration(facts, asOf, config).criteria.find((entry) => entry.id === id);
  if (found === undefined) {
    throw new Error(`no criterion ${id}`);
  }
  return found;
}

describe('§ 25b Abs. 1 Satz 2 Nr. 1 AufenthG — six years, or four with a minor child', () => {
  // § 187 Abs. 2 BGB, § 188 Abs. 2 BGB: six years from 15 Nov 2020 end with 14 Nov 2026; met from 15 Nov 2026.
  // Four years from 15 Nov 2022 end with 14 Nov 2026. A Duldung from 1 Mar 2020 (a leap year) ends six years with 28 Feb 2026.
  const child = (dateOfBirth: LocalDate, livesInHousehold: 'yes' | 'no' | 'unknown' = 'yes') => ({ dateOfBirth, livesInHousehold, attendsSchool: 'yes' as const });
  test.each<[string, Partial<ResidenceCheckFacts>, LocalDate, SustainedIntegrationConfig, string, LocalDate | null]>([
    ['6 years minus a day (no decree)', { residenceHistory: [duldungFrom('2020-11-15')] }, '2026-11-14', withoutDecree, 'not_met', '2026-11-15'],
    ['exactly 6 years', { residenceHistory: [duldungFrom('2020-11-15')] }, '2026-11-15', withoutDecree, 'met', '2026-11-15'],
    ['6 years minus a day, NRW decree: discretion', { residenceHistory: [duldungFrom('2020-11-15')] }, '2026-11-14', sustainedIntegrationConfig, 'discretion', '2026-11-15'],
    ['leap year: 6 years from 1 Mar 2020 on 1 Mar 2026', { residenceHistory: [duldungFrom('2020-03-01')] }, '2026-03-01', withoutDecree, 'met', '2026-03-01'],
    ['leap year: 28 Feb 2026 is a day short', { residenceHistory: [duldungFrom('2020-03-01')] }, '2026-02-28', withoutDecree, 'not_met', '2026-03-01'],
    ['4 years with a minor child in the household', { residenceHistory: [duldungFrom('2022-11-15')], minorChildren: [child('2015-04-01')] }, '2026-11-15', withoutDecree, 'met', '2026-11-15'],
    ['4 years minus a day with a minor child', { residenceHistory: [duldungFrom('2022-11-15')], minorChildren: [child('2015-04-01')] }, '2026-11-14', withoutDecree, 'not_met', '2026-11-15'],
    ['4 years, the child does not live in the household', { residenceHistory: [duldungFrom('2022-11-15')], minorChildren: [child('2015-04-01', 'no')] }, '2026-11-15', withoutDecree, 'not_met', '2028-11-15'],
    ['4 years, household unknown', { residenceHistory: [duldungFrom('2022-11-15')], minorChildren: [child('2015-04-01', 'unknown')] }, '2026-11-15', withoutDecree, 'unknown', '2028-11-15'],
    ['the child turned 18 before the 4 years: 6 years needed', { residenceHistory: [duldungFrom('2022-11-15')], minorChildren: [child('2008-11-14')] }, '2026-11-15', withoutDecree, 'not_met', '2028-11-15'],
    ['the child turns 18 on the day 4 years are reached: 6 years needed', { residenceHistory: [duldungFrom('2022-11-15')], minorChildren: [child('2008-11-15')] }, '2026-11-15', withoutDecree, 'not_met', '2028-11-15'],
    ['the child turns 18 the day after: met', { residenceHistory: [duldungFrom('2022-11-15')], minorChildren: [child('2008-11-16')] }, '2026-11-15', withoutDecree, 'met', '2026-11-15'],
    [
      'a Duldung gap longer than 3 months restarts the period',
      { residenceHistory: [duldungFrom('2018-01-01', '2022-03-31'), duldungFrom('2022-08-01')] },
      AS_OF,
      withoutDecree,
      'not_met',
      '2028-08-01',
    ],
  ])('%s', (_name, overrides, asOf, config, status, becomesMetOn) => {
    const found = criterion(makeResidenceFacts(overrides), asOf, 'preceding_residence', config);
    expect(found.status).toBe(status);
    expect(found.becomesMetOn).toBe(becomesMetOn);
  });

  test('the NRW decree is configuration: the shortened period gives discretion, citing the decree', () => {
    const facts = makeResidenceFacts({ residenceHistory: [duldungFrom('2022-11-15')] });
    const shortened = criterion(facts, '2026-11-15', 'preceding_residence');
    expect(shortened).toMatchObject({ status: 'discretion', becomesMetOn: '2028-11-15', details: { shortenedYears: 4, shortenedMetOn: '2026-11-15', decree: nrwShorteningDecree.reference } });
    expect(criterion(facts, '2026-11-14', 'preceding_residence').status).toBe('not_met');
    expect(criterion(facts, '2026-11-15', 'preceding_residence', withoutDecree).status).toBe('not_met');
  });
});

describe('§ 25b AufenthG — the other criteria', () => {
  test.each<[string, Partial<ResidenceCheckFacts>, ResidenceCriterionId, string]>([
    ['baseline', {}, 'preceding_residence', 'met'],
    ['Gestattung now: outside § 25b Abs. 1 Satz 1', { residenceHistory: [{ from: '2015-01-01', status: 'gestattung' }] }, 'toleration_or_opportunity_permit', 'not_met'],
    ['no commitment declared (Nr. 2)', { declaredCommitmentToBasicOrder: 'no' }, 'basic_order_and_knowledge', 'not_met'],
    ['knowledge not proven yet (Nr. 2)', { civicKnowledge: { orientationCourseCompleted: 'unknown', testPassed: 'no' } }, 'basic_order_and_knowledge', 'unknown'],
    ['51 % from work (Nr. 3)', { livelihood: { shareFromWork: 0.51, receivesBenefits: 'yes', inEducation: 'no', securedExpected: 'no', singleParent: 'no' } }, 'livelihood', 'met'],
    ['exactly 50 % is not predominant (Nr. 3)', { livelihood: { shareFromWork: 0.5, receivesBenefits: 'yes', inEducation: 'no', securedExpected: 'no', singleParent: 'no' } }, 'livelihood', 'not_met'],
    [
      'single parent on temporary benefits (Satz 3)',
      { livelihood: { shareFromWork: 0.3, receivesBenefits: 'yes', inEducation: 'no', securedExpected: 'no', temporaryBenefitGround: 'single_parent', singleParent: 'yes' } },
      'livelihood',
      'discretion',
    ],
    ['livelihood waived for age (Abs. 3)', { integrationWaiver: 'age', livelihood: { shareFromWork: 0, receivesBenefits: 'yes', inEducation: 'no', securedExpected: 'no', singleParent: 'no' } }, 'livelihood', 'met'],
    ['only A1 (Nr. 4)', { language: { level: 'A1', on: '2025-01-01' } }, 'oral_german', 'not_met'],
    ['A2 certificate dated after asOf is no proof yet', { language: { level: 'B1', on: '2026-12-01' } }, 'oral_german', 'unknown'],
    ['language waived for illness (Abs. 3)', { integrationWaiver: 'illness_or_disability', language: undefined }, 'oral_german', 'met'],
    ['a school-age child not at school (Nr. 5)', { minorChildren: [{ dateOfBirth: '2016-03-01', livesInHousehold: 'yes', attendsSchool: 'no' }] }, 'children_school_attendance', 'not_met'],
    ['a toddler need not attend school (Nr. 5)', { minorChildren: [{ dateOfBirth: '2023-03-01', livesInHousehold: 'yes', attendsSchool: 'no' }] }, 'children_school_attendance', 'met'],
    ['non-cooperation (Abs. 2 Nr. 1)', { nonCooperation: 'yes' }, 'obstruction', 'not_met'],
    ['serious expulsion interest (Abs. 2 Nr. 2)', { seriousExpulsionInterest: 'yes' }, 'expulsion_interest', 'not_met'],
    ['expulsion interest unknown', { seriousExpulsionInterest: 'unknown' }, 'expulsion_interest', 'unknown'],
  ])('%s', (_name, overrides, id, status) => {
    expect(criterion(makeResidenceFacts(overrides), AS_OF, id).status).toBe(status);
  });

  test('baseline meets § 25b: overall met, no end date', () => {
    expect(evaluateSustainedIntegration(makeResidenceFacts(), AS_OF)).toMatchObject({ overall: 'met', rule: '§ 25b AufenthG', eligibleFrom: '2025-03-01', eligibleUntil: null });
  });
});

// Properties over random facts: the invariants hold for any combination, not only the tables.
const TRI_STATE_FIELDS = [
  'declaredCommitmentToBasicOrder',
  'indicationsAgainstDemocraticOrder',
  'passportHeld',
  'identityClarified',
  'ownDeceptionAboutIdentity',
  'nonCooperation',
  'seriousExpulsionInterest',
  'integrationPrognosis',
] as const;

const arbitraryFacts: fc.Arbitrary<ResidenceCheckFacts> = fc
  .record({
    start: arbitraryDate('2012-01-01', '2026-06-01'),
    born: arbitraryDate('1998-01-01', '2012-12-31'),
    // Mostly the baseline's value (null), so that overall `met` is common enough to be tested.
    tri: fc.tuple(...TRI_STATE_FIELDS.map(() => fc.oneof({ arbitrary: fc.constant(null), weight: 4 }, { arbitrary: arbitraryTriState, weight: 1 }))),
    inEducation: arbitraryTriState,
    benefits: fc.constantFrom('no', 'no', 'yes', 'unknown') as fc.Arbitrary<'yes' | 'no' | 'unknown'>,
    expected: fc.constantFrom('yes', 'yes', 'no', 'unknown') as fc.Arbitrary<'yes' | 'no' | 'unknown'>,
    share: fc.oneof({ arbitrary: fc.constant(0.8), weight: 3 }, { arbitrary: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }), weight: 1 }),
    household: arbitraryTriState,
    attends: fc.constantFrom('yes', 'yes', 'no', 'unknown') as fc.Arbitrary<'yes' | 'no' | 'unknown'>,
    course: fc.constantFrom('yes', 'yes', 'no', 'unknown') as fc.Arbitrary<'yes' | 'no' | 'unknown'>,
    test: arbitraryTriState,
    hasLanguage: fc.constantFrom(true, true, true, false),
  })
  .map((draw) =>
    makeResidenceFacts({
      dateOfBirth: draw.born,
      residenceHistory: [duldungFrom(draw.start)],
      ...Object.fromEntries(TRI_STATE_FIELDS.flatMap((field, index) => (draw.tri[index] === null ? [] : [[field, draw.tri[index]]]))),
      livelihood: { shareFromWork: draw.share, receivesBenefits: draw.benefits, inEducation: draw.inEducation, securedExpected: draw.expected, singleParent: 'no' },
      civicKnowledge: { orientationCourseCompleted: draw.course, testPassed: draw.test },
      minorChildren: [{ dateOfBirth: '2014-05-05', livesInHousehold: draw.household, attendsSchool: draw.attends }],
      language: draw.hasLanguage ? { level: 'A2', on: '2020-01-01' } : undefined,
    }),
  );

describe('properties of § 25a and § 25b AufenthG', () => {
  const rules = [
    ['§ 25a', evaluateWellIntegratedYoungPeople],
    ['§ 25b', evaluateSustainedIntegration],
  ] as const;

  test.each(rules)('%s: an unknown fact never gives overall met unless its value does not matter', (_name, evaluate) => {
    fc.assert(
      fc.property(arbitraryFacts, fc.constantFrom(...TRI_STATE_FIELDS), (facts, field) => {
        const unknown = evaluate({ ...facts, [field]: 'unknown' }, AS_OF);
        if (unknown.overall === 'met') {
          expect(evaluate({ ...facts, [field]: 'yes' }, AS_OF).overall).toBe('met');
          expect(evaluate({ ...facts, [field]: 'no' }, AS_OF).overall).toBe('met');
        }
        if (unknown.criteria.some((entry) => entry.status === 'unknown')) {
          expect(unknown.overall).not.toBe('met');
        }
      }),
      { numRuns: 1000 },
    );
  });

  test.each(rules)('%s: a longer continuing history never moves becomesMetOn later', (_name, evaluate) => {
    fc.assert(
      fc.property(arbitraryFacts, fc.integer({ min: 1, max: 2000 }), (facts, extraDays) => {
        const start = facts.residenceHistory[0].from;
        const longer = { ...facts, residenceHistory: [duldungFrom(addDays(start, -extraDays))] };
        const before = evaluate(facts, AS_OF).criteria.find((entry) => entry.id === 'preceding_residence')?.becomesMetOn;
        const after = evaluate(longer, AS_OF).criteria.find((entry) => entry.id === 'preceding_residence')?.becomesMetOn;
        if (before !== null && before !== undefined) {
          expect(after).not.toBeNull();
          expect(compareLocalDates(after as LocalDate, before)).toBeLessThanOrEqual(0);
        }
      }),
      { numRuns: 300 },
    );
  });

  test.each(rules)('%s: a projected date is kept — on that day the criterion is met from that day', (_name, evaluate) => {
    fc.assert(
      fc.property(arbitraryFacts, (facts) => {
        const projected = evaluate(facts, AS_OF).criteria.find((entry) => entry.id === 'preceding_residence')?.becomesMetOn;
        if (projected !== null && projected !== undefined && compareLocalDates(projected, AS_OF) > 0) {
          const later = evaluate(facts, projected).criteria.find((entry) => entry.id === 'preceding_residence');
          expect(later?.status).toBe('met');
          expect(later?.becomesMetOn).toBe(projected);
        }
      }),
      { numRuns: 200 },
    );
  });
});
