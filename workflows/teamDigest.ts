import { proxyActivities } from '@temporalio/workflow';
import type * as activityTypes from '../activities';
import { toBerlinLocalDate } from '../domain/calendar/berlinTime';
import { messagesTaskQueue } from './taskQueues';

type Activities = ReturnType<typeof activityTypes.createActivities>;

const { enqueueTeamDigests } = proxyActivities<Activities>({ startToCloseTimeout: '5 minutes', retry: { maximumInterval: '1 minute' } });
const { deliverMessage } = proxyActivities<Activities>({
  taskQueue: messagesTaskQueue,
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '10 seconds',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

/**
 * One run of the daily digest, started each morning by the Temporal schedule `team-digest`:
 * every team with open cases (of any process) gets one e-mail (once per day, by its outbox key).
 */
export async function teamDigests(): Promise<number> {
  const now = Date.now();
  const keys = await enqueueTeamDigests({ asOf: new Date(now).toISOString(), day: toBerlinLocalDate(now) });
  for (const key of keys) await deliverMessage(key);
  return keys.length;
}
