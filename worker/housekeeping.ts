import { ScheduleAlreadyRunning, type Client } from '@temporalio/client';
import type { retentionSweep } from '../workflows/retention';
import { retentionWorkflowId } from '../workflows/retentionDefinitions';
import { housekeepingTaskQueue } from '../workflows/taskQueues';

/** Starts the deployment's retention sweep unless it runs already (safe at every start). */
export async function ensureRetentionSweepStarted(client: Client): Promise<void> {
  await client.workflow.start<typeof retentionSweep>('retentionSweep', {
    workflowId: retentionWorkflowId,
    taskQueue: housekeepingTaskQueue,
    args: [{ sweepsSoFar: 0 }],
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
}

export const teamDigestScheduleId = 'team-digest';

/**
 * Creates the Temporal schedule of the daily team digest (07:00 German time, Monday to Friday)
 * unless it exists already.
 */
export async function ensureTeamDigestScheduled(client: Client): Promise<void> {
  try {
    await client.schedule.create({
      scheduleId: teamDigestScheduleId,
      spec: { calendars: [{ hour: 7, minute: 0, dayOfWeek: [{ start: 'MONDAY', end: 'FRIDAY' }] }], timezone: 'Europe/Berlin' },
      action: { type: 'startWorkflow', workflowType: 'teamDigests', taskQueue: housekeepingTaskQueue, args: [] },
      policies: { overlap: 'SKIP', catchupWindow: '6 hours' },
    });
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
  }
}
