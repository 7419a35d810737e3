import type { LocalDate } from '../calendar/localDate';
import type { EducationRecord, MinorChildFacts, ResidenceCheckFacts, TriState } from '../residence/facts';
import type { ResidencePeriodFact } from '../residenceHistory/statuses';
import type { CefrLevel, Sentence } from '../naturalisation/facts';
import type { FactData, FactKind, RegisterFact } from './facts';
import type { PersonRecord } from './person';

/**
 * The facts of a residence-law check (§ 25a AufenthG, § 25b AufenthG, § 104c AufenthG,
 * § 60c AufenthG, § 60d AufenthG; domain/residence/facts.ts) as the register knows them on a day,
 * mirroring `deriveNaturalisationFacts`: only evidence dated on or before `asOf` counts, and
 * nothing defaults to the person's advantage — where the register holds no evidence, the fact
 * is `'unknown'` (or absent) and the rules report `unknown`.
 *
 * What the register does not hold stays unknown: passport, the declaration of commitment to the
 * basic order and indications against it, own deception, non-cooperation, a serious expulsion
 * interest, the integration prognosis, waivers, the children's school attendance, the date of
 * entry and the filing of an application. A residence check supplies them as the clerk's
 * findings (`ResidenceCheckFindings`), which override the derived values.
 */
export function deriveResidenceCheckFacts(register: PersonRecord, asOf: LocalDate): ResidenceCheckFacts {
  const facts = <K extends FactKind>(kind: K): FactData<K>[] =>
    register.facts.filter((fact): fact is Extract<RegisterFact, { kind: K }> => fact.kind === kind).map((fact) => fact.data as FactData<K>);
  const covers = (period: { from: LocalDate | null; to: LocalDate | null }, day: LocalDate) =>
    (period.from === null || period.from <= day) && (period.to === null || period.to >= day);
  const triState = (value: boolean | null): TriState => (value === null ? 'unknown' : value ? 'yes' : 'no');

  const benefits = facts('benefits');
  const benefitsNow = benefits.filter((b) => b.scheme !== 'none' && covers(b, asOf));
  const receivesBenefits: TriState = benefitsNow.length > 0 ? 'yes' : benefits.some((b) => b.scheme === 'none' && covers(b, asOf)) ? 'no' : 'unknown';
  const employment = facts('employment').filter((e) => e.from <= asOf);
  const employedNow = employment.some((e) => covers(e, asOf));
  const education = facts('education').filter((e) => e.inGermany && e.from <= asOf);
  const inEducation = education.some((e) => (e.kind === 'schooling' || e.kind === 'vocational_training') && covers(e, asOf));
  const language = findHighestCertificate(facts('language_certificate').filter((c) => c.issuedOn <= asOf));
  const orientation = facts('orientation_course').filter((c) => c.completedOn <= asOf);
  const testPassed =
    orientation.some((c) => c.testPassed === true) || facts('naturalisation_test').some((t) => t.takenOn <= asOf && t.correctAnswers >= 17);
  const extractReceived = facts('register_extract').some((e) => e.receivedOn <= asOf);

  return {
    dateOfBirth: register.person.dateOfBirth,
    residenceHistory: listResidenceHistory(register, asOf),
    education: education.map(toEducationRecord),
    employment: employment.map((e) => ({
      from: e.from,
      ...(e.to === null ? {} : { to: e.to }),
      hoursPerWeek: e.hoursPerWeek,
      subjectToSocialSecurity: 'unknown' as const,
    })),
    livelihood: {
      // No benefits on record for today and work today: the livelihood comes from work. Anything
      // less is not known (the share is not recorded in the register).
      ...(receivesBenefits === 'no' && employedNow ? { shareFromWork: 1 } : {}),
      receivesBenefits,
      inEducation: inEducation ? 'yes' : 'unknown',
      securedExpected: 'unknown',
      singleParent: 'unknown',
    },
    ...(language ? { language } : {}),
    civicKnowledge: { orientationCourseCompleted: orientation.length > 0 ? 'yes' : 'unknown', testPassed: testPassed ? 'yes' : 'unknown' },
    declaredCommitmentToBasicOrder: 'unknown',
    indicationsAgainstDemocraticOrder: 'unknown',
    passportHeld: 'unknown',
    identityClarified: determineLatestFinding(facts('identity_clarified'), asOf),
    ownDeceptionAboutIdentity: 'unknown',
    nonCooperation: 'unknown',
    seriousExpulsionInterest: 'unknown',
    ...(extractReceived ? { sentences: facts('conviction').filter((c) => c.convictedOn <= asOf).map((c) => c.sentence as Sentence) } : {}),
    minorChildren: facts('minor_child')
      .filter((child) => child.dateOfBirth !== null && (child.from === null || child.from <= asOf))
      .map(
        (child): MinorChildFacts => ({
          dateOfBirth: child.dateOfBirth!,
          livesInHousehold: child.livesWithPerson && covers(child, asOf) ? 'yes' : 'no',
          attendsSchool: 'unknown',
        }),
      ),
  };

  function toEducationRecord(e: FactData<'education'>): EducationRecord {
    const kind: EducationRecord['kind'] =
      e.kind === 'schooling'
        ? 'school'
        : e.kind === 'vocational_training'
          ? 'vocational_training'
          : e.kind === 'school_leaving_certificate'
            ? 'school_qualification'
            : 'vocational_qualification';
    return { kind, from: e.from, ...(e.to === null ? {} : { to: e.to }), successful: triState(e.successful) };
  }
}

