import { continueAsNew, log, proxyActivities, sleep } from '@temporalio/workflow';
import type * as activityTypes from '../activities';
import { determineNextSweepAt } from '../domain/retention/retentionPolicy';
import type { RetentionSweepInput } from './retentionDefinitions';

type Activities = ReturnType<typeof activityTypes.createActivities>;

const { applyRetention } = proxyActivities<Activities>({
  startToCloseTimeout: '30 minutes',
  retry: { initialInterval: '1 minute', maximumInterval: '1 hour' },
});

const sweepsPerRun = 30;

/**
 * The daily retention sweep (Art. 5 Abs. 1 Buchst. e DSGVO): once a day it anonymises or
 * deletes the closed cases whose retention period has run out. It lives for as long as the
 * deployment and continues as new every 30 sweeps, so its history stays small.
 */
export async function retentionSweep(input: RetentionSweepInput = { sweepsSoFar: 0 }): Promise<never> {
  for (let i = 0; i < sweepsPerRun; i++) {
    await sleep(determineNextSweepAt(Date.now()) - Date.now());
    const result = await applyRetention({ asOf: new Date(Date.now()).toISOString() });
    log.info('retention sweep done', { ...result, sweep: input.sweepsSoFar + i + 1 });
  }
  return continueAsNew<typeof retentionSweep>({ sweepsSoFar: input.sweepsSoFar + sweepsPerRun });
}
