import type { FactInput, RegisterFact } from '../../domain/register/facts';
import type { PersonRecord } from '../../domain/register/person';
import type { RegisterResidencePeriod, ResidencePeriodData } from '../../domain/register/residencePeriods';
import { deriveResidenceCheckFacts } from '../../domain/register/residenceCheckFacts';
import { applyCheckFindings, evaluateResidenceCheck } from '../../domain/residence/checkProcedure';

/** What the register knows of a person on a day, read as the residence rules' facts (§ 25a, § 25b AufenthG). */

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
const record = (dateOfBirth: string, facts: RegisterFact[] = [], residencePeriods: RegisterResidencePeriod[] = []): PersonRecord => ({
  person: {
    id: 'person-1',
    authorityId: 'koeln',
    fileNumber: 'K-1',
    givenNames: 'Samir',
    familyName: 'Haddad',
    dateOfBirth,
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

describe('deriveResidenceCheckFacts', () => {
  test('nothing on record: every yes/no fact unknown, no language, no livelihood share (never in the person\'s favour)', () => {
    const facts = deriveResidenceCheckFacts(record('1990-01-01'), '2026-11-26');
    expect(facts).toMatchObject({
      passportHeld: 'unknown',
      identityClarified: 'unknown',
      declaredCommitmentToBasicOrder: 'unknown',
      livelihood: { receivesBenefits: 'unknown', inEducation: 'unknown', securedExpected: 'unknown' },
      civicKnowledge: { orientationCourseCompleted: 'unknown', testPassed: 'unknown' },
      residenceHistory: [],
      minorChildren: [],
    });
    expect(facts.language).toBeUndefined();
    expect(facts.livelihood.shareFromWork).toBeUndefined();
    expect(facts.sentences).toBeUndefined();
  });

  test('a Duldung carries its ground as permitBasis; an absence becomes a gap; periods begun after asOf are left out', () => {
    const facts = deriveResidenceCheckFacts(
      record('1990-01-01', [], [
        period({ status: 'duldung', from: '2019-01-01', to: '2021-12-31', duldungGround: '§ 60b AufenthG' }),
        period({ status: 'absence', from: '2022-01-01', to: '2022-02-28' }),
        period({ status: 'permit', from: '2022-03-01', permitBasis: '§ 25 Abs. 5 AufenthG' }),
        period({ status: 'permit', from: '2027-01-01', permitBasis: '§ 25b Abs. 1 AufenthG' }),
      ]),
      '2026-11-26',
    );
    expect(facts.residenceHistory).toEqual([
      { from: '2019-01-01', to: '2021-12-31', status: 'duldung', permitBasis: '§ 60b AufenthG' },
      { from: '2022-03-01', status: 'permit', permitBasis: '§ 25 Abs. 5 AufenthG' },
    ]);
  });

  test.each([
    ['no benefits and work today: livelihood from work', [{ kind: 'benefits', data: { scheme: 'none', from: '2026-01-01', to: null, responsible: null } }, { kind: 'employment', data: { from: '2025-01-01', to: null, hoursPerWeek: 39, fullTime: true } }], 'no', 1],
    ['benefits today: no share', [{ kind: 'benefits', data: { scheme: 'sgb_ii', from: '2026-01-01', to: null, responsible: null } }, { kind: 'employment', data: { from: '2025-01-01', to: null, hoursPerWeek: 10, fullTime: false } }], 'yes', undefined],
    ['no benefits but no work on record: share unknown', [{ kind: 'benefits', data: { scheme: 'none', from: '2026-01-01', to: null, responsible: null } }], 'no', undefined],
    ['work ended before asOf: share unknown', [{ kind: 'benefits', data: { scheme: 'none', from: '2026-01-01', to: null, responsible: null } }, { kind: 'employment', data: { from: '2025-01-01', to: '2026-11-25', hoursPerWeek: 39, fullTime: true } }], 'no', undefined],
  ] as [string, FactInput[], string, number | undefined][])('%s', (_name, inputs, receivesBenefits, share) => {
    const facts = deriveResidenceCheckFacts(record('1990-01-01', inputs.map(fact)), '2026-11-26');
    expect(facts.livelihood.receivesBenefits).toBe(receivesBenefits);
    expect(facts.livelihood.shareFromWork).toBe(share);
  });

  test('the highest certificate issued by asOf; school in Germany as schooling; a certificate issued the day after is not read', () => {
    const facts = deriveResidenceCheckFacts(
      record('2004-01-01', [
        fact({ kind: 'language_certificate', data: { level: 'A2', issuedOn: '2025-05-01', issuer: null } }),
        fact({ kind: 'language_certificate', data: { level: 'B1', issuedOn: '2026-11-27', issuer: null } }),
        fact({ kind: 'education', data: { kind: 'schooling', inGermany: true, from: '2021-08-01', to: null, successful: true, description: null } }),
        fact({ kind: 'education', data: { kind: 'schooling', inGermany: false, from: '2015-08-01', to: '2020-07-01', successful: true, description: null } }),
      ]),
      '2026-11-26',
    );
    expect(facts.language).toEqual({ level: 'A2', on: '2025-05-01' });
    expect(facts.education).toEqual([{ kind: 'school', from: '2021-08-01', successful: 'yes' }]);
    expect(facts.livelihood.inEducation).toBe('yes');
  });
});

describe('evaluateResidenceCheck (the check procedure)', () => {
  const tolerated = (from: string, facts: RegisterFact[] = []) => record('1985-05-05', facts, [period({ status: 'duldung', from, duldungGround: '§ 60a Abs. 2 Satz 1 AufenthG' })]);

  test('§ 25b: six years less a day → "not yet" date is the anniversary; on the anniversary the time criterion is met (§ 25b Abs. 1 Satz 2 Nr. 1 AufenthG)', () => {
    const asOf = '2026-11-26';
    const before = evaluateResidenceCheck(deriveResidenceCheckFacts(tolerated('2020-11-27'), asOf), asOf);
    expect(before.nextEligibleOn).toBe('2026-11-27');
    const onDay = evaluateResidenceCheck(deriveResidenceCheckFacts(tolerated('2020-11-26'), asOf), asOf);
    expect(onDay.nextEligibleOn).toBeNull();
    expect(onDay.evaluations.find((e) => e.rule === '§ 25b AufenthG')!.criteria.find((c) => c.id === 'preceding_residence')!.status).toBe('met');
  });

  test('evidence is asked only for a title within reach; a language deficit (A1) is named for case management', () => {
    const asOf = '2026-11-26';
    const facts = deriveResidenceCheckFacts(tolerated('2021-01-01', [fact({ kind: 'language_certificate', data: { level: 'A1', issuedOn: '2026-01-01', issuer: null } })]), asOf);
    const evaluation = evaluateResidenceCheck(facts, asOf);
    // § 25a is out of reach at 41: no school certificates are asked for, schooling is no deficit.
    expect(evaluation.evidenceNeeded).not.toContain('school_certificates');
    expect(evaluation.evidenceNeeded).toEqual(expect.arrayContaining(['passport', 'proof_of_livelihood']));
    expect(evaluation.deficits).toEqual(['language']);
  });

  test("the clerk's findings override what the register leaves unknown", () => {
    const asOf = '2026-11-26';
    const facts = applyCheckFindings(deriveResidenceCheckFacts(tolerated('2019-01-01'), asOf), { passportHeld: 'yes', livelihoodShareFromWork: 0.8 }, '2026-11-20');
    expect(facts).toMatchObject({ passportHeld: 'yes', livelihood: { shareFromWork: 0.8 }, applicationFiledOn: '2026-11-20' });
  });
});
