import { compareLocalDates, LocalDate } from '../calendar/localDate';
import type { CriterionStatus, ResidenceCriterion, ResidenceCriterionId, ResidenceEvaluation } from './criterion';
import type { ResidenceCheckFacts, TriState } from './facts';
import { evaluateOpportunityResidenceTransition, transitionConfig, type TransitionConfig } from './opportunityResidenceTransition';
import { evaluateSustainedIntegration } from './sustainedIntegration';
import { evaluateWellIntegratedYoungPeople } from './wellIntegratedYoungPeople';

/**
 * The procedure of a residence-law check by the ABH (§ 25a AufenthG, § 25b AufenthG, the
 * § 104c AufenthG transition): what the clerk's findings add to the register's facts, which
 * evidence is requested, the date a "not yet" waits for, and the integration deficits for which
 * case management may help. Pure: the workflow calls it through its evaluation activity.
 */

/** Stages of a residence check. */
export const residenceCheckStages = ['scheduled', 'evaluation', 'awaiting_evidence', 'decision', 'not_yet', 'decided'] as const;
export type ResidenceCheckStage = (typeof residenceCheckStages)[number];

export const residenceDecisionOutcomes = ['grant', 'refuse', 'not_yet'] as const;
export type ResidenceDecisionOutcome = (typeof residenceDecisionOutcomes)[number];

/** The titles a check may grant. */
export const grantableTitles = ['§ 25a AufenthG', '§ 25b AufenthG'] as const;

/**
 * The clerk's findings on what the register does not hold (§ 5 Abs. 1 Nr. 4 AufenthG passport,
 * § 25a Abs. 1 Satz 1 Nr. 4 AufenthG prognosis, § 25b Abs. 1 Satz 2 Nr. 2 AufenthG declaration,
 * § 25b Abs. 2 AufenthG exclusions …). They override the facts derived from the register.
 */
export interface ResidenceCheckFindings {
  passportHeld?: TriState;
  identityClarified?: TriState;
  declaredCommitmentToBasicOrder?: TriState;
  indicationsAgainstDemocraticOrder?: TriState;
  ownDeceptionAboutIdentity?: TriState;
  nonCooperation?: TriState;
  seriousExpulsionInterest?: TriState;
  integrationPrognosis?: TriState;
  /** § 25b Abs. 1 Satz 2 Nr. 3 AufenthG: the livelihood is expected to be secured. */
  livelihoodSecuredExpected?: TriState;
  /** Share (0–1) of the livelihood from work, from the proof of livelihood. */
  livelihoodShareFromWork?: number;
}

export const findingKeys = [
  'passportHeld',
  'identityClarified',
  'declaredCommitmentToBasicOrder',
  'indicationsAgainstDemocraticOrder',
  'ownDeceptionAboutIdentity',
  'nonCooperation',
  'seriousExpulsionInterest',
  'integrationPrognosis',
  'livelihoodSecuredExpected',
] as const;

/** The register's facts with the clerk's findings and a follow-on application's filing day applied. */
export function applyCheckFindings(facts: ResidenceCheckFacts, findings: ResidenceCheckFindings, applicationFiledOn?: LocalDate): ResidenceCheckFacts {
  const { livelihoodSecuredExpected, livelihoodShareFromWork, integrationPrognosis, ...rest } = findings;
  return {
    ...facts,
    ...rest,
    ...(integrationPrognosis === undefined ? {} : { integrationPrognosis }),
    livelihood: {
      ...facts.livelihood,
      ...(livelihoodSecuredExpected === undefined ? {} : { securedExpected: livelihoodSecuredExpected }),
      ...(livelihoodShareFromWork === undefined ? {} : { shareFromWork: livelihoodShareFromWork }),
    },
    ...(applicationFiledOn === undefined ? {} : { applicationFiledOn }),
  };
}

/** A title not out of reach: not `not_met`, or with a date on which its time criteria will be met. */
function isWithinReach(evaluation: ResidenceEvaluation): boolean {
  return evaluation.overall !== 'not_met' || evaluation.eligibleFrom !== null;
}

/** Evidence a check requests from the person, by the criterion it proves. */
export const evidenceKinds = ['passport', 'school_certificates', 'a2_certificate', 'proof_of_livelihood'] as const;
export type EvidenceKind = (typeof evidenceKinds)[number];

const evidenceFor: Partial<Record<ResidenceCriterionId, EvidenceKind>> = {
  passport: 'passport',
  schooling: 'school_certificates',
  oral_german: 'a2_certificate',
  livelihood: 'proof_of_livelihood',
};

/**
 * The evidence to request: for each criterion that a document proves (§ 5 Abs. 1 Nr. 4
 * AufenthG passport, § 25a Abs. 1 Satz 1 Nr. 2 AufenthG schooling, § 25b Abs. 1 Satz 2 Nr. 4
 * AufenthG A2, § 25b Abs. 1 Satz 2 Nr. 3 AufenthG livelihood) and is `unknown` in a title
 * that is not excluded otherwise.
 */
