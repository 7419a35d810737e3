import fc from 'fast-check';
import { compareLocalDates, LocalDate } from '../../domain/calendar/localDate';
import { CriterionId, CriterionStatus } from '../../domain/naturalisation/criterion';
import {
  determineOverall,
  eligibilityConfig,
  EligibilityOverall,
  evaluateNaturalisationEligibility,
  NATURALISATION_RULE_SET_VERSION,
} from '../../domain/naturalisation/eligibility';
import { NaturalisationFacts } from '../../domain/naturalisation/facts';
import { AS_OF, arbitraryAsOf, arbitraryHistory, makeFacts, permitFrom } from './naturalisationFixtures';

const statusOf = (facts: NaturalisationFacts, id: CriterionId, asOf: LocalDate = AS_OF): CriterionStatus | undefined =>
  evaluateNaturalisationEligibility(facts, asOf).criteria.find((criterion) => criterion.id === id)?.status;

describe('evaluateNaturalisationEligibility — § 10 StAG as in force since 30 October 2025', () => {
  test('an applicant meeting every criterion is eligible from asOf', () => {
    const result = evaluateNaturalisationEligibility(makeFacts(), AS_OF);
    expect(result).toMatchObject({
      ruleSetVersion: 'stag-10@2025-10-30',
      asOf: AS_OF,
      overall: 'eligible',
      earliestEligibleOn: AS_OF,
      requiredResidenceYears: 5,
      residencePeriodMetOn: '2024-01-10',
    });
    expect(result.ruleSetVersion).toBe(NATURALISATION_RULE_SET_VERSION);
    expect(result.criteria.map((criterion) => criterion.id)).toEqual([
      'identity_and_nationality',
      'capacity_to_act',
      'residence_period',
      'declaration_basic_order',
      'historical_responsibility',
      'residence_title',
      'livelihood',
      'convictions',
      'german_language',
      'civic_knowledge',
      'no_multiple_marriage',
      'gender_equality',
      'exclusion_grounds',
    ]);
    for (const criterion of result.criteria) {
      expect(criterion.status).toBe('met');
      expect(criterion.basis).toMatch(/^§ \d+[a-z]?( Abs\. \d+[a-z]?)?( Satz \d+)?( Nr\. \d+[a-z]?)?( Buchst\. [a-z])? [A-Za-zÄÖÜäöü]+/);
      expect(criterion.reason.de).not.toBe('');
      expect(criterion.reason.en).not.toBe('');
    }
  });

  test('the rule set does not know the law before 30 October 2025', () => {
    expect(() => evaluateNaturalisationEligibility(makeFacts(), '2025-10-29')).toThrow(RangeError);
    expect(evaluateNaturalisationEligibility(makeFacts(), '2025-10-30').ruleSetVersion).toBe('stag-10@2025-10-30');
  });

  test.each<[string, Partial<NaturalisationFacts>, CriterionId, CriterionStatus, EligibilityOverall, string?]>([
    // § 10 Abs. 1 Satz 1 StAG: identity and nationality clarified.
    ['identity not clarified', { identityClarified: 'no' }, 'identity_and_nationality', 'not_met', 'not_eligible'],
    ['nationality not yet established', { nationalityClarified: 'unknown' }, 'identity_and_nationality', 'unknown', 'incomplete'],
    // § 37 Abs. 1 Satz 1 StAG: capable of acting from 16, or legally represented.
    ['adult incapable of acting, represented', { capacity: { incapacitated: 'yes', legallyRepresented: 'yes' } }, 'capacity_to_act', 'met', 'eligible'],
    ['adult incapable of acting, not represented', { capacity: { incapacitated: 'yes', legallyRepresented: 'no' } }, 'capacity_to_act', 'not_met', 'not_eligible'],
    // Nr. 1 and Nr. 1a declarations.
    ['declaration Nr. 1 refused', { declarations: { basicOrderAndLoyalty: 'no', historicalResponsibility: 'yes' } }, 'declaration_basic_order', 'not_met', 'not_eligible', '§ 10 Abs. 1 Satz 1 Nr. 1 StAG'],
    ['declaration Nr. 1a not yet made', { declarations: { basicOrderAndLoyalty: 'yes', historicalResponsibility: 'unknown' } }, 'historical_responsibility', 'unknown', 'incomplete', '§ 10 Abs. 1 Satz 1 Nr. 1a StAG'],
    // Nr. 2: a § 16b student permit does not suffice at the time of naturalisation.
    [
      'student permit (§ 16b AufenthG) now',
      { residenceHistory: [{ from: '2019-10-01', status: 'permit', permitBasis: '§ 16b AufenthG' }] },
      'residence_title',
      'not_met',
      'not_eligible',
      '§ 10 Abs. 1 Satz 1 Nr. 2 StAG',
    ],
    // Nr. 3 livelihood.
    ['benefits, no exception', { livelihood: { receivesBenefits: 'yes', responsibleForBenefits: 'no', employment: { employedFullTimeNow: 'no', fullTimeMonthsInLast24: 0 } } }, 'livelihood', 'not_met', 'not_eligible'],
    // Nr. 5 with § 12a StAG.
    ['fine 100 daily rates', { criminalRecord: { sentences: [{ kind: 'fine', dailyRates: 100, inhumanMotiveFound: false }], pendingInvestigation: 'no' } }, 'convictions', 'discretion', 'discretion'],
    ['pending investigation', { criminalRecord: { sentences: [], pendingInvestigation: 'yes' } }, 'convictions', 'unknown', 'incomplete', '§ 12a Abs. 3 Satz 1 StAG'],
    // Nr. 6 German B1 (§ 10 Abs. 4 Satz 1 StAG), waivers (§ 10 Abs. 6 StAG).
    ['German A2 only', { language: { certifiedLevel: 'A2' } }, 'german_language', 'not_met', 'not_eligible', '§ 10 Abs. 4 Satz 1 StAG'],
    ['German C1', { language: { certifiedLevel: 'C1' } }, 'german_language', 'met', 'eligible'],
    ['no language certificate yet', { language: {} }, 'german_language', 'unknown', 'incomplete'],
    ['German school-leaving certificate', { language: { germanSchoolCertificate: true } }, 'german_language', 'met', 'eligible'],
    ['language waived for illness', { language: { waiver: 'illness_or_disability' } }, 'german_language', 'met', 'eligible', '§ 10 Abs. 6 StAG'],
    // Nr. 7 naturalisation test: 17 of 33.
    ['test 16 of 33', { civicKnowledge: { testCorrectAnswers: 16 } }, 'civic_knowledge', 'not_met', 'not_eligible'],
    ['test 17 of 33', { civicKnowledge: { testCorrectAnswers: 17 } }, 'civic_knowledge', 'met', 'eligible'],
    ['test not taken, German school certificate', { civicKnowledge: { germanSchoolCertificate: true } }, 'civic_knowledge', 'met', 'eligible'],
    ['test not taken', { civicKnowledge: {} }, 'civic_knowledge', 'unknown', 'incomplete'],
    ['test waived for age', { civicKnowledge: { waiver: 'age' } }, 'civic_knowledge', 'met', 'eligible', '§ 10 Abs. 6 StAG'],
    // § 11 Satz 1 Nr. 3 StAG (numbering: verify).
    ['multiple marriage', { conduct: { multipleMarriage: 'yes', disregardsGenderEquality: 'no' } }, 'no_multiple_marriage', 'not_met', 'not_eligible', '§ 11 Satz 1 Nr. 3 Buchst. a StAG'],
    ['equality conduct not established', { conduct: { multipleMarriage: 'no', disregardsGenderEquality: 'unknown' } }, 'gender_equality', 'unknown', 'incomplete', '§ 11 Satz 1 Nr. 3 Buchst. b StAG'],
    // § 11 Satz 1 Nr. 1, 1a, 2 StAG.
    ['extremist activity', { exclusionGrounds: { extremistActivity: 'yes', declarationContentIncorrect: 'no', seriousExpulsionInterest: 'no' } }, 'exclusion_grounds', 'not_met', 'not_eligible', '§ 11 Satz 1 Nr. 1 StAG'],
    [
      'earlier extremist activity, turning away credibly shown',
      { exclusionGrounds: { extremistActivity: 'yes', credibleDistancing: true, declarationContentIncorrect: 'no', seriousExpulsionInterest: 'no' } },
      'exclusion_grounds',
      'met',
      'eligible',
      '§ 11 Satz 1 Nr. 1 StAG',
    ],
    ['declaration untrue', { exclusionGrounds: { extremistActivity: 'no', declarationContentIncorrect: 'yes', seriousExpulsionInterest: 'no' } }, 'exclusion_grounds', 'not_met', 'not_eligible', '§ 11 Satz 1 Nr. 1a StAG'],
    ['serious expulsion interest', { exclusionGrounds: { extremistActivity: 'no', declarationContentIncorrect: 'no', seriousExpulsionInterest: 'yes' } }, 'exclusion_grounds', 'not_met', 'not_eligible', '§ 11 Satz 1 Nr. 2 StAG'],
  ])('%s → %s is %s, overall %s', (...row) => {
    // Rest parameters: jest would pass a `done` callback in place of a missing last element.
    const [, overrides, id, status, overall, basis] = row;
    const result = evaluateNaturalisationEligibility(makeFacts(overrides), AS_OF);
    const criterion = result.criteria.find((candidate) => candidate.id === id);
    expect(criterion?.status).toBe(status);
    expect(result.overall).toBe(overall);
    if (basis !== undefined) {
      expect(criterion?.basis).toBe(basis);
    }
  });
});

