import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { NaturalisationDecision, NaturalisationFlag, NaturalisationStage } from '../domain/naturalisation/stages';

/** Task queues, one per process family, so each scales on its own. */
export const taskQueues = {
  naturalisation: 'naturalisation',
  messages: 'messages',
} as const;

export function naturalisationWorkflowId(applicationId: string): string {
  return `naturalisation/${applicationId}`;
}

/** What a naturalisation workflow starts with: no personal data, only ids, dates and settings. */
export interface NaturalisationWorkflowInput {
  applicationId: string;
  authorityId: string;
  /** The filing date (a calendar day in Germany), from which the § 75 Satz 2 VwGO clock runs. */
  filedOn: string;
  /** Lead times in milliseconds before the § 75 mark at which the team is warned. */
  inactionWarningLeadTimesMs: number[];
}

export interface NaturalisationState {
  applicationId: string;
  stage: NaturalisationStage;
  version: number;
  flags: NaturalisationFlag[];
  deadlines: {
    inactionPeriodEndsOn: string;
    lawsuitPossibleFrom: string;
    nextWarningAt?: string;
  };
  decision?: { outcome: NaturalisationDecision; reason: string; decidedBy: string; decidedAt: string };
}

export interface RecordDecisionRequest {
  outcome: NaturalisationDecision;
  reason: string;
  decidedBy: string;
  /** The state version the clerk saw; a stale version is refused. */
  expectedVersion: number;
}

export const getNaturalisationStateQuery = defineQuery<NaturalisationState>('getNaturalisationState');
export const recordDecisionUpdate = defineUpdate<NaturalisationState, [RecordDecisionRequest]>('recordDecision');
