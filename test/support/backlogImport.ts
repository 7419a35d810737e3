import { failureConverterPath } from '../../security/payloadCodec';
import { spawn, type ChildProcess } from 'node:child_process';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import express from 'express';
import type { ZodObject, ZodType } from 'zod';
import { createBacklogImportActivities } from '../../activities/backlogImport';
import type { ApiDependencies } from '../../api/deps';
import { AppError, createErrorMiddleware } from '../../api/errors';
import { ensureWorkflowStarted } from '../../api/naturalisation/applicationService';
import { defaultBacklogImportSettings, type BacklogImportSettings } from '../../api/naturalisation/backlogImportService';
import { toExpressHandler, type RouteDefinition } from '../../api/route';
import { createBacklogImportRoutes } from '../../api/routes/backlogImports';
import { workQueueRoutes } from '../../api/routes/workQueue';
import { createPool } from '../../db/pool';
import { createDataConverter, EncryptionCodec } from '../../security/payloadCodec';
import { loadPayloadKeys } from '../../security/payloadKeys';
import { backlogImportTaskQueue } from '../../workflows/backlogImportDefinitions';
import { startSystem } from './system';

type AnyRoute = RouteDefinition<ZodObject, ZodObject, ZodObject, ZodType>;
type System = Awaited<ReturnType<typeof startSystem>>;

const quietLogger = { log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: console.error };

export const backlogImportWorkflowsPath = require.resolve('../../workflows/backlogImport');

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
/** The bundle of the import workflow alone (its worker polls its own task queue). */
export function backlogImportBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({ workflowsPath: backlogImportWorkflowsPath, failureConverterPath, logger: quietLogger as never });
  return bundle;
}

/**
 * The work-queue and import routes on their own Express app, set up as `createApp` sets up the
 * route table (until they are registered there): query parser, JSON limit, the raw body of
 * upload routes, the same handler wrapper and error middleware.
 */
export async function serveRoutes(routes: AnyRoute[], deps: ApiDependencies) {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(express.json({ limit: '256kb', type: ['application/json', 'application/*+json'] }));
  for (const route of routes) {
    const upload = route.upload ? [express.raw({ type: [...route.upload.contentTypes], limit: route.upload.maxBytes })] : [];
    app[route.method](route.path, ...upload, toExpressHandler(route, deps));
  }
  app.use((req, _res, next) => next(new AppError('route.not_found', 404, `no route ${req.method} ${req.path}`)));
  app.use(createErrorMiddleware(deps.logger));
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
    },
  };
}

/**
 * The whole system of `startSystem` (PostgreSQL, Temporal dev server, SMTP, the case workers,
 * the API), plus: the work-queue and import routes served with the same dependencies, and —
 * unless `importWorker: false` — a worker for the import task queue in this process.
 */