describe('residence period and earliestEligibleOn', () => {
  test.each<[string, NaturalisationFacts['residenceHistory'], LocalDate, CriterionStatus, LocalDate | null]>([
    // Exactly five years: permit from 15 November 2021 → met from 15 November 2026.
    ['the day before five years', [permitFrom('2021-11-16')], AS_OF, 'not_met', '2026-11-16'],
    ['the day of five years', [permitFrom('2021-11-15')], AS_OF, 'met', AS_OF],
    ['leap day start, before', [permitFrom('2024-02-29')], '2029-02-28', 'not_met', '2029-03-01'],
    ['leap day start, on', [permitFrom('2024-02-29')], '2029-03-01', 'met', '2029-03-01'],
    [
      'Duldung in between: period restarts',
      [
        { from: '2012-01-01', to: '2022-12-31', status: 'permit', permitBasis: '§ 25 Abs. 5 AufenthG' },
        { from: '2023-01-01', to: '2023-06-30', status: 'duldung' },
        permitFrom('2023-07-01', '§ 25b AufenthG'),
      ],
      AS_OF,
      'not_met',
      '2028-07-01',
    ],
    [
      'Gestattung with later protection counts',
      [{ from: '2020-03-01', to: '2022-02-28', status: 'gestattung', protectionGrantedLater: true }, permitFrom('2022-03-01', '§ 25 Abs. 2 AufenthG')],
      AS_OF,
      'met',
      AS_OF,
    ],
    [
      'Gestattung without protection does not count',
      [{ from: '2020-03-01', to: '2022-02-28', status: 'gestattung', protectionGrantedLater: false }, permitFrom('2022-03-01', '§ 19c AufenthG')],
      AS_OF,
      'not_met',
      '2027-03-01',
    ],
  ])('%s', (_name, residenceHistory, asOf, status, earliest) => {
    const result = evaluateNaturalisationEligibility(makeFacts({ residenceHistory }), asOf);
    expect(result.criteria.find((criterion) => criterion.id === 'residence_period')?.status).toBe(status);
    expect(result.earliestEligibleOn).toBe(earliest);
    expect(result.overall).toBe(status === 'met' ? 'eligible' : 'not_eligible');
  });

  test('Gestattung with unknown outcome: the period is unknown, not refused', () => {
    const facts = makeFacts({
      residenceHistory: [{ from: '2020-03-01', to: '2022-02-28', status: 'gestattung' }, permitFrom('2022-03-01', '§ 25 Abs. 2 AufenthG')],
    });
    const result = evaluateNaturalisationEligibility(facts, AS_OF);
    expect(result.criteria.find((criterion) => criterion.id === 'residence_period')).toMatchObject({ status: 'unknown', basis: '§ 55 Abs. 3 AsylG' });
    expect(result.overall).toBe('incomplete');
    expect(result.earliestEligibleOn).toBeNull();
    expect(result.residencePeriodMetOn).toBe('2027-03-01');
  });

  test('§ 12b Abs. 2 StAG: a long stay abroad with earlier residence → discretion', () => {
    const facts = makeFacts({
      residenceHistory: [
        { from: '2010-01-01', to: '2020-12-31', status: 'settlement_permit' },
        { from: '2023-01-01', status: 'settlement_permit' },
      ],
    });
    const result = evaluateNaturalisationEligibility(facts, AS_OF);
    expect(result.criteria.find((criterion) => criterion.id === 'residence_period')).toMatchObject({ status: 'discretion', basis: '§ 12b Abs. 2 StAG' });
    expect(result.overall).toBe('discretion');
    expect(result.earliestEligibleOn).toBeNull();
  });

  test('residence period missing together with another criterion: no earliest date', () => {
    const result = evaluateNaturalisationEligibility(makeFacts({ residenceHistory: [permitFrom('2023-01-01')], language: { certifiedLevel: 'A2' } }), AS_OF);
    expect(result.overall).toBe('not_eligible');
    expect(result.earliestEligibleOn).toBeNull();
    expect(result.residencePeriodMetOn).toBe('2028-01-01');
  });

  test('residence period missing under a Duldung: not reachable, no date', () => {
    const result = evaluateNaturalisationEligibility(makeFacts({ residenceHistory: [{ from: '2020-01-01', status: 'duldung' }] }), AS_OF);
    expect(result.residencePeriodMetOn).toBeNull();
    expect(result.earliestEligibleOn).toBeNull();
  });
});

