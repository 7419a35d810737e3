import fs from 'node:fs';
import path from 'node:path';
import type { Server } from 'node:http';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { loadConfig } from '../config';
import { createPool } from '../db/pool';
import { migrate } from '../db/migrate';
import { createApp } from '../api/app';
import type { ApiDependencies } from '../api/deps';
import { createRateLimiter, parseTrustProxy } from '../api/rateLimit';
import { createDataConverter, EncryptionCodec } from '../security/payloadCodec';
import { loadPayloadKeys } from '../security/payloadKeys';
import { loadAccessCodePepper } from '../security/accessCodes';
import { temporalConnectionOptions } from '../security/temporalConnection';
import { createConfiguredTokenVerifier } from '../security/tokens';
import { assertTokenIssuerAllowed } from '../security/devIssuerPolicy';
import type { Logger } from 'pino';
import { createConsoleLogger, formatBanner } from './consoleLog';
import { processes } from '../processes';
import { resumeUnfinishedPersonImports } from '../api/persons/importRunner';
import { defaultPersonImportSettings } from '../api/persons/importService';
import { freeLoopbackPort, installSdkLogging } from '../worker/logging';
import { MetricsRegistry } from '../worker/metrics/registry';
import { startMetricsEndpoint } from '../worker/metrics/server';
import { registerSystemMetrics } from '../worker/metrics/system';
import { createHttpMetrics } from '../api/metrics';
import { createConfiguredDocumentScanner } from '../security/clamavScanner';
import { createMailer } from '../worker/mailer';
import { ensureRetentionSweepStarted, ensureTeamDigestScheduled } from '../worker/housekeeping';
import { createWorkers, relaySettingsFromConfig } from '../worker/run';
import { startEmbeddedPostgres } from './embedded/postgres';
import { startSmtpSink } from './embedded/smtpSink';
import { resolveTemporalCli, resolveTestServer } from './temporalBinaries';
import { startTemporalDevServer } from './temporalDevServer';

