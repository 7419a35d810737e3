import { continueAsNew, log, proxyActivities } from '@temporalio/workflow';
import type * as activityTypes from '../activities/backlogImport';
import type { BacklogImportInput, BacklogImportResult } from './backlogImportDefinitions';

type Activities = ReturnType<typeof activityTypes.createBacklogImportActivities>;

// A chunk starts a few hundred workflows: minutes at most. It heartbeats, so a dead worker is
// noticed within the heartbeat timeout and the chunk is retried (it is idempotent) elsewhere.
// Retried for as long as the database or Temporal is away.
const { importBacklogChunk } = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '15 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/**
 * Imports a backlog file's rows (stored with the job in PostgreSQL) chunk by chunk, in row
 * order. Progress lives in the database, not here: a chunk records its rows and the job's
 * counters in one transaction. The workflow continues as new every `chunksPerRun` chunks, so
 * its history stays small however long the file.
 */
export async function backlogImport(input: BacklogImportInput): Promise<BacklogImportResult> {
  let nextRow = input.nextRow;
  for (let chunk = 0; chunk < input.chunksPerRun && nextRow <= input.total; chunk++) {
    await importBacklogChunk({ jobId: input.jobId, fromRow: nextRow, size: input.chunkSize });
    nextRow += input.chunkSize;
  }
  if (nextRow <= input.total) {
    return continueAsNew<typeof backlogImport>({ ...input, nextRow });
  }
  log.info('backlog import done', { jobId: input.jobId, total: input.total });
  return { jobId: input.jobId, total: input.total };
}
