import { addDays, LocalDate } from '../../domain/calendar/localDate';
import { ResidenceCriterionId } from '../../domain/residence/criterion';
import { ResidenceCheckFacts } from '../../domain/residence/facts';
import { determineBirthday, determineLastDayToApply } from '../../domain/residence/ageLimit';
import { RESIDENCE_RULE_SET_VERSION } from '../../domain/residence/ruleSet';
import { evaluateWellIntegratedYoungPeople } from '../../domain/residence/wellIntegratedYoungPeople';
import { AS_OF, duldungFrom, makeResidenceFacts } from './residenceFixtures';

function criterion(facts: ResidenceCheckFacts, asOf: LocalDate, id: ResidenceCriterionId) {
  const found = evaluateWellIntegratedYoungPeople(facts, asOf).criteria.find((entry) => entry.id === id);
  if (found === undefined) {
    throw new Error(`no criterion ${id}`);
  }
  return found;
}

describe('§ 25a AufenthG — the baseline person', () => {
  test('meets every criterion on AS_OF; the evaluation names its rule set', () => {
    const result = evaluateWellIntegratedYoungPeople(makeResidenceFacts(), AS_OF);
    expect(result.criteria.filter((entry) => entry.status !== 'met')).toEqual([]);
    expect(result).toMatchObject({ overall: 'met', rule: '§ 25a AufenthG', ruleSetVersion: RESIDENCE_RULE_SET_VERSION, eligibleUntil: '2031-06-14' });
    expect(result.criteria.every((entry) => /^§ \d+[a-z]? (Abs\. \d+[a-z]? )?(Satz \d+ )?(Nr\. \d+[a-z]? )?AufenthG$/.test(entry.basis))).toBe(true);
  });
});

describe('§ 25a Abs. 1 Satz 1 Nr. 3 AufenthG — application before the 27th birthday', () => {
  // § 187 Abs. 2 Satz 2 BGB, § 188 Abs. 2 BGB: the 27th year of life ends with the day before
  // the 27th birthday; a person born on 29 February completes it on 28 February in a common
  // year (and the 27th anniversary of a leap-year birth always falls in a common year).
  test.each<[string, LocalDate, LocalDate, 'met' | 'not_met']>([
    ['day before the 27th birthday', '2000-06-15', '2027-06-14', 'met'],
    ['the 27th birthday', '2000-06-15', '2027-06-15', 'not_met'],
    ['born 29 Feb: 28 Feb of the common year', '2000-02-29', '2027-02-28', 'met'],
    ['born 29 Feb: 1 Mar of the common year', '2000-02-29', '2027-03-01', 'not_met'],
    ['born 1 Mar: last day is 28 Feb of a leap year', '2001-03-01', '2028-02-29', 'met'],
    ['born 1 Mar: 1 Mar of a leap year', '2001-03-01', '2028-03-01', 'not_met'],
  ])('%s (born %s, applying on %s) → %s', (_name, dateOfBirth, filedOn, status) => {
    const facts = makeResidenceFacts({ dateOfBirth });
    expect(criterion(facts, filedOn, 'application_before_27').status).toBe(status);
    expect(criterion({ ...facts, applicationFiledOn: filedOn }, '2029-01-15', 'application_before_27').status).toBe(status);
  });

  test.each<[LocalDate, LocalDate, LocalDate]>([
    ['2000-06-15', '2027-06-14', '2027-06-15'],
    ['2000-02-29', '2027-02-28', '2027-03-01'],
    ['2000-01-01', '2026-12-31', '2027-01-01'],
  ])('born %s: last day to apply %s, eligibility lost on %s', (dateOfBirth, lastDay, lostOn) => {
    expect(determineLastDayToApply(dateOfBirth)).toBe(lastDay);
    expect(determineBirthday(dateOfBirth, 27)).toBe(lostOn);
    const result = evaluateWellIntegratedYoungPeople(makeResidenceFacts({ dateOfBirth }), '2026-11-15');
    expect(result.eligibleUntil).toBe(lastDay);
    expect(result.criteria.find((entry) => entry.id === 'application_before_27')?.details).toMatchObject({ lastDayToApply: lastDay, losesEligibilityOn: lostOn });
  });

  test('an application filed in time keeps the age limit: no eligibleUntil, met after the birthday', () => {
    const facts = makeResidenceFacts({ dateOfBirth: '2000-06-15', applicationFiledOn: '2027-06-14' });
    const result = evaluateWellIntegratedYoungPeople(facts, '2027-09-01');
    expect(result.eligibleUntil).toBeNull();
    expect(result.overall).toBe('met');
  });

  test('time criteria reached only after the last day to apply: no eligibleFrom', () => {
    // Duldung only since 1 Jan 2026: 3 years on 1 Jan 2029, but the last day to apply is 14 Jun 2027.
    const facts = makeResidenceFacts({ dateOfBirth: '2000-06-15', residenceHistory: [duldungFrom('2026-01-01')] });
    const result = evaluateWellIntegratedYoungPeople(facts, AS_OF);
    expect(result.criteria.find((entry) => entry.id === 'preceding_residence')?.becomesMetOn).toBe('2029-01-01');
    expect(result.eligibleFrom).toBeNull();
  });
});

