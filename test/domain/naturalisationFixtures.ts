import fc from 'fast-check';
import { addDays, compareLocalDates, LocalDate, toEpochDay, toLocalDate } from '../../domain/calendar/localDate';
import { NaturalisationFacts } from '../../domain/naturalisation/facts';
import { ResidenceHistory, ResidencePeriodFact, ResidenceStatus } from '../../domain/residenceHistory/statuses';

/** A decision date after the rule set's start (30 October 2025). */
export const AS_OF: LocalDate = '2026-11-15';

/**
 * An applicant who meets every criterion of § 10 StAG on `AS_OF`: skilled-worker permit
 * (§ 18b AufenthG) from 10 January 2019, settlement permit from 2024, B1, test passed, no record.
 */
export function makeFacts(overrides: Partial<NaturalisationFacts> = {}): NaturalisationFacts {
  return {
    dateOfBirth: '1990-05-15',
    nationalities: ['TR'],
    identityClarified: 'yes',
    nationalityClarified: 'yes',
    capacity: { incapacitated: 'no', legallyRepresented: 'no' },
    residenceHistory: [
      { from: '2019-01-10', to: '2023-12-31', status: 'permit', permitBasis: '§ 18b AufenthG' },
      { from: '2024-01-01', status: 'settlement_permit', permitBasis: '§ 18c AufenthG' },
    ],
    livelihood: {
      receivesBenefits: 'no',
      responsibleForBenefits: 'no',
      employment: { employedFullTimeNow: 'yes', fullTimeMonthsInLast24: 24 },
    },
    language: { certifiedLevel: 'B1' },
    civicKnowledge: { testCorrectAnswers: 25 },
    declarations: { basicOrderAndLoyalty: 'yes', historicalResponsibility: 'yes' },
    criminalRecord: { sentences: [], pendingInvestigation: 'no' },
    conduct: { multipleMarriage: 'no', disregardsGenderEquality: 'no' },
    exclusionGrounds: { extremistActivity: 'no', declarationContentIncorrect: 'no', seriousExpulsionInterest: 'no' },
    applicationFiledOn: '2026-01-15',
    ...overrides,
  };
}

/** A permit from `from`, ongoing. */
export function permitFrom(from: LocalDate, permitBasis = '§ 18b AufenthG'): ResidencePeriodFact {
  return { from, status: 'permit', permitBasis };
}

const STATUSES: readonly ResidenceStatus[] = ['permit', 'settlement_permit', 'eu_free_movement', 'blue_card', 'duldung', 'gestattung', 'fiktion', 'none'];

/** Random residence histories between 2005 and 2026: periods with gaps, the last possibly open. */
export const arbitraryHistory: fc.Arbitrary<ResidenceHistory> = fc
  .record({
    start: fc.integer({ min: toEpochDay('2005-01-01'), max: toEpochDay('2022-12-31') }),
    parts: fc.array(
      fc.record({
        gapDays: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 400 })),
        lengthDays: fc.integer({ min: 1, max: 1500 }),
        status: fc.constantFrom(...STATUSES),
        protection: fc.constantFrom(true, false, undefined),
        reentered: fc.boolean(),
        late: fc.boolean(),
        fiktionBasis: fc.constantFrom('§ 81 Abs. 4 AufenthG', '§ 81 Abs. 3 Satz 1 AufenthG', '§ 81 Abs. 3 Satz 2 AufenthG'),
      }),
      { minLength: 1, maxLength: 6 },
    ),
    lastOpen: fc.boolean(),
  })
  .map(({ start, parts, lastOpen }) => {
    const history: ResidencePeriodFact[] = [];
    let cursor = start;
    parts.forEach((part, index) => {
      const from = cursor + (index === 0 ? 0 : part.gapDays);
      const to = from + part.lengthDays - 1;
      const isLast = index === parts.length - 1;
      history.push({
        from: toLocalDate(from),
        ...(isLast && lastOpen ? {} : { to: toLocalDate(to) }),
        status: part.status,
        ...(part.status === 'permit' ? { permitBasis: '§ 18b AufenthG' } : {}),
        ...(part.status === 'fiktion' ? { permitBasis: part.fiktionBasis } : {}),
        ...(part.status === 'gestattung' && part.protection !== undefined ? { protectionGrantedLater: part.protection } : {}),
        ...(part.reentered ? { reenteredWithinPermittedPeriod: true } : {}),
        ...(part.status === 'none' && part.late ? { lateApplication: true } : {}),
      });
      cursor = to + 1;
    });
    return history;
  });

export const arbitraryAsOf: fc.Arbitrary<LocalDate> = fc.integer({ min: toEpochDay('2025-10-30'), max: toEpochDay('2032-12-31') }).map(toLocalDate);

/**
 * Lays a Duldung over [from, to] (inclusive): earlier and later periods are cut around it. The
 * part of a cut period after the Duldung keeps the status but not a re-entry flag.
 */
export function overlayDuldung(history: ResidenceHistory, from: LocalDate, to: LocalDate): ResidenceHistory {
  const result: ResidencePeriodFact[] = [];
  for (const entry of history) {
    const entryEnd = entry.to;
    if (entryEnd !== undefined && compareLocalDates(entryEnd, from) < 0) {
      result.push(entry);
      continue;
    }
    if (compareLocalDates(entry.from, to) > 0) {
      result.push(entry);
      continue;
    }
    if (compareLocalDates(entry.from, from) < 0) {
      result.push({ ...entry, to: addDays(from, -1) });
    }
    if (entryEnd === undefined || compareLocalDates(entryEnd, to) > 0) {
      const { reenteredWithinPermittedPeriod: _dropped, ...rest } = entry;
      result.push({ ...rest, from: addDays(to, 1) });
    }
  }
  result.push({ from, to, status: 'duldung' });
  return result.sort((a, b) => compareLocalDates(a.from, b.from));
}
