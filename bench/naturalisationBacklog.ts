/**
 * Benchmark: a naturalisation backlog imported through the real import path, at size.
 *
 *   npm run bench                      # N = 100,000
 *   BENCH_APPLICATIONS=10000 npm run bench
 *
 * Runs on real parts: PostgreSQL (BENCH_DATABASE_URL, else a fresh database on the test server,
 * dropped afterwards), a Temporal dev server it starts itself, an SMTP listener, the case workers
 * as a child process (`node dist/worker/main.js`, so its memory can be read), and in this process
 * the import worker and the work-queue/import routes on an ephemeral port.
 *
 * Measures: upload and import throughput (rows/s, workflows started/s), the time until every
 * case's workflow has projected it, p50/p99 of the work-queue listing at that size (several
 * filters and sorts, each walking page by page), and the RSS of the worker and the Temporal
 * server. Prints a Markdown report.
 *
 * Environment (all optional):
 * - BENCH_APPLICATIONS (100000), BENCH_FILED_WITHIN_DAYS (60: filing dates spread over that
 *   many days before today; older cases make their workflows send the § 75 warnings at once)
 * - BENCH_DATABASE_URL, BENCH_KEEP_DATABASE=1
 * - BENCH_QUERY_RUNS (200), BENCH_PAGE_SIZE (50)
 * - BENCH_CHUNK_SIZE (250), BENCH_CHUNKS_PER_RUN (40), BENCH_START_CONCURRENCY (16)
 * - BENCH_TEMPORAL_SQLITE_PRAGMAS ("journal_mode=wal,synchronous=normal"; "" for the CLI's defaults)
 * - BENCH_PROJECTION_TIMEOUT_S (3600): how long to wait for the workflows to project every case
 *   (of the import, and of the intake measurement)
 * - BENCH_CEILING_WORKFLOWS (N, at most 10,000): bare workflows of the ceiling (0: no ceiling
 *   and no intake); BENCH_INTAKE_WORKFLOWS (N): naturalisation workflows started directly for
 *   the intake rate, which stay open (the worker's memory at that many open workflows)
 * - BENCH_SYNTHETIC_CASES (100000; 0 to skip): the listing measured again, at this many synthetic
 *   cases of an authority of their own, with EXPLAIN ANALYZE (what the queue costs at that size
 *   even when N is smaller)
 */
import { randomBytes } from 'node:crypto';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import express from 'express';
import { Pool } from 'pg';
import pino from 'pino';
import type { ZodObject, ZodType } from 'zod';
import { createBacklogImportActivities } from '../activities/backlogImport';
import type { ApiDependencies } from '../api/deps';
import { mountRoutes } from '../api/app';
import { ensureWorkflowStarted } from '../api/naturalisation/applicationService';
import { defaultBacklogImportSettings } from '../api/naturalisation/backlogImportService';
import { formatCsv } from '../api/naturalisation/csv';
import { createRateLimiter } from '../api/rateLimit';
import type { RouteDefinition } from '../api/route';
import { createBacklogImportRoutes } from '../api/routes/backlogImports';
import { workQueueRoutes } from '../api/routes/workQueue';
import { loadConfig } from '../config';
import { migrate } from '../db/migrate';
import { createPool } from '../db/pool';
import { createWorkQueueQueries, type WorkQueueFilter } from '../db/queries/workQueue';
import { toBerlinLocalDate } from '../domain/calendar/berlinTime';
import { addDays } from '../domain/calendar/localDate';
import { startSmtpListener } from '../scripts/embedded/smtpSink';
import { resolveTemporalCli } from '../scripts/temporalBinaries';
import { waitForPort } from '../scripts/temporalDevServer';
import { unscannedDocumentScanner } from '../security/documentScanner';
import { createDataConverter, EncryptionCodec } from '../security/payloadCodec';
import { loadPayloadKeys } from '../security/payloadKeys';
import { createTokenVerifier, loadOrCreateLocalIssuer, localKeySet, localVerifierSettings, signLocalToken } from '../security/tokens';
import { createMailer } from '../worker/mailer';
import { backlogImportTaskQueue } from '../workflows/backlogImportDefinitions';
import { measureCeiling } from './ceiling';
import { driveToHandover, measureIntake } from './ceiling/intake';

type AnyRoute = RouteDefinition<ZodObject, ZodObject, ZodObject, ZodType>;

