import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { ChecklistItem } from '../domain/naturalisation/completeness';
import type {
  InquiryKind,
  NaturalisationDecision,
  NaturalisationFlag,
  NaturalisationStage,
  WaitingFor,
} from '../domain/naturalisation/stages';
import { messagesTaskQueue } from './taskQueues';

/** The naturalisation process's task queue, and the shared delivery queue its letters go through. */
export const taskQueues = {
  naturalisation: 'naturalisation',
  messages: messagesTaskQueue,
} as const;

export function naturalisationWorkflowId(applicationId: string): string {
  return `naturalisation/${applicationId}`;
}

/** Settings of the procedure, recorded in each workflow when it starts. */
export interface ProcedureSettings {
  /** Days the applicant gets for requested documents (§ 31 VwVfG NRW). */
  documentDeadlineDays: number;
  /** Days before that deadline when a reminder goes out. */
  documentReminderDaysBefore: number;
  /** Days after which an unanswered inquiry to another agency is followed up. */
  inquiryFollowUpDays: number;
  /** Documents older than this are requested again. */
  maxDocumentAgeMonths: number;
}

export const defaultProcedureSettings: ProcedureSettings = {
  documentDeadlineDays: 28,
  documentReminderDaysBefore: 7,
  inquiryFollowUpDays: 42,
  maxDocumentAgeMonths: 6,
};

/** What a naturalisation workflow starts with: ids, dates and settings; no personal data in the clear (payloads are encrypted). */
export interface NaturalisationWorkflowInput {
  applicationId: string;
  authorityId: string;
  /** The filing date (a calendar day in Germany), from which the § 75 Satz 2 VwGO clock runs. */
  filedOn: string;
  /** Lead times in milliseconds before the § 75 mark at which the team is warned. */
  inactionWarningLeadTimesMs: number[];
  /** Procedure settings (workflow version 2); defaults where absent. */
  procedure?: ProcedureSettings;
  /**
   * The applicant's access code in clear: only in workflows started before codes were kept out of
   * histories (new starts never set it; it stays for their replay).
   */
  accessCode?: string;
  /** The acknowledgement tells the access code: its letter carries the placeholder the delivery replaces. */
  accessCodeByLetter?: boolean;
  team?: string;
  /** The application's reference, for its projection (absent in workflows started before it was passed). */
  reference?: string;
  /** The applicant's entry in the person register, where the application was linked to one. */
  personId?: string;
}

export interface InquiryState {
  kind: InquiryKind;
  sentOn: string;
  answeredOn?: string;
  result?: 'no_findings' | 'findings';
  note?: string;
  followedUp?: boolean;
  /** Who recorded the answer (absent for answers recorded before it was kept): may not decide the case. */
  recordedBy?: string;
}

/** A decision proposed by one clerk, waiting for a second clerk's confirmation (four eyes). */
export interface DecisionProposal {
  outcome: NaturalisationDecision;
  reason: string;
  proposedBy: string;
  proposedAt: string;
  minorChildren?: number;
  refusalFeeEuro?: number;
  eligibilityCheckId?: string;
  discretionDecisions?: { criterion: string; decision: 'met' | 'not_met'; reason: string }[];
}

export interface NaturalisationState {
  applicationId: string;
  stage: NaturalisationStage;
  version: number;
  flags: NaturalisationFlag[];
  waitingFor?: WaitingFor;
  assignee?: string | null;
  team?: string;
  suspended?: { reason: string; since: string } | null;
  checklist?: ChecklistItem[];
  documentRequest?: { requestedOn: string; dueOn: string; reminderOn: string; reminderSent: boolean; missing: string[]; outdated: string[] } | null;
  inquiries?: InquiryState[];
  deadlines: {
    inactionPeriodEndsOn: string;
    lawsuitPossibleFrom: string;
    nextWarningAt?: string;
    documentsDueOn?: string;
  };
  decision?: {
    outcome: NaturalisationDecision;
    reason: string;
    decidedBy: string;
    decidedAt: string;
    fee?: { euro: number; basis: string };
    eligibilityCheckId?: string;
    discretionDecisions?: { criterion: string; decision: 'met' | 'not_met'; reason: string }[];
    /** The second clerk who confirmed the proposed decision (four eyes). */
    confirmedBy?: string;
  };
  /** A proposed decision waiting for its confirmation by a second clerk. */
  decisionProposal?: DecisionProposal | null;
  appointment?: { at: string; place: string } | null;
  /** The latest evaluation on the person's register facts, and what it changed (after a register change). */
  eligibility?: { overall: string; checkId: string; evaluatedOn: string; changed: { criterion: string; from: string | null; to: string }[] } | null;
  /** What case management reported on handoffs of this case. */
  handoffReports?: { handoffId: string; status: string; reason?: string; outcome?: { kind: string; on: string; note?: string }; at: string }[];
  /** § 16 StAG: the naturalisation takes effect on the day the certificate is handed over. */
  naturalisedOn?: string;
}