describe('age-dependent rules', () => {
  // § 10 Abs. 1 Satz 2 StAG: Nr. 1 (and 1a, verify) and Nr. 7 do not apply under 16;
  // § 10 Abs. 4 Satz 2 StAG: age-appropriate German; § 37 Abs. 1 Satz 1 StAG: capable from 16.
  const child = (overrides: Partial<NaturalisationFacts> = {}): NaturalisationFacts =>
    makeFacts({
      dateOfBirth: '2012-06-01',
      capacity: { incapacitated: 'no', legallyRepresented: 'yes' },
      declarations: { basicOrderAndLoyalty: 'unknown', historicalResponsibility: 'unknown' },
      civicKnowledge: {},
      language: { ageAppropriate: 'yes' },
      ...overrides,
    });

  test('a 14-year-old: declarations and test not applicable, age-appropriate German, represented', () => {
    const result = evaluateNaturalisationEligibility(child(), AS_OF);
    expect(result.overall).toBe('eligible');
    for (const id of ['declaration_basic_order', 'historical_responsibility', 'civic_knowledge'] as const) {
      expect(result.criteria.find((criterion) => criterion.id === id)).toMatchObject({ status: 'met', basis: '§ 10 Abs. 1 Satz 2 StAG', details: { notApplicable: true } });
    }
    expect(result.criteria.find((criterion) => criterion.id === 'german_language')?.basis).toBe('§ 10 Abs. 4 Satz 2 StAG');
  });

  test.each<[string, Partial<NaturalisationFacts>, CriterionId, CriterionStatus]>([
    ['14 and not represented', { capacity: { incapacitated: 'no', legallyRepresented: 'no' } }, 'capacity_to_act', 'not_met'],
    ['14, representation not recorded', { capacity: { incapacitated: 'no', legallyRepresented: 'unknown' } }, 'capacity_to_act', 'unknown'],
    ['14 without age-appropriate German', { language: { ageAppropriate: 'no' } }, 'german_language', 'not_met'],
    ['turned 16 the day before: declarations needed', { dateOfBirth: '2010-11-14' }, 'declaration_basic_order', 'unknown'],
    ['turns 16 on asOf: capable of acting alone', { dateOfBirth: '2010-11-15', capacity: { incapacitated: 'no', legallyRepresented: 'no' } }, 'capacity_to_act', 'met'],
    ['turns 16 on asOf: test required', { dateOfBirth: '2010-11-15' }, 'civic_knowledge', 'unknown'],
    ['15 the day before the birthday: test not applicable', { dateOfBirth: '2010-11-16' }, 'civic_knowledge', 'met'],
  ])('%s', (_name, overrides, id, status) => {
    expect(statusOf(child(overrides), id)).toBe(status);
  });
});

