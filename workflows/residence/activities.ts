import { ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type * as activityTypes from '../../activities';
import type { ResidenceActivities } from '../../activities/residence';
import type { HandoffRequest, HandoffRequestResult } from '../shared/handoffs';
import { residenceTaskQueues } from '../residenceDefinitions';

type Activities = ReturnType<typeof activityTypes.createActivities>;

// Short database work: quick retries.
export const { recordCaseProjection, enqueueMessage } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});
export const { evaluateResidenceCheckForPerson, loadWatchedPermit, loadResidenceContactConsent } = proxyActivities<ResidenceActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});
// The sweep starts many workflows: a longer timeout.
export const { sweepResidenceWatches } = proxyActivities<ResidenceActivities>({
  startToCloseTimeout: '10 minutes',
  retry: { initialInterval: '5 seconds', maximumInterval: '5 minutes' },
});

// The handoff module implements `requestHandoff` (workflows/shared/handoffs.ts); a few attempts,
// so that a deployment without it records the proposal as not started instead of waiting forever.
export const { requestHandoff } = proxyActivities<{ requestHandoff(request: HandoffRequest): Promise<HandoffRequestResult> }>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '10 seconds', maximumAttempts: 3 },
});

// SMTP delivery: its own task queue, as for every process.
export const { deliverMessage } = proxyActivities<Activities>({
  taskQueue: residenceTaskQueues.messages,
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '10 seconds',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

/** Refuses a clerk action in an update validator: nothing has changed yet. */
export function refuse(type: string, message: string): never {
  throw ApplicationFailure.create({ type, message, nonRetryable: true });
}
