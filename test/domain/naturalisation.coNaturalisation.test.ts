import { LocalDate } from '../../domain/calendar/localDate';
import {
  coNaturalisationConfig,
  CoNaturalisationConfig,
  evaluateChildCoNaturalisation,
  evaluateHouseholdCoNaturalisation,
  evaluateSpouseCoNaturalisation,
} from '../../domain/naturalisation/coNaturalisation';
import { CriterionId, CriterionStatus } from '../../domain/naturalisation/criterion';
import { EligibilityOverall, evaluateNaturalisationEligibility } from '../../domain/naturalisation/eligibility';
import { ChildFacts, NaturalisationFacts, SpouseFacts } from '../../domain/naturalisation/facts';
import { AS_OF, makeFacts, permitFrom } from './naturalisationFixtures';

// § 10 Abs. 2 StAG: spouse/partner and minor children "können … mit eingebürgert werden, auch wenn
// sie sich noch nicht seit fünf Jahren rechtmäßig im Inland aufhalten". The statute sets no minimum;
// the defaults (spouse 3 years + 2 years of marriage, child 3 years, under 6: 6 months) are
// configuration marked (verify) — older BMI guidance under the 8-year rule: spouse 4 + 2, child 3
// (under 6: 6 months immediately before).

const principal = evaluateNaturalisationEligibility(makeFacts(), AS_OF);

const spouse = (overrides: Partial<SpouseFacts> = {}, facts: Partial<NaturalisationFacts> = {}): SpouseFacts => ({
  relationship: 'spouse',
  marriedOn: '2022-05-20',
  livingTogether: 'yes',
  appliesJointly: true,
  facts: makeFacts({ dateOfBirth: '1992-08-03', residenceHistory: [permitFrom('2023-06-01', '§ 30 AufenthG')], livelihood: { receivesBenefits: 'no', responsibleForBenefits: 'no', employment: { employedFullTimeNow: 'no', fullTimeMonthsInLast24: 0 } }, ...facts }),
  ...overrides,
});

const child = (dateOfBirth: LocalDate, residenceFrom: LocalDate, overrides: Partial<NaturalisationFacts> = {}): ChildFacts => ({
  appliesJointly: true,
  facts: makeFacts({
    dateOfBirth,
    residenceHistory: [permitFrom(residenceFrom, '§ 32 AufenthG')],
    capacity: { incapacitated: 'no', legallyRepresented: 'yes' },
    declarations: { basicOrderAndLoyalty: 'unknown', historicalResponsibility: 'unknown' },
    language: { ageAppropriate: 'yes' },
    civicKnowledge: {},
    livelihood: { receivesBenefits: 'no', responsibleForBenefits: 'no', employment: { employedFullTimeNow: 'no', fullTimeMonthsInLast24: 0 } },
    ...overrides,
  }),
});

/** A 16- or 17-year-old who has made the declarations, passed the test and proven B1. */
const adolescent: Partial<NaturalisationFacts> = {
  declarations: { basicOrderAndLoyalty: 'yes', historicalResponsibility: 'yes' },
  civicKnowledge: { testCorrectAnswers: 20 },
  language: { certifiedLevel: 'B1' },
};

const statusIn = (criteria: readonly { id: CriterionId; status: CriterionStatus }[], id: CriterionId): CriterionStatus | undefined =>
  criteria.find((criterion) => criterion.id === id)?.status;

