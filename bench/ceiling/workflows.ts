import { proxyLocalActivities, sleep } from '@temporalio/workflow';

const { noop } = proxyLocalActivities<{ noop(): Promise<void> }>({ startToCloseTimeout: '10 seconds' });

/** The bare workflow of the ceiling measurement: start, one local activity, one timer, complete. */
export async function bareWorkflow(): Promise<void> {
  await noop();
  await sleep(1);
}
