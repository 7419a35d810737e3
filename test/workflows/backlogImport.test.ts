import { randomUUID } from 'node:crypto';
import { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { BacklogImportActivities } from '../../activities/backlogImport';
import { backlogImport } from '../../workflows/backlogImport';
import { backlogImportTaskQueue, type BacklogChunkRequest } from '../../workflows/backlogImportDefinitions';
import { backlogImportBundle } from '../support/backlogImport';
import { createTimeSkippingEnvironment } from '../support/temporal';

const EventType = temporal.api.enums.v1.EventType;

/**
 * The import workflow on the time-skipping server, with its activity replaced: it walks the rows
 * chunk by chunk in order, retries a failed chunk, and continues as new so its history stays short.
 */
describe('backlog import workflow (time skipping)', () => {
  let env: TestWorkflowEnvironment;
  const calls: BacklogChunkRequest[] = [];
  let failures = 0;

  const activities: Pick<BacklogImportActivities, 'importBacklogChunk'> = {
    async importBacklogChunk(request) {
      calls.push(request);
      if (request.fromRow === 51 && failures++ === 0) throw new Error('the database is away for a moment');
      return { processed: request.size, accepted: request.size, rejected: 0 };
    },
  };

  beforeAll(async () => {
    env = await createTimeSkippingEnvironment();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  test('230 rows in chunks of 25, 3 chunks per run: every chunk once (a failed one retried), 4 runs, each history short', async () => {
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: backlogImportTaskQueue,
      workflowBundle: await backlogImportBundle(),
      activities,
    });
    const jobId = randomUUID();
    const { result, firstRunId } = await worker.runUntil(async () => {
      const handle = await env.client.workflow.start(backlogImport, {
        taskQueue: backlogImportTaskQueue,
        workflowId: `backlog-import/${jobId}`,
        args: [{ jobId, total: 230, nextRow: 1, chunkSize: 25, chunksPerRun: 3 }],
      });
      return { result: await handle.result(), firstRunId: handle.firstExecutionRunId };
    });

    expect(result).toEqual({ jobId, total: 230 });
    expect(calls.map((c) => c.fromRow)).toEqual([1, 26, 51, 51, 76, 101, 126, 151, 176, 201, 226]);
    expect(calls.every((c) => c.jobId === jobId && c.size === 25)).toBe(true);

    const firstRun = await env.client.workflow.getHandle(`backlog-import/${jobId}`, firstRunId).fetchHistory();
    const events = firstRun.events ?? [];
    expect(events[events.length - 1].eventType).toBe(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW);
    expect(events.length).toBeLessThan(40);
    const continued = events[events.length - 1].workflowExecutionContinuedAsNewEventAttributes;
    expect(continued?.newExecutionRunId).toBeTruthy();
  });
});
