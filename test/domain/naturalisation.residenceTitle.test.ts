import { LocalDate } from '../../domain/calendar/localDate';
import { CriterionStatus } from '../../domain/naturalisation/criterion';
import { DatedHistory } from '../../domain/naturalisation/datedHistory';
import { formatPermitBasis, parsePermitBasis } from '../../domain/residenceHistory/permitPurposes';
import { ResidencePeriodFact } from '../../domain/residenceHistory/statuses';
import {
  checkPermitPurpose,
  evaluateResidenceTitle,
  ExcludedPermitPurposes,
  excludedPermitPurposesHistory,
  isExcludedPermitPurpose,
} from '../../domain/naturalisation/residenceTitle';
import { AS_OF } from './naturalisationFixtures';

const withoutAdditional: DatedHistory<ExcludedPermitPurposes> = excludedPermitPurposesHistory.map((entry) => ({
  ...entry,
  value: { ...entry.value, additionalExclusions: { ...entry.value.additionalExclusions, apply: false } },
}));

describe('evaluateResidenceTitle — Aufenthaltserlaubnis purposes, § 10 Abs. 1 Satz 1 Nr. 2 StAG', () => {
  // Statute (as in domain.md): excluded are permits under AufenthG §§ 16a, 16b, 16d, 16e, 16f, 17,
  // 18f, 19, 19b, 19e, 20, 22, 23a, 24, 25 Abs. 3 bis 5, 104c; additionally (some authorities,
  // verify) § 18d, § 20a, § 23 Abs. 1.
  test.each<[string | undefined, CriterionStatus, CriterionStatus]>([
    // [permitBasis, with additional exclusions (default), without them]
    ['§ 16a AufenthG', 'not_met', 'not_met'], // vocational training
    ['§ 16b AufenthG', 'not_met', 'not_met'], // studies: does not count for Nr. 2
    ['§16b AufenthG', 'not_met', 'not_met'],
    ['§ 16b Absatz 1 AufenthG', 'not_met', 'not_met'],
    ['§ 16d AufenthG', 'not_met', 'not_met'],
    ['§ 16e AufenthG', 'not_met', 'not_met'],
    ['§ 16f AufenthG', 'not_met', 'not_met'],
    ['§ 17 AufenthG', 'not_met', 'not_met'],
    ['§ 18f AufenthG', 'not_met', 'not_met'],
    ['§ 19 AufenthG', 'not_met', 'not_met'],
    ['§ 19b AufenthG', 'not_met', 'not_met'],
    ['§ 19e AufenthG', 'not_met', 'not_met'],
    ['§ 20 AufenthG', 'not_met', 'not_met'],
    ['§ 22 AufenthG', 'not_met', 'not_met'],
    ['§ 23a AufenthG', 'not_met', 'not_met'],
    ['§ 24 AufenthG', 'not_met', 'not_met'],
    ['§ 25 Abs. 3 AufenthG', 'not_met', 'not_met'],
    ['§ 25 Abs. 4 Satz 1 AufenthG', 'not_met', 'not_met'],
    ['§ 25 Abs. 4a AufenthG', 'not_met', 'not_met'],
    ['§ 25 Abs. 5 AufenthG', 'not_met', 'not_met'],
    ['§ 104c AufenthG', 'not_met', 'not_met'],
    ['§ 18d AufenthG', 'not_met', 'met'],
    ['§ 20a AufenthG', 'not_met', 'met'],
    ['§ 23 Abs. 1 AufenthG', 'not_met', 'met'],
    ['§ 23 Abs. 4 AufenthG', 'met', 'met'],
    ['§ 25 Abs. 1 AufenthG', 'met', 'met'], // recognised asylum
    ['§ 25 Abs. 2 AufenthG', 'met', 'met'], // refugee / subsidiary protection
    ['§ 25a AufenthG', 'met', 'met'],
    ['§ 25b AufenthG', 'met', 'met'],
    ['§ 18a AufenthG', 'met', 'met'],
    ['§ 18b AufenthG', 'met', 'met'],
    ['§ 19c AufenthG', 'met', 'met'],
    ['§ 28 Abs. 1 Satz 1 Nr. 1 AufenthG', 'met', 'met'],
    ['§ 30 AufenthG', 'met', 'met'],
    ['§ 25 AufenthG', 'unknown', 'unknown'], // subsection decides
    ['§ 23 AufenthG', 'unknown', 'met'],
    ['Studium', 'unknown', 'unknown'],
    [undefined, 'unknown', 'unknown'],
  ])('permit under %s → %s (additional exclusions applied) / %s (not applied)', (permitBasis, withExtra, withoutExtra) => {
    const history: ResidencePeriodFact[] = [{ from: '2020-01-01', status: 'permit', ...(permitBasis === undefined ? {} : { permitBasis }) }];
    expect(evaluateResidenceTitle(history, AS_OF)).toMatchObject({ id: 'residence_title', status: withExtra, basis: '§ 10 Abs. 1 Satz 1 Nr. 2 StAG' });
    expect(evaluateResidenceTitle(history, AS_OF, withoutAdditional).status).toBe(withoutExtra);
  });

  test('the additional exclusions are configuration marked (verify) and applied by default', () => {
    const value = excludedPermitPurposesHistory[0].value;
    expect(value.additionalExclusions.apply).toBe(true);
    expect(value.additionalExclusions.note).toMatch(/verify/);
    expect(value.additionalExclusions.purposes.map((purpose) => purpose.section)).toEqual(['18d', '20a', '23']);
    expect(checkPermitPurpose('§ 18d AufenthG', AS_OF)).toEqual({ outcome: 'excluded', additional: true, purpose: '§ 18d AufenthG' });
    expect(checkPermitPurpose('§ 25 Abs. 4b AufenthG', AS_OF)).toEqual({ outcome: 'excluded', additional: false, purpose: '§ 25 Abs. 3 bis 5 AufenthG' });
    expect(isExcludedPermitPurpose('§ 16b AufenthG', AS_OF)).toBe(true);
    expect(isExcludedPermitPurpose('§ 18b AufenthG', AS_OF)).toBe(false);
  });

  test('the excluded list is a dated history: before 27 June 2024 it is an error', () => {
    expect(() => evaluateResidenceTitle([{ from: '2020-01-01', status: 'settlement_permit' }], '2024-06-26')).toThrow(RangeError);
    expect(evaluateResidenceTitle([{ from: '2020-01-01', status: 'settlement_permit' }], '2024-06-27').status).toBe('met');
  });
});

