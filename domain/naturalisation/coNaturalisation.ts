import { addDays, compareLocalDates, LocalDate, parseLocalDate } from '../calendar/localDate';
import { computeAgeOn, computePeriodEnd, firstDayAfter, PeriodLength } from '../calendar/periods';
import { Criterion, makeCriterion } from './criterion';
import { findDatedEntry } from './datedHistory';
import {
  determineOverall,
  EligibilityConfig,
  eligibilityConfig,
  EligibilityOverall,
  EligibilityResult,
  evaluateCommonCriteria,
  evaluateNaturalisationEligibility,
  evaluateResidencePeriodCriterion,
  naturalisationRuleSetHistory,
} from './eligibility';
import { ChildFacts, NaturalisationFacts, SpouseFacts } from './facts';

/**
 * Co-naturalisation, § 10 Abs. 2 StAG: the spouse or registered partner and the minor children of
 * an applicant naturalised under § 10 Abs. 1 StAG may be naturalised with the applicant "nach
 * Maßgabe des Absatzes 1", even if they have not yet resided lawfully for five years. All other
 * criteria of § 10 Abs. 1 StAG and § 11 StAG apply to each family member.
 */

// Legal choices made as configuration (see `coNaturalisationConfig`) — ALL (verify):
// - The statute sets NO minimum residence for co-naturalised family members; the minimums are
//   administrative practice. Older BMI guidance (written for the 8-year rule) asked of a spouse
//   4 years of residence and 2 years of marital community, and of a minor child 3 years
//   (6 months immediately before naturalisation for a child under 6). Authorities adapt these
//   to the 5-year rule differently.
// - DEFAULTS CHOSEN HERE: spouse/partner 3 years of lawful habitual residence and 2 years of
//   marriage/partnership (the proportions of § 9 StAG, domain.md); child 3 years, child under 6:
//   6 months. Each number is configuration for the authority to correct.
// - The marriage years run from the wedding day as an event (§ 187 Abs. 1 BGB, § 188 Abs. 2 BGB).
// - "Minor" (minderjährig) = under 18 on the day of naturalisation; a child who would only meet
//   the requirements after turning 18 gets no earliest date.
// Implementation choices:
// - The principal applicant must be eligible under § 10 Abs. 1 StAG: eligible → met,
//   discretion → discretion, incomplete → unknown, not eligible → not met.
// - `earliestEligibleOn`: when every criterion is met except some that only need time
//   (residence period, marriage duration, principal applicant's own residence period), the latest
//   of their dates; otherwise null. Ages are taken on `asOf`.

export interface CoNaturalisationConfig {
  readonly basis: string;
  readonly spouse: {
    readonly minimumResidence: PeriodLength;
    readonly minimumMarriage: PeriodLength;
    readonly note: string;
  };
  readonly child: {
    readonly minimumResidence: PeriodLength;
    readonly youngChild: { readonly ageBelow: number; readonly minimumResidence: PeriodLength } | null;
    readonly majorityAge: number;
    readonly note: string;
  };
}

/** Default configuration (all minimums: verify; the statute sets none). */
export const coNaturalisationConfig: CoNaturalisationConfig = Object.freeze({
  basis: '§ 10 Abs. 2 StAG',
  spouse: Object.freeze({
    minimumResidence: Object.freeze({ years: 3 }),
    minimumMarriage: Object.freeze({ years: 2 }),
    note:
      'No statutory minimum. Default 3 years of residence and 2 years of marriage/partnership (as § 9 StAG); older BMI ' +
      'guidance under the 8-year rule: 4 years and 2 years. (verify)',
  }),
  child: Object.freeze({
    minimumResidence: Object.freeze({ years: 3 }),
    youngChild: Object.freeze({ ageBelow: 6, minimumResidence: Object.freeze({ months: 6 }) }),
    majorityAge: 18,
    note:
      'No statutory minimum. Default 3 years; a child under 6: 6 months immediately before naturalisation (older BMI ' +
      'guidance). (verify)',
  }),
});

export type CoNaturalisationRole = 'spouse' | 'registered_partner' | 'child';

export interface CoNaturalisationResult {
  readonly ruleSetVersion: string;
  readonly asOf: LocalDate;
  readonly role: CoNaturalisationRole;
  readonly criteria: readonly Criterion[];
  readonly overall: EligibilityOverall;
  /** `asOf` if eligible; the date when only waiting is left; else null. */
  readonly earliestEligibleOn: LocalDate | null;
}

export interface HouseholdCoNaturalisation {
  readonly principal: EligibilityResult;
  readonly spouse: CoNaturalisationResult | null;
  readonly children: readonly CoNaturalisationResult[];
}