describe('§ 25a Abs. 1 Satz 1 AufenthG — twelve months of Duldung or a § 104c permit', () => {
  // 12 months from 15 Nov 2025 (§ 187 Abs. 2 BGB) end with 14 Nov 2026 (§ 188 Abs. 2 BGB): met from 15 Nov 2026.
  test.each<[string, ResidenceCheckFacts['residenceHistory'], LocalDate, 'met' | 'not_met', LocalDate | null]>([
    ['a day short', [{ from: '2023-01-01', to: '2025-11-14', status: 'gestattung' }, duldungFrom('2025-11-15')], '2026-11-14', 'not_met', '2026-11-15'],
    ['exactly twelve months', [{ from: '2023-01-01', to: '2025-11-14', status: 'gestattung' }, duldungFrom('2025-11-15')], '2026-11-15', 'met', '2026-11-15'],
    ['Gestattung now: cannot be reached', [{ from: '2020-01-01', status: 'gestattung' }], AS_OF, 'not_met', null],
    ['§ 104c permit', [{ from: '2015-01-01', to: '2025-05-31', status: 'duldung' }, { from: '2025-06-01', to: '2026-11-30', status: 'permit', permitBasis: '§ 104c AufenthG' }], AS_OF, 'met', '2025-06-01'],
    [
      '§ 104c permit continued under § 81 Abs. 4',
      [
        { from: '2015-01-01', to: '2025-05-31', status: 'duldung' },
        { from: '2025-06-01', to: '2026-11-10', status: 'permit', permitBasis: '§ 104c AufenthG' },
        { from: '2026-11-11', status: 'fiktion', permitBasis: '§ 81 Abs. 4 AufenthG' },
      ],
      AS_OF,
      'met',
      '2025-06-01',
    ],
  ])('%s', (_name, residenceHistory, asOf, status, becomesMetOn) => {
    const found = criterion(makeResidenceFacts({ residenceHistory }), asOf, 'toleration_or_opportunity_permit');
    expect(found.status).toBe(status);
    expect(found.becomesMetOn).toBe(becomesMetOn);
  });
});

describe('§ 25a Abs. 1 Satz 1 Nr. 1 AufenthG — three years of uninterrupted residence', () => {
  // Short interruptions (BMI application notes on § 25b AufenthG, applied here too): one of up to
  // three months does not interrupt but is not counted; a longer one restarts the period.
  test.each<[string, ResidenceCheckFacts['residenceHistory'], LocalDate | null]>([
    ['Gestattung then Duldung count alike', [{ from: '2021-01-01', to: '2022-05-31', status: 'gestattung' }, duldungFrom('2022-06-01')], '2024-01-01'],
    ['a 3-month gap (92 days) is tolerated and delays by its days', [duldungFrom('2021-01-01', '2022-05-31'), duldungFrom('2022-09-01')], '2024-04-02'],
    ['a gap of 3 months and a day restarts the period', [duldungFrom('2021-01-01', '2022-05-31'), duldungFrom('2022-09-02')], '2025-09-02'],
    ['a second short gap in the same run restarts it', [duldungFrom('2021-01-01', '2021-05-31'), duldungFrom('2021-06-02', '2022-05-31'), duldungFrom('2022-06-03')], '2025-06-03'],
    ['a stay without status interrupts', [duldungFrom('2021-01-01', '2022-05-31'), { from: '2022-06-01', to: '2022-06-10', status: 'none' }, duldungFrom('2022-06-11')], '2025-06-11'],
    ['§ 60b Duldung is not counted (neutral)', [{ from: '2021-01-01', to: '2021-12-31', status: 'duldung', permitBasis: '§ 60b AufenthG' }, duldungFrom('2022-01-01')], '2025-01-01'],
  ])('%s', (_name, residenceHistory, metOn) => {
    const found = criterion(makeResidenceFacts({ residenceHistory }), '2023-06-01', 'preceding_residence');
    expect(found.becomesMetOn).toBe(metOn);
    expect(criterion(makeResidenceFacts({ residenceHistory }), metOn as LocalDate, 'preceding_residence').status).toBe('met');
    expect(criterion(makeResidenceFacts({ residenceHistory }), addDays(metOn as LocalDate, -1), 'preceding_residence').status).toBe('not_met');
  });
});

