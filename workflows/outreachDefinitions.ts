import { defineQuery, defineUpdate } from '@temporalio/workflow';

/** The outreach process's task queue. */
export const outreachTaskQueue = 'outreach';

/** The one daily run of eligibility-date messages (a singleton per deployment). */
export const outreachDailyWorkflowId = 'outreach-daily';

export function outreachCampaignWorkflowId(campaignId: string): string {
  return `outreach-campaign/${campaignId}`;
}

export interface OutreachDailyInput {
  /** Hour (German legal time) at which each day's run starts. */
  runHour: number;
  /** Messages per second the day's eligibility messages are sent at. */
  ratePerSecond: number;
  state?: OutreachDailyState;
}

export interface OutreachDailyState {
  /** The last day (Europe/Berlin) whose run finished, and the instant it started. */
  lastRunDay: string | null;
  lastRunAt: string | null;
  runs: number;
  /** Of the last run: persons whose date was recomputed, messages queued and sent. */
  lastComputed: number;
  lastQueued: number;
  lastSent: number;
}

export const getOutreachDailyStateQuery = defineQuery<OutreachDailyState>('getOutreachDailyState');

export type CampaignPhase = 'scheduled' | 'preparing' | 'sending' | 'paused' | 'completed' | 'cancelled';

export interface OutreachCampaignInput {
  campaignId: string;
  /** ISO instant at which sending starts. */
  startsAt: string;
  ratePerSecond: number;
  /** Messages per relay batch; a pause takes effect between batches. */
  batchSize: number;
  state?: OutreachCampaignState;
}

export interface OutreachCampaignState {
  phase: CampaignPhase;
  /** Whether a pause was asked for (the phase becomes `paused` after the running batch). */
  pauseRequested: boolean;
  cancelRequested: boolean;
  recipients: number | null;
  batches: number;
  sent: number;
  bounced: number;
  failed: number;
  skipped: number;
  letters: number;
}

export const getCampaignStateQuery = defineQuery<OutreachCampaignState>('getCampaignState');
/** Pause: sending stops after the running batch. Refused when not sending or scheduled. */
export const pauseCampaignUpdate = defineUpdate<OutreachCampaignState>('pauseCampaign');
/** Resume a paused campaign. Refused unless paused. */
export const resumeCampaignUpdate = defineUpdate<OutreachCampaignState>('resumeCampaign');
/** Cancel: nothing more is sent; what was sent stays recorded. Refused once completed or cancelled. */
export const cancelCampaignUpdate = defineUpdate<OutreachCampaignState>('cancelCampaign');
