import type { FactInput } from '../register/facts';

/**
 * The phases of KIM case management (Baustein 2 of the "Förderrichtlinie KIM NRW": access, first
 * consultation, assessment, goal agreement, help plan, service steering, evaluation) and the
 * outcomes that matter to the originating case, with the register fact each becomes.
 */
export const caseManagementPhases = ['access', 'first_consultation', 'assessment', 'goal_agreement', 'help_plan', 'service_steering', 'evaluation'] as const;
export type CaseManagementPhase = (typeof caseManagementPhases)[number];

export type HandoffOutcome =
  | { kind: 'language_certificate_obtained'; on: string; level: 'A1' | 'A2' | 'B1' | 'B2' | 'C1' | 'C2'; issuer?: string | null; note?: string }
  | { kind: 'employment_started'; on: string; hoursPerWeek: number; fullTime: boolean; note?: string }
  | { kind: 'school_place_found'; on: string; note?: string }
  | { kind: 'other'; on: string; note?: string };

export const handoffOutcomeKinds = ['language_certificate_obtained', 'employment_started', 'school_place_found', 'other'] as const;

/** The need an outcome answers, for the steering figures (a `HandoffNeed` of workflows/shared/handoffs.ts). */
export function determineOutcomeNeed(outcome: HandoffOutcome): 'language' | 'employment' | 'schooling' | null {
  switch (outcome.kind) {
    case 'language_certificate_obtained':
      return 'language';
    case 'employment_started':
      return 'employment';
    case 'school_place_found':
      return 'schooling';
    default:
      return null;
  }
}

/**
 * The dated register fact an outcome becomes, or null when it is no evidence the rules read.
 * A certificate is the language evidence of § 10 Abs. 1 Satz 1 Nr. 6 StAG and § 25b Abs. 1 Satz 2
 * Nr. 4 AufenthG; employment the livelihood of § 10 Abs. 1 Satz 1 Nr. 3 StAG and § 25b Abs. 1
 * Satz 2 Nr. 3 AufenthG; a school place the schooling of § 25a Abs. 1 Satz 1 Nr. 2 AufenthG.
 */
export function deriveOutcomeFact(outcome: HandoffOutcome): FactInput | null {
  switch (outcome.kind) {
    case 'language_certificate_obtained':
      return { kind: 'language_certificate', data: { level: outcome.level, issuedOn: outcome.on, issuer: outcome.issuer ?? null } };
    case 'employment_started':
      return { kind: 'employment', data: { from: outcome.on, to: null, hoursPerWeek: outcome.hoursPerWeek, fullTime: outcome.fullTime } };
    case 'school_place_found':
      return { kind: 'education', data: { kind: 'schooling', inGermany: true, from: outcome.on, to: null, successful: null, description: null } };
    default:
      return null;
  }
}
