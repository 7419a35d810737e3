import fc from 'fast-check';
import { LocalDate, toEpochDay, toLocalDate } from '../../domain/calendar/localDate';
import { ResidenceCheckFacts, TriState } from '../../domain/residence/facts';

/** A decision date in the current rule set. */
export const AS_OF: LocalDate = '2026-11-15';

/**
 * A tolerated young person who meets every criterion of § 25a AufenthG and § 25b AufenthG on
 * `AS_OF`, except what a test overrides: Duldung since 1 March 2019, school since August 2019,
 * A2, passport, identity clarified, livelihood predominantly from work, no exclusion.
 */
export function makeResidenceFacts(overrides: Partial<ResidenceCheckFacts> = {}): ResidenceCheckFacts {
  return {
    dateOfBirth: '2004-06-15',
    residenceHistory: [{ from: '2019-03-01', status: 'duldung', permitBasis: '§ 60a Abs. 2 Satz 1 AufenthG' }],
    education: [{ kind: 'school', from: '2019-08-01', successful: 'yes' }],
    employment: [],
    livelihood: { shareFromWork: 0.8, receivesBenefits: 'no', inEducation: 'no', securedExpected: 'yes', singleParent: 'no' },
    language: { level: 'A2', on: '2024-05-01' },
    civicKnowledge: { orientationCourseCompleted: 'yes', testPassed: 'yes' },
    declaredCommitmentToBasicOrder: 'yes',
    indicationsAgainstDemocraticOrder: 'no',
    passportHeld: 'yes',
    identityClarified: 'yes',
    ownDeceptionAboutIdentity: 'no',
    nonCooperation: 'no',
    seriousExpulsionInterest: 'no',
    sentences: [],
    integrationPrognosis: 'yes',
    minorChildren: [],
    ...overrides,
  };
}

/** Duldung from `from`, ongoing. */
export function duldungFrom(from: LocalDate, to?: LocalDate): ResidenceCheckFacts['residenceHistory'][number] {
  return to === undefined ? { from, status: 'duldung' } : { from, to, status: 'duldung' };
}

export const arbitraryTriState: fc.Arbitrary<TriState> = fc.constantFrom<TriState>('yes', 'no', 'unknown');

/** A date between `from` and `to` (inclusive). */
export function arbitraryDate(from: LocalDate, to: LocalDate): fc.Arbitrary<LocalDate> {
  return fc.integer({ min: toEpochDay(from), max: toEpochDay(to) }).map(toLocalDate);
}
