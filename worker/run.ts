import type { Client } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { DataConverter } from '@temporalio/common';
import type { Pool } from 'pg';
import type { Transporter } from 'nodemailer';
import { createActivities } from '../activities';
import { createOutboxRelay, type OutboxRelaySettings } from '../activities/relay/outboxRelay';
import { createPooledMailer } from '../activities/relay/smtp';
import { processes } from '../processes';
import type { MailSettings } from '../processes/contract';
import { housekeepingTaskQueue, messagesTaskQueue } from '../workflows/taskQueues';
import { failureConverterPath } from '../security/payloadCodec';
import type { Logger } from 'pino';
import type { Config } from '../config';

export interface WorkerDependencies {
  connection: NativeConnection;
  namespace: string;
  pool: Pool;
  mailer: Transporter;
  mail: MailSettings;
  /** A prebuilt workflow bundle (tests build one once); otherwise workflows are bundled at start. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** Encrypts every payload (security/payloadCodec.ts): the Temporal server holds only ciphertext. */
  dataConverter: DataConverter;
  logger?: Logger;
  /**
   * A client for activities that start or signal other workflows (the backlog import starts one
   * case workflow per row) and the settings those workflows start with.
   */
  starter: { client: Client; inactionWarningLeadTimesMs: number[] };
  /** Whether this process also serves the processes' optional queues, e.g. imports (default: yes). */
  serveImports?: boolean;
  /** Serve only these task queues (WORKER_TASK_QUEUES), e.g. to scale one queue's processes on its own. */
  taskQueues?: string[];
  /**
   * The outbox relay's settings, or `false` for none in this process. It runs wherever the
   * `messages` queue is served (by default in every worker process; relays share the work).
   */
  relay?: (Partial<OutboxRelaySettings> & { connections?: number }) | false;
  /** Workflows each workflow worker keeps cached (WORKER_MAX_CACHED_WORKFLOWS); the SDK's default otherwise. */
  maxCachedWorkflows?: number;
}

/** The outbox relay's settings from the configuration (OUTBOX_RELAY_*). */
export function relaySettingsFromConfig(config: Config): NonNullable<WorkerDependencies['relay']> {
  return {
    batchSize: config.OUTBOX_RELAY_BATCH_SIZE,
    pollMs: config.OUTBOX_RELAY_POLL_MS,
    leaseSeconds: config.OUTBOX_RELAY_LEASE_SECONDS,
    connections: config.OUTBOX_RELAY_CONNECTIONS,
  };
}

export const workflowsPath = require.resolve('../workflows');

/**
 * Creates the workers of every task queue the list of processes names — one per process family,
 * so each scales on its own — plus the shared `messages` (SMTP delivery) and `housekeeping`
 * (retention, digest) queues, and where `messages` is served the outbox relay. Every workflow worker registers the one bundle of all workflows.
 * The returned `run` resolves once all have shut down (after `shutdown`).
 */
export async function createWorkers(deps: WorkerDependencies) {
  const settings = { inactionWarningLeadTimesMs: deps.starter.inactionWarningLeadTimesMs };
  const activityDeps = { pool: deps.pool, mailer: deps.mailer, clock: () => new Date(), mail: deps.mail, temporal: deps.starter.client, settings };
  const activities = createActivities(activityDeps);
  const workflowSource = {
    workflowBundle: deps.workflowBundle ?? (await bundleWorkflowCode({ workflowsPath, failureConverterPath })),
    ...(deps.maxCachedWorkflows !== undefined ? { maxCachedWorkflows: deps.maxCachedWorkflows } : {}),
  };
  const common = { connection: deps.connection, namespace: deps.namespace, dataConverter: deps.dataConverter, shutdownGraceTime: '5 seconds' as const };

  const queues: WorkerOptions[] = [
    ...processes.map((process) => ({ ...common, taskQueue: process.taskQueue, ...workflowSource, activities })),
    { ...common, taskQueue: messagesTaskQueue, activities: { deliverMessage: activities.deliverMessage } },
    { ...common, taskQueue: housekeepingTaskQueue, ...workflowSource, activities },
    ...processes.flatMap((process) =>
      (process.auxiliaryQueues ?? [])
        .filter((queue) => !queue.optional || deps.serveImports !== false)
        .map((queue) => ({
          ...common,
          taskQueue: queue.taskQueue,
          ...(queue.runsWorkflows ? workflowSource : {}),
          activities: queue.createActivities({ ...activityDeps, temporal: deps.starter.client }),
        })),
    ),
  ];
  const selected = deps.taskQueues ? queues.filter((options) => deps.taskQueues!.includes(options.taskQueue)) : queues;
  const unknown = (deps.taskQueues ?? []).filter((name) => !queues.some((options) => options.taskQueue === name));
  if (unknown.length > 0) throw new Error(`unknown task queue(s): ${unknown.join(', ')} (known: ${queues.map((q) => q.taskQueue).join(', ')})`);
  const workers = await Promise.all(selected.map((options) => Worker.create(options)));
  const servesMessages = selected.some((options) => options.taskQueue === messagesTaskQueue);
  const relayMailer = servesMessages && deps.relay !== false ? createPooledMailer(deps.mailer, deps.relay?.connections ?? 4) : undefined;
  const relay = relayMailer
    ? createOutboxRelay({ pool: deps.pool, mailer: relayMailer, mail: deps.mail, settings: deps.relay || {}, ...(deps.logger ? { logger: deps.logger } : {}) })
    : undefined;
  return {
    workers,
    relay,
    run: async () => {
      relay?.start();
      try {
        await Promise.all(workers.map((worker) => worker.run()));
      } finally {
        await relay?.stop();
        relayMailer?.close();
      }
    },
    shutdown: () => {
      // The relay stops with the workers: `run` resolves once both have.
      void relay?.stop();
      workers.forEach((worker) => worker.getState() === 'RUNNING' && worker.shutdown());
    },
  };
}