describe('evaluateSpouseCoNaturalisation — § 10 Abs. 2 StAG', () => {
  test.each<[string, SpouseFacts, EligibilityOverall, LocalDate | null, CriterionId, CriterionStatus]>([
    ['3 years 5 months of residence, married 4 years', spouse(), 'eligible', AS_OF, 'residence_period', 'met'],
    ['residence exactly 3 years on asOf', spouse({}, { residenceHistory: [permitFrom('2023-11-15', '§ 30 AufenthG')] }), 'eligible', AS_OF, 'residence_period', 'met'],
    ['residence 3 years tomorrow', spouse({}, { residenceHistory: [permitFrom('2023-11-16', '§ 30 AufenthG')] }), 'not_eligible', '2026-11-16', 'residence_period', 'not_met'],
    // Marriage: an event (§ 187 Abs. 1 BGB); two years end on the wedding-day date, met the day after.
    ['married 2 years ago yesterday', spouse({ marriedOn: '2024-11-14' }), 'eligible', AS_OF, 'marriage_duration', 'met'],
    ['married 2 years ago today', spouse({ marriedOn: '2024-11-15' }), 'not_eligible', '2026-11-16', 'marriage_duration', 'not_met'],
    ['married 29 February 2024: two years end 28 February 2026', spouse({ marriedOn: '2024-02-29' }), 'eligible', AS_OF, 'marriage_duration', 'met'],
    ['residence and marriage both missing: the later date', spouse({ marriedOn: '2025-06-01' }, { residenceHistory: [permitFrom('2024-01-10', '§ 30 AufenthG')] }), 'not_eligible', '2027-06-02', 'marriage_duration', 'not_met'],
    ['marriage date not recorded', spouse({ marriedOn: undefined }), 'incomplete', null, 'marriage_duration', 'unknown'],
    ['not living together', spouse({ livingTogether: 'no' }), 'not_eligible', null, 'marital_community', 'not_met'],
    ['not applying jointly', spouse({ appliesJointly: false }), 'not_eligible', null, 'joint_application', 'not_met'],
    ['spouse with a § 16b student permit', spouse({}, { residenceHistory: [permitFrom('2022-10-01', '§ 16b AufenthG')] }), 'not_eligible', null, 'residence_title', 'not_met'],
    ['spouse lacks B1', spouse({}, { language: { certifiedLevel: 'A2' } }), 'not_eligible', null, 'german_language', 'not_met'],
  ])('%s → %s', (_name, spouseFacts, overall, earliest, id, status) => {
    const result = evaluateSpouseCoNaturalisation(principal, spouseFacts, AS_OF);
    expect(result.overall).toBe(overall);
    expect(result.earliestEligibleOn).toBe(earliest);
    expect(statusIn(result.criteria, id)).toBe(status);
    expect(result.ruleSetVersion).toBe('stag-10@2025-10-30');
    expect(result.role).toBe('spouse');
  });

  test('the spouse residence criterion cites § 10 Abs. 2 StAG', () => {
    const result = evaluateSpouseCoNaturalisation(principal, spouse(), AS_OF);
    expect(result.criteria.find((criterion) => criterion.id === 'residence_period')?.basis).toBe('§ 10 Abs. 2 StAG');
  });

  test('the principal applicant must be eligible: only waiting for their period → the later date', () => {
    const waiting = evaluateNaturalisationEligibility(makeFacts({ residenceHistory: [permitFrom('2022-01-01')] }), AS_OF);
    expect(waiting.earliestEligibleOn).toBe('2027-01-01');
    const result = evaluateSpouseCoNaturalisation(waiting, spouse(), AS_OF);
    expect(statusIn(result.criteria, 'principal_applicant')).toBe('not_met');
    expect(result.earliestEligibleOn).toBe('2027-01-01');
  });

  test('the principal applicant not eligible for another reason → no date', () => {
    const refused = evaluateNaturalisationEligibility(makeFacts({ language: { certifiedLevel: 'A2' } }), AS_OF);
    const result = evaluateSpouseCoNaturalisation(refused, spouse(), AS_OF);
    expect(result.overall).toBe('not_eligible');
    expect(result.earliestEligibleOn).toBeNull();
  });

  test('a registered partner is treated like a spouse', () => {
    expect(evaluateSpouseCoNaturalisation(principal, spouse({ relationship: 'registered_partner' }), AS_OF)).toMatchObject({ role: 'registered_partner', overall: 'eligible' });
  });

  test('the minimums are configuration: an authority applying 4 years for spouses', () => {
    const stricter: CoNaturalisationConfig = { ...coNaturalisationConfig, spouse: { ...coNaturalisationConfig.spouse, minimumResidence: { years: 4 } } };
    const result = evaluateSpouseCoNaturalisation(principal, spouse(), AS_OF, stricter);
    expect(result.overall).toBe('not_eligible');
    expect(result.earliestEligibleOn).toBe('2027-06-01');
  });

  test('the configuration carries its reference and is marked (verify)', () => {
    expect(coNaturalisationConfig.basis).toBe('§ 10 Abs. 2 StAG');
    expect(coNaturalisationConfig.spouse).toMatchObject({ minimumResidence: { years: 3 }, minimumMarriage: { years: 2 } });
    expect(coNaturalisationConfig.child).toMatchObject({ minimumResidence: { years: 3 }, youngChild: { ageBelow: 6, minimumResidence: { months: 6 } }, majorityAge: 18 });
    expect(coNaturalisationConfig.spouse.note).toMatch(/verify/);
    expect(coNaturalisationConfig.child.note).toMatch(/verify/);
  });
});

