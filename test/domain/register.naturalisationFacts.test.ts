import type { FactInput, RegisterFact } from '../../domain/register/facts';
import { deriveNaturalisationFacts, listFactKindsRead } from '../../domain/register/naturalisationFacts';
import type { PersonRecord } from '../../domain/register/person';
import type { RegisterResidencePeriod, ResidencePeriodData } from '../../domain/register/residencePeriods';

/** What the register knows of a person on a day, read as the naturalisation rules' facts (§ 10 StAG). */

const provenance = { source: 'clerk' as const, recordedBy: 'clerk-1', recordedAt: '2026-01-01T00:00:00.000Z' };
let ids = 0;
const fact = (input: FactInput): RegisterFact => ({ ...input, ...provenance, id: `f-${++ids}` }) as RegisterFact;
const period = (data: Partial<ResidencePeriodData> & Pick<ResidencePeriodData, 'status' | 'from'>): RegisterResidencePeriod => ({
  to: null,
  permitBasis: null,
  duldungGround: null,
  protectionGrantedLater: null,
  documentNumber: null,
  documentExpiry: null,
  ...data,
  ...provenance,
  id: `p-${++ids}`,
});
const record = (facts: RegisterFact[] = [], residencePeriods: RegisterResidencePeriod[] = []): PersonRecord => ({
  person: {
    id: 'person-1',
    authorityId: 'koeln',
    fileNumber: 'K-1',
    givenNames: 'Amina',
    familyName: 'Haddad',
    dateOfBirth: '1990-04-12',
    nationalities: ['SY'],
    contact: { postalAddress: null, email: null, phone: null },
    preferredLanguage: 'ar',
    version: 1,
    createdAt: provenance.recordedAt,
    updatedAt: provenance.recordedAt,
  },
  residencePeriods,
  facts,
});