const env = process.env;
const config = {
  applications: Number(env.BENCH_APPLICATIONS ?? 100_000),
  filedWithinDays: Number(env.BENCH_FILED_WITHIN_DAYS ?? 60),
  queryRuns: Number(env.BENCH_QUERY_RUNS ?? 200),
  pageSize: Number(env.BENCH_PAGE_SIZE ?? 50),
  chunkSize: Number(env.BENCH_CHUNK_SIZE ?? defaultBacklogImportSettings.chunkSize),
  chunksPerRun: Number(env.BENCH_CHUNKS_PER_RUN ?? defaultBacklogImportSettings.chunksPerRun),
  startConcurrency: Number(env.BENCH_START_CONCURRENCY ?? 16),
  sqlitePragmas: (env.BENCH_TEMPORAL_SQLITE_PRAGMAS ?? 'journal_mode=wal,synchronous=normal').split(',').map((p) => p.trim()).filter(Boolean),
  projectionTimeoutS: Number(env.BENCH_PROJECTION_TIMEOUT_S ?? 3600),
  syntheticCases: Number(env.BENCH_SYNTHETIC_CASES ?? 100_000),
  /**
   * Bare workflows of the ceiling (0: skip the ceiling and the intake): a rate, so 10,000 at most
   * unless asked (100,000 bare completions alone would take most of an hour on this machine).
   */
  ceilingWorkflows: Number(env.BENCH_CEILING_WORKFLOWS ?? Math.min(Number(env.BENCH_APPLICATIONS ?? 100_000), 10_000)),
  /** Naturalisation intakes started directly, left open (the worker's memory at N open workflows). */
  intakeWorkflows: Number(env.BENCH_INTAKE_WORKFLOWS ?? env.BENCH_APPLICATIONS ?? 100_000),
  clientConcurrency: Number(env.BENCH_CLIENT_CONCURRENCY ?? 32),
  procedures: Number(env.BENCH_PROCEDURES ?? 3),
  /** Skip the work-queue latency (issue #11's intake figures only). */
  intakeOnly: env.BENCH_INTAKE_ONLY === '1',
};
const projectRoot = path.resolve(__dirname, '..', '..');