describe('§ 25a Abs. 1 Satz 1 Nr. 2 AufenthG — schooling', () => {
  test.each<[string, ResidenceCheckFacts['education'], 'met' | 'not_met' | 'unknown' | 'discretion', LocalDate | null]>([
    ['three years exactly', [{ kind: 'school', from: '2023-11-15', successful: 'yes' }], 'met', '2026-11-15'],
    ['three years minus a day', [{ kind: 'school', from: '2023-11-16', successful: 'yes' }], 'not_met', '2026-11-16'],
    ['a recognised qualification', [{ kind: 'school_qualification', from: '2026-07-01', successful: 'yes' }], 'met', '2026-07-01'],
    ['success not established', [{ kind: 'school', from: '2022-08-01', successful: 'unknown' }], 'unknown', null],
    ['three years in total, ended: "as a rule"', [{ kind: 'school', from: '2020-08-01', to: '2023-07-31', successful: 'yes' }], 'discretion', null],
    ['no schooling', [], 'not_met', null],
  ])('%s', (_name, education, status, becomesMetOn) => {
    const found = criterion(makeResidenceFacts({ education }), AS_OF, 'schooling');
    expect(found.status).toBe(status);
    expect(found.becomesMetOn).toBe(becomesMetOn);
  });

  test('waived for illness or disability (§ 25a Abs. 1 Satz 1 Nr. 2 Satz 2 AufenthG)', () => {
    expect(criterion(makeResidenceFacts({ education: [], integrationWaiver: 'illness_or_disability' }), AS_OF, 'schooling').status).toBe('met');
    expect(criterion(makeResidenceFacts({ education: [], integrationWaiver: 'age' }), AS_OF, 'schooling').status).toBe('not_met');
  });
});

describe('§ 25a AufenthG — exclusions, livelihood, passport, prognosis', () => {
  test.each<[string, Partial<ResidenceCheckFacts>, ResidenceCriterionId, string, string]>([
    ['own deception (Satz 3)', { ownDeceptionAboutIdentity: 'yes' }, 'identity_deception', 'not_met', 'not_met'],
    ['deception unknown', { ownDeceptionAboutIdentity: 'unknown' }, 'identity_deception', 'unknown', 'unknown'],
    ['indications against the basic order (Nr. 5)', { indicationsAgainstDemocraticOrder: 'yes' }, 'democratic_order', 'not_met', 'not_met'],
    ['no passport: exception at discretion', { passportHeld: 'no' }, 'passport', 'discretion', 'discretion'],
    ['prognosis not assessed (Nr. 4)', { integrationPrognosis: undefined }, 'integration_prognosis', 'discretion', 'discretion'],
    ['benefits while at school (Satz 2)', { livelihood: { receivesBenefits: 'yes', inEducation: 'yes', securedExpected: 'no', singleParent: 'no' } }, 'livelihood', 'met', 'met'],
    ['benefits, not in education', { livelihood: { receivesBenefits: 'yes', inEducation: 'no', securedExpected: 'no', singleParent: 'no' } }, 'livelihood', 'discretion', 'discretion'],
    ['livelihood unknown', { livelihood: { receivesBenefits: 'unknown', inEducation: 'unknown', securedExpected: 'unknown', singleParent: 'no' } }, 'livelihood', 'unknown', 'unknown'],
  ])('%s', (_name, overrides, id, status, overall) => {
    const result = evaluateWellIntegratedYoungPeople(makeResidenceFacts(overrides), AS_OF);
    expect(result.criteria.find((entry) => entry.id === id)?.status).toBe(status);
    expect(result.overall).toBe(overall);
  });

  test('under 14 on the decision day: not yet, met from the 14th birthday', () => {
    const facts = makeResidenceFacts({ dateOfBirth: '2013-02-01' });
    expect(criterion(facts, '2027-01-31', 'minimum_age')).toMatchObject({ status: 'not_met', becomesMetOn: '2027-02-01' });
    expect(criterion(facts, '2027-02-01', 'minimum_age').status).toBe('met');
  });
});
