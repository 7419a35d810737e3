import { LocalDate } from '../../domain/calendar/localDate';
import { ResidenceCheckFacts } from '../../domain/residence/facts';
import { evaluateEmploymentToleration, evaluateTrainingToleration } from '../../domain/residence/trainingAndEmploymentToleration';
import { AS_OF, duldungFrom, makeResidenceFacts } from './residenceFixtures';

// § 60d Abs. 1 AufenthG as amended (in force here from 1 March 2024): entry by 31 Dec 2022,
// 12 months of Duldung, 12 months of employment subject to social security at ≥ 20 hours a week.
// The original text (from 1 Jan 2020): entry by 1 Aug 2018, 18 months at ≥ 35 hours (20 for single parents).
const worker = (overrides: Partial<ResidenceCheckFacts> = {}): ResidenceCheckFacts =>
  makeResidenceFacts({
    dateOfBirth: '1992-01-01',
    enteredOn: '2019-02-01',
    residenceHistory: [{ from: '2019-02-01', to: '2021-06-30', status: 'gestattung' }, duldungFrom('2021-07-01')],
    employment: [{ from: '2025-11-15', hoursPerWeek: 25, subjectToSocialSecurity: 'yes' }],
    ...overrides,
  });

function status(evaluation: ReturnType<typeof evaluateEmploymentToleration>, id: string) {
  return evaluation.criteria.find((entry) => entry.id === id);
}

describe('§ 60d Abs. 1 AufenthG — employment toleration', () => {
  test.each<[string, Partial<ResidenceCheckFacts>, LocalDate, string, string, LocalDate | null | undefined]>([
    ['12 months of employment exactly', {}, AS_OF, 'employment', 'met', '2026-11-15'],
    ['a day short', {}, '2026-11-14', 'employment', 'not_met', '2026-11-15'],
    ['19 hours a week do not qualify', { employment: [{ from: '2024-01-01', hoursPerWeek: 19, subjectToSocialSecurity: 'yes' }] }, AS_OF, 'employment', 'not_met', null],
    ['social security unknown', { employment: [{ from: '2024-01-01', hoursPerWeek: 30, subjectToSocialSecurity: 'unknown' }] }, AS_OF, 'employment', 'unknown', null],
    ['entered after 31 Dec 2022', { enteredOn: '2023-01-02', residenceHistory: [duldungFrom('2023-01-02')] }, AS_OF, 'entry_date', 'not_met', undefined],
    ['entry unknown, first record after the cut-off', { enteredOn: undefined, residenceHistory: [duldungFrom('2023-01-02')] }, AS_OF, 'entry_date', 'unknown', undefined],
    ['entry unknown, first record before the cut-off', { enteredOn: undefined }, AS_OF, 'entry_date', 'met', undefined],
    ['Duldung for 12 months', { residenceHistory: [duldungFrom('2025-11-15')] }, AS_OF, 'duldung_period', 'met', '2026-11-15'],
    ['Duldung a day short', { residenceHistory: [duldungFrom('2025-11-16')] }, AS_OF, 'duldung_period', 'not_met', '2026-11-16'],
    ['fine of 50 daily rates is disregarded', { sentences: [{ kind: 'fine', dailyRates: 50 }] }, AS_OF, 'convictions', 'met', undefined],
    ['60 daily rates: depends on the offence', { sentences: [{ kind: 'fine', dailyRates: 60 }] }, AS_OF, 'convictions', 'unknown', undefined],
    ['91 daily rates', { sentences: [{ kind: 'fine', dailyRates: 91 }] }, AS_OF, 'convictions', 'not_met', undefined],
  ])('%s', (_name, overrides, asOf, id, expected, becomesMetOn) => {
    const found = status(evaluateEmploymentToleration(worker(overrides), asOf), id);
    expect(found?.status).toBe(expected);
    expect(found?.becomesMetOn).toBe(becomesMetOn);
  });

  test('the older text (2023): 18 months at 35 hours, 20 for single parents; entry by 1 Aug 2018', () => {
    const employment: ResidenceCheckFacts['employment'] = [{ from: '2021-06-01', hoursPerWeek: 25, subjectToSocialSecurity: 'yes' }];
    const facts = worker({ enteredOn: '2018-07-01', employment });
    expect(status(evaluateEmploymentToleration(facts, '2023-06-01'), 'employment')?.status).toBe('not_met');
    const singleParent = { ...facts, livelihood: { ...facts.livelihood, singleParent: 'yes' as const } };
    expect(status(evaluateEmploymentToleration(singleParent, '2023-06-01'), 'employment')).toMatchObject({ status: 'met', becomesMetOn: '2022-12-01' });
  });

  test('baseline meets § 60d; a current § 60d Duldung leads to § 25b Abs. 6 after 30 months', () => {
    expect(evaluateEmploymentToleration(worker(), AS_OF).overall).toBe('met');
    const history: ResidenceCheckFacts['residenceHistory'] = [duldungFrom('2021-07-01', '2026-03-31'), { from: '2026-04-01', status: 'duldung', permitBasis: '§ 60d AufenthG' }];
    expect(evaluateEmploymentToleration(worker({ residenceHistory: history }), AS_OF).residencePermitUnder25b6From).toBe('2028-10-01');
    expect(evaluateEmploymentToleration(worker(), AS_OF).residencePermitUnder25b6From).toBeNull();
  });
});

describe('§ 60c AufenthG — training toleration (basics)', () => {
  test.each<[string, ResidenceCheckFacts['education'], string]>([
    ['qualified training under way', [{ kind: 'vocational_training', from: '2026-08-01', successful: 'unknown', qualified: 'yes' }], 'met'],
    ['qualified training agreed to start later', [{ kind: 'vocational_training', from: '2027-08-01', successful: 'unknown', qualified: 'yes' }], 'met'],
    ['training of unknown quality', [{ kind: 'vocational_training', from: '2026-08-01', successful: 'unknown' }], 'unknown'],
    ['training finished', [{ kind: 'vocational_training', from: '2023-08-01', to: '2026-07-31', successful: 'yes', qualified: 'yes' }], 'not_met'],
  ])('%s → %s', (_name, education, expected) => {
    const evaluation = evaluateTrainingToleration(makeResidenceFacts({ education }), AS_OF);
    expect(evaluation.criteria.find((entry) => entry.id === 'qualified_training')?.status).toBe(expected);
  });

  test('not tolerated: § 60c does not apply', () => {
    const facts = makeResidenceFacts({ residenceHistory: [{ from: '2020-01-01', status: 'gestattung' }], education: [{ kind: 'vocational_training', from: '2026-08-01', successful: 'unknown', qualified: 'yes' }] });
    expect(evaluateTrainingToleration(facts, AS_OF).overall).toBe('not_met');
  });
});