describe('deriveNaturalisationFacts', () => {
  test('an empty register entry: everything the rules need is unknown or absent, nothing assumed', () => {
    expect(deriveNaturalisationFacts(record(), '2026-06-01')).toEqual({
      dateOfBirth: '1990-04-12',
      nationalities: ['SY'],
      identityClarified: 'unknown',
      nationalityClarified: 'unknown',
      capacity: { incapacitated: 'unknown', legallyRepresented: 'unknown' },
      residenceHistory: [],
      livelihood: { receivesBenefits: 'unknown', responsibleForBenefits: 'unknown', employment: { employedFullTimeNow: 'unknown' } },
      language: {},
      civicKnowledge: {},
      declarations: { basicOrderAndLoyalty: 'unknown', historicalResponsibility: 'unknown' },
      criminalRecord: { pendingInvestigation: 'unknown' },
      conduct: { multipleMarriage: 'unknown', disregardsGenderEquality: 'unknown' },
      exclusionGrounds: { extremistActivity: 'unknown', declarationContentIncorrect: 'unknown', seriousExpulsionInterest: 'unknown' },
    });
  });

  test('the residence history: periods begun by the day, in order; a stay abroad becomes a gap; unknown fields absent', () => {
    const periods = [
      period({ status: 'permit', from: '2017-04-01', to: '2020-03-31', permitBasis: '§ 25 Abs. 2 AufenthG', documentNumber: 'Y1' }),
      period({ status: 'gestattung', from: '2015-09-01', to: '2017-03-31', protectionGrantedLater: true }),
      period({ status: 'absence', from: '2020-04-01', to: '2020-09-30' }),
      period({ status: 'fiktion', from: '2020-10-01', permitBasis: '§ 81 Abs. 4 AufenthG' }),
      period({ status: 'settlement_permit', from: '2027-01-01' }),
    ];
    expect(deriveNaturalisationFacts(record([], periods), '2026-06-01').residenceHistory).toEqual([
      { status: 'gestattung', from: '2015-09-01', to: '2017-03-31', protectionGrantedLater: true },
      { status: 'permit', from: '2017-04-01', to: '2020-03-31', permitBasis: '§ 25 Abs. 2 AufenthG' },
      { status: 'fiktion', from: '2020-10-01', permitBasis: '§ 81 Abs. 4 AufenthG' },
    ]);
  });

  // § 10 Abs. 1 Satz 1 Nr. 6 StAG, § 10 Abs. 4 StAG: the highest level proven by the day.
  test.each([
    ['2022-12-31', undefined],
    ['2023-06-12', 'B1'],
    ['2025-02-28', 'B1'],
    ['2025-03-01', 'C1'],
  ])('language certificates (B1 on 2023-06-12, C1 on 2025-03-01) as of %s: %s', (asOf, level) => {
    const facts = [
      fact({ kind: 'language_certificate', data: { level: 'C1', issuedOn: '2025-03-01', issuer: null } }),
      fact({ kind: 'language_certificate', data: { level: 'B1', issuedOn: '2023-06-12', issuer: null } }),
    ];
    expect(deriveNaturalisationFacts(record(facts), asOf).language.certifiedLevel).toBe(level);
  });

  // § 10 Abs. 1 Satz 1 Nr. 7 StAG: the best attempt by the day (17 of 33 pass).
  test.each([
    ['2023-12-31', undefined],
    ['2024-01-15', 15],
    ['2024-05-20', 25],
  ])('naturalisation tests (15 on 2024-01-15, 25 on 2024-05-20) as of %s: %s correct', (asOf, correct) => {
    const facts = [
      fact({ kind: 'naturalisation_test', data: { correctAnswers: 15, takenOn: '2024-01-15' } }),
      fact({ kind: 'naturalisation_test', data: { correctAnswers: 25, takenOn: '2024-05-20' } }),
    ];
    expect(deriveNaturalisationFacts(record(facts), asOf).civicKnowledge.testCorrectAnswers).toBe(correct);
  });

  test.each([
    ['a successful German school-leaving certificate', { inGermany: true, successful: true, to: '2020-06-30' }, true],
    ['one from abroad', { inGermany: false, successful: true, to: '2020-06-30' }, undefined],
    ['one whose success is not known', { inGermany: true, successful: null, to: '2020-06-30' }, undefined],
    ['one completed after the day', { inGermany: true, successful: true, to: '2026-07-01' }, undefined],
  ])('%s: germanSchoolCertificate is %s (proves B1, replaces the test)', (_name, data, expected) => {
    const facts = [fact({ kind: 'education', data: { kind: 'school_leaving_certificate', from: '2014-08-01', description: null, ...data } })];
    const derived = deriveNaturalisationFacts(record(facts), '2026-06-01');
    expect(derived.language.germanSchoolCertificate).toBe(expected);
    expect(derived.civicKnowledge.germanSchoolCertificate).toBe(expected);
  });

  test.each([
    ['2021-12-31', 'unknown'],
    ['2022-01-10', 'no'],
    ['2023-05-01', 'yes'],
  ])('identity clarified (not on 2022-01-10, then yes on 2023-05-01) as of %s: %s', (asOf, expected) => {
    const facts = [
      fact({ kind: 'identity_clarified', data: { clarified: true, on: '2023-05-01' } }),
      fact({ kind: 'identity_clarified', data: { clarified: false, on: '2022-01-10' } }),
    ];
    expect(deriveNaturalisationFacts(record(facts), asOf).identityClarified).toBe(expected);
  });

  // § 10 Abs. 1 Satz 1 Nr. 3 StAG
  test.each([
    ['SGB II on the day, responsibility assessed: no', [{ scheme: 'sgb_ii', from: '2025-01-01', to: null, responsible: false }], 'yes', 'no'],
    ['SGB XII on the day, responsibility not assessed', [{ scheme: 'sgb_xii', from: '2025-01-01', to: null, responsible: null }], 'yes', 'unknown'],
    ['benefits that ended, nothing about the day', [{ scheme: 'sgb_ii', from: '2020-01-01', to: '2021-12-31', responsible: null }], 'unknown', 'unknown'],
    ['evidence of no benefits covering the day', [{ scheme: 'none', from: '2025-01-01', to: '2026-12-31', responsible: null }], 'no', 'unknown'],
    ['no-benefit evidence, but benefits on the day', [{ scheme: 'none', from: '2025-01-01', to: null, responsible: null }, { scheme: 'sgb_ii', from: '2026-05-01', to: null, responsible: true }], 'yes', 'yes'],
  ] as const)('%s', (_name, benefits, receives, responsible) => {
    const facts = benefits.map((data) => fact({ kind: 'benefits', data: { ...data } }));
    const livelihood = deriveNaturalisationFacts(record(facts), '2026-06-01').livelihood;
    expect([livelihood.receivesBenefits, livelihood.responsibleForBenefits]).toEqual([receives, responsible]);
  });

  // § 10 Abs. 1 Satz 1 Nr. 3 Buchst. b StAG: "full-time now and for 20 of the last 24 months"; asOf 2024-03-10: window 2022-03 … 2024-02.
  test.each([
    ['full-time since before the window', [{ from: '2021-01-15', to: null, fullTime: true }], 'yes', 24],
    ['full-time since 2022-06-15', [{ from: '2022-06-15', to: null, fullTime: true }], 'yes', 20],
    ['part-time only', [{ from: '2021-01-01', to: null, fullTime: false }], 'unknown', 0],
    ['two jobs with a gap of three days in 2023-03', [{ from: '2021-01-01', to: '2023-03-10', fullTime: true }, { from: '2023-03-14', to: null, fullTime: true }], 'yes', 23],
    ['two jobs back to back', [{ from: '2021-01-01', to: '2023-03-10', fullTime: true }, { from: '2023-03-11', to: null, fullTime: true }], 'yes', 24],
    ['full-time that ended', [{ from: '2021-01-01', to: '2023-12-31', fullTime: true }], 'unknown', 22],
  ] as const)('%s', (_name, jobs, now, months) => {
    const facts = jobs.map((data) => fact({ kind: 'employment', data: { ...data, hoursPerWeek: data.fullTime ? 40 : 20 } }));
    expect(deriveNaturalisationFacts(record(facts), '2024-03-10').livelihood.employment).toEqual({ employedFullTimeNow: now, fullTimeMonthsInLast24: months });
  });

  // § 12a StAG; § 41 BZRG
  test('convictions count as the complete list only once a register extract was received by the day', () => {
    const conviction = fact({ kind: 'conviction', data: { convictedOn: '2021-05-05', sentence: { kind: 'fine', dailyRates: 40 }, court: null } });
    const later = fact({ kind: 'conviction', data: { convictedOn: '2026-07-01', sentence: { kind: 'fine', dailyRates: 60 }, court: null } });
    const extract = fact({ kind: 'register_extract', data: { receivedOn: '2026-02-01' } });
    expect(deriveNaturalisationFacts(record([conviction]), '2026-06-01').criminalRecord.sentences).toBeUndefined();
    expect(deriveNaturalisationFacts(record([extract]), '2026-01-31').criminalRecord.sentences).toBeUndefined();
    expect(deriveNaturalisationFacts(record([extract]), '2026-06-01').criminalRecord.sentences).toEqual([]);
    expect(deriveNaturalisationFacts(record([conviction, later, extract]), '2026-06-01').criminalRecord.sentences).toEqual([{ kind: 'fine', dailyRates: 40 }]);
  });

  // § 12a Abs. 3 StAG
  test.each([
    ['2024-12-31', 'unknown'],
    ['2025-01-01', 'yes'],
    ['2025-08-31', 'yes'],
    ['2025-09-01', 'unknown'],
  ])('an investigation pending from 2025-01-01 to 2025-09-01, as of %s: %s', (asOf, expected) => {
    const facts = [fact({ kind: 'pending_investigation', data: { since: '2025-01-01', concludedOn: '2025-09-01' } })];
    expect(deriveNaturalisationFacts(record(facts), asOf).criminalRecord.pendingInvestigation).toBe(expected);
  });

  test('evidence dated after the day changes nothing as of the day', () => {
    const before = [
      fact({ kind: 'language_certificate', data: { level: 'A2', issuedOn: '2020-01-01', issuer: null } }),
      fact({ kind: 'employment', data: { from: '2019-01-01', to: null, hoursPerWeek: 40, fullTime: true } }),
    ];
    const after = [
      fact({ kind: 'language_certificate', data: { level: 'C2', issuedOn: '2026-06-02', issuer: null } }),
      fact({ kind: 'naturalisation_test', data: { correctAnswers: 33, takenOn: '2026-06-02' } }),
      fact({ kind: 'identity_clarified', data: { clarified: true, on: '2026-06-02' } }),
      fact({ kind: 'register_extract', data: { receivedOn: '2026-06-02' } }),
      fact({ kind: 'benefits', data: { scheme: 'none', from: '2026-06-02', to: null, responsible: null } }),
    ];
    expect(deriveNaturalisationFacts(record([...before, ...after], [period({ status: 'permit', from: '2026-06-02' })]), '2026-06-01')).toEqual(
      deriveNaturalisationFacts(record(before), '2026-06-01'),
    );
  });

  test('lists the kinds of entries it reads, so a change of any of them re-evaluates a case', () => {
    expect(listFactKindsRead()).toEqual(expect.arrayContaining(['person', 'residence_period', 'language_certificate', 'naturalisation_test', 'conviction', 'benefits', 'employment']));
    expect(listFactKindsRead()).not.toContain('orientation_course');
  });
});
