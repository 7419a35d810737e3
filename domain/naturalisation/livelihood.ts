import { compareLocalDates, LocalDate, parseLocalDate } from '../calendar/localDate';
import { Criterion, CriterionStatus, determineMostFavourableStatus, isMoreFavourable, makeCriterion } from './criterion';
import { DatedHistory, findDatedEntry } from './datedHistory';
import { EmploymentFacts, GuestWorkerEntry, LivelihoodFacts, TriState } from './facts';

/**
 * Livelihood without SGB II or SGB XII benefits, § 10 Abs. 1 Satz 1 Nr. 3 StAG (as in force
 * since 27 June 2024), with its only exceptions:
 * - Buchst. a: recruited guest workers who entered the FRG by 30 June 1974, and contract workers
 *   who entered the GDR by 13 June 1990, if not responsible for needing the benefits;
 * - Buchst. b: employed full time now and for at least 20 of the last 24 months;
 * - Buchst. c: the spouse or registered partner of a person under Buchst. b, living in family
 *   community with that person and a minor child.
 *
 * § 40a StAG: for applications filed by 23 August 2023, § 10 Abs. 1 Satz 1 Nr. 3 StAG in the
 * version before 27 June 2024 applies in so far as it is more favourable: benefits were then no
 * bar if the applicant was not responsible for needing them ("oder deren Inanspruchnahme nicht zu
 * vertreten hat"). Both versions are evaluated and the more favourable result is taken.
 */

// Legal choices made as configuration (see `livelihoodRulesHistory`):
// - "bis zum" dates are inclusive: entry ON 30 June 1974 / 13 June 1990 qualifies; an
//   application filed ON 23 August 2023 keeps the older rule, one filed on 24 August 2023 does not.
// - The filing date is the day the application was received by the authority.
// - "More favourable" ranks met > discretion > unknown > not_met (see `criterion.ts`); on a tie
//   the current version is reported.
// Implementation choices:
// - An exception that is met makes the criterion met whatever the benefit status; an exception
//   that may apply but lacks evidence makes it `unknown` rather than `not_met`.
// - Benefits `unknown` with no exception met → `unknown`.
// - Details that the old version also had (e.g. the age-related exemptions of the old § 10
//   Abs. 1 Satz 3 StAG) are not modelled; only the responsibility clause is.

export interface LivelihoodRules {
  /** Last day of entry for recruited guest workers (Buchst. a). */
  readonly guestWorkerEntryDeadline: LocalDate;
  /** Last day of entry for GDR contract workers (Buchst. a). */
  readonly contractWorkerEntryDeadline: LocalDate;
  /** Months of full-time employment required (Buchst. b). */
  readonly fullTimeMonthsRequired: number;
  /** Window in months (Buchst. b). */
  readonly fullTimeWindowMonths: number;
  /** § 40a StAG: applications filed on or before this day keep the former, more favourable rule. */
  readonly transitionalFiledByInclusive: LocalDate;
}

/** Dated rules of § 10 Abs. 1 Satz 1 Nr. 3 StAG and § 40a StAG, in force from 27 June 2024. */
export const livelihoodRulesHistory: DatedHistory<LivelihoodRules> = Object.freeze([
  {
    validFrom: '2024-06-27',
    basis: '§ 10 Abs. 1 Satz 1 Nr. 3 StAG; § 40a StAG',
    value: Object.freeze({
      guestWorkerEntryDeadline: '1974-06-30',
      contractWorkerEntryDeadline: '1990-06-13',
      fullTimeMonthsRequired: 20,
      fullTimeWindowMonths: 24,
      transitionalFiledByInclusive: '2023-08-23',
    }),
  },
]);

const BASIS = '§ 10 Abs. 1 Satz 1 Nr. 3 StAG';
const BASIS_A = '§ 10 Abs. 1 Satz 1 Nr. 3 Buchst. a StAG';
const BASIS_B = '§ 10 Abs. 1 Satz 1 Nr. 3 Buchst. b StAG';
const BASIS_C = '§ 10 Abs. 1 Satz 1 Nr. 3 Buchst. c StAG';

/** True if an application filed on `filedOn` keeps the former livelihood rule (§ 40a StAG). */
export function isTransitionalLivelihoodApplication(filedOn: LocalDate, rules: LivelihoodRules): boolean {
  return compareLocalDates(parseLocalDate(filedOn), rules.transitionalFiledByInclusive) <= 0;
}

function fromTriState(value: TriState): CriterionStatus {
  return value === 'yes' ? 'met' : value === 'no' ? 'not_met' : 'unknown';
}

