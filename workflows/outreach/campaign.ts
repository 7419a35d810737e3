import { ApplicationFailure, condition, continueAsNew, proxyActivities, setHandler, sleep } from '@temporalio/workflow';
import type { OutreachActivities } from '../../activities/outreach';
import { toBerlinLocalDate } from '../../domain/calendar/berlinTime';
import {
  cancelCampaignUpdate,
  getCampaignStateQuery,
  pauseCampaignUpdate,
  resumeCampaignUpdate,
  type CampaignPhase,
  type OutreachCampaignInput,
  type OutreachCampaignState,
} from '../outreachDefinitions';

const { prepareCampaign, recordCampaignStatus, cancelCampaignMessages } = proxyActivities<OutreachActivities>({
  startToCloseTimeout: '30 minutes',
  retry: { maximumInterval: '1 minute' },
});
const { sendOutreachBatch } = proxyActivities<OutreachActivities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', maximumInterval: '5 minutes' },
});

/** Batches between continue-as-new (a 100,000 campaign at 500 per batch is 200 batches). */
const batchesPerExecution = 500;

/**
 * One outreach campaign: waits for its start, queues its cohort once, then sends in relay
 * batches at the campaign's rate until nothing is left. Pause, resume and cancel are updates
 * (refused where the phase does not allow them); a pause or cancel takes effect after the running
 * batch. The campaign's status row is written only here.
 */
export async function outreachCampaign(input: OutreachCampaignInput): Promise<OutreachCampaignState> {
  const state: OutreachCampaignState = input.state ?? {
    phase: 'scheduled',
    pauseRequested: false,
    cancelRequested: false,
    recipients: null,
    batches: 0,
    sent: 0,
    bounced: 0,
    failed: 0,
    skipped: 0,
    letters: 0,
  };
  const isOver = () => state.phase === 'completed' || state.phase === 'cancelled';
  setHandler(getCampaignStateQuery, () => state);
  setHandler(
    pauseCampaignUpdate,
    () => {
      state.pauseRequested = true;
      return state;
    },
    {
      validator: () => {
        if (isOver() || state.cancelRequested) throw ApplicationFailure.create({ type: 'campaign.over', message: `the campaign is ${state.phase}`, nonRetryable: true });
        if (state.pauseRequested) throw ApplicationFailure.create({ type: 'campaign.already_paused', message: 'the campaign is already paused', nonRetryable: true });
      },
    },
  );
  setHandler(
    resumeCampaignUpdate,
    () => {
      state.pauseRequested = false;
      return state;
    },
    {
      validator: () => {
        if (!state.pauseRequested || isOver()) throw ApplicationFailure.create({ type: 'campaign.not_paused', message: `the campaign is ${state.phase}, not paused`, nonRetryable: true });
      },
    },
  );
  setHandler(
    cancelCampaignUpdate,
    () => {
      state.cancelRequested = true;
      return state;
    },
    {
      validator: () => {
        if (isOver() || state.cancelRequested) throw ApplicationFailure.create({ type: 'campaign.over', message: `the campaign is ${state.phase}`, nonRetryable: true });
      },
    },
  );

  const enter = async (phase: CampaignPhase) => {
    if (state.phase === phase) return;
    state.phase = phase;
    await recordCampaignStatus({ campaignId: input.campaignId, status: phase });
  };
  const finishCancelled = async () => {
    await cancelCampaignMessages({ campaignId: input.campaignId });
    await enter('cancelled');
    return state;
  };

  if (state.phase === 'scheduled') {
    await condition(() => state.cancelRequested, Math.max(1, Date.parse(input.startsAt) - Date.now()));
    if (state.cancelRequested) return finishCancelled();
    await enter('preparing');
    state.recipients = await prepareCampaign({ campaignId: input.campaignId, day: toBerlinLocalDate(Date.now()) });
    await enter('sending');
  }

  for (let i = 0; i < batchesPerExecution; i++) {
    if (state.pauseRequested && !state.cancelRequested) {
      await enter('paused');
      await condition(() => !state.pauseRequested || state.cancelRequested);
      if (!state.cancelRequested) await enter('sending');
    }
    if (state.cancelRequested) return finishCancelled();
    const batch = await sendOutreachBatch({ campaignId: input.campaignId, limit: input.batchSize, ratePerSecond: input.ratePerSecond });
    state.batches++;
    state.sent += batch.sent;
    state.bounced += batch.bounced;
    state.failed += batch.failed;
    state.skipped += batch.skipped;
    state.letters += batch.letters;
    if (batch.remaining === 0) {
      await enter('completed');
      return state;
    }
    // Claimed elsewhere or stale claims not yet expired: wait a little before the next claim.
    if (batch.claimed === 0) await sleep('30 seconds');
  }
  return continueAsNew<typeof outreachCampaign>({ ...input, state });
}