export async function startBacklogSystem(options: {
  settings?: Partial<BacklogImportSettings>;
  importWorker?: boolean;
  clock?: () => Date;
} = {}) {
  // The import queue is served here (or, with importWorker: false, by workers a test spawns).
  const system = await startSystem({ importWorker: false });
  const settings = { ...defaultBacklogImportSettings, ...options.settings };
  const deps: ApiDependencies = { ...system.deps, ...(options.clock ? { clock: options.clock } : {}) };
  const served = await serveRoutes([...workQueueRoutes, ...createBacklogImportRoutes(settings)] as AnyRoute[], deps);
  const dataConverter = createDataConverter(new EncryptionCodec(loadPayloadKeys({ env: system.payloadKeysEnv, dataDir: '/nonexistent' })));

  let importWorker: { worker: Worker; running: Promise<void>; connection: NativeConnection } | undefined;
  if (options.importWorker !== false) {
    const connection = await NativeConnection.connect({ address: system.temporalServer.address });
    const worker = await Worker.create({
      connection,
      namespace: 'default',
      taskQueue: backlogImportTaskQueue,
      dataConverter,
      workflowBundle: await backlogImportBundle(),
      activities: createBacklogImportActivities({ pool: system.db.pool, startCaseWorkflow: (application) => ensureWorkflowStarted(deps, application) }),
    });
    importWorker = { worker, connection, running: worker.run() };
  }

  const clerkToken = await system.tokenFor(['ebh_clerk']);

  /** A request to the work-queue and import routes, as an EBH clerk of "koeln" unless `token` says otherwise. */
  async function request(
    method: string,
    pathAndQuery: string,
    options: { body?: string | Buffer | object; contentType?: string; token?: string | null; headers?: Record<string, string> } = {},
  ) {
    const raw = typeof options.body === 'string' || Buffer.isBuffer(options.body);
    const headers: Record<string, string> = { ...options.headers };
    if (options.token !== null) headers.authorization = `Bearer ${options.token ?? clerkToken}`;
    if (options.body !== undefined) headers['content-type'] = options.contentType ?? (raw ? 'text/csv' : 'application/json');
    const response = await fetch(`${served.baseUrl}${pathAndQuery}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : raw ? (options.body as string | Buffer) : JSON.stringify(options.body),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : undefined) as any };
  }

  return {
    system,
    deps,
    settings,
    dataConverter,
    request,
    async stop() {
      if (importWorker) {
        importWorker.worker.shutdown();
        await importWorker.running;
        await importWorker.connection.close();
      }
      await served.close();
      await system.stop();
    },
  };
}

/** Polls until `check` holds, or fails naming `what`. */
export async function waitUntil(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The `application_name` of the spawned import workers' PostgreSQL sessions. */
export const importWorkerApplicationName = 'kim-import-worker';

/**
 * Runs the import worker as a child process (this file, run as a script), so a test can kill it
 * with SIGKILL in the middle of an import.
 */
export function spawnImportWorker(system: System, env: Record<string, string> = {}): { child: ChildProcess; output: string[] } {
  const output: string[] = [];
  const child = spawn(process.execPath, [__filename], {
    env: {
      ...process.env,
      ...system.payloadKeysEnv,
      DATABASE_URL: system.db.url,
      TEMPORAL_ADDRESS: system.temporalServer.address,
      INACTION_WARNING_LEAD_TIMES_MS: system.deps.settings.inactionWarningLeadTimesMs.join(','),
      // Its PostgreSQL sessions carry this name, so a test can see when they are gone.
      PGAPPNAME: importWorkerApplicationName,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (b: Buffer) => output.push(b.toString()));
  child.stderr!.on('data', (b: Buffer) => output.push(b.toString()));
  return { child, output };
}

/** The child process of `spawnImportWorker`: an import worker on the environment's parts. */
async function runImportWorkerProcess(): Promise<void> {
  const env = process.env;
  const pool = createPool(env.DATABASE_URL!);
  const dataConverter = createDataConverter(new EncryptionCodec(loadPayloadKeys({ env, dataDir: '/nonexistent' })));
  const clientConnection = await Connection.connect({ address: env.TEMPORAL_ADDRESS! });
  const temporal = new Client({ connection: clientConnection, namespace: 'default', dataConverter });
  // ensureWorkflowStarted reads only the client and the settings of the API's dependencies.
  const startDeps = { temporal, settings: { inactionWarningLeadTimesMs: (env.INACTION_WARNING_LEAD_TIMES_MS ?? '').split(',').filter(Boolean).map(Number) } } as ApiDependencies;
  const connection = await NativeConnection.connect({ address: env.TEMPORAL_ADDRESS! });
  const worker = await Worker.create({
    connection,
    namespace: 'default',
    taskQueue: backlogImportTaskQueue,
    dataConverter,
    workflowsPath: backlogImportWorkflowsPath,
    activities: createBacklogImportActivities({
      pool,
      startCaseWorkflow: async (application) => {
        if (env.START_DELAY_MS) await new Promise((resolve) => setTimeout(resolve, Number(env.START_DELAY_MS)));
        await ensureWorkflowStarted(startDeps, application);
      },
    }),
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => worker.shutdown());
  process.stdout.write('import worker running\n');
  await worker.run();
  await connection.close();
  await clientConnection.close();
  await pool.end();
}

if (require.main === module) {
  runImportWorkerProcess().catch((error) => {
    process.stderr.write(`${(error as Error).stack ?? error}\n`);
    process.exit(1);
  });
}

export const workerScript = path.resolve(__filename);
