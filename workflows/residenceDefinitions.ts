import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { CheckEvaluation, EvidenceKind, ResidenceCheckFindings, ResidenceCheckStage, ResidenceDecisionOutcome } from '../domain/residence/checkProcedure';
import type { HandoffNeed, HandoffStatusChanged } from './shared/handoffs';
import { messagesTaskQueue } from './taskQueues';

/** The residence process's task queue (checks, watches, the daily sweep), and the shared delivery queue. */
export const residenceTaskQueues = { residence: 'residence', messages: messagesTaskQueue } as const;

export const residenceCaseType = 'residence';

/** Every residence check and watch is one workflow `residence/<check id>`. */
export function residenceWorkflowId(checkId: string): string {
  return `residence/${checkId}`;
}

/** The daily sweep that starts the permit-expiry watches and the § 104c AufenthG transition checks. */
export const residenceSweepWorkflowId = 'residence/sweep';
export const residenceSweepScheduleId = 'residence-daily-sweep';

/** Settings recorded in each check when it starts. */
export interface ResidenceCheckSettings {
  /** Days the person gets for the requested evidence. */
  evidenceDeadlineDays: number;
  /** Days before that deadline when a reminder goes out. */
  evidenceReminderDaysBefore: number;
  /** Days before the last day to apply under § 25a AufenthG (the 27th birthday) when the clerk is told. */
  ageLimitNoticeDaysBefore: number;
  /** History length after which a long-waiting check continues as new. */
  continueAsNewAfterEvents: number;
}

export const defaultResidenceCheckSettings: ResidenceCheckSettings = {
  evidenceDeadlineDays: 28,
  evidenceReminderDaysBefore: 7,
  ageLimitNoticeDaysBefore: 56,
  continueAsNewAfterEvents: 2_000,
};

/** Settings of a permit-expiry watch. */
export interface ExpiryWatchSettings {
  /** Days before a Fiktionsbescheinigung's end when the clerk is told. */
  fiktionsbescheinigungNoticeDaysBefore: number;
}

export const defaultExpiryWatchSettings: ExpiryWatchSettings = { fiktionsbescheinigungNoticeDaysBefore: 14 };

export interface ResidenceCheckInput {
  checkId: string;
  authorityId: string;
  personId: string;
  reference: string;
  kind: 'eligibility' | 'transition';
  /** The person agreed to be written to about the check (besides a register fact). */
  contactConsent: boolean;
  settings?: ResidenceCheckSettings;
  /** Carried over by continue-as-new. */
  carried?: ResidenceCheckState;
}

export interface HandoffProposal {
  needs: HandoffNeed[];
  proposedAt: string;
  status: 'proposed' | 'confirmed' | 'requested' | 'not_started';
  confirmedBy?: string;
  handoffId?: string;
  reason?: string;
  events: (HandoffStatusChanged & { at: string })[];
}

export interface ResidenceCheckState {
  checkId: string;
  kind: 'eligibility' | 'transition';
  stage: ResidenceCheckStage;
  version: number;
  flags: string[];
  waitingFor: 'person' | 'authority' | 'date' | null;
  assignee: string | null;
  evaluation: CheckEvaluation | null;
  /** How many times the check evaluated (each fact change, each timer). */
  evaluations: number;
  findings: ResidenceCheckFindings;
  evidence: { requestedOn: string; dueOn: string; reminderOn: string; requested: EvidenceKind[]; received: EvidenceKind[]; reminderSent: boolean } | null;
  notYet: { since: string; until: string; reason: string } | null;
  decision: { outcome: ResidenceDecisionOutcome; title?: string; reason: string; decidedBy: string; decidedAt: string } | null;
  followOnFiledOn: string | null;
  handoff: HandoffProposal | null;
  /** ISO instants of what the check did, for the clerk and the tests. */
  events: { kind: string; at: string }[];
  deadlines: Record<string, string>;
}

interface ClerkAction {
  expectedVersion: number;
  actor: string;
}