/**
 * `npm start`: the whole system in one command. Without configuration it runs the embedded
 * defaults — PGlite over the PostgreSQL protocol, an SMTP sink writing .eml files, and the
 * Temporal dev server on an SQLite file — all under DATA_DIR, so a restart keeps every case,
 * message and running timer. DATABASE_URL, SMTP_URL and TEMPORAL_ADDRESS switch each part to a
 * real external service.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  // Before anything starts: without OIDC_ISSUER only loopback embedded defaults may use dev tokens.
  assertTokenIssuerAllowed(config, process.env);
  // Readable lines on a terminal, JSON otherwise (LOG_FORMAT overrides).
  const { logger, pretty } = createConsoleLogger(config.LOG_LEVEL, config.LOG_FORMAT);
  // Where each part listens, for the banner.
  const banner: Array<[string, string]> = [];
  const sdkMetricsPort = await freeLoopbackPort();
  installSdkLogging(logger, { metricsBindAddress: `127.0.0.1:${sdkMetricsPort}` });
  fs.mkdirSync(config.DATA_DIR, { recursive: true });
  const stops: Array<{ name: string; stop: () => Promise<unknown> }> = [];
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    for (const part of stops.reverse()) {
      try {
        await part.stop();
        logger.info({ part: part.name }, 'stopped');
      } catch (error) {
        logger.warn({ part: part.name, err: error }, 'stop failed');
      }
    }
    process.exit(0);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void shutdown(signal));

  // PostgreSQL
  let databaseUrl = config.DATABASE_URL;
  if (!databaseUrl) {
    const pg = await startEmbeddedPostgres({ dataDir: path.join(config.DATA_DIR, 'pglite'), port: config.EMBEDDED_DATABASE_PORT });
    stops.push({ name: 'embedded PostgreSQL', stop: pg.stop });
    databaseUrl = pg.url;
    logger.info({ url: databaseUrl }, 'embedded PostgreSQL (PGlite) listening');
  }
  banner.push(['PostgreSQL', config.DATABASE_URL ? redactUrl(databaseUrl) : `${databaseUrl} (embedded PGlite in ${path.join(config.DATA_DIR, 'pglite')})`]);
  const pool = createPool(databaseUrl, config.DATABASE_URL ? 10 : 8, logger);
  stops.push({ name: 'database pool', stop: () => pool.end() });
  const applied = await migrate(pool);
  logger.info({ applied }, 'migrations applied');

  // SMTP
  let smtpUrl = config.SMTP_URL;
  if (!smtpUrl) {
    const mailDir = path.join(config.DATA_DIR, 'mail');
    const sink = await startSmtpSink({ dir: mailDir, port: config.EMBEDDED_SMTP_PORT });
    stops.push({ name: 'SMTP sink', stop: sink.stop });
    smtpUrl = sink.url;
    logger.info({ url: smtpUrl, folder: mailDir }, 'embedded SMTP sink listening; received mail is kept as .eml files');
  }
  banner.push(['SMTP', config.SMTP_URL ? redactUrl(smtpUrl) : `${smtpUrl} (embedded sink; mail as .eml files in ${path.join(config.DATA_DIR, 'mail')})`]);
  const mailer = createMailer(smtpUrl);

  // Temporal
  let temporalAddress = config.TEMPORAL_ADDRESS;
  if (!temporalAddress) {
    temporalAddress = await startEmbeddedTemporal(config.DATA_DIR, config.TEMPORAL_UI_PORT, logger, stops);
    banner.push(['Temporal', `${temporalAddress} (embedded dev server) · Web UI http://localhost:${config.TEMPORAL_UI_PORT}`]);
  } else {
    banner.push(['Temporal', `${temporalAddress} (namespace ${config.TEMPORAL_NAMESPACE})`]);
  }

  // Every workflow and activity payload is encrypted before it reaches the Temporal server.
  const keys = loadPayloadKeys({ env: process.env, dataDir: config.DATA_DIR });
  const dataConverter = createDataConverter(new EncryptionCodec(keys));
  logger.info({ activeKeyId: keys.activeKeyId, keyIds: keys.keys.map((k) => k.id), source: keys.source }, 'payload encryption keys loaded');

  const clientConnection = await Connection.connect(temporalConnectionOptions(config, temporalAddress));
  const temporal = new Client({ connection: clientConnection, namespace: config.TEMPORAL_NAMESPACE, dataConverter });
  stops.push({ name: 'Temporal client', stop: () => clientConnection.close() });
  const connection = await NativeConnection.connect(temporalConnectionOptions(config, temporalAddress));
  const workers = await createWorkers({
    dataConverter,
    starter: { client: temporal, inactionWarningLeadTimesMs: config.INACTION_WARNING_LEAD_TIMES },
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    pool,
    mailer,
    mail: { from: config.MAIL_FROM, domain: config.MAIL_DOMAIN, teamMailbox: config.TEAM_MAILBOX },
    logger,
    relay: relaySettingsFromConfig(config),
    maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS,
  });
  const workersRunning = workers.run();
  stops.push({
    name: 'workers',
    stop: async () => {
      workers.shutdown();
      await workersRunning;
      await connection.close();
    },
  });
  logger.info({ taskQueues: workers.workers.map((w) => w.options.taskQueue) }, 'workers running');
  banner.push(['workers', `in this process: ${workers.workers.map((w) => w.options.taskQueue).join(', ')}`]);

  const auth = await createConfiguredTokenVerifier(config);
  logger.info(
    { issuer: auth.issuer, mode: auth.mode },
    auth.mode === 'local' ? 'tokens: local dev issuer (get one with `npm run dev-token -- --role ebh_clerk --authority koeln`)' : 'tokens: external issuer',
  );
  // The staff console signs in at the configured issuer (with the console's client id), or at the
  // loopback development provider where the dev issuer is allowed.
  const consoleSettings: ApiDependencies['console'] =
    auth.mode === 'local'
      ? { oidc: { mode: 'local' }, devIssuer: auth.localIssuerFile }
      : config.OIDC_ISSUER && config.OIDC_CLIENT_ID
        ? { oidc: { mode: 'external', issuer: config.OIDC_ISSUER, clientId: config.OIDC_CLIENT_ID, clientSecret: config.OIDC_CLIENT_SECRET, scopes: config.OIDC_SCOPES, publicBaseUrl: config.PUBLIC_BASE_URL } }
        : undefined;
  if (!consoleSettings) logger.warn('no OIDC_CLIENT_ID: the staff console is off (the JSON API and the applicant page are not affected)');
  const deps: ApiDependencies = {
    console: consoleSettings,
    pool,
    temporal,
    mailer,
    logger,
    clock: () => new Date(),
    verifyToken: auth.verifyToken,
    rateLimiter: createRateLimiter(config.RATE_LIMIT_PER_MINUTE),
    documentScanner: createConfiguredDocumentScanner(config),
    settings: {
      inactionWarningLeadTimesMs: config.INACTION_WARNING_LEAD_TIMES,
      trustProxy: parseTrustProxy(config.TRUST_PROXY),
      documentQuota: { count: config.DOCUMENT_QUOTA_COUNT, bytes: config.DOCUMENT_QUOTA_BYTES },
      accessCodes: {
        pepper: loadAccessCodePepper({ env: process.env, dataDir: config.DATA_DIR }),
        expireAfterCloseDays: config.ACCESS_CODE_EXPIRY_DAYS,
        maxFailures: config.ACCESS_CODE_MAX_FAILURES,
      },
    },
  };
  await ensureRetentionSweepStarted(temporal);
  await ensureTeamDigestScheduled(temporal);
  for (const process of processes) {
    const recovered = (await process.recover?.(deps)) ?? 0;
    if (recovered > 0) logger.info({ process: process.caseType, recovered }, 'started the workflows of cases stored without one');
  }
  await resumeUnfinishedPersonImports(deps, defaultPersonImportSettings);
  const registry = new MetricsRegistry();
  registerSystemMetrics(registry, pool);
  const app = createApp(deps, { metrics: createHttpMetrics(registry) });
  const metrics = await startMetricsEndpoint(config, registry, `http://127.0.0.1:${sdkMetricsPort}/metrics`, logger);
  stops.push({ name: 'metrics endpoint', stop: metrics.stop });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(config.PORT, config.HOST, () => resolve(s));
  });
  stops.push({ name: 'API', stop: () => new Promise<void>((resolve) => server.close(() => resolve())) });
  server.closeIdleConnections?.();
  logger.info(
    { api: `http://${config.HOST}:${config.PORT}/api/v1`, openapi: `http://${config.HOST}:${config.PORT}/openapi.json`, temporal: temporalAddress, metrics: metrics.url },
    'API listening',
  );
  if (pretty) {
    const base = `http://${config.HOST}:${config.PORT}`;
    banner.unshift(['API', `${base}/api/v1 · OpenAPI ${base}/openapi.json · health ${base}/health`]);
    if (consoleSettings) banner.splice(1, 0, ['console', `${base}/console · applicant page ${base}/status`]);
    banner.push(['metrics', metrics.url ?? `none: port ${config.METRICS_PORT} in use (METRICS_PORT)`]);
    if (auth.mode === 'local') banner.push(['token', 'npm run dev-token -- --role ebh_clerk --authority koeln']);
    process.stdout.write(formatBanner(banner, process.stdout.isTTY === true && !process.env.NO_COLOR));
  }
}

/** A URL without its password, for the banner. */
function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}

