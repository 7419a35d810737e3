import { defineSignal } from '@temporalio/workflow';

/**
 * What processes exchange with the handoff process (case management, KIM Baustein 2). A residence
 * check or a naturalisation case asks for a handoff through the activity `requestHandoff`
 * (implemented by the handoff module; it starts the handoff's workflow); the handoff tells the
 * originating case what became of it through `handoffStatusChangedSignal`.
 */

/** Needs a handoff can be about. */
export const handoffNeeds = ['language', 'employment', 'schooling', 'housing', 'health', 'family', 'documents'] as const;
export type HandoffNeed = (typeof handoffNeeds)[number];

export interface HandoffOrigin {
  caseType: string;
  caseId: string;
  workflowId: string;
}

/** Input of the activity `requestHandoff`: idempotent per `requestKey`. */
export interface HandoffRequest {
  /** Unique per originating case and reason: a retry or a repeated proposal starts no second handoff. */
  requestKey: string;
  authorityId: string;
  personId: string;
  origin: HandoffOrigin;
  needs: HandoffNeed[];
  urgency: 'normal' | 'urgent';
  /** The originating case's deadline that matters to case management (ISO date), if any. */
  relevantDeadline?: string;
  /** Who asks: a clerk's subject, or `system:<caseType>` for a proposal of the process. */
  requestedBy: string;
}

/** The result of `requestHandoff`: the handoff's id, or why none was started (e.g. no consent). */
export type HandoffRequestResult = { started: true; handoffId: string } | { started: false; reason: 'no_consent' | 'already_open'; handoffId?: string };

export interface HandoffStatusChanged {
  handoffId: string;
  status: 'accepted' | 'declined' | 'expired' | 'outcome' | 'closed' | 'consent_withdrawn';
  /** For declined/expired/consent_withdrawn: why (no personal data beyond the need). */
  reason?: string;
  /** For outcome: what case management reports that matters to the originating case. */
  outcome?: { kind: string; on: string; note?: string };
}

export const handoffStatusChangedSignal = defineSignal<[HandoffStatusChanged]>('handoffStatusChanged');
