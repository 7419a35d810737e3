import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { loadConfig } from '../config';
import { createPool } from '../db/pool';
import { createConsoleLogger } from '../scripts/consoleLog';
import { freeLoopbackPort, installSdkLogging } from './logging';
import { MetricsRegistry } from './metrics/registry';
import { startMetricsEndpoint } from './metrics/server';
import { registerSystemMetrics } from './metrics/system';
import { createDataConverter, EncryptionCodec } from '../security/payloadCodec';
import { loadPayloadKeys } from '../security/payloadKeys';
import { temporalConnectionOptions } from '../security/temporalConnection';
import { createMailer } from './mailer';
import { createWorkers, relaySettingsFromConfig } from './run';

/**
 * A worker process on its own (`node dist/worker/main.js`): needs DATABASE_URL, TEMPORAL_ADDRESS
 * and SMTP_URL. `npm start` runs the same workers inside its one process.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createConsoleLogger(config.LOG_LEVEL, config.LOG_FORMAT).logger.child({ part: 'worker' });
  const sdkMetricsPort = await freeLoopbackPort();
  installSdkLogging(logger, { metricsBindAddress: `127.0.0.1:${sdkMetricsPort}` });
  if (!config.DATABASE_URL || !config.TEMPORAL_ADDRESS || !config.SMTP_URL) {
    throw new Error('the worker on its own needs DATABASE_URL, TEMPORAL_ADDRESS and SMTP_URL');
  }
  const pool = createPool(config.DATABASE_URL, 10, logger);
  const connection = await NativeConnection.connect(temporalConnectionOptions(config, config.TEMPORAL_ADDRESS));
  const keys = loadPayloadKeys({ env: process.env, dataDir: config.DATA_DIR });
  const dataConverter = createDataConverter(new EncryptionCodec(keys));
  const clientConnection = await Connection.connect(temporalConnectionOptions(config, config.TEMPORAL_ADDRESS));
  const client = new Client({ connection: clientConnection, namespace: config.TEMPORAL_NAMESPACE, dataConverter });
  const workers = await createWorkers({
    dataConverter,
    starter: { client, inactionWarningLeadTimesMs: config.INACTION_WARNING_LEAD_TIMES },
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    pool,
    mailer: createMailer(config.SMTP_URL),
    mail: { from: config.MAIL_FROM, domain: config.MAIL_DOMAIN, teamMailbox: config.TEAM_MAILBOX },
    logger,
    relay: relaySettingsFromConfig(config),
    maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS,
    ...(config.WORKER_TASK_QUEUES ? { taskQueues: config.WORKER_TASK_QUEUES } : {}),
  });
  const registry = new MetricsRegistry();
  registerSystemMetrics(registry, pool);
  const metrics = await startMetricsEndpoint(config, registry, `http://127.0.0.1:${sdkMetricsPort}/metrics`, logger);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => workers.shutdown());
  logger.info({ metrics: metrics.url, taskQueues: workers.workers.map((w) => w.options.taskQueue) }, 'worker running');
  await workers.run();
  await metrics.stop();
  await connection.close();
  await clientConnection.close();
  await pool.end();
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