function say(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resident memory of a process in MiB (VmRSS of /proc/<pid>/status), or undefined once it is gone. */
function readRssMiB(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    const match = /VmRSS:\s+(\d+)\s+kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

class RssSampler {
  private readonly peaks = new Map<string, number>();
  private readonly timer: NodeJS.Timeout;
  constructor(private readonly processes: Record<string, () => number | undefined>) {
    this.timer = setInterval(() => this.sample(), 1_000);
  }
  sample(): Record<string, number | undefined> {
    const now: Record<string, number | undefined> = {};
    for (const [name, pid] of Object.entries(this.processes)) {
      const rss = readRssMiB(pid());
      now[name] = rss;
      if (rss !== undefined) this.peaks.set(name, Math.max(this.peaks.get(name) ?? 0, rss));
    }
    return now;
  }
  peak(name: string): number | undefined {
    return this.peaks.get(name);
  }
  stop(): void {
    clearInterval(this.timer);
  }
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function machine() {
  const cpuinfo = fs.readFileSync('/proc/cpuinfo', 'utf8');
  const meminfo = fs.readFileSync('/proc/meminfo', 'utf8');
  const pg = spawnSync('psql', ['--version'], { encoding: 'utf8' }).stdout?.trim();
  return {
    nproc: os.cpus().length,
    cpu: /model name\s*:\s*(.+)/.exec(cpuinfo)?.[1] ?? 'unknown',
    memoryGiB: (Number(/MemTotal:\s+(\d+)/.exec(meminfo)?.[1] ?? 0) / 1024 / 1024).toFixed(1),
    node: process.version,
    postgres: pg || 'unknown',
  };
}

/** A fresh database on the server of the tests, unless BENCH_DATABASE_URL names one. */
async function openDatabase() {
  if (env.BENCH_DATABASE_URL) return { url: env.BENCH_DATABASE_URL, drop: async () => undefined };
  const server = env.TEST_DATABASE_URL ?? 'postgresql://postgres:postgres@127.0.0.1:5432/postgres';
  const admin = new Pool({ connectionString: server, max: 1 });
  const name = `kim_bench_${randomBytes(5).toString('hex')}`;
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    async drop() {
      if (env.BENCH_KEEP_DATABASE === '1') {
        say(`kept database ${name}`);
      } else {
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      }
      await admin.end();
    },
  };
}

async function freePort(): Promise<number> {
  const server = express().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The Temporal CLI's dev server on a fresh SQLite file (as scripts/temporalDevServer.ts, plus SQLite pragmas). */
async function startTemporal(dir: string) {
  const cli = await resolveTemporalCli();
  if (cli.type !== 'existing-path') throw new Error('the benchmark needs the Temporal CLI binary (see README, Temporal binaries)');
  const port = await freePort();
  const args = [
    'server', 'start-dev', '--db-filename', path.join(dir, 'temporal.db'), '--ip', '127.0.0.1', '--port', String(port),
    '--namespace', 'default', '--log-level', 'error', '--headless',
    ...config.sqlitePragmas.flatMap((pragma) => ['--sqlite-pragma', pragma]),
  ];
  const child = spawn(cli.path, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  let stopping = false;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      if (!stopping) say(`the Temporal dev server exited (${code ?? signal}): ${stderr.slice(-2000)}`);
      resolve();
    }),
  );
  await Promise.race([waitForPort(port), exited.then(() => Promise.reject(new Error(`the Temporal dev server exited: ${stderr}`)))]);
  const version = spawnSync(cli.path, ['--version'], { encoding: 'utf8' }).stdout?.trim();
  return {
    address: `127.0.0.1:${port}`,
    child,
    version,
    stop: () => {
      stopping = true;
      return stopChild(child);
    },
  };
}

async function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

async function serveRoutes(routes: AnyRoute[], deps: ApiDependencies) {
  const app = express();
  app.set('query parser', 'simple');
  app.use(express.json({ limit: '256kb' }));
  mountRoutes(app, routes, deps);
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** N backlog rows: filing dates spread over the last `filedWithinDays` days, one row in ten without a reference. */
function generateCsv(n: number): string {
  const today = toBerlinLocalDate(Date.now());
  const languages = ['de', 'en', 'tr', 'ar', 'uk', 'pl', 'ru', ''];
  const rows: string[][] = [['reference', 'given_names', 'family_name', 'date_of_birth', 'email', 'preferred_language', 'filed_on']];
  const run = randomBytes(3).toString('hex').toUpperCase();
  for (let i = 1; i <= n; i++) {
    rows.push([
      i % 10 === 0 ? '' : `ALT-${run}-${String(i).padStart(7, '0')}`,
      `Vorname ${i}`,
      `Nachname, ${i}`,
      `19${50 + (i % 50)}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`,
      `applicant${i}@example.org`,
      languages[i % languages.length],
      addDays(today, -Math.floor((i * 7919) % Math.max(config.filedWithinDays, 1))),
    ]);
  }
  return formatCsv(rows);
}

interface QueueScenario {
  name: string;
  query: Record<string, string>;
}

/** What the case worker (spawned with this environment) caches per workflow queue. */
const workerCache = loadConfig({ WORKER_MAX_CACHED_WORKFLOWS: env.WORKER_MAX_CACHED_WORKFLOWS }).WORKER_MAX_CACHED_WORKFLOWS;

async function main(): Promise<void> {
  try {
    Runtime.install({ logger: new DefaultLogger('ERROR'), telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' } } } });
  } catch {
    // installed already
  }
  const host = machine();
  const loadAtStart = readFirstLoad();
  say(`N = ${config.applications}; ${host.nproc} CPUs (${host.cpu}), ${host.memoryGiB} GiB`);
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kim-bench-'));
  const cleanups: Array<() => Promise<unknown>> = [];
  const cleanup = async () => {
    for (const step of cleanups.reverse()) await step().catch((error) => say(`cleanup: ${(error as Error).message}`));
  };
  process.once('SIGINT', () => void cleanup().then(() => process.exit(130)));

  try {
    // Parts
    const database = await openDatabase();
    cleanups.push(database.drop);
    const pool = createPool(database.url, 20);
    cleanups.push(() => pool.end());
    await migrate(pool);
    const temporalServer = await startTemporal(workDir);
    cleanups.push(temporalServer.stop);
    let mails = 0;
    const smtp = await startSmtpListener({ port: 0, onMail: () => void mails++ });
    cleanups.push(smtp.stop);

    const payloadKeysEnv = { PAYLOAD_ENCRYPTION_KEYS: `bench:${randomBytes(32).toString('base64')}` };
    const dataConverter = createDataConverter(new EncryptionCodec(loadPayloadKeys({ env: payloadKeysEnv, dataDir: workDir })));
    const workerOutput: string[] = [];
    const caseWorker = spawn(process.execPath, [path.join(projectRoot, 'dist', 'worker', 'main.js')], {
      env: { OUTREACH_OPT_OUT_SECRET: randomBytes(32).toString('base64'), ...env, ...payloadKeysEnv, DATABASE_URL: database.url, TEMPORAL_ADDRESS: temporalServer.address, SMTP_URL: smtp.url, LOG_LEVEL: 'warn', DATA_DIR: workDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    caseWorker.stdout!.on('data', (b: Buffer) => workerOutput.push(b.toString()));
    caseWorker.stderr!.on('data', (b: Buffer) => workerOutput.push(b.toString()));
    let stoppingWorker = false;
    caseWorker.once('exit', (code, signal) => {
      if (!stoppingWorker) say(`the case worker exited (${code ?? signal}):\n${workerOutput.join('').slice(-3000)}`);
    });
    cleanups.push(() => {
      stoppingWorker = true;
      return stopChild(caseWorker);
    });

    const clientConnection = await Connection.connect({ address: temporalServer.address });
    cleanups.push(() => clientConnection.close());
    const temporal = new Client({ connection: clientConnection, namespace: 'default', dataConverter });
    const issuer = await loadOrCreateLocalIssuer(workDir);
    const deps: ApiDependencies = {
      pool,
      temporal,
      mailer: createMailer(smtp.url),
      logger: pino({ level: 'silent' }),
      clock: () => new Date(),
      verifyToken: createTokenVerifier(localVerifierSettings(), localKeySet(issuer)),
      rateLimiter: createRateLimiter(1_000_000),
      documentScanner: unscannedDocumentScanner,
      settings: { inactionWarningLeadTimesMs: [28 * 86_400_000, 7 * 86_400_000] },
    };
    const settings = { ...defaultBacklogImportSettings, chunkSize: config.chunkSize, chunksPerRun: config.chunksPerRun };
    const api = await serveRoutes([...workQueueRoutes, ...createBacklogImportRoutes(settings)] as AnyRoute[], deps);
    cleanups.push(api.close);
    const token = await signLocalToken(issuer, { subject: 'bench-clerk', roles: ['ebh_clerk'], authorityId: 'koeln' });

    const importConnection = await NativeConnection.connect({ address: temporalServer.address });
    const importWorker = await Worker.create({
      connection: importConnection,
      namespace: 'default',
      taskQueue: backlogImportTaskQueue,
      dataConverter,
      workflowsPath: require.resolve('../workflows/backlogImport'),
      activities: createBacklogImportActivities({ pool, startConcurrency: config.startConcurrency, startCaseWorkflow: (application) => ensureWorkflowStarted(deps, application) }),
    });
    const importWorkerRunning = importWorker.run();
    cleanups.push(async () => {
      if (importWorker.getState() === 'RUNNING') importWorker.shutdown();
      await importWorkerRunning.catch((error) => say(`the import worker stopped: ${(error as Error).message}`));
      await importConnection.close();
    });

    const rss = new RssSampler({
      worker: () => caseWorker.pid,
      temporal: () => temporalServer.child.pid,
      'bench (API + import worker)': () => process.pid,
    });
    cleanups.push(async () => rss.stop());

    // Issue #11: the ceiling of this Temporal server (bare workflows), then intake at full speed
    // on it, then whole procedures, each counted from real histories.
    let ceiling: Awaited<ReturnType<typeof measureCeiling>> | undefined;
    let intake: Awaited<ReturnType<typeof measureIntake>> | undefined;
    const procedureEvents: number[] = [];
    if (config.ceilingWorkflows > 0) {
      say(`ceiling: ${config.ceilingWorkflows} bare workflows (one local activity, one timer), ${config.clientConcurrency} starts in flight`);
      ceiling = await measureCeiling(temporalServer.address, config.ceilingWorkflows, config.clientConcurrency, config.projectionTimeoutS * 1000);
      say(`ceiling: ${ceiling.startsPerSecond.toFixed(0)} starts/s, ${ceiling.completionsPerSecond.toFixed(0)} completions/s`);
      say(`intake: ${config.intakeWorkflows} naturalisation workflows started directly`);
      intake = await measureIntake({ pool, temporal, leadTimesMs: deps.settings.inactionWarningLeadTimesMs }, config.intakeWorkflows, config.clientConcurrency, {
        timeoutMs: config.projectionTimeoutS * 1000,
        onProgress: (projected) => {
          const now = rss.sample();
          say(`intake: ${projected}/${config.intakeWorkflows} projected; RSS worker ${now.worker?.toFixed(0)} MiB, Temporal ${now.temporal?.toFixed(0)} MiB`);
        },
      });
      say(`intake: ${intake.intakesPerSecond.toFixed(0)} cases/s through intake (${((100 * intake.intakesPerSecond) / ceiling.completionsPerSecond).toFixed(0)} % of bare completion); ${intake.eventsPerIntake.max} events per intake at most`);
      const { rows: cases } = await pool.query<{ id: string }>('SELECT id FROM naturalisation_applications WHERE authority_id = $1 ORDER BY reference LIMIT $2', [intake.authorityId, config.procedures]);
      for (const { id } of cases) procedureEvents.push(await driveToHandover(temporal, id));
      say(`procedures to handover: ${procedureEvents.join(', ')} events`);
    }
    const rssBeforeImport = rss.sample();

    // Upload
    const csv = generateCsv(config.applications);
    say(`uploading ${config.applications} rows (${(Buffer.byteLength(csv) / 1e6).toFixed(1)} MB)`);
    const started = performance.now();
    const upload = await fetch(`${api.baseUrl}/api/v1/naturalisation/imports`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
      body: csv,
    });
    const uploadMs = performance.now() - started;
    const uploaded = (await upload.json()) as { id: string; status: string };
    if (upload.status !== 202) throw new Error(`upload answered ${upload.status}: ${JSON.stringify(uploaded)}`);
    say(`upload answered 202 after ${(uploadMs / 1000).toFixed(1)} s; job ${uploaded.id}`);

    // Import, with progress
    const countProjections = async () => Number((await pool.query("SELECT count(*) AS n FROM case_projections WHERE case_type = 'naturalisation' AND authority_id = 'koeln'")).rows[0].n);
    let job: { status: string; processed: number; accepted: number; rejected: number; total: number; rowsPerSecond: number } | undefined;
    let lastReport = 0;
    for (;;) {
      const response = await fetch(`${api.baseUrl}/api/v1/naturalisation/imports/${uploaded.id}`, { headers: { authorization: `Bearer ${token}` } });
      job = (await response.json()) as typeof job;
      if (performance.now() - lastReport > 10_000 || job!.status === 'completed') {
        lastReport = performance.now();
        const now = rss.sample();
        say(
          `import ${job!.processed}/${job!.total} (${job!.rowsPerSecond} rows/s), projected ${await countProjections()}, ` +
            `RSS worker ${now.worker?.toFixed(0)} MiB, Temporal ${now.temporal?.toFixed(0)} MiB`,
        );
      }
      if (job!.status === 'completed') break;
      await sleep(500);
    }
    const importMs = performance.now() - started;
    const rssAtImportEnd = rss.sample();
    const workflowsStarted = { count: (await temporal.workflow.count('WorkflowType = "naturalisationApplication"')).count - (intake?.count ?? 0) };

    // Every case projected by its workflow (what the work queue lists)
    let projected = await countProjections();
    const projectionDeadline = performance.now() + config.projectionTimeoutS * 1000;
    while (projected < job!.accepted && performance.now() < projectionDeadline) {
      await sleep(2_000);
      projected = await countProjections();
      if (performance.now() - lastReport > 10_000) {
        lastReport = performance.now();
        const now = rss.sample();
        say(`projected ${projected}/${job!.accepted}; mails ${mails}; RSS worker ${now.worker?.toFixed(0)} MiB, Temporal ${now.temporal?.toFixed(0)} MiB`);
      }
    }
    const projectedMs = performance.now() - started;
    const rssAtProjected = rss.sample();
    say(`${projected} cases projected after ${(projectedMs / 1000).toFixed(0)} s`);

    // The workflows project team "default" and no assignee: spread the cases over 5 teams and 40
    // clerks as assignments would, so team and assignee filters select realistic shares.
    await pool.query(
      `UPDATE case_projections SET team = 'team-' || (abs(hashtext(case_id::text)) % 5),
         assignee = CASE WHEN abs(hashtext(case_id::text || 'a')) % 2 = 0 THEN 'clerk-' || (abs(hashtext(case_id::text || 'b')) % 40) END`,
    );
    await pool.query('VACUUM ANALYZE case_projections');
    await pool.query('ANALYZE naturalisation_applications');
    const stages = (await pool.query<{ stage: string; n: string }>('SELECT stage, count(*) AS n FROM case_projections GROUP BY 1 ORDER BY 2 DESC')).rows;
    const flags = (await pool.query<{ flag: string; n: string }>('SELECT jsonb_array_elements_text(flags) AS flag, count(*) AS n FROM case_projections GROUP BY 1 ORDER BY 2 DESC')).rows;
    const commonStage = stages[0]?.stage ?? 'received';
    const rareStage = stages[stages.length - 1]?.stage ?? 'received';

    // Work-queue latency: each scenario walks page by page (wrapping at the end), over HTTP
    // (token check, SQL, audit entry, JSON) and as the SQL alone.
    const scenarios: QueueScenario[] = [
      { name: 'all, by age', query: { sort: 'age' } },
      { name: 'all, by due date', query: { sort: 'due' } },
      { name: 'one team, by age', query: { team: 'team-2', sort: 'age' } },
      { name: 'one team, by due date', query: { team: 'team-2', sort: 'due' } },
      { name: `stage ${commonStage}, by age`, query: { stage: commonStage, sort: 'age' } },
      { name: `team + stage ${rareStage}, by due date`, query: { team: 'team-1', stage: rareStage, sort: 'due' } },
      { name: 'one clerk, by due date', query: { assignee: 'clerk-7', sort: 'due' } },
      { name: 'waiting for the authority, by due date', query: { waitingFor: 'authority', sort: 'due' } },
      { name: 'flag lawsuit_possible, by age', query: { flag: 'lawsuit_possible', sort: 'age' } },
    ];
    const results: { name: string; http: number[]; sql: number[]; pages: number; plan: string }[] = [];
    for (const scenario of config.intakeOnly ? [] : scenarios) {
      const http: number[] = [];
      let after: string | null = null;
      let pages = 0;
      for (let run = 0; run < config.queryRuns; run++) {
        const params = new URLSearchParams({ ...scenario.query, limit: String(config.pageSize), ...(after ? { after } : {}) });
        const t0 = performance.now();
        const response = await fetch(`${api.baseUrl}/api/v1/naturalisation/queue?${params}`, { headers: { authorization: `Bearer ${token}` } });
        const body = (await response.json()) as { next: string | null; items: unknown[] };
        http.push(performance.now() - t0);
        if (response.status !== 200) throw new Error(`queue answered ${response.status}: ${JSON.stringify(body)}`);
        after = body.next;
        pages++;
      }
      const { sql, plan } = await measureSql(pool, 'koeln', scenario);
      results.push({ name: scenario.name, http: http.sort((a, b) => a - b), sql, pages, plan });
      say(`queue "${scenario.name}": p50 ${percentile(http, 50).toFixed(1)} ms, p99 ${percentile(http, 99).toFixed(1)} ms (HTTP)`);
    }
    const rssEnd = rss.sample();

    // The listing at 100,000 cases whatever N was: synthetic cases of their own authority.
    const synthetic: Awaited<ReturnType<typeof measureSql>>[] = [];
    if (config.syntheticCases > 0 && !config.intakeOnly) {
      say(`seeding ${config.syntheticCases} synthetic cases (authority "synthetic")`);
      await seedSyntheticCases(pool, config.syntheticCases);
      for (const scenario of syntheticScenarios) synthetic.push(await measureSql(pool, 'synthetic', scenario));
    }

    // Report
    const mib = (value: number | undefined) => (value === undefined ? '–' : `${value.toFixed(0)} MiB`);
    const lines = [
      `## Naturalisation backlog benchmark — N = ${config.applications.toLocaleString('en')}`,
      '',
      `Machine: ${host.nproc} CPUs (${host.cpu}), ${host.memoryGiB} GiB RAM; Node ${host.node}; ${host.postgres}; ${temporalServer.version ?? 'Temporal CLI'} dev server` +
        ` (SQLite${config.sqlitePragmas.length ? `, pragmas ${config.sqlitePragmas.join(', ')}` : ', default pragmas'}).`,
      `Rows: filing dates spread over the last ${config.filedWithinDays} days; chunks of ${config.chunkSize} rows, ${config.chunksPerRun} chunks per workflow run, ${config.startConcurrency} workflow starts in flight per chunk.`,
      '',
      ...(ceiling && intake
        ? [
            `| issue #11: throughput against the ceiling of the same Temporal server | value | ratio | target |`,
            '| --- | --- | --- | --- |',
            `| bare workflows (${ceiling.workflows.toLocaleString('en')}: one local activity, one timer): starts | ${ceiling.startsPerSecond.toFixed(0)} /s | | |`,
            `| bare workflows: completions (first start → last completed) | ${ceiling.completionsPerSecond.toFixed(0)} /s | | |`,
            `| naturalisation intake (${intake.count.toLocaleString('en')} started directly → projected in completeness_check) | ${intake.intakesPerSecond.toFixed(0)} /s | ${((100 * intake.intakesPerSecond) / ceiling.completionsPerSecond).toFixed(0)} % of bare completions | ≥ 90 % |`,
            `| backlog import (workflows started by the import, upload → job completed) | ${(workflowsStarted.count / (importMs / 1000)).toFixed(0)} /s | ${((100 * workflowsStarted.count) / (importMs / 1000) / ceiling.startsPerSecond).toFixed(0)} % of bare starts | ≥ 70 % |`,
            `| history events per intake (${intake.eventsPerIntake.sampled} real histories) | ${intake.eventsPerIntake.min}–${intake.eventsPerIntake.max} | | ≤ 10 |`,
            `| history events per procedure, intake to handover (${procedureEvents.length} real histories) | ${procedureEvents.join(', ')} | | ≤ 100 |`,
            `| case worker RSS before the import (${(intake.count + config.procedures).toLocaleString('en')} workflows open, at most ${workerCache} cached per workflow queue) | ${mib(rssBeforeImport.worker)} | | |`,
            '',
          ]
        : []),
      '| import | value |',
      '| --- | --- |',
      `| file | ${config.applications.toLocaleString('en')} rows, ${(Buffer.byteLength(csv) / 1e6).toFixed(1)} MB |`,
      `| upload (parse, store rows, start import) | ${(uploadMs / 1000).toFixed(1)} s |`,
      `| import (upload → job completed) | ${(importMs / 1000).toFixed(1)} s |`,
      `| rows accepted / rejected | ${job!.accepted.toLocaleString('en')} / ${job!.rejected} |`,
      `| import throughput | ${(job!.total / (importMs / 1000)).toFixed(0)} rows/s |`,
      `| workflows started | ${workflowsStarted.count.toLocaleString('en')} (${(workflowsStarted.count / (importMs / 1000)).toFixed(0)} /s) |`,
      `| every case projected by its workflow | after ${(projectedMs / 1000).toFixed(0)} s (${projected.toLocaleString('en')} cases, ${(projected / (projectedMs / 1000)).toFixed(0)} /s end to end) |`,
      `| mails received by SMTP | ${mails.toLocaleString('en')} |`,
      `| stages | ${stages.map((s) => `${s.stage} ${s.n}`).join(', ')} |`,
      `| flags | ${flags.map((f) => `${f.flag} ${f.n}`).join(', ') || 'none'} |`,
      '',
      `| work queue (${projected.toLocaleString('en')} cases, pages of ${config.pageSize}, ${config.queryRuns} runs each, walking on) | HTTP p50 | HTTP p99 | SQL p50 | SQL p99 | index |`,
      '| --- | --- | --- | --- | --- | --- |',
      ...results.map(
        (r) =>
          `| ${r.name} | ${percentile(r.http, 50).toFixed(1)} ms | ${percentile(r.http, 99).toFixed(1)} ms | ${percentile(r.sql, 50).toFixed(2)} ms | ${percentile(r.sql, 99).toFixed(2)} ms | ${r.plan} |`,
      ),
      '',
      ...(synthetic.length
        ? [
            `| work queue, ${config.syntheticCases.toLocaleString('en')} synthetic cases of one authority (SQL, ${config.queryRuns} pages each, walking on) | p50 | p99 | EXPLAIN ANALYZE 1st page | EXPLAIN ANALYZE page ${config.queryRuns} | index |`,
            '| --- | --- | --- | --- | --- | --- |',
            ...synthetic.map(
              (r) => `| ${r.name} | ${percentile(r.sql, 50).toFixed(2)} ms | ${percentile(r.sql, 99).toFixed(2)} ms | ${r.firstMs.toFixed(2)} ms | ${r.deepMs.toFixed(2)} ms | ${r.plan} |`,
            ),
            '',
          ]
        : []),
      `Load average (1 min) at the start ${loadAtStart}, at the end ${readFirstLoad()} (other processes on the machine count too).`,
      '',
      '| memory (VmRSS) | when the import completed | when every case was projected | at the end | peak |',
      '| --- | --- | --- | --- | --- |',
      ...['worker', 'temporal', 'bench (API + import worker)'].map(
        (name) =>
          `| ${name === 'worker' ? 'case worker (node dist/worker/main.js)' : name === 'temporal' ? 'Temporal dev server' : name} | ${mib(rssAtImportEnd[name])} | ${mib(rssAtProjected[name])} | ${mib(rssEnd[name])} | ${mib(rss.peak(name))} |`,
      ),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await cleanup();
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

function readFirstLoad(): string {
  return fs.readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
}

/** EXPLAIN ANALYZE of the statements one listing call runs: total execution time, and the indexes used. */
async function explainListing(pool: Pool, filter: WorkQueueFilter): Promise<{ ms: number; indexes: string[] }> {
  const captured: { sql: string; params: unknown[] }[] = [];
  const spy = { query: (sql: string, params: unknown[]) => (captured.push({ sql, params }), pool.query(sql, params)) } as unknown as Pool;
  await createWorkQueueQueries(spy).listNaturalisationQueue(filter);
  let ms = 0;
  const indexes: string[] = [];
  for (const statement of captured) {
    const { rows } = await pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN ANALYZE ${statement.sql}`, statement.params);
    const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
    ms += Number(/Execution Time: ([\d.]+)/.exec(plan)?.[1] ?? NaN);
    for (const m of plan.matchAll(/(?:Index Scan|Index Only Scan|Bitmap Index Scan)(?: Backward)? (?:using|on) (\w+)|Seq Scan on (\w+)/g)) {
      indexes.push(m[1] ?? `seq scan ${m[2]}`);
    }
  }
  return { ms, indexes };
}

/** The listing's SQL, page after page (wrapping at the end): latencies, and EXPLAIN ANALYZE of the first and the last page. */
async function measureSql(pool: Pool, authorityId: string, scenario: QueueScenario) {
  const queue = createWorkQueueQueries(pool);
  const filter: WorkQueueFilter = { authorityId, ...scenario.query, sort: scenario.query.sort as 'age' | 'due', limit: config.pageSize + 1 };
  const sql: number[] = [];
  let position: WorkQueueFilter['after'];
  let deepest: WorkQueueFilter['after'];
  for (let run = 0; run < config.queryRuns; run++) {
    const t0 = performance.now();
    const rows = await queue.listNaturalisationQueue({ ...filter, after: position });
    sql.push(performance.now() - t0);
    if (position) deepest = position;
    const last = rows.length > config.pageSize ? rows[config.pageSize - 1] : undefined;
    position = last ? { key: last.sort_key, caseId: last.case_id } : undefined;
  }
  const first = await explainListing(pool, filter);
  const deep = await explainListing(pool, { ...filter, after: deepest });
  const plan = [...new Set([...first.indexes, ...deep.indexes])].filter((n) => n !== 'naturalisation_applications_pkey').join(', ');
  return { name: scenario.name, sql: sql.sort((a, b) => a - b), plan, firstMs: first.ms, deepMs: deep.ms };
}

const syntheticScenarios: QueueScenario[] = [
  { name: 'all, by age', query: { sort: 'age' } },
  { name: 'all, by due date', query: { sort: 'due' } },
  { name: 'one team, by due date', query: { team: 'team-1', sort: 'due' } },
  { name: 'stage received (the newest), by age', query: { stage: 'received', sort: 'age' } },
  { name: 'stage received, by due date', query: { stage: 'received', sort: 'due' } },
  { name: 'team + stage inquiries, by due date', query: { team: 'team-3', stage: 'inquiries', sort: 'due' } },
  { name: 'stage closed (no due date), by due date', query: { stage: 'closed', sort: 'due' } },
  { name: 'one clerk, by due date', query: { assignee: 'clerk-4', sort: 'due' } },
  { name: 'one clerk, by age', query: { assignee: 'clerk-4', sort: 'age' } },
  { name: 'waiting for the applicant, by age', query: { waitingFor: 'applicant', sort: 'age' } },
  { name: 'waiting for the authority, by due date', query: { waitingFor: 'authority', sort: 'due' } },
  { name: 'flag lawsuit_possible, by due date', query: { flag: 'lawsuit_possible', sort: 'due' } },
  { name: 'flag inquiry_overdue (rare), by age', query: { flag: 'inquiry_overdue', sort: 'age' } },
  { name: 'a team nobody is in', query: { team: 'nobody', sort: 'age' } },
];

/**
 * `count` cases of the authority "synthetic", filed over three years: the newest received or in
 * the completeness check, a seventh closed (no due date, waiting for nobody), five teams, 40
 * clerks for half of them, the § 75 flags on the old ones, a rare flag on one in 500.
 */
async function seedSyntheticCases(pool: Pool, count: number): Promise<void> {
  await pool.query(
    `INSERT INTO naturalisation_applications (id, authority_id, reference, given_names, family_name, date_of_birth, email, preferred_language, filed_on)
     SELECT md5('synthetic' || g)::uuid, 'synthetic', 'SYN-' || g, 'X', 'Y', '1990-01-01', 'x@example.org', 'de', (current_date - (g * 7919 % 1100))::date
     FROM generate_series(1, $1) g`,
    [count],
  );
  await pool.query(
    `INSERT INTO case_projections (case_id, case_type, authority_id, workflow_id, version, stage, waiting_for, flags, deadlines, team, assignee, filed_on, next_due_at, suspended)
     SELECT a.id, 'naturalisation', 'synthetic', 'synthetic/' || a.id, 1, s.stage,
       CASE WHEN s.stage = 'closed' THEN NULL WHEN g % 4 = 0 THEN 'applicant' WHEN g % 9 = 0 THEN 'other_agency' ELSE 'authority' END,
       (CASE WHEN a.filed_on < current_date - 90 THEN '["inaction_warning_sent","lawsuit_possible"]'::jsonb
             WHEN a.filed_on < current_date - 62 THEN '["inaction_warning_sent"]'::jsonb ELSE '[]'::jsonb END)
         || (CASE WHEN g % 500 = 0 THEN '["inquiry_overdue"]'::jsonb ELSE '[]'::jsonb END),
       '{}'::jsonb, 'team-' || (g % 5), CASE WHEN g % 2 = 0 THEN 'clerk-' || (g % 40) END, a.filed_on,
       CASE WHEN s.stage = 'closed' THEN NULL ELSE (a.filed_on + 90 + (g % 13))::timestamptz + (g % 1000) * interval '1 second' END,
       g % 50 = 0
     FROM generate_series(1, $1) g
     JOIN naturalisation_applications a ON a.id = md5('synthetic' || g)::uuid
     CROSS JOIN LATERAL (SELECT CASE
       WHEN g % 7 = 0 THEN 'closed'
       WHEN a.filed_on > current_date - 14 THEN 'received'
       WHEN a.filed_on > current_date - 45 THEN 'completeness_check'
       WHEN g % 3 = 0 THEN 'waiting_for_documents'
       WHEN g % 3 = 1 THEN 'inquiries'
       ELSE 'decision' END AS stage) s`,
    [count],
  );
  // As autovacuum would soon after: also merges the GIN index's pending list of the bulk insert.
  await pool.query('VACUUM ANALYZE case_projections');
  await pool.query('VACUUM ANALYZE naturalisation_applications');
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`${(error as Error).stack ?? error}\n`);
    process.exit(1);
  },
);