/**
 * The kinds of register entries `deriveResidenceCheckFacts` reads: a change to one of them may
 * change a residence check's evaluation.
 */
export function listResidenceFactKindsRead(): readonly string[] {
  return [
    'person',
    'residence_period',
    'identity_clarified',
    'benefits',
    'employment',
    'education',
    'language_certificate',
    'orientation_course',
    'naturalisation_test',
    'register_extract',
    'conviction',
    'minor_child',
  ];
}

/**
 * The residence history as of `asOf`: periods begun by then; stays abroad (`absence`) become
 * gaps; a Duldung carries its ground as `permitBasis` (the shape the residence rules read).
 */
function listResidenceHistory(register: PersonRecord, asOf: LocalDate): ResidencePeriodFact[] {
  return register.residencePeriods
    .filter((period) => period.status !== 'absence' && period.from <= asOf)
    .sort((a, b) => (a.from < b.from ? -1 : 1))
    .map((period) => {
      const basis = period.status === 'duldung' ? period.duldungGround : period.permitBasis;
      return {
        from: period.from,
        status: period.status as ResidencePeriodFact['status'],
        ...(period.to === null ? {} : { to: period.to }),
        ...(basis === null ? {} : { permitBasis: basis }),
        ...(period.protectionGrantedLater === null ? {} : { protectionGrantedLater: period.protectionGrantedLater }),
      };
    });
}

function determineLatestFinding(findings: { clarified: boolean; on: LocalDate }[], asOf: LocalDate): TriState {
  const latest = findings.filter((f) => f.on <= asOf).sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : 0)).pop();
  return latest === undefined ? 'unknown' : latest.clarified ? 'yes' : 'no';
}

const levelOrder: readonly CefrLevel[] = ['A1', 'A2', 'B1', 'B2', 'C1', 'C2'];

function findHighestCertificate(certificates: { level: CefrLevel; issuedOn: LocalDate }[]): { level: CefrLevel; on: LocalDate } | undefined {
  const best = [...certificates].sort((a, b) => levelOrder.indexOf(a.level) - levelOrder.indexOf(b.level) || (a.issuedOn < b.issuedOn ? -1 : 1)).pop();
  return best ? { level: best.level, on: best.issuedOn } : undefined;
}
