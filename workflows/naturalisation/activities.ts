import { ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type * as activityTypes from '../../activities';
import type * as naturalisationActivityTypes from '../../activities/naturalisation/eligibility';
import { taskQueues } from '../naturalisationDefinitions';

type Activities = ReturnType<typeof activityTypes.createActivities>;
type NaturalisationActivities = ReturnType<typeof naturalisationActivityTypes.createNaturalisationActivities>;

// Short database work: quick retries. The enqueue* names besides enqueueMessage are the ones
// recorded histories call (aliases of it, kept so they replay).
export const { recordCaseProjection, enqueueMessage, enqueueApplicantMessage, enqueueTeamMessage, enqueueApplicantLetter, enqueueStaffNotice } =
  proxyActivities<Activities>({
    startToCloseTimeout: '30 seconds',
    retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
  });

// SMTP delivery: its own task queue; heartbeats so a dead worker is noticed within seconds; retried
// with backoff for as long as the mail server is down.
export const { deliverMessage } = proxyActivities<Activities>({
  taskQueue: taskQueues.messages,
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '10 seconds',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

// Evaluation on the register: a few reads and one write.
export const { reevaluateNaturalisationEligibility } = proxyActivities<NaturalisationActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

export const hour = 3_600_000;

/** Refuses a clerk action in an update validator: nothing has changed yet. */
export function refuse(type: string, message: string): never {
  throw ApplicationFailure.create({ type, message, nonRetryable: true });
}