export function listEvidenceNeeded(evaluations: readonly ResidenceEvaluation[]): EvidenceKind[] {
  const needed = new Set<EvidenceKind>();
  // A title out of reach needs no evidence.
  for (const evaluation of evaluations.filter(isWithinReach)) {
    for (const criterion of evaluation.criteria) {
      const kind = evidenceFor[criterion.id];
      if (kind && criterion.status === 'unknown') needed.add(kind);
    }
  }
  return evidenceKinds.filter((kind) => needed.has(kind));
}

/** Needs of case management (KIM Baustein 2) that an integration deficit points to. */
export type IntegrationDeficit = 'language' | 'employment' | 'schooling';

const deficitFor: Partial<Record<ResidenceCriterionId, IntegrationDeficit>> = {
  oral_german: 'language',
  livelihood: 'employment',
  employment: 'employment',
  schooling: 'schooling',
};

/**
 * The integration deficits behind a "not yet": criteria `not_met` (language § 25b Abs. 1 Satz 2
 * Nr. 4 AufenthG, livelihood § 25b Abs. 1 Satz 2 Nr. 3 AufenthG, schooling § 25a Abs. 1 Satz 1
 * Nr. 2 AufenthG) of a title within reach — not the time criteria, which only waiting cures.
 */
export function determineIntegrationDeficits(evaluations: readonly ResidenceEvaluation[]): IntegrationDeficit[] {
  const found = new Set<IntegrationDeficit>();
  for (const evaluation of evaluations.filter(isWithinReach)) {
    for (const criterion of evaluation.criteria) {
      const deficit = deficitFor[criterion.id];
      if (deficit && criterion.status === 'not_met') found.add(deficit);
    }
  }
  return (['language', 'employment', 'schooling'] as const).filter((d) => found.has(d));
}

export interface CheckEvaluation {
  asOf: LocalDate;
  ruleSetVersion: string;
  /** § 25a AufenthG and § 25b AufenthG on `asOf`. */
  evaluations: ResidenceEvaluation[];
  /** The best overall status of the two titles. */
  overall: CriterionStatus;
  /** The first future day on which a title's time criteria are met (the "not yet" date); null: none. */
  nextEligibleOn: LocalDate | null;
  /** Per title: its `eligibleFrom` and `eligibleUntil`. */
  dates: { rule: string; eligibleFrom: LocalDate | null; eligibleUntil: LocalDate | null }[];
  evidenceNeeded: EvidenceKind[];
  deficits: IntegrationDeficit[];
  /** For a § 104c AufenthG holder: the transition dates and what is reachable by expiry. */
  transition: {
    expiresOn: LocalDate;
    checkStartsOn: LocalDate;
    escalationOn: LocalDate;
    reachable: string[];
    followOnApplicationFiledOn: LocalDate | null;
  } | null;
}

const statusRank: Record<CriterionStatus, number> = { met: 0, discretion: 1, unknown: 2, not_met: 3 };

/**
 * Evaluates § 25a AufenthG and § 25b AufenthG (and the § 104c AufenthG transition) on `asOf`,
 * and derives what the check's procedure needs.
 */
export function evaluateResidenceCheck(facts: ResidenceCheckFacts, asOf: LocalDate, config: TransitionConfig = transitionConfig): CheckEvaluation {
  const evaluations = [evaluateWellIntegratedYoungPeople(facts, asOf), evaluateSustainedIntegration(facts, asOf)];
  const overall = evaluations.map((e) => e.overall).sort((a, b) => statusRank[a] - statusRank[b])[0];
  const future = evaluations
    .map((e) => e.eligibleFrom)
    .filter((d): d is LocalDate => d !== null && compareLocalDates(d, asOf) > 0)
    .sort(compareLocalDates);
  const transition = evaluateOpportunityResidenceTransition(facts, asOf, config);
  return {
    asOf,
    ruleSetVersion: evaluations[0].ruleSetVersion,
    evaluations,
    overall,
    nextEligibleOn: future[0] ?? null,
    dates: evaluations.map((e) => ({ rule: e.rule, eligibleFrom: e.eligibleFrom, eligibleUntil: e.eligibleUntil })),
    evidenceNeeded: listEvidenceNeeded(evaluations),
    deficits: determineIntegrationDeficits(evaluations),
    transition: transition
      ? {
          expiresOn: transition.permit.expiresOn,
          checkStartsOn: transition.transitionCheckStartsOn,
          escalationOn: transition.escalationOn,
          reachable: [...transition.reachable],
          followOnApplicationFiledOn: transition.followOnApplicationFiledOn,
        }
      : null,
  };
}

/** The criteria of a title in an evaluation; for the clerk's view. */
export function findCriteria(evaluation: CheckEvaluation, rule: string): readonly ResidenceCriterion[] {
  return evaluation.evaluations.find((e) => e.rule === rule)?.criteria ?? [];
}
