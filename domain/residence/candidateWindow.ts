import { compareLocalDates, LocalDate, parseLocalDate } from '../calendar/localDate';
import { computePeriodEnd } from '../calendar/periods';
import { assumeStatusContinues } from '../residenceHistory/periods';
import { CriterionStatus, LocalizedText, ResidenceCriterionId, ResidenceEvaluation } from './criterion';
import { ResidenceCheckFacts } from './facts';
import { evaluateSustainedIntegration } from './sustainedIntegration';
import { evaluateWellIntegratedYoungPeople } from './wellIntegratedYoungPeople';

/**
 * Finding candidates for § 25a AufenthG and § 25b AufenthG: does a person meet either title now,
 * or will they within a horizon of N months if their current status continues? For the register's
 * candidate search, with the reason per person.
 * - `now`: evaluated on `asOf`, nothing is `not_met` (met, discretion, or open evidence);
 * - `within_horizon`: the time criteria are reached on `eligibleFrom` within the horizon, and
 *   evaluated on that day (status continued, no application filed yet) nothing is `not_met`;
 * - `not_within_horizon`: otherwise; the blocking criteria are listed.
 * The horizon ends N months after `asOf` (§ 187 Abs. 1 BGB, § 188 Abs. 2 BGB: 15 Nov + 6 months → 15 May).
 */

export type CandidateOutcome = 'now' | 'within_horizon' | 'not_within_horizon';

export interface CandidateRuleWindow {
  readonly rule: string;
  readonly outcome: CandidateOutcome;
  /** `asOf` for `now`, the day the time criteria are reached for `within_horizon`, else null. */
  readonly on: LocalDate | null;
  /** The overall status on `on` (or on `asOf` when not within the horizon). */
  readonly overall: CriterionStatus;
  /** Criteria not met on that day (`not_met`, `unknown` or `discretion`), to explain the result. */
  readonly openCriteria: readonly ResidenceCriterionId[];
  readonly reason: LocalizedText;
}

export interface CandidateWindow {
  readonly asOf: LocalDate;
  readonly horizonMonths: number;
  /** Last day of the horizon. */
  readonly horizonEndsOn: LocalDate;
  /** True if § 25a or § 25b AufenthG is `now` or `within_horizon`. */
  readonly candidate: boolean;
  readonly rules: readonly CandidateRuleWindow[];
}

function openCriteria(evaluation: ResidenceEvaluation): ResidenceCriterionId[] {
  return evaluation.criteria.filter((criterion) => criterion.status !== 'met').map((criterion) => criterion.id);
}

function determineRuleWindow(
  evaluate: (facts: ResidenceCheckFacts, asOf: LocalDate) => ResidenceEvaluation,
  facts: ResidenceCheckFacts,
  asOf: LocalDate,
  horizonEndsOn: LocalDate,
): CandidateRuleWindow {
  const today = evaluate(facts, asOf);
  if (today.overall !== 'not_met') {
    return {
      rule: today.rule,
      outcome: 'now',
      on: asOf,
      overall: today.overall,
      openCriteria: openCriteria(today),
      reason: {
        de: `Erfüllt ${today.rule} jetzt${today.overall === 'met' ? '' : ' (offene Punkte oder Ermessen)'}.`,
        en: `Meets ${today.rule} now${today.overall === 'met' ? '' : ' (open points or discretion)'}.`,
      },
    };
  }
  const from = today.eligibleFrom;
  if (from !== null && compareLocalDates(from, asOf) > 0 && compareLocalDates(from, horizonEndsOn) <= 0) {
    const continued: ResidenceCheckFacts = { ...facts, residenceHistory: assumeStatusContinues(facts.residenceHistory, asOf) };
    const then = evaluate(continued, from);
    if (then.overall !== 'not_met') {
      return {
        rule: today.rule,
        outcome: 'within_horizon',
        on: from,
        overall: then.overall,
        openCriteria: openCriteria(then),
        reason: { de: `Erfüllt ${today.rule} voraussichtlich ab ${from}.`, en: `Expected to meet ${today.rule} from ${from}.` },
      };
    }
    return {
      rule: today.rule,
      outcome: 'not_within_horizon',
      on: null,
      overall: then.overall,
      openCriteria: then.criteria.filter((criterion) => criterion.status === 'not_met').map((criterion) => criterion.id),
      reason: {
        de: `Zeiten ab ${from} erfüllt, aber andere Voraussetzungen fehlen.`,
        en: `Time criteria met from ${from}, but other requirements are not met.`,
      },
    };
  }
  return {
    rule: today.rule,
    outcome: 'not_within_horizon',
    on: null,
    overall: today.overall,
    openCriteria: today.criteria.filter((criterion) => criterion.status === 'not_met').map((criterion) => criterion.id),
    reason:
      from === null || compareLocalDates(from, asOf) <= 0
        ? { de: `${today.rule} ist unter dem derzeitigen Status nicht erreichbar.`, en: `${today.rule} cannot be reached under the current status.` }
        : { de: `${today.rule} frühestens ab ${from}, nach dem Suchzeitraum.`, en: `${today.rule} at the earliest from ${from}, after the horizon.` },
  };
}

/**
 * Whether `facts` meet § 25a AufenthG or § 25b AufenthG on `asOf` or will within `horizonMonths`
 * months if the current status continues (§ 25a Abs. 1 AufenthG, § 25b Abs. 1 AufenthG).
 */
export function determineCandidateWindow(facts: ResidenceCheckFacts, asOf: LocalDate, horizonMonths: number): CandidateWindow {
  parseLocalDate(asOf);
  if (!Number.isSafeInteger(horizonMonths) || horizonMonths < 0) {
    throw new RangeError(`Horizon must be a non-negative whole number of months: ${horizonMonths}`);
  }
  const horizonEndsOn =
    horizonMonths === 0 ? asOf : computePeriodEnd({ start: asOf, event: 'event', length: { months: horizonMonths }, shiftToWorkingDay: false }).lastDay;
  const rules = [
    determineRuleWindow(evaluateWellIntegratedYoungPeople, facts, asOf, horizonEndsOn),
    determineRuleWindow(evaluateSustainedIntegration, facts, asOf, horizonEndsOn),
  ];
  return { asOf, horizonMonths, horizonEndsOn, candidate: rules.some((rule) => rule.outcome !== 'not_within_horizon'), rules };
}