describe('guest workers and contract workers', () => {
  // § 10 Abs. 1 Satz 1 Nr. 3 Buchst. a StAG; everyday oral German and no test (§ 10 Abs. 4 Satz 3 StAG, verify).
  const guestWorker = (overrides: Partial<NaturalisationFacts> = {}): NaturalisationFacts =>
    makeFacts({
      dateOfBirth: '1950-02-01',
      residenceHistory: [{ from: '1972-04-01', status: 'settlement_permit' }],
      livelihood: {
        receivesBenefits: 'yes',
        responsibleForBenefits: 'no',
        guestWorkerEntry: { kind: 'recruited_frg', enteredOn: '1972-04-01' },
        employment: { employedFullTimeNow: 'no', fullTimeMonthsInLast24: 0 },
      },
      language: { everydayOralGerman: 'yes' },
      civicKnowledge: {},
      ...overrides,
    });

  test('recruited 1972, on benefits not of his making, oral German, no test: eligible', () => {
    const result = evaluateNaturalisationEligibility(guestWorker(), AS_OF);
    expect(result.overall).toBe('eligible');
    expect(result.criteria.find((criterion) => criterion.id === 'livelihood')?.basis).toBe('§ 10 Abs. 1 Satz 1 Nr. 3 Buchst. a StAG');
    expect(result.criteria.find((criterion) => criterion.id === 'german_language')?.basis).toBe(eligibilityConfig.language.guestWorkerBasis);
  });

  test('the spouse of a contract worker (entered 1988) also needs only oral German', () => {
    const facts = makeFacts({ language: { everydayOralGerman: 'yes', spouseGuestWorkerEntry: { kind: 'contract_gdr', enteredOn: '1988-09-01' } }, civicKnowledge: {} });
    expect(evaluateNaturalisationEligibility(facts, AS_OF).overall).toBe('eligible');
  });

  test('entered after 30 June 1974: the ordinary rules apply', () => {
    const facts = guestWorker({
      livelihood: {
        receivesBenefits: 'yes',
        responsibleForBenefits: 'no',
        guestWorkerEntry: { kind: 'recruited_frg', enteredOn: '1974-07-01' },
        employment: { employedFullTimeNow: 'no', fullTimeMonthsInLast24: 0 },
      },
    });
    const result = evaluateNaturalisationEligibility(facts, AS_OF);
    expect(statusOf(facts, 'livelihood')).toBe('not_met');
    expect(statusOf(facts, 'german_language')).toBe('unknown');
    expect(result.overall).toBe('not_eligible');
  });
});