describe('evaluateResidenceTitle — status at the time of naturalisation', () => {
  test.each<[string, ResidencePeriodFact[], LocalDate, CriterionStatus]>([
    ['settlement permit', [{ from: '2020-01-01', status: 'settlement_permit' }], AS_OF, 'met'],
    ['EU free movement', [{ from: '2020-01-01', status: 'eu_free_movement' }], AS_OF, 'met'],
    ['Blue Card', [{ from: '2020-01-01', status: 'blue_card' }], AS_OF, 'met'],
    ['Duldung', [{ from: '2020-01-01', status: 'duldung' }], AS_OF, 'not_met'],
    ['Gestattung', [{ from: '2020-01-01', status: 'gestattung', protectionGrantedLater: true }], AS_OF, 'not_met'],
    ['no status', [{ from: '2020-01-01', status: 'none' }], AS_OF, 'not_met'],
    ['nothing recorded on asOf (abroad)', [{ from: '2020-01-01', to: '2026-10-31', status: 'settlement_permit' }], AS_OF, 'not_met'],
    [
      'student permit earlier, settlement permit now: only the current title matters',
      [
        { from: '2015-10-01', to: '2020-09-30', status: 'permit', permitBasis: '§ 16b AufenthG' },
        { from: '2020-10-01', status: 'settlement_permit' },
      ],
      AS_OF,
      'met',
    ],
    [
      'settlement permit earlier, student permit now',
      [
        { from: '2015-10-01', to: '2020-09-30', status: 'permit', permitBasis: '§ 18b AufenthG' },
        { from: '2020-10-01', status: 'permit', permitBasis: '§ 16b AufenthG' },
      ],
      AS_OF,
      'not_met',
    ],
    // § 81 Abs. 4 AufenthG: the previous title continues while its renewal is pending.
    [
      'Fiktion § 81 Abs. 4 after a § 18b permit',
      [
        { from: '2020-01-01', to: '2026-09-30', status: 'permit', permitBasis: '§ 18b AufenthG' },
        { from: '2026-10-01', status: 'fiktion', permitBasis: '§ 81 Abs. 4 AufenthG' },
      ],
      AS_OF,
      'met',
    ],
    [
      'Fiktion § 81 Abs. 4 after a § 16b permit',
      [
        { from: '2020-01-01', to: '2026-09-30', status: 'permit', permitBasis: '§ 16b AufenthG' },
        { from: '2026-10-01', status: 'fiktion', permitBasis: '§ 81 Abs. 4 AufenthG' },
      ],
      AS_OF,
      'not_met',
    ],
    ['Fiktion § 81 Abs. 4 without a recorded previous title', [{ from: '2026-10-01', status: 'fiktion', permitBasis: '§ 81 Abs. 4 AufenthG' }], AS_OF, 'unknown'],
    ['Fiktion § 81 Abs. 3: no title yet', [{ from: '2026-10-01', status: 'fiktion', permitBasis: '§ 81 Abs. 3 Satz 1 AufenthG' }], AS_OF, 'not_met'],
    ['Fiktion of unknown kind', [{ from: '2026-10-01', status: 'fiktion' }], AS_OF, 'unknown'],
  ])('%s → %s', (_name, history, asOf, status) => {
    expect(evaluateResidenceTitle(history, asOf).status).toBe(status);
  });

  test('a continued title is reported as such', () => {
    const criterion = evaluateResidenceTitle(
      [
        { from: '2020-01-01', to: '2026-09-30', status: 'blue_card' },
        { from: '2026-10-01', status: 'fiktion', permitBasis: '§ 81 Abs. 4 AufenthG' },
      ],
      AS_OF,
    );
    expect(criterion.details).toMatchObject({ continuedByFiktion: true, status: 'blue_card' });
    expect(criterion.reason.de).toMatch(/§ 81 Abs. 4 AufenthG/);
  });
});

describe('parsePermitBasis', () => {
  test.each<[string, string | null]>([
    ['§ 16b AufenthG', '§ 16b AufenthG'],
    ['§16b AufenthG', '§ 16b AufenthG'],
    ['§ 25 Abs. 2 AufenthG', '§ 25 Abs. 2 AufenthG'],
    ['§ 25 Absatz 4a AufenthG', '§ 25 Abs. 4a AufenthG'],
    ['§ 81 Abs. 3 Satz 2 AufenthG', '§ 81 Abs. 3 Satz 2 AufenthG'],
    ['§ 28 Abs. 1 Satz 1 Nr. 1 AufenthG', '§ 28 Abs. 1 Satz 1 AufenthG'],
    ['§ 55 Abs. 1 AsylG', '§ 55 Abs. 1 AsylG'],
    ['Aufenthaltserlaubnis', null],
    ['§ 16b', null],
  ])('%s → %s', (text, formatted) => {
    const parsed = parsePermitBasis(text);
    expect(parsed === null ? null : formatPermitBasis(parsed)).toBe(formatted);
  });
});