async function startEmbeddedTemporal(
  dataDir: string,
  uiPort: number,
  logger: Logger,
  stops: Array<{ name: string; stop: () => Promise<unknown> }>,
): Promise<string> {
  const port = 7233;
  let cli;
  try {
    cli = await resolveTemporalCli();
  } catch (error) {
    logger.error({ err: error }, 'no Temporal CLI could be found or built');
  }
  if (cli?.type === 'existing-path') {
    const server = await startTemporalDevServer({ binary: cli.path, dbFile: path.join(dataDir, 'temporal.db'), port, uiPort });
    stops.push({ name: 'Temporal dev server', stop: () => server.stop() });
    if (server.staleServerStopped) logger.warn(server.staleServerStopped);
    logger.info({ address: server.address, webUi: server.uiUrl, binary: cli.path }, 'Temporal dev server listening');
    return server.address;
  }
  const { TestWorkflowEnvironment } = await import('@temporalio/testing');
  if (cli?.type === 'cached-download') {
    const env = await TestWorkflowEnvironment.createLocal({
      server: {
        executable: { type: 'cached-download', downloadDir: path.join(dataDir, '..', '.cache') },
        ip: '127.0.0.1',
        port,
        ui: true,
        uiPort,
        dbFilename: path.join(dataDir, 'temporal.db'),
      },
    });
    stops.push({ name: 'Temporal dev server', stop: () => env.teardown() });
    logger.info({ address: `127.0.0.1:${port}`, webUi: `http://127.0.0.1:${uiPort}` }, 'Temporal dev server (SDK download) listening');
    return `127.0.0.1:${port}`;
  }
  const testServer = await resolveTestServer();
  logger.warn(
    'WARNING: no Temporal CLI — running the Java test server IN MEMORY instead. Nothing survives a restart: ' +
      'workflows and timers are lost when this process stops. Build the CLI with `go install` (see README).',
  );
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: testServer.type === 'existing-path' ? { type: 'existing-path', path: testServer.path } : { type: 'cached-download' }, port },
  });
  stops.push({ name: 'Temporal test server', stop: () => env.teardown() });
  return `127.0.0.1:${port}`;
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