export interface RecordDecisionRequest {
  outcome: NaturalisationDecision;
  reason: string;
  decidedBy: string;
  /** The state version the clerk saw; a stale version is refused. */
  expectedVersion: number;
  /** For approval: minor children naturalised with the applicant (§ 38 Abs. 2 StAG fee). */
  minorChildren?: number;
  /** For refusal or withdrawal: the fee the clerk set within the § 38 Abs. 2 StAG range. */
  refusalFeeEuro?: number;
  /** For approval: the eligibility evaluation of the decision day it rests on (checked by the API). */
  eligibilityCheckId?: string;
  /** For approval on a `discretion` evaluation: the clerk's decision on each discretionary criterion. */
  discretionDecisions?: { criterion: string; decision: 'met' | 'not_met'; reason: string }[];
}

/** A decision proposal: the proposing clerk is `decidedBy`; it takes effect only when a second clerk confirms it. */
export type ProposeDecisionRequest = RecordDecisionRequest;

/** The confirmation of the pending proposal by a second clerk, with the evaluation of the confirmation day for an approval. */
export interface ConfirmDecisionRequest {
  expectedVersion: number;
  actor: string;
  eligibilityCheckId?: string;
}

/** Every clerk action carries the version the clerk saw and who acts. */
interface ClerkAction {
  expectedVersion: number;
  actor: string;
}

export interface CompleteCheckRequest extends ClerkAction {
  checklist: ChecklistItem[];
}
export interface RecordDocumentsRequest extends ClerkAction {
  /** The checklist items that arrived (replacing the same types). */
  received: ChecklistItem[];
}
export interface ExtendDeadlineRequest extends ClerkAction {
  dueOn: string;
}
export interface RecordInquiryAnswerRequest extends ClerkAction {
  inquiry: InquiryKind;
  result: 'no_findings' | 'findings';
  answeredOn: string;
  note?: string;
}
export interface ScheduleAppointmentRequest extends ClerkAction {
  at: string;
  place: string;
}
export interface RecordHandoverRequest extends ClerkAction {
  handedOverOn: string;
}
export interface SuspendRequest extends ClerkAction {
  reason: string;
}
export type ResumeRequest = ClerkAction;
/** A new access code was issued (by the API): the workflow writes the applicant a letter with its placeholder. */
export type SendAccessCodeRequest = ClerkAction;
export interface ReassignRequest extends ClerkAction {
  assignee: string | null;
  team?: string;
}

export const getNaturalisationStateQuery = defineQuery<NaturalisationState>('getNaturalisationState');
export const recordDecisionUpdate = defineUpdate<NaturalisationState, [RecordDecisionRequest]>('recordDecision');
export const proposeDecisionUpdate = defineUpdate<NaturalisationState, [ProposeDecisionRequest]>('proposeDecision');
export const confirmDecisionUpdate = defineUpdate<NaturalisationState, [ConfirmDecisionRequest]>('confirmDecision');
export const completeCheckUpdate = defineUpdate<NaturalisationState, [CompleteCheckRequest]>('completeCheck');
export const recordDocumentsUpdate = defineUpdate<NaturalisationState, [RecordDocumentsRequest]>('recordDocuments');
export const extendDocumentDeadlineUpdate = defineUpdate<NaturalisationState, [ExtendDeadlineRequest]>('extendDocumentDeadline');
export const recordInquiryAnswerUpdate = defineUpdate<NaturalisationState, [RecordInquiryAnswerRequest]>('recordInquiryAnswer');
export const scheduleAppointmentUpdate = defineUpdate<NaturalisationState, [ScheduleAppointmentRequest]>('scheduleAppointment');
export const recordHandoverUpdate = defineUpdate<NaturalisationState, [RecordHandoverRequest]>('recordHandover');
export const suspendUpdate = defineUpdate<NaturalisationState, [SuspendRequest]>('suspend');
export const resumeUpdate = defineUpdate<NaturalisationState, [ResumeRequest]>('resume');
export const sendAccessCodeUpdate = defineUpdate<NaturalisationState, [SendAccessCodeRequest]>('sendAccessCode');
export const reassignUpdate = defineUpdate<NaturalisationState, [ReassignRequest]>('reassign');