export interface RecordEvidenceRequest extends ClerkAction {
  received: EvidenceKind[];
  findings?: ResidenceCheckFindings;
}
export interface ResidenceDecisionRequest extends ClerkAction {
  outcome: ResidenceDecisionOutcome;
  reason: string;
  /** For `grant`: the title granted. */
  title?: string;
  /** For `not_yet` when no date is computed: the day to look again. */
  reviewOn?: string;
}
export interface RecordFollowOnApplicationRequest extends ClerkAction {
  filedOn: string;
}
export type ConfirmHandoffRequest = ClerkAction;
export interface AssignCheckRequest extends ClerkAction {
  assignee: string | null;
}

export const getResidenceCheckStateQuery = defineQuery<ResidenceCheckState>('getResidenceCheckState');
export const recordEvidenceUpdate = defineUpdate<ResidenceCheckState, [RecordEvidenceRequest]>('recordEvidence');
export const decideResidenceCheckUpdate = defineUpdate<ResidenceCheckState, [ResidenceDecisionRequest]>('decideResidenceCheck');
export const recordFollowOnApplicationUpdate = defineUpdate<ResidenceCheckState, [RecordFollowOnApplicationRequest]>('recordFollowOnApplication');
export const confirmHandoffProposalUpdate = defineUpdate<ResidenceCheckState, [ConfirmHandoffRequest]>('confirmHandoffProposal');
export const assignResidenceCheckUpdate = defineUpdate<ResidenceCheckState, [AssignCheckRequest]>('assignResidenceCheck');

// ---- permit-expiry watch ----

export interface ExpiryWatchInput {
  checkId: string;
  authorityId: string;
  personId: string;
  periodId: string;
  reference: string;
  settings?: ExpiryWatchSettings;
}

export type ExpiryWatchStage = 'watching' | 'reminded' | 'renewal_overdue' | 'renewal_filed' | 'completed';

export interface ExpiryWatchState {
  checkId: string;
  stage: ExpiryWatchStage;
  version: number;
  flags: string[];
  assignee: string | null;
  permit: { expiresOn: string; permitBasis: string | null } | null;
  reminderOn: string | null;
  clerkTaskOn: string | null;
  reminder: { at: string; channel: 'email' | 'print' } | null;
  clerkTaskAt: string | null;
  renewal: { filedOn: string; effect: 'continued' | 'discretion' | 'none' | 'pending'; basis: string; daysLate: number; continuesFrom: string | null; recordedBy: string } | null;
  fiktionsbescheinigung: { issuedOn: string; validUntil: string; noticeSentAt?: string } | null;
  outcome: { result: 'renewed' | 'refused' | 'other_title' | 'left' | 'withdrawn'; note: string; decidedBy: string } | null;
  deadlines: Record<string, string>;
}

export interface RecordRenewalFiledRequest extends ClerkAction {
  filedOn: string;
}
export interface RecordFiktionsbescheinigungRequest extends ClerkAction {
  issuedOn: string;
  validUntil: string;
}
export interface CloseWatchRequest extends ClerkAction {
  result: 'renewed' | 'refused' | 'other_title' | 'left' | 'withdrawn';
  note: string;
}

export const getExpiryWatchStateQuery = defineQuery<ExpiryWatchState>('getExpiryWatchState');
export const recordRenewalFiledUpdate = defineUpdate<ExpiryWatchState, [RecordRenewalFiledRequest]>('recordRenewalFiled');
export const recordFiktionsbescheinigungUpdate = defineUpdate<ExpiryWatchState, [RecordFiktionsbescheinigungRequest]>('recordFiktionsbescheinigung');
export const closeExpiryWatchUpdate = defineUpdate<ExpiryWatchState, [CloseWatchRequest]>('closeExpiryWatch');

/** The sweep's input: how far ahead it starts watches. */
export interface ResidenceSweepInput {
  /** Days before expiry from which a watch runs (beyond the reminder lead time). */
  watchHorizonDays?: number;
  /** Days before a § 104c AufenthG permit's expiry from which its transition check runs. */
  transitionHorizonDays?: number;
}
