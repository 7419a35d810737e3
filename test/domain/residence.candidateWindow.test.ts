import { LocalDate } from '../../domain/calendar/localDate';
import { determineCandidateWindow } from '../../domain/residence/candidateWindow';
import { ResidenceCheckFacts } from '../../domain/residence/facts';
import { AS_OF, duldungFrom, makeResidenceFacts } from './residenceFixtures';

// An adult (no § 25a) tolerated since 1 Mar 2023, living with a minor child: four years
// (§ 25b Abs. 1 Satz 2 Nr. 1 AufenthG) are reached on 1 Mar 2027 (§ 187 Abs. 2 BGB, § 188 Abs. 2 BGB).
const parent = (overrides: Partial<ResidenceCheckFacts> = {}): ResidenceCheckFacts =>
  makeResidenceFacts({
    dateOfBirth: '1988-04-04',
    residenceHistory: [duldungFrom('2023-03-01', '2027-01-31')],
    education: [],
    minorChildren: [{ dateOfBirth: '2016-09-09', livesInHousehold: 'yes', attendsSchool: 'yes' }],
    ...overrides,
  });

describe('determineCandidateWindow — § 25a and § 25b AufenthG now or within N months', () => {
  test('the baseline person meets both now', () => {
    const window = determineCandidateWindow(makeResidenceFacts(), AS_OF, 6);
    expect(window).toMatchObject({ candidate: true, horizonEndsOn: '2027-05-15' });
    expect(window.rules.map((rule) => [rule.rule, rule.outcome, rule.on])).toEqual([
      ['§ 25a AufenthG', 'now', AS_OF],
      ['§ 25b AufenthG', 'now', AS_OF],
    ]);
  });

  test.each<[number, LocalDate, string, LocalDate | null, boolean]>([
    [3, '2027-02-15', 'not_within_horizon', null, false],
    [4, '2027-03-15', 'within_horizon', '2027-03-01', true],
    [6, '2027-05-15', 'within_horizon', '2027-03-01', true],
  ])('a parent reaching four years on 1 Mar 2027, horizon %i months (ends %s): %s', (months, endsOn, outcome, on, candidate) => {
    // The recorded Duldung ends 31 Jan 2027; the search assumes it is renewed (status continues).
    const window = determineCandidateWindow(parent(), AS_OF, months);
    expect(window.horizonEndsOn).toBe(endsOn);
    expect(window.rules[1]).toMatchObject({ rule: '§ 25b AufenthG', outcome, on });
    expect(window.rules[0]).toMatchObject({ rule: '§ 25a AufenthG', outcome: 'not_within_horizon' });
    expect(window.candidate).toBe(candidate);
  });

  test('time reached within the horizon but another requirement fails: not a candidate, the blocker named', () => {
    const window = determineCandidateWindow(parent({ seriousExpulsionInterest: 'yes' }), AS_OF, 6);
    expect(window.candidate).toBe(false);
    expect(window.rules[1].openCriteria).toContain('expulsion_interest');
  });

  test('open evidence does not hide a candidate: A2 not yet proven, outcome within the horizon, overall unknown', () => {
    const window = determineCandidateWindow(parent({ language: undefined }), AS_OF, 6);
    expect(window.rules[1]).toMatchObject({ outcome: 'within_horizon', overall: 'unknown' });
    expect(window.rules[1].openCriteria).toContain('oral_german');
  });

  test('§ 25a: the 27th birthday comes before three years of residence — never a candidate', () => {
    const facts = makeResidenceFacts({ dateOfBirth: '2000-06-15', residenceHistory: [duldungFrom('2025-01-01')] });
    const window = determineCandidateWindow(facts, AS_OF, 60);
    expect(window.rules[0]).toMatchObject({ outcome: 'not_within_horizon', on: null });
  });

  test('a negative horizon is refused', () => {
    expect(() => determineCandidateWindow(makeResidenceFacts(), AS_OF, -1)).toThrow(RangeError);
  });
});
