import type { Client } from '@temporalio/client';
import type { retentionSweep } from '../workflows/retention';
import { retentionWorkflowId } from '../workflows/retentionDefinitions';
import { taskQueues } from '../workflows/naturalisationDefinitions';

/** Starts the deployment's retention sweep unless it runs already (safe at every start). */
export async function ensureRetentionSweepStarted(client: Client): Promise<void> {
  await client.workflow.start<typeof retentionSweep>('retentionSweep', {
    workflowId: retentionWorkflowId,
    taskQueue: taskQueues.naturalisation,
    args: [{ sweepsSoFar: 0 }],
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
}
