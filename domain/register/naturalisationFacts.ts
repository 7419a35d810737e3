import { addDays, getDaysInMonth, type LocalDate } from '../calendar/localDate';
import type { CefrLevel, NaturalisationFacts, ResidencePeriodFact, Sentence, TriState } from '../naturalisation/facts';
import type { FactData, FactKind, RegisterFact } from './facts';
import type { PersonRecord } from './person';

/**
 * The facts of a naturalisation case under § 10 StAG (domain/naturalisation/facts.ts) as the
 * register knows them on a day: what the person's residence periods and evidence facts in force
 * say as of `asOf`. Only evidence dated on or before `asOf` counts. Nothing defaults to the
 * person's advantage: where the register holds no evidence, the fact is `'unknown'` (or absent),
 * and the rules report `unknown`.
 *
 * What the register does not hold stays unknown: capacity to act (§ 37 Abs. 1 Satz 1 StAG), the
 * declarations (§ 10 Abs. 1 Satz 1 Nr. 1 StAG, § 10 Abs. 1 Satz 1 Nr. 1a StAG), conduct
 * (§ 11 Satz 1 Nr. 3 StAG) and exclusion grounds (§ 11 Satz 1 Nr. 1 StAG), the filing date, and
 * the household of a co-naturalisation (§ 10 Abs. 2 StAG: who applies jointly is part of the
 * application, and the relatives' own facts are their own records).
 */
export function deriveNaturalisationFacts(register: PersonRecord, asOf: LocalDate): NaturalisationFacts {
  const facts = <K extends FactKind>(kind: K): FactData<K>[] =>
    register.facts.filter((fact): fact is Extract<RegisterFact, { kind: K }> => fact.kind === kind).map((fact) => fact.data as FactData<K>);
  const covers = (period: { from: LocalDate | null; to: LocalDate | null }, day: LocalDate) =>
    (period.from === null || period.from <= day) && (period.to === null || period.to >= day);

  const germanSchoolCertificate = facts('education').some(
    (e) => e.kind === 'school_leaving_certificate' && e.inGermany && e.successful === true && (e.to ?? e.from) <= asOf,
  );
  const extractReceived = facts('register_extract').some((e) => e.receivedOn <= asOf);
  const benefitsNow = facts('benefits').filter((b) => b.scheme !== 'none' && covers(b, asOf));

  return {
    dateOfBirth: register.person.dateOfBirth,
    nationalities: [...register.person.nationalities],
    identityClarified: determineLatestFinding(facts('identity_clarified'), asOf),
    nationalityClarified: determineLatestFinding(facts('nationality_clarified'), asOf),
    capacity: { incapacitated: 'unknown', legallyRepresented: 'unknown' },
    residenceHistory: listResidenceHistory(register, asOf),
    livelihood: {
      receivesBenefits:
        benefitsNow.length > 0 ? 'yes' : facts('benefits').some((b) => b.scheme === 'none' && covers(b, asOf)) ? 'no' : 'unknown',
      responsibleForBenefits:
        benefitsNow.length === 0 || benefitsNow.some((b) => b.responsible === null)
          ? 'unknown'
          : benefitsNow.some((b) => b.responsible === true)
            ? 'yes'
            : 'no',
      employment: {
        employedFullTimeNow: facts('employment').some((e) => e.fullTime && covers(e, asOf)) ? 'yes' : 'unknown',
        ...(facts('employment').length > 0
          ? { fullTimeMonthsInLast24: countFullyEmployedMonths(facts('employment').filter((e) => e.fullTime && e.from <= asOf), asOf) }
          : {}),
      },
    },
    language: {
      ...optional('certifiedLevel', findHighestLevel(facts('language_certificate').filter((c) => c.issuedOn <= asOf).map((c) => c.level))),
      ...(germanSchoolCertificate ? { germanSchoolCertificate: true } : {}),
    },
    civicKnowledge: {
      ...optional('testCorrectAnswers', findBest(facts('naturalisation_test').filter((t) => t.takenOn <= asOf).map((t) => t.correctAnswers))),
      ...(germanSchoolCertificate ? { germanSchoolCertificate: true } : {}),
    },
    declarations: { basicOrderAndLoyalty: 'unknown', historicalResponsibility: 'unknown' },
    criminalRecord: {
      // Without an extract the recorded convictions may be incomplete: no list, so rules say unknown.
      ...(extractReceived ? { sentences: facts('conviction').filter((c) => c.convictedOn <= asOf).map((c) => c.sentence as Sentence) } : {}),
      pendingInvestigation: facts('pending_investigation').some((p) => p.since <= asOf && (p.concludedOn === null || p.concludedOn > asOf)) ? 'yes' : 'unknown',
    },
    conduct: { multipleMarriage: 'unknown', disregardsGenderEquality: 'unknown' },
    exclusionGrounds: { extremistActivity: 'unknown', declarationContentIncorrect: 'unknown', seriousExpulsionInterest: 'unknown' },
  };
}

