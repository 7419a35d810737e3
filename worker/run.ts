import type { Client } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { DataConverter } from '@temporalio/common';
import type { Pool } from 'pg';
import type { Transporter } from 'nodemailer';
import { createActivities } from '../activities';
import { failureConverterPath } from '../security/payloadCodec';
import { createBacklogImportActivities } from '../activities/backlogImport';
import { ensureWorkflowStarted } from '../api/naturalisation/applicationService';
import { backlogImportTaskQueue } from '../workflows/backlogImportDefinitions';
import { taskQueues } from '../workflows/naturalisationDefinitions';
import type { Logger } from 'pino';

export interface WorkerDependencies {
  connection: NativeConnection;
  namespace: string;
  pool: Pool;
  mailer: Transporter;
  mail: { from: string; domain: string; teamMailbox: string };
  /** A prebuilt workflow bundle (tests build one once); otherwise workflows are bundled at start. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** Encrypts every payload (security/payloadCodec.ts): the Temporal server holds only ciphertext. */
  dataConverter: DataConverter;
  logger?: Logger;
  /**
   * A client for activities that start other workflows (the backlog import starts one case
   * workflow per row) and the settings those workflows start with.
   */
  starter: { client: Client; inactionWarningLeadTimesMs: number[] };
  /** Whether this process also serves the backlog-import task queue (default: yes). */
  serveImports?: boolean;
}

export const workflowsPath = require.resolve('../workflows');

/**
 * Creates the workers of every task queue: one per process family, so each scales on its own.
 * The returned `run` resolves once all have shut down (after `shutdown`).
 */
export async function createWorkers(deps: WorkerDependencies) {
  const activities = createActivities({ pool: deps.pool, mailer: deps.mailer, clock: () => new Date(), mail: deps.mail });
  // One bundle of all workflows, shared by the workers that run workflows.
  const workflowSource = { workflowBundle: deps.workflowBundle ?? (await bundleWorkflowCode({ workflowsPath, failureConverterPath })) };
  const startDeps = { temporal: deps.starter.client, settings: { inactionWarningLeadTimesMs: deps.starter.inactionWarningLeadTimesMs } };
  const workers = await Promise.all([
    Worker.create({
      connection: deps.connection,
      namespace: deps.namespace,
      taskQueue: taskQueues.naturalisation,
      dataConverter: deps.dataConverter,
      ...workflowSource,
      activities,
      shutdownGraceTime: '5 seconds',
    }),
    Worker.create({
      connection: deps.connection,
      namespace: deps.namespace,
      taskQueue: taskQueues.messages,
      dataConverter: deps.dataConverter,
      activities: { deliverMessage: activities.deliverMessage },
      shutdownGraceTime: '5 seconds',
    }),
    ...(deps.serveImports === false ? [] : [Worker.create({
      connection: deps.connection,
      namespace: deps.namespace,
      taskQueue: backlogImportTaskQueue,
      dataConverter: deps.dataConverter,
      ...workflowSource,
      activities: createBacklogImportActivities({
        pool: deps.pool,
        startCaseWorkflow: (application) => ensureWorkflowStarted(startDeps, application),
      }),
      shutdownGraceTime: '5 seconds',
    })]),
  ]);
  return {
    workers,
    run: () => Promise.all(workers.map((worker) => worker.run())).then(() => undefined),
    shutdown: () => workers.forEach((worker) => worker.getState() === 'RUNNING' && worker.shutdown()),
  };
}