describe('evaluateChildCoNaturalisation — § 10 Abs. 2 StAG', () => {
  test.each<[string, ChildFacts, EligibilityOverall, LocalDate | null, CriterionId, CriterionStatus]>([
    ['10 years old, 4 years of residence', child('2016-03-10', '2022-09-01'), 'eligible', AS_OF, 'residence_period', 'met'],
    ['10 years old, exactly 3 years on asOf', child('2016-03-10', '2023-11-15'), 'eligible', AS_OF, 'residence_period', 'met'],
    ['10 years old, 3 years tomorrow', child('2016-03-10', '2023-11-16'), 'not_eligible', '2026-11-16', 'residence_period', 'not_met'],
    ['4 years old, 7 months of residence (under 6: 6 months)', child('2022-04-01', '2026-04-15'), 'eligible', AS_OF, 'residence_period', 'met'],
    ['4 years old, 5 months of residence', child('2022-04-01', '2026-06-15'), 'not_eligible', '2026-12-15', 'residence_period', 'not_met'],
    ['17 years old, 3 years reached only after turning 18', child('2009-01-10', '2024-03-01', adolescent), 'not_eligible', null, 'residence_period', 'not_met'],
    ['17 years old, 3 years reached the day before turning 18', child('2009-03-02', '2024-03-01', adolescent), 'not_eligible', '2027-03-01', 'residence_period', 'not_met'],
    ['18 years old: no longer a minor', child('2008-11-15', '2020-01-01'), 'not_eligible', null, 'minor_child', 'not_met'],
    ['not applying jointly', { ...child('2016-03-10', '2022-09-01'), appliesJointly: false }, 'not_eligible', null, 'joint_application', 'not_met'],
  ])('%s → %s', (_name, childFacts, overall, earliest, id, status) => {
    const result = evaluateChildCoNaturalisation(principal, childFacts, AS_OF);
    expect(result.overall).toBe(overall);
    expect(result.earliestEligibleOn).toBe(earliest);
    expect(statusIn(result.criteria, id)).toBe(status);
    expect(result.role).toBe('child');
  });

  test('a 17-year-old needs the declarations and the test (§ 10 Abs. 1 Satz 2 StAG applies only under 16)', () => {
    const result = evaluateChildCoNaturalisation(principal, child('2009-06-01', '2020-01-01'), AS_OF);
    expect(statusIn(result.criteria, 'declaration_basic_order')).toBe('unknown');
    expect(statusIn(result.criteria, 'civic_knowledge')).toBe('unknown');
    expect(result.overall).toBe('incomplete');
  });
});

describe('evaluateHouseholdCoNaturalisation', () => {
  test('evaluates the applicant, the spouse and each minor child', () => {
    const facts = makeFacts({
      household: {
        spouse: spouse(),
        minorChildren: [child('2016-03-10', '2022-09-01'), child('2022-04-01', '2026-06-15')],
      },
    });
    const household = evaluateHouseholdCoNaturalisation(facts, AS_OF);
    expect(household.principal.overall).toBe('eligible');
    expect(household.spouse?.overall).toBe('eligible');
    expect(household.children.map((result) => result.overall)).toEqual(['eligible', 'not_eligible']);
    expect(household.children[1].earliestEligibleOn).toBe('2026-12-15');
  });

  test('no household: no co-naturalisation', () => {
    expect(evaluateHouseholdCoNaturalisation(makeFacts(), AS_OF)).toMatchObject({ spouse: null, children: [] });
  });
});
