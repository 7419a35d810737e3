import { LocalDate } from '../../domain/calendar/localDate';
import { ResidenceCheckFacts } from '../../domain/residence/facts';
import {
  evaluateOpportunityResidenceTransition,
  findOpportunityPermit,
  isOpportunityPermitApplicationPossible,
  transitionConfig,
} from '../../domain/residence/opportunityResidenceTransition';
import { makeResidenceFacts } from './residenceFixtures';

// A § 104c holder: tolerated since 2016 (5 years on 31 Oct 2022, § 104c Abs. 1 Satz 1 AufenthG),
// permit from 1 Jun 2025 for 18 months: last day 30 Nov 2026 (§ 187 Abs. 2 BGB, § 188 Abs. 2 BGB).
const holderHistory: ResidenceCheckFacts['residenceHistory'] = [
  { from: '2016-03-01', to: '2025-05-31', status: 'duldung' },
  { from: '2025-06-01', to: '2026-11-30', status: 'permit', permitBasis: '§ 104c AufenthG' },
];
const holder = (overrides: Partial<ResidenceCheckFacts> = {}): ResidenceCheckFacts =>
  makeResidenceFacts({ dateOfBirth: '1990-01-01', residenceHistory: holderHistory, ...overrides });

describe('§ 104c AufenthG — new applications (dated)', () => {
  test.each<[LocalDate, boolean]>([
    ['2022-12-31', true],
    ['2025-12-31', true],
    ['2026-01-01', false],
  ])('on %s: %s', (asOf, possible) => {
    expect(isOpportunityPermitApplicationPossible(asOf)).toBe(possible);
  });

  test('before the law: an error, not the oldest value', () => {
    expect(() => isOpportunityPermitApplicationPossible('2022-12-30')).toThrow(RangeError);
  });
});

describe('§ 104c AufenthG — the transition check and its dates', () => {
  // Check start 6 months before the last day (30 May 2026); escalation 8 weeks before (5 Oct 2026).
  test.each<[string, LocalDate, LocalDate | undefined, boolean, boolean]>([
    ['the day before the check starts', '2026-05-29', undefined, false, false],
    ['the check start', '2026-05-30', undefined, true, false],
    ['the day before the escalation', '2026-10-04', undefined, true, false],
    ['exactly 8 weeks before expiry, nothing filed: escalate', '2026-10-05', undefined, true, true],
    ['8 weeks before, follow-on application filed: no escalation', '2026-10-05', '2026-09-20', true, false],
    ['an application recorded for a later day does not count yet', '2026-10-05', '2026-10-06', true, true],
  ])('%s', (_name, asOf, applicationFiledOn, checkDue, escalationDue) => {
    const check = evaluateOpportunityResidenceTransition(holder(applicationFiledOn === undefined ? {} : { applicationFiledOn }), asOf);
    expect(check).toMatchObject({ transitionCheckStartsOn: '2026-05-30', escalationOn: '2026-10-05', checkDue, escalationDue, extendable: false, extensionBasis: '§ 104c Abs. 3 Satz 3 AufenthG' });
  });

  test('lead times are configuration', () => {
    const config = { ...transitionConfig, checkLeadTime: { months: 4 }, escalationLeadTime: { weeks: 6 } };
    expect(evaluateOpportunityResidenceTransition(holder(), '2026-06-01', config)).toMatchObject({ transitionCheckStartsOn: '2026-07-30', escalationOn: '2026-10-19' });
  });

  test('an unrecorded expiry is 18 months from the first day', () => {
    const history: ResidenceCheckFacts['residenceHistory'] = [holderHistory[0], { from: '2025-06-01', status: 'permit', permitBasis: '§ 104c AufenthG' }];
    expect(findOpportunityPermit(makeResidenceFacts({ residenceHistory: history }), '2026-01-01')).toEqual({ from: '2025-06-01', expiresOn: '2026-11-30', expiryComputed: true });
  });

  test('which follow-on title is met by expiry: § 25b for the adult holder, not § 25a (age)', () => {
    const check = evaluateOpportunityResidenceTransition(holder(), '2026-06-01');
    expect(check?.atExpiry.sustainedIntegration.overall).toBe('met');
    expect(check?.atExpiry.wellIntegratedYoungPeople.overall).toBe('not_met');
    expect(check?.reachable).toEqual(['§ 25b AufenthG']);
  });

  test('a holder without A2 yet: § 25b is open (unknown), listed as reachable', () => {
    const check = evaluateOpportunityResidenceTransition(holder({ language: undefined }), '2026-06-01');
    expect(check?.atExpiry.sustainedIntegration.overall).toBe('unknown');
    expect(check?.reachable).toEqual(['§ 25b AufenthG']);
  });

  test('a follow-on application before expiry continues the permit (§ 81 Abs. 4 Satz 1 AufenthG)', () => {
    const check = evaluateOpportunityResidenceTransition(holder({ applicationFiledOn: '2026-11-30' }), '2026-11-30');
    expect(check?.continuation).toMatchObject({ effect: 'continued', continuesFrom: '2026-12-01', fiktionsbescheinigung: true });
  });

  test('no § 104c permit held: no transition check', () => {
    expect(evaluateOpportunityResidenceTransition(makeResidenceFacts(), '2026-06-01')).toBeNull();
  });
});