describe('§ 40a StAG through the whole evaluation', () => {
  const onBenefits = (applicationFiledOn: LocalDate): NaturalisationFacts =>
    makeFacts({
      applicationFiledOn,
      livelihood: { receivesBenefits: 'yes', responsibleForBenefits: 'no', employment: { employedFullTimeNow: 'no', fullTimeMonthsInLast24: 6 } },
    });
  test.each<[LocalDate, EligibilityOverall]>([
    ['2023-08-23', 'eligible'],
    ['2023-08-24', 'not_eligible'],
  ])('filed %s → %s', (filedOn, overall) => {
    expect(evaluateNaturalisationEligibility(onBenefits(filedOn), AS_OF).overall).toBe(overall);
  });
});

describe('properties', () => {
  test('earliestEligibleOn is never before asOf when not yet eligible, and asOf when eligible', () => {
    fc.assert(
      fc.property(arbitraryHistory, arbitraryAsOf, (residenceHistory, asOf) => {
        const result = evaluateNaturalisationEligibility(makeFacts({ residenceHistory }), asOf);
        if (result.overall === 'eligible') {
          expect(result.earliestEligibleOn).toBe(asOf);
        } else if (result.earliestEligibleOn !== null) {
          expect(compareLocalDates(result.earliestEligibleOn, asOf)).toBeGreaterThan(0);
          // Only the residence period may be missing.
          for (const criterion of result.criteria) {
            expect(criterion.status === 'met' || criterion.id === 'residence_period').toBe(true);
          }
        }
        expect(result.ruleSetVersion).toBe(NATURALISATION_RULE_SET_VERSION);
        expect(result.overall).toBe(determineOverall(result.criteria));
      }),
      { numRuns: 300 },
    );
  });

  test('evaluation is deterministic', () => {
    fc.assert(
      fc.property(arbitraryHistory, arbitraryAsOf, (residenceHistory, asOf) => {
        const facts = makeFacts({ residenceHistory });
        expect(evaluateNaturalisationEligibility(facts, asOf)).toEqual(evaluateNaturalisationEligibility(facts, asOf));
      }),
      { numRuns: 50 },
    );
  });
});
