import { ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type * as activityTypes from '../../activities';
import type * as handoffActivityTypes from '../../activities/handoff';
import { messagesTaskQueue } from '../taskQueues';

type Activities = ReturnType<typeof activityTypes.createActivities> & ReturnType<typeof handoffActivityTypes.createHandoffActivities>;

// Short database work: quick retries.
export const { recordCaseProjection, enqueueMessage, recordHandoffProgress } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

// SMTP delivery: its own task queue, heartbeats, retried with backoff while the server is down.
export const { deliverMessage } = proxyActivities<Activities>({
  taskQueue: messagesTaskQueue,
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '10 seconds',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

/** Refuses a case manager's request in an update validator: nothing has changed yet. */
export function refuse(type: string, message: string): never {
  throw ApplicationFailure.create({ type, message, nonRetryable: true });
}
