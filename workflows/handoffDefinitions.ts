import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { AcknowledgementSettings } from '../domain/handoff/acknowledgementDeadline';
import type { CaseManagementPhase, HandoffOutcome } from '../domain/handoff/progress';
import type { HandoffNeed, HandoffOrigin } from './shared/handoffs';

/** Handoffs to case management (KIM Baustein 2): one workflow per handoff, on its own queue. */
export const handoffTaskQueue = 'handoff';
export const handoffWorkflowId = (handoffId: string) => `handoff/${handoffId}`;

export interface HandoffWorkflowInput {
  handoffId: string;
  authorityId: string;
  team: string;
  reference: string;
  needs: HandoffNeed[];
  urgency: 'normal' | 'urgent';
  relevantDeadline: string | null;
  /** The case that asked for the handoff; null for a clerk's direct handoff. */
  origin: HandoffOrigin | null;
  requestedBy: string;
  /** The working-day lengths in force when the handoff was sent (configuration). */
  acknowledgement: AcknowledgementSettings;
}

export type HandoffStage = 'awaiting_acceptance' | 'in_progress' | 'closed';
export type HandoffClosing = 'declined' | 'expired' | 'consent_withdrawn' | 'completed';
export type HandoffFlag = 'urgent' | 'reminded' | 'escalated' | 'accepted_in_time' | 'accepted_late' | 'declined' | 'expired' | 'consent_withdrawn';

export interface HandoffState {
  version: number;
  stage: HandoffStage;
  flags: HandoffFlag[];
  sentAt: string;
  deadlines: { acceptBy: string; escalateBy: string; expireBy: string; relevantDeadline?: string };
  instants: { reminderAt: string; escalationAt: string; expiryAt: string };
  /** When the reminder, the escalation and the expiry happened (workflow time), once they did. */
  happened: { reminded?: string; escalated?: string; expired?: string };
  acceptedBy?: string;
  acceptedAt?: string;
  closing?: HandoffClosing;
  /** Why it was declined, expired or ended (no personal data beyond the need). */
  reason?: string;
  phases: { phase: CaseManagementPhase; on: string; note?: string; by: string }[];
  outcomes: (HandoffOutcome & { by: string; factRecorded: boolean })[];
}

export interface AcceptRequest {
  caseManager: string;
}
export interface DeclineRequest {
  caseManager: string;
  reason: string;
}
export interface RecordPhaseRequest {
  caseManager: string;
  phase: CaseManagementPhase;
  on: string;
  note?: string;
}
export interface RecordOutcomeRequest {
  caseManager: string;
  outcome: HandoffOutcome;
}
export interface CloseRequest {
  caseManager: string;
  note?: string;
}
export interface ConsentWithdrawn {
  consentId: string;
  at: string;
  by: string;
}

export const acceptHandoffUpdate = defineUpdate<HandoffState, [AcceptRequest]>('acceptHandoff');
export const declineHandoffUpdate = defineUpdate<HandoffState, [DeclineRequest]>('declineHandoff');
export const recordPhaseUpdate = defineUpdate<HandoffState, [RecordPhaseRequest]>('recordHandoffPhase');
export const recordOutcomeUpdate = defineUpdate<HandoffState, [RecordOutcomeRequest]>('recordHandoffOutcome');
export const closeHandoffUpdate = defineUpdate<HandoffState, [CloseRequest]>('closeHandoff');
export const consentWithdrawnSignal = defineSignal<[ConsentWithdrawn]>('consentWithdrawn');
export const getHandoffStateQuery = defineQuery<HandoffState>('getHandoffState');
