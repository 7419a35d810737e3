import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { DataConverter } from '@temporalio/common';
import type { Pool } from 'pg';
import type { Transporter } from 'nodemailer';
import { createActivities } from '../activities';
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
}

export const workflowsPath = require.resolve('../workflows');

/**
 * Creates the workers of every task queue: one per process family, so each scales on its own.
 * The returned `run` resolves once all have shut down (after `shutdown`).
 */
export async function createWorkers(deps: WorkerDependencies) {
  const activities = createActivities({ pool: deps.pool, mailer: deps.mailer, clock: () => new Date(), mail: deps.mail });
  const workflowSource = deps.workflowBundle ? { workflowBundle: deps.workflowBundle } : { workflowsPath };
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
  ]);
  return {
    workers,
    run: () => Promise.all(workers.map((worker) => worker.run())).then(() => undefined),
    shutdown: () => workers.forEach((worker) => worker.getState() === 'RUNNING' && worker.shutdown()),
  };
}