/**
 * The kinds of register entries `deriveNaturalisationFacts` reads: a change to one of them may
 * change a naturalisation case's evaluation. `person` stands for the person's own data (date of
 * birth, nationalities), `residence_period` for the residence history.
 */
export function listFactKindsRead(): readonly string[] {
  return [
    'person',
    'residence_period',
    'identity_clarified',
    'nationality_clarified',
    'benefits',
    'employment',
    'language_certificate',
    'education',
    'naturalisation_test',
    'register_extract',
    'conviction',
    'pending_investigation',
  ];
}

/** The residence history as of `asOf`: periods begun by then; stays abroad (`absence`) become gaps. */
function listResidenceHistory(register: PersonRecord, asOf: LocalDate): ResidencePeriodFact[] {
  return register.residencePeriods
    .filter((period) => period.status !== 'absence' && period.from <= asOf)
    .sort((a, b) => (a.from < b.from ? -1 : 1))
    .map((period) => ({
      from: period.from,
      status: period.status as ResidencePeriodFact['status'],
      ...optional('to', period.to),
      ...optional('permitBasis', period.permitBasis),
      ...optional('protectionGrantedLater', period.protectionGrantedLater),
    }));
}

/** The finding of the latest evidence on or before `asOf`; none: unknown. */
function determineLatestFinding(findings: { clarified: boolean; on: LocalDate }[], asOf: LocalDate): TriState {
  const latest = findings.filter((f) => f.on <= asOf).sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : 0)).pop();
  return latest === undefined ? 'unknown' : latest.clarified ? 'yes' : 'no';
}

const levelOrder: readonly CefrLevel[] = ['A1', 'A2', 'B1', 'B2', 'C1', 'C2'];

function findHighestLevel(levels: CefrLevel[]): CefrLevel | undefined {
  return levels.sort((a, b) => levelOrder.indexOf(a) - levelOrder.indexOf(b)).pop();
}

function findBest(values: number[]): number | undefined {
  return values.length === 0 ? undefined : Math.max(...values);
}

/**
 * Whole calendar months among the 24 before the month of `asOf` in which every day is covered
 * by full-time employment (§ 10 Abs. 1 Satz 1 Nr. 3 Buchst. b StAG: "20 of the last 24 months").
 * @returns 0–24 months
 */
function countFullyEmployedMonths(periods: { from: LocalDate; to: LocalDate | null }[], asOf: LocalDate): number {
  const sorted = [...periods].sort((a, b) => (a.from < b.from ? -1 : 1));
  const isCovered = (first: LocalDate, last: LocalDate) => {
    let day = first;
    for (const period of sorted) {
      if (period.from > day) break;
      if (period.to === null || period.to >= last) return true;
      if (period.to >= day) day = addDays(period.to, 1);
    }
    return false;
  };
  let year = Number(asOf.slice(0, 4));
  let month = Number(asOf.slice(5, 7));
  let count = 0;
  for (let i = 0; i < 24; i++) {
    month -= 1;
    if (month === 0) {
      month = 12;
      year -= 1;
    }
    const prefix = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;
    if (isCovered(`${prefix}-01`, `${prefix}-${String(getDaysInMonth(year, month)).padStart(2, '0')}`)) count++;
  }
  return count;
}

function optional<K extends string, V>(key: K, value: V | null | undefined): { [P in K]?: V } {
  return (value === null || value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
