import { compareLocalDates, LocalDate, parseLocalDate } from '../calendar/localDate';
import { computePeriodEnd, PeriodLength } from '../calendar/periods';
import { DatedHistory, findDatedValue } from '../naturalisation/datedHistory';
import { ResidenceEvaluation } from './criterion';
import { ResidenceCheckFacts } from './facts';
import { ContinuationResult, evaluatePermitContinuation } from './permitContinuation';
import { computeDateBefore } from './permitExpiryWatch';
import { findHeldStatusOn, isOpportunityPermit } from './precedingResidence';
import { determineResidenceRuleSetVersion } from './ruleSet';
import { evaluateSustainedIntegration } from './sustainedIntegration';
import { evaluateWellIntegratedYoungPeople } from './wellIntegratedYoungPeople';

/**
 * The transition from the opportunity residence permit, § 104c AufenthG ("Chancen-
 * Aufenthaltsrecht"): granted for 18 months (§ 104c Abs. 3 Satz 1 AufenthG), not extendable
 * (§ 104c Abs. 3 Satz 3 AufenthG); during it only a permit under § 25a AufenthG or § 25b AufenthG
 * may follow (§ 104c Abs. 3 Satz 4 AufenthG). So every holder needs a transition check well
 * before expiry: which of § 25a AufenthG and § 25b AufenthG the person will meet by the permit's
 * last day, the check starting some months before (configuration) and an escalation to the team
 * lead when no follow-on application exists some weeks before expiry (configuration). A
 * follow-on application filed before expiry keeps the permit in force (§ 81 Abs. 4 Satz 1 AufenthG).
 * New § 104c AufenthG applications ended with 31 December 2025 (a dated history).
 */

// Legal choices made as configuration (`transitionConfig`):
// - The sentence numbers in § 104c Abs. 3 AufenthG (18 months, not extendable, only § 25a/§ 25b
//   to follow) come from secondary sources. (verify)
// - Check start 6 months and escalation 8 weeks before expiry (domain.md); planning dates,
//   counted back exactly (the escalation is due ON that day), not moved to working days.
// Implementation choices:
// - The permit is the § 104c AufenthG period held on `asOf` (also while continued under
//   § 81 Abs. 4 AufenthG); its expiry is its recorded last day, or else 18 months from its first
//   day (§ 187 Abs. 2 BGB, § 188 Abs. 2 BGB).
// - "Met by expiry": § 25a AufenthG and § 25b AufenthG are evaluated on the permit's last day,
//   with the facts as they are (what is already proven) and the status continuing to that day.

export interface TransitionConfig {
  readonly permitLength: PeriodLength;
  readonly checkLeadTime: PeriodLength;
  readonly escalationLeadTime: PeriodLength;
  readonly notExtendableBasis: string;
  readonly followOnBasis: string;
  readonly note: string;
}

export const transitionConfig: TransitionConfig = Object.freeze({
  permitLength: Object.freeze({ months: 18 }),
  checkLeadTime: Object.freeze({ months: 6 }),
  escalationLeadTime: Object.freeze({ weeks: 8 }),
  notExtendableBasis: '§ 104c Abs. 3 Satz 3 AufenthG',
  followOnBasis: '§ 104c Abs. 3 Satz 4 AufenthG',
  note: '18 months, not extendable, only § 25a or § 25b AufenthG to follow (sentence numbers verify); check 6 months and escalation 8 weeks before expiry.',
});

/** Whether new § 104c AufenthG permits can be applied for (§ 104c Abs. 1 Satz 1 AufenthG; ended 31 December 2025). */
export const opportunityPermitApplicationsHistory: DatedHistory<boolean> = Object.freeze([
  { validFrom: '2022-12-31', basis: '§ 104c Abs. 1 Satz 1 AufenthG', value: true },
  { validFrom: '2026-01-01', basis: '§ 104c AufenthG', value: false },
]);

/** True if a new § 104c AufenthG application is possible on `asOf`; throws `RangeError` before 31 December 2022. */
export function isOpportunityPermitApplicationPossible(asOf: LocalDate): boolean {
  return findDatedValue(opportunityPermitApplicationsHistory, asOf);
}

