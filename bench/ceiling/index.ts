import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';

export interface Ceiling {
  workflows: number;
  /** Bare workflows started per second (client starts, `concurrency` in flight). */
  startsPerSecond: number;
  /** Bare workflows completed per second, from the first start to the last completion. */
  completionsPerSecond: number;
}

/** Runs `task` over `items` with at most `concurrency` in flight. */
export async function runConcurrently<T>(items: readonly T[], concurrency: number, task: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) await task(items[next++]!);
    }),
  );
}

/** Polls `done` (every 200 ms) until it holds or `timeoutMs` has passed. */
export async function waitFor(done: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return true;
}

/**
 * The ceiling of a Temporal server, measured on it in the same run as what is compared with it:
 * `workflows` bare workflows (start, one local activity, one timer, complete) on a worker in this
 * process — how fast the server starts workflows, and how fast it takes them to completion.
 */
export async function measureCeiling(address: string, workflows: number, concurrency: number, timeoutMs = 30 * 60_000): Promise<Ceiling> {
  const taskQueue = `bench-ceiling-${randomBytes(3).toString('hex')}`;
  const workerConnection = await NativeConnection.connect({ address });
  const worker = await Worker.create({
    connection: workerConnection,
    namespace: 'default',
    taskQueue,
    workflowsPath: require.resolve('./workflows'),
    activities: { noop: async () => undefined },
  });
  const running = worker.run();
  const connection = await Connection.connect({ address });
  const client = new Client({ connection, namespace: 'default' });
  try {
    const ids = Array.from({ length: workflows }, (_, i) => `${taskQueue}/${i}`);
    const started = performance.now();
    await runConcurrently(ids, concurrency, (workflowId) => client.workflow.start('bareWorkflow', { taskQueue, workflowId }));
    const startMs = performance.now() - started;
    const query = `WorkflowType = "bareWorkflow" AND ExecutionStatus = "Completed" AND TaskQueue = "${taskQueue}"`;
    const completed = await waitFor(async () => (await client.workflow.count(query)).count >= workflows, timeoutMs);
    if (!completed) throw new Error(`the bare workflows did not complete within ${timeoutMs / 1000} s`);
    const completeMs = performance.now() - started;
    return { workflows, startsPerSecond: workflows / (startMs / 1000), completionsPerSecond: workflows / (completeMs / 1000) };
  } finally {
    worker.shutdown();
    await running;
    await workerConnection.close();
    await connection.close();
  }
}