function both(a: CriterionStatus, b: CriterionStatus): CriterionStatus {
  if (a === 'not_met' || b === 'not_met') {
    return 'not_met';
  }
  return a === 'unknown' || b === 'unknown' ? 'unknown' : 'met';
}

/** Buchst. b: full-time now and for `fullTimeMonthsRequired` of the last `fullTimeWindowMonths` months. */
function assessFullTime(employment: EmploymentFacts, rules: LivelihoodRules): CriterionStatus {
  const months = employment.fullTimeMonthsInLast24;
  if (months !== undefined && (!Number.isSafeInteger(months) || months < 0 || months > rules.fullTimeWindowMonths)) {
    throw new RangeError(`Full-time months must be an integer from 0 to ${rules.fullTimeWindowMonths}: ${months}`);
  }
  const history: CriterionStatus = months === undefined ? 'unknown' : months >= rules.fullTimeMonthsRequired ? 'met' : 'not_met';
  return both(fromTriState(employment.employedFullTimeNow), history);
}

/**
 * True if `entry` is an entry as a recruited guest worker by 30 June 1974 or as a GDR contract
 * worker by 13 June 1990 (§ 10 Abs. 1 Satz 1 Nr. 3 Buchst. a StAG; dates inclusive).
 */
export function isPrivilegedGuestWorkerEntry(entry: GuestWorkerEntry | undefined, rules: LivelihoodRules): boolean {
  if (entry === undefined) {
    return false;
  }
  const deadline = entry.kind === 'recruited_frg' ? rules.guestWorkerEntryDeadline : rules.contractWorkerEntryDeadline;
  return compareLocalDates(parseLocalDate(entry.enteredOn), deadline) <= 0;
}

function assessGuestWorker(facts: LivelihoodFacts, rules: LivelihoodRules): CriterionStatus {
  if (!isPrivilegedGuestWorkerEntry(facts.guestWorkerEntry, rules)) {
    return 'not_met';
  }
  // Only a person NOT responsible for needing the benefits is covered.
  return facts.responsibleForBenefits === 'no' ? 'met' : facts.responsibleForBenefits === 'yes' ? 'not_met' : 'unknown';
}

/**
 * § 10 Abs. 1 Satz 1 Nr. 3 StAG as in force since 27 June 2024, with Buchst. a to c.
 * @returns a `livelihood` criterion; `details.exceptions` lists the status of each exception.
 */
export function evaluateCurrentLivelihoodRule(facts: LivelihoodFacts, rules: LivelihoodRules): Criterion {
  const exceptions = {
    guestWorker: assessGuestWorker(facts, rules),
    fullTime: assessFullTime(facts.employment, rules),
    partnerOfFullTime:
      facts.partner === undefined
        ? ('not_met' as CriterionStatus)
        : both(assessFullTime(facts.partner, rules), fromTriState(facts.partner.livesInFamilyWithApplicantAndMinorChild)),
  };
  const details = { version: 'current', receivesBenefits: facts.receivesBenefits, exceptions };
  if (facts.receivesBenefits === 'no') {
    return makeCriterion(
      'livelihood',
      'met',
      BASIS,
      'Lebensunterhalt ohne Leistungen nach SGB II oder SGB XII gesichert.',
      'Livelihood secured without SGB II or SGB XII benefits.',
      details,
    );
  }
  if (exceptions.guestWorker === 'met') {
    return makeCriterion(
      'livelihood',
      'met',
      BASIS_A,
      'Ausnahme für angeworbene Gastarbeiter bzw. Vertragsarbeitnehmer, die den Leistungsbezug nicht zu vertreten haben.',
      'Exception for recruited guest workers or contract workers who are not responsible for needing benefits.',
      details,
    );
  }
  if (exceptions.fullTime === 'met') {
    return makeCriterion(
      'livelihood',
      'met',
      BASIS_B,
      `In Vollzeit erwerbstätig und in den letzten ${rules.fullTimeWindowMonths} Monaten mindestens ${rules.fullTimeMonthsRequired} Monate.`,
      `Employed full time now and for at least ${rules.fullTimeMonthsRequired} of the last ${rules.fullTimeWindowMonths} months.`,
      details,
    );
  }
  if (exceptions.partnerOfFullTime === 'met') {
    return makeCriterion(
      'livelihood',
      'met',
      BASIS_C,
      'Ehegatte/Lebenspartner einer in Vollzeit erwerbstätigen Person, in familiärer Gemeinschaft mit einem minderjährigen Kind.',
      'Spouse/partner of a person employed full time, living in family community with a minor child.',
      details,
    );
  }
  const exceptionOpen = determineMostFavourableStatus(Object.values(exceptions)) === 'unknown';
  if (facts.receivesBenefits === 'unknown' || exceptionOpen) {
    return makeCriterion(
      'livelihood',
      'unknown',
      BASIS,
      facts.receivesBenefits === 'unknown'
        ? 'Nicht bekannt, ob Leistungen nach SGB II oder SGB XII bezogen werden.'
        : 'Leistungsbezug nach SGB II/XII; ob eine Ausnahme greift, ist nicht vollständig belegt.',
      facts.receivesBenefits === 'unknown'
        ? 'Not known whether SGB II or SGB XII benefits are received.'
        : 'Receives SGB II/XII benefits; whether an exception applies is not fully proven.',
      details,
    );
  }
  return makeCriterion(
    'livelihood',
    'not_met',
    BASIS,
    'Leistungsbezug nach SGB II oder SGB XII und keine der Ausnahmen nach Buchst. a bis c.',
    'Receives SGB II or SGB XII benefits and none of the exceptions in Buchst. a to c applies.',
    details,
  );
}