export interface OpportunityPermit {
  readonly from: LocalDate;
  /** Last day of validity. */
  readonly expiresOn: LocalDate;
  /** True if `expiresOn` was computed (18 months) rather than recorded. */
  readonly expiryComputed: boolean;
}

/** The § 104c AufenthG permit held on `asOf` (or continued under § 81 Abs. 4 AufenthG), or null. */
export function findOpportunityPermit(facts: ResidenceCheckFacts, asOf: LocalDate, config: TransitionConfig = transitionConfig): OpportunityPermit | null {
  const held = findHeldStatusOn(facts.residenceHistory, asOf);
  if (held === null || !isOpportunityPermit(held)) {
    return null;
  }
  if (held.to !== undefined) {
    return { from: held.from, expiresOn: held.to, expiryComputed: false };
  }
  const end = computePeriodEnd({ start: held.from, event: 'start_of_day', length: config.permitLength, shiftToWorkingDay: false });
  return { from: held.from, expiresOn: end.lastDay, expiryComputed: true };
}

export interface TransitionCheck {
  readonly ruleSetVersion: string;
  readonly asOf: LocalDate;
  readonly permit: OpportunityPermit;
  /** Always false: § 104c Abs. 3 Satz 3 AufenthG. */
  readonly extendable: false;
  readonly extensionBasis: string;
  readonly transitionCheckStartsOn: LocalDate;
  readonly escalationOn: LocalDate;
  readonly checkDue: boolean;
  /** On or after `escalationOn` and no follow-on application filed by `asOf`. */
  readonly escalationDue: boolean;
  readonly followOnApplicationFiledOn: LocalDate | null;
  /** § 81 Abs. 4 AufenthG for the follow-on application. */
  readonly continuation: ContinuationResult;
  /** § 25a AufenthG and § 25b AufenthG evaluated on the permit's last day. */
  readonly atExpiry: { readonly wellIntegratedYoungPeople: ResidenceEvaluation; readonly sustainedIntegration: ResidenceEvaluation };
  /** The follow-on titles not excluded on the permit's last day (overall not `not_met`). */
  readonly reachable: readonly string[];
}

/**
 * The § 104c AufenthG transition check on `asOf`; null if the person holds no § 104c permit then.
 */
export function evaluateOpportunityResidenceTransition(
  facts: ResidenceCheckFacts,
  asOf: LocalDate,
  config: TransitionConfig = transitionConfig,
): TransitionCheck | null {
  parseLocalDate(asOf);
  const permit = findOpportunityPermit(facts, asOf, config);
  if (permit === null) {
    return null;
  }
  const transitionCheckStartsOn = computeDateBefore(permit.expiresOn, config.checkLeadTime);
  const escalationOn = computeDateBefore(permit.expiresOn, config.escalationLeadTime);
  const filedOn = facts.applicationFiledOn !== undefined && compareLocalDates(facts.applicationFiledOn, asOf) <= 0 ? facts.applicationFiledOn : null;
  const wellIntegratedYoungPeople = evaluateWellIntegratedYoungPeople(facts, permit.expiresOn);
  const sustainedIntegration = evaluateSustainedIntegration(facts, permit.expiresOn);
  return {
    ruleSetVersion: determineResidenceRuleSetVersion(asOf),
    asOf,
    permit,
    extendable: false,
    extensionBasis: config.notExtendableBasis,
    transitionCheckStartsOn,
    escalationOn,
    checkDue: compareLocalDates(transitionCheckStartsOn, asOf) <= 0,
    escalationDue: filedOn === null && compareLocalDates(escalationOn, asOf) <= 0,
    followOnApplicationFiledOn: filedOn,
    continuation: evaluatePermitContinuation({ expiresOn: permit.expiresOn, ...(filedOn === null ? {} : { filedOn }) }, asOf),
    atExpiry: { wellIntegratedYoungPeople, sustainedIntegration },
    reachable: [wellIntegratedYoungPeople, sustainedIntegration].filter((evaluation) => evaluation.overall !== 'not_met').map((evaluation) => evaluation.rule),
  };
}
