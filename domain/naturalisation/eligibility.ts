import { LocalDate, parseLocalDate } from '../calendar/localDate';
import { computeAgeOn } from '../calendar/periods';
import { evaluateConvictions } from './convictions';
import { Criterion } from './criterion';
import { evaluateBasicOrderDeclaration } from './criteria/basicOrderDeclaration';
import { evaluateCapacityToAct } from './criteria/capacityToAct';
import { evaluateCivicKnowledge } from './criteria/civicKnowledge';
import { evaluateExclusionGrounds } from './criteria/exclusionGrounds';
import { evaluateGenderEquality } from './criteria/genderEquality';
import { evaluateGermanLanguage } from './criteria/germanLanguage';
import { evaluateHistoricalResponsibility } from './criteria/historicalResponsibility';
import { evaluateIdentity } from './criteria/identity';
import { evaluateResidencePeriodCriterion } from './criteria/lawfulResidence';
import { evaluateMultipleMarriage } from './criteria/multipleMarriage';
import { findDatedEntry } from './datedHistory';
import { EligibilityConfig, eligibilityConfig, naturalisationRuleSetHistory } from './eligibilityConfig';
import { NaturalisationFacts } from './facts';
import { evaluateLivelihood } from './livelihood';
import { determineRequiredResidenceYears } from './residencePeriod';
import { evaluateResidenceTitle } from './residenceTitle';

export { NATURALISATION_RULE_SET_VERSION, naturalisationRuleSetHistory, eligibilityConfig } from './eligibilityConfig';
export type { EligibilityConfig } from './eligibilityConfig';
export { evaluateResidencePeriodCriterion } from './criteria/lawfulResidence';
export type { ResidencePeriodEvaluation } from './criteria/lawfulResidence';

/**
 * Naturalisation by entitlement, § 10 StAG as in force since 30 October 2025 (the law at the
 * time of the decision applies, also to applications filed earlier). Evaluates every criterion,
 * each in its own file, and combines them:
 * - identity and nationality clarified, § 10 Abs. 1 Satz 1 StAG — `criteria/identity.ts`;
 * - capacity to act or legal representation, § 37 Abs. 1 Satz 1 StAG — `criteria/capacityToAct.ts`;
 * - five years of lawful habitual residence, § 10 Abs. 1 Satz 1 StAG — `criteria/lawfulResidence.ts`
 *   (the counting: `residencePeriod.ts`);
 * - § 10 Abs. 1 Satz 1 Nr. 1 StAG — `criteria/basicOrderDeclaration.ts`;
 * - § 10 Abs. 1 Satz 1 Nr. 1a StAG — `criteria/historicalResponsibility.ts`;
 * - § 10 Abs. 1 Satz 1 Nr. 2 StAG — `residenceTitle.ts`;
 * - § 10 Abs. 1 Satz 1 Nr. 3 StAG — `livelihood.ts`;
 * - § 10 Abs. 1 Satz 1 Nr. 4 StAG (giving up the previous nationality) was repealed with effect
 *   from 27 June 2024: no criterion;
 * - § 10 Abs. 1 Satz 1 Nr. 5 StAG with § 12a StAG — `convictions.ts`;
 * - § 10 Abs. 1 Satz 1 Nr. 6 StAG with § 10 Abs. 4 StAG and § 10 Abs. 6 StAG — `criteria/germanLanguage.ts`;
 * - § 10 Abs. 1 Satz 1 Nr. 7 StAG with § 10 Abs. 5 StAG — `criteria/civicKnowledge.ts`;
 * - § 11 Satz 1 Nr. 1 StAG, § 11 Satz 1 Nr. 1a StAG, § 11 Satz 1 Nr. 2 StAG — `criteria/exclusionGrounds.ts`;
 * - § 11 Satz 1 Nr. 3 Buchst. a StAG — `criteria/multipleMarriage.ts`; § 11 Satz 1 Nr. 3 Buchst. b StAG —
 *   `criteria/genderEquality.ts`;
 * - under 16, § 10 Abs. 1 Satz 2 StAG — `criteria/under16.ts`.
 * Co-naturalisation of spouse and children, § 10 Abs. 2 StAG, is `coNaturalisation.ts`; the
 * configuration (rule-set version, points to verify) is `eligibilityConfig.ts`.
 */

// Implementation choices:
// - `overall`: any `not_met` → `not_eligible`; else any `unknown` → `incomplete`; else any
//   `discretion` → `discretion`; else `eligible`.
// - `earliestEligibleOn`: `asOf` when eligible; the residence date when the residence period is
//   the ONLY criterion not met and all others are met; otherwise null. Ages are taken on `asOf`;
//   a future date does not re-check criteria that depend on age (e.g. turning 16).
// - A proof not yet supplied (no language certificate, no test) is `unknown`, a failed one
//   `not_met`.