function evaluatePrincipal(principal: EligibilityResult, basis: string): Criterion {
  const details = { principalOverall: principal.overall, principalEarliestEligibleOn: principal.earliestEligibleOn };
  switch (principal.overall) {
    case 'eligible':
      return makeCriterion('principal_applicant', 'met', basis, 'Die antragstellende Person erfüllt § 10 Abs. 1 StAG.', 'The principal applicant meets § 10 Abs. 1 StAG.', details);
    case 'discretion':
      return makeCriterion(
        'principal_applicant',
        'discretion',
        basis,
        'Die Einbürgerung der antragstellenden Person hängt von einer Einzelfallentscheidung ab.',
        'The principal applicant’s naturalisation depends on a case-by-case decision.',
        details,
      );
    case 'incomplete':
      return makeCriterion(
        'principal_applicant',
        'unknown',
        basis,
        'Die Prüfung der antragstellenden Person ist noch nicht vollständig.',
        'The principal applicant’s assessment is not complete yet.',
        details,
      );
    default:
      return makeCriterion(
        'principal_applicant',
        'not_met',
        basis,
        'Die antragstellende Person erfüllt § 10 Abs. 1 StAG (noch) nicht.',
        'The principal applicant does not (yet) meet § 10 Abs. 1 StAG.',
        details,
      );
  }
}

function evaluateJoint(appliesJointly: boolean, basis: string): Criterion {
  return appliesJointly
    ? makeCriterion('joint_application', 'met', basis, 'Einbürgerung gemeinsam mit der antragstellenden Person.', 'Naturalised together with the principal applicant.')
    : makeCriterion(
        'joint_application',
        'not_met',
        basis,
        'Miteinbürgerung setzt die gemeinsame Einbürgerung mit der antragstellenden Person voraus.',
        'Co-naturalisation requires being naturalised together with the principal applicant.',
      );
}

function evaluateMarriageDuration(spouse: SpouseFacts, asOf: LocalDate, config: CoNaturalisationConfig): { criterion: Criterion; completedOn: LocalDate | null } {
  if (spouse.marriedOn === undefined) {
    return {
      completedOn: null,
      criterion: makeCriterion('marriage_duration', 'unknown', config.basis, 'Datum der Eheschließung nicht erfasst.', 'Date of marriage not recorded.'),
    };
  }
  const end = computePeriodEnd({ start: parseLocalDate(spouse.marriedOn), event: 'event', length: config.spouse.minimumMarriage, shiftToWorkingDay: false });
  const completedOn = firstDayAfter(end.lastDay);
  const years = config.spouse.minimumMarriage.years ?? 0;
  const met = compareLocalDates(completedOn, asOf) <= 0;
  return {
    completedOn,
    criterion: makeCriterion(
      'marriage_duration',
      met ? 'met' : 'not_met',
      config.basis,
      met ? `Ehe/Lebenspartnerschaft besteht seit mindestens ${years} Jahren.` : `Ehe/Lebenspartnerschaft besteht noch nicht ${years} Jahre (ab ${completedOn}).`,
      met ? `Marriage/partnership has lasted at least ${years} years.` : `Marriage/partnership has not lasted ${years} years yet (from ${completedOn}).`,
      { marriedOn: spouse.marriedOn, completedOn, minimum: config.spouse.minimumMarriage },
    ),
  };
}

function evaluateCommunity(spouse: SpouseFacts, basis: string): Criterion {
  const status = spouse.livingTogether === 'yes' ? 'met' : spouse.livingTogether === 'no' ? 'not_met' : 'unknown';
  return makeCriterion(
    'marital_community',
    status,
    basis,
    status === 'met' ? 'Eheliche/partnerschaftliche Lebensgemeinschaft besteht.' : status === 'not_met' ? 'Keine Lebensgemeinschaft.' : 'Lebensgemeinschaft nicht festgestellt.',
    status === 'met' ? 'Living together in marital/partnership community.' : status === 'not_met' ? 'Not living together.' : 'Living together not established.',
  );
}

/**
 * Combines the criteria and determines the earliest date. `waiting` maps a criterion id to the
 * date on which it will be met (null: not by waiting).
 */
function combine(criteria: readonly Criterion[], asOf: LocalDate, waiting: ReadonlyMap<Criterion['id'], LocalDate | null>): { overall: EligibilityOverall; earliestEligibleOn: LocalDate | null } {
  const overall = determineOverall(criteria);
  if (overall === 'eligible') {
    return { overall, earliestEligibleOn: asOf };
  }
  let latest: LocalDate | null = null;
  for (const criterion of criteria) {
    if (criterion.status === 'met') {
      continue;
    }
    const date = criterion.status === 'not_met' ? waiting.get(criterion.id) : undefined;
    if (date === undefined || date === null) {
      return { overall, earliestEligibleOn: null };
    }
    latest = latest === null || compareLocalDates(date, latest) > 0 ? date : latest;
  }
  return { overall, earliestEligibleOn: latest };
}

/**
 * Co-naturalisation of the spouse or registered partner on `asOf`, § 10 Abs. 2 StAG.
 * @returns the spouse's criteria (shortened residence period, marriage duration, community,
 *   joint application, principal applicant's eligibility, and all other § 10 Abs. 1 StAG and
 *   § 11 StAG criteria), overall outcome and earliest date.
 */