/**
 * § 10 Abs. 1 Satz 1 Nr. 3 StAG in the version before 27 June 2024 ("… bestreiten kann oder deren
 * Inanspruchnahme nicht zu vertreten hat"), applicable via § 40a StAG.
 */
export function evaluateFormerLivelihoodRule(facts: LivelihoodFacts): Criterion {
  const details = { version: 'former', receivesBenefits: facts.receivesBenefits, responsibleForBenefits: facts.responsibleForBenefits };
  const basis = '§ 10 Abs. 1 Satz 1 Nr. 3 StAG a.F.; § 40a StAG';
  if (facts.receivesBenefits === 'no') {
    return makeCriterion('livelihood', 'met', basis, 'Lebensunterhalt ohne Leistungen gesichert (alte Fassung).', 'Livelihood secured without benefits (former version).', details);
  }
  if (facts.responsibleForBenefits === 'no') {
    return makeCriterion(
      'livelihood',
      'met',
      basis,
      'Leistungsbezug nicht zu vertreten: nach der alten, günstigeren Fassung kein Hindernis (§ 40a StAG).',
      'Not responsible for needing benefits: no bar under the former, more favourable version (§ 40a StAG).',
      details,
    );
  }
  if (facts.receivesBenefits === 'yes' && facts.responsibleForBenefits === 'yes') {
    return makeCriterion(
      'livelihood',
      'not_met',
      basis,
      'Leistungsbezug, den der Antragsteller zu vertreten hat (alte Fassung).',
      'Receives benefits and is responsible for needing them (former version).',
      details,
    );
  }
  return makeCriterion(
    'livelihood',
    'unknown',
    basis,
    'Leistungsbezug oder dessen Vertretenmüssen ist nicht geklärt (alte Fassung).',
    'Benefit receipt or responsibility for it is not established (former version).',
    details,
  );
}

/**
 * Livelihood criterion on `asOf`: § 10 Abs. 1 Satz 1 Nr. 3 StAG, and for applications filed by
 * 23 August 2023 the more favourable of that and the former version (§ 40a StAG).
 * Throws `RangeError` before 27 June 2024.
 * @returns a `livelihood` criterion; `details.appliedVersion` is `current` or `former`, and for
 *   transitional applications `details.comparison` holds both statuses.
 */
export function evaluateLivelihood(
  facts: LivelihoodFacts,
  applicationFiledOn: LocalDate | undefined,
  asOf: LocalDate,
  history: DatedHistory<LivelihoodRules> = livelihoodRulesHistory,
): Criterion {
  const rules = findDatedEntry(history, asOf).value;
  const current = evaluateCurrentLivelihoodRule(facts, rules);
  if (applicationFiledOn === undefined || !isTransitionalLivelihoodApplication(applicationFiledOn, rules)) {
    return { ...current, details: { ...current.details, appliedVersion: 'current', transitional: false } };
  }
  const former = evaluateFormerLivelihoodRule(facts);
  const chosen = isMoreFavourable(former.status, current.status) ? former : current;
  return {
    ...chosen,
    details: {
      ...chosen.details,
      appliedVersion: chosen === former ? 'former' : 'current',
      transitional: true,
      comparison: { current: current.status, former: former.status },
    },
  };
}