export type EligibilityOverall = 'eligible' | 'not_eligible' | 'incomplete' | 'discretion';

export interface EligibilityResult {
  readonly ruleSetVersion: string;
  readonly asOf: LocalDate;
  readonly criteria: readonly Criterion[];
  readonly overall: EligibilityOverall;
  /** `asOf` if eligible; the residence date if only the residence period is missing; else null. */
  readonly earliestEligibleOn: LocalDate | null;
  readonly requiredResidenceYears: number;
  /** First date on which the residence period is (or, if the status continues, will be) met; null if unreachable. */
  readonly residencePeriodMetOn: LocalDate | null;
}

/** Combines criteria: any not_met → not_eligible; any unknown → incomplete; any discretion → discretion. */
export function determineOverall(criteria: readonly Criterion[]): EligibilityOverall {
  if (criteria.some((criterion) => criterion.status === 'not_met')) {
    return 'not_eligible';
  }
  if (criteria.some((criterion) => criterion.status === 'unknown')) {
    return 'incomplete';
  }
  return criteria.some((criterion) => criterion.status === 'discretion') ? 'discretion' : 'eligible';
}

/**
 * All criteria of § 10 Abs. 1 StAG and § 11 StAG EXCEPT the residence period, on `asOf`
 * (shared with co-naturalisation, § 10 Abs. 2 StAG, which replaces the period).
 */
export function evaluateCommonCriteria(facts: NaturalisationFacts, asOf: LocalDate, config: EligibilityConfig = eligibilityConfig): Criterion[] {
  const age = computeAgeOn(facts.dateOfBirth, asOf);
  return [
    evaluateIdentity(facts),
    evaluateCapacityToAct(facts, age, config),
    evaluateBasicOrderDeclaration(facts, age, config),
    evaluateHistoricalResponsibility(facts, age, config),
    evaluateResidenceTitle(facts.residenceHistory, asOf),
    evaluateLivelihood(facts.livelihood, facts.applicationFiledOn, asOf),
    evaluateConvictions(facts.criminalRecord, asOf),
    evaluateGermanLanguage(facts, age, asOf, config),
    evaluateCivicKnowledge(facts, age, asOf, config),
    evaluateMultipleMarriage(facts, config),
    evaluateGenderEquality(facts, config),
    evaluateExclusionGrounds(facts),
  ];
}

/**
 * The date from which a person is eligible: `asOf` if eligible; the residence date if the
 * period (the criteria in `waitingIds`) is the only criterion not met and all others are met; else null.
 */
export function determineEarliestEligibleOn(
  criteria: readonly Criterion[],
  overall: EligibilityOverall,
  asOf: LocalDate,
  residenceMetOn: LocalDate | null,
  waitingIds: readonly Criterion['id'][] = ['residence_period'],
): LocalDate | null {
  if (overall === 'eligible') {
    return asOf;
  }
  const others = criteria.filter((criterion) => !waitingIds.includes(criterion.id));
  const waiting = criteria.filter((criterion) => waitingIds.includes(criterion.id));
  if (others.every((criterion) => criterion.status === 'met') && waiting.some((criterion) => criterion.status === 'not_met')) {
    return residenceMetOn;
  }
  return null;
}

/**
 * Naturalisation by entitlement on `asOf` under § 10 StAG as in force since 30 October 2025.
 * Throws `RangeError` for `asOf` before 30 October 2025 (this rule set does not know the older
 * law) or before the date of birth.
 * @returns every criterion with its status, reason and basis, the overall outcome, and the
 *   earliest eligible date (see `determineEarliestEligibleOn`).
 */
export function evaluateNaturalisationEligibility(
  facts: NaturalisationFacts,
  asOf: LocalDate,
  config: EligibilityConfig = eligibilityConfig,
): EligibilityResult {
  parseLocalDate(asOf);
  const ruleSet = findDatedEntry(naturalisationRuleSetHistory, asOf).value;
  const requiredResidenceYears = determineRequiredResidenceYears(asOf);
  const residence = evaluateResidencePeriodCriterion(facts.residenceHistory, requiredResidenceYears, asOf, config.residence);
  const [identity, capacity, ...rest] = evaluateCommonCriteria(facts, asOf, config);
  const criteria = [identity, capacity, residence.criterion, ...rest];
  const overall = determineOverall(criteria);
  return {
    ruleSetVersion: ruleSet.version,
    asOf,
    criteria,
    overall,
    earliestEligibleOn: determineEarliestEligibleOn(criteria, overall, asOf, residence.metOn),
    requiredResidenceYears,
    residencePeriodMetOn: residence.metOn,
  };
}