export function evaluateSpouseCoNaturalisation(
  principal: EligibilityResult,
  spouse: SpouseFacts,
  asOf: LocalDate,
  config: CoNaturalisationConfig = coNaturalisationConfig,
  criteriaConfig: EligibilityConfig = eligibilityConfig,
): CoNaturalisationResult {
  const ruleSet = findDatedEntry(naturalisationRuleSetHistory, asOf).value;
  const residence = evaluateResidencePeriodCriterion(spouse.facts.residenceHistory, config.spouse.minimumResidence, asOf, criteriaConfig.residence, config.basis);
  const marriage = evaluateMarriageDuration(spouse, asOf, config);
  const [identity, capacity, ...rest] = evaluateCommonCriteria(spouse.facts, asOf, criteriaConfig);
  const criteria = [
    evaluatePrincipal(principal, config.basis),
    evaluateJoint(spouse.appliesJointly, config.basis),
    marriage.criterion,
    evaluateCommunity(spouse, config.basis),
    identity,
    capacity,
    residence.criterion,
    ...rest,
  ];
  const waiting = new Map<Criterion['id'], LocalDate | null>([
    ['principal_applicant', principal.earliestEligibleOn],
    ['marriage_duration', marriage.completedOn],
    ['residence_period', residence.metOn],
  ]);
  return { ruleSetVersion: ruleSet.version, asOf, role: spouse.relationship, criteria, ...combine(criteria, asOf, waiting) };
}

/**
 * Co-naturalisation of a minor child on `asOf`, § 10 Abs. 2 StAG.
 * @returns the child's criteria (minority, shortened residence period, joint application,
 *   principal applicant's eligibility, and all other criteria — Nr. 1, Nr. 1a and Nr. 7 do not
 *   apply under 16), overall outcome and earliest date (null if the child would be of age).
 */
export function evaluateChildCoNaturalisation(
  principal: EligibilityResult,
  child: ChildFacts,
  asOf: LocalDate,
  config: CoNaturalisationConfig = coNaturalisationConfig,
  criteriaConfig: EligibilityConfig = eligibilityConfig,
): CoNaturalisationResult {
  const ruleSet = findDatedEntry(naturalisationRuleSetHistory, asOf).value;
  const age = computeAgeOn(child.facts.dateOfBirth, asOf);
  const adultFrom = firstDayAfter(
    computePeriodEnd({ start: child.facts.dateOfBirth, event: 'start_of_day', length: { years: config.child.majorityAge }, shiftToWorkingDay: false }).lastDay,
  );
  const minor = age < config.child.majorityAge;
  const minorCriterion = makeCriterion(
    'minor_child',
    minor ? 'met' : 'not_met',
    config.basis,
    minor ? `Minderjährig (${age} Jahre).` : `Nicht mehr minderjährig (${age} Jahre).`,
    minor ? `A minor (aged ${age}).` : `No longer a minor (aged ${age}).`,
    { age, adultFrom },
  );
  const young = config.child.youngChild;
  const requirement = young !== null && age < young.ageBelow ? young.minimumResidence : config.child.minimumResidence;
  const residence = evaluateResidencePeriodCriterion(child.facts.residenceHistory, requirement, asOf, criteriaConfig.residence, config.basis);
  const [identity, capacity, ...rest] = evaluateCommonCriteria(child.facts, asOf, criteriaConfig);
  const criteria = [
    evaluatePrincipal(principal, config.basis),
    evaluateJoint(child.appliesJointly, config.basis),
    minorCriterion,
    identity,
    capacity,
    residence.criterion,
    ...rest,
  ];
  const waiting = new Map<Criterion['id'], LocalDate | null>([
    ['principal_applicant', principal.earliestEligibleOn],
    ['residence_period', residence.metOn],
  ]);
  const combined = combine(criteria, asOf, waiting);
  const tooLate = combined.earliestEligibleOn !== null && compareLocalDates(combined.earliestEligibleOn, addDays(adultFrom, -1)) > 0;
  return {
    ruleSetVersion: ruleSet.version,
    asOf,
    role: 'child',
    criteria,
    overall: combined.overall,
    earliestEligibleOn: tooLate ? null : combined.earliestEligibleOn,
  };
}

/**
 * The applicant's own eligibility (§ 10 Abs. 1 StAG) and the co-naturalisation of the spouse and
 * each minor child in `facts.household` (§ 10 Abs. 2 StAG), on `asOf`.
 */
export function evaluateHouseholdCoNaturalisation(
  facts: NaturalisationFacts,
  asOf: LocalDate,
  config: CoNaturalisationConfig = coNaturalisationConfig,
  criteriaConfig: EligibilityConfig = eligibilityConfig,
): HouseholdCoNaturalisation {
  const principal = evaluateNaturalisationEligibility(facts, asOf, criteriaConfig);
  const household = facts.household;
  return {
    principal,
    spouse: household?.spouse === undefined ? null : evaluateSpouseCoNaturalisation(principal, household.spouse, asOf, config, criteriaConfig),
    children: (household?.minorChildren ?? []).map((child) => evaluateChildCoNaturalisation(principal, child, asOf, config, criteriaConfig)),
  };
}
