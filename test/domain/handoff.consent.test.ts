import { checkHandoffConsent, findValidHandoffConsent, type Consent } from '../../domain/handoff/consent';
import { deriveOutcomeFact, determineOutcomeNeed } from '../../domain/handoff/progress';
import { suppressSmallCell } from '../../domain/handoff/smallCells';

const consent = (overrides: Partial<Consent> = {}): Consent => ({
  id: 'c1',
  purpose: 'case_management_handoff',
  recipients: ['case_management', 'originating_authority'],
  dataCategories: ['name', 'contact', 'language', 'needs', 'case_deadline'],
  validFrom: '2027-01-01',
  validUntil: '2027-12-31',
  withdrawnAt: null,
  ...overrides,
});

describe('checkHandoffConsent (Art. 6 Abs. 1 Satz 1 lit. a DSGVO, Art. 7 Abs. 3 DSGVO)', () => {
  test.each([
    ['on its first day', {}, '2027-01-01', true],
    ['on its last day', {}, '2027-12-31', true],
    ['the day before it starts', {}, '2026-12-31', false],
    ['the day after it ends', {}, '2028-01-01', false],
    ['withdrawn', { withdrawnAt: '2027-03-01T10:00:00Z' }, '2027-02-01', false],
    ['without case management as recipient', { recipients: ['originating_authority'] }, '2027-06-01', false],
    ['without the contact data category', { dataCategories: ['name', 'language', 'needs', 'case_deadline'] }, '2027-06-01', false],
  ] as const)('%s → valid %s', (_name, overrides, asOf, valid) => {
    expect(checkHandoffConsent(consent(overrides as Partial<Consent>), asOf).valid).toBe(valid);
  });

  test('a refusal names what is missing, in German and English', () => {
    const check = checkHandoffConsent(consent({ dataCategories: ['name', 'needs'] }), '2027-06-01');
    expect(check).toEqual({ valid: false, reason: { de: 'Die Einwilligung deckt nicht: contact, language, case_deadline.', en: 'the consent does not cover: contact, language, case_deadline' } });
  });

  test('the first valid consent of several is found; none when all are withdrawn', () => {
    const withdrawn = consent({ id: 'old', withdrawnAt: '2027-02-01T00:00:00Z' });
    expect(findValidHandoffConsent([withdrawn, consent({ id: 'new' })], '2027-06-01')?.id).toBe('new');
    expect(findValidHandoffConsent([withdrawn], '2027-06-01')).toBeUndefined();
  });
});

describe('outcomes that become register facts', () => {
  test('"B1 certificate obtained" is a language certificate of that day', () => {
    const outcome = { kind: 'language_certificate_obtained', on: '2027-06-10', level: 'B1' } as const;
    expect(deriveOutcomeFact(outcome)).toEqual({ kind: 'language_certificate', data: { level: 'B1', issuedOn: '2027-06-10', issuer: null } });
    expect(determineOutcomeNeed(outcome)).toBe('language');
  });
  test('"employment started" is an ongoing employment from that day', () => {
    expect(deriveOutcomeFact({ kind: 'employment_started', on: '2027-06-01', hoursPerWeek: 30, fullTime: false })).toEqual({
      kind: 'employment',
      data: { from: '2027-06-01', to: null, hoursPerWeek: 30, fullTime: false },
    });
  });
  test('"school place found" is schooling in Germany from that day', () => {
    expect(deriveOutcomeFact({ kind: 'school_place_found', on: '2027-08-20' })).toMatchObject({ kind: 'education', data: { kind: 'schooling', inGermany: true, from: '2027-08-20' } });
  });
  test('another outcome is no evidence the rules read', () => {
    expect(deriveOutcomeFact({ kind: 'other', on: '2027-06-01', note: 'housing found' })).toBeNull();
    expect(determineOutcomeNeed({ kind: 'other', on: '2027-06-01' })).toBeNull();
  });
});

describe('suppressSmallCell (Art. 89 Abs. 1 DSGVO): no cell below five persons', () => {
  test.each([
    [0, { value: 0, suppressed: false }],
    [1, { value: null, suppressed: true }],
    [4, { value: null, suppressed: true }],
    [5, { value: 5, suppressed: false }],
    [17, { value: 17, suppressed: false }],
  ])('%i persons → %j', (persons, cell) => {
    expect(suppressSmallCell(persons)).toEqual(cell);
  });
});
