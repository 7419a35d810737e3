import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { Client as PgClient } from 'pg';
import { resolveTemporalServer, type TemporalServerBinaries } from '../../scripts/temporalBinaries';
import { waitForPort } from '../../scripts/temporalDevServer';
import { testDatabaseServerUrl } from './postgres';
import { freePort } from './temporal';

const execFileAsync = promisify(execFile);
const childGuardPath = path.resolve(__dirname, '..', '..', 'scripts', 'childGuard.js');

/** How long the namespace is kept after a workflow closes (the server's minimum is one day). */
const retentionMs = 24 * 3600_000;

/** The parts of a PostgreSQL URL the SQL tool and the server config take. */
function connectionOf(serverUrl: string) {
  const url = new URL(serverUrl);
  return {
    host: url.hostname,
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username || 'postgres'),
    password: decodeURIComponent(url.password),
  };
}

type PgConnection = ReturnType<typeof connectionOf>;

/** A loopback port in [from, to] that nothing listens on (random tries). */
async function freePortInRange(from: number, to: number): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = from + Math.floor(Math.random() * (to - from + 1));
    const free = await new Promise<boolean>((resolve) => {
      const server = net.createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error(`no free port between ${from} and ${to}`);
}

/**
 * Creates a database and brings it to the newest schema with the server's own tool, the way an
 * operator does (README, Deployment): `create-database`, `setup-schema -v 0.0` (the version table),
 * `update-schema -d <versioned dir>` (every versioned step in order).
 */
async function setUpDatabase(binaries: TemporalServerBinaries, pg: PgConnection, database: string, schema: 'temporal' | 'visibility') {
  const common = ['--plugin', 'postgres12', '--ep', pg.host, '-p', String(pg.port), '-u', pg.user, '--db', database];
  if (pg.password) common.push('--pw', pg.password);
  const versioned = path.join(binaries.schemaDir, 'postgresql', 'v12', schema, 'versioned');
  for (const args of [['create-database'], ['setup-schema', '-v', '0.0'], ['update-schema', '-d', versioned]]) {
    try {
      await execFileAsync(binaries.sqlTool, [...common, ...args], { timeout: 120_000 });
    } catch (error) {
      const { stdout, stderr } = error as { stdout?: string; stderr?: string };
      throw new Error(`temporal-sql-tool ${args[0]} on ${database} failed: ${(error as Error).message}\n${stdout ?? ''}${stderr ?? ''}`);
    }
  }
}

/** The server's configuration: PostgreSQL persistence, one node running all four services. */
function serverConfig(pg: PgConnection, databases: { temporal: string; visibility: string }, ports: Record<string, number>): string {
  const datastore = (database: string, maxConns: number) => `
      sql:
        pluginName: "postgres12"
        databaseName: ${JSON.stringify(database)}
        connectAddr: ${JSON.stringify(`${pg.host}:${pg.port}`)}
        connectProtocol: "tcp"
        user: ${JSON.stringify(pg.user)}
        password: ${JSON.stringify(pg.password)}
        maxConns: ${maxConns}
        maxIdleConns: ${maxConns}
        maxConnLifetime: "1h"`;
  const service = (name: string) => `
  ${name}:
    rpc:
      grpcPort: ${ports[`${name}Grpc`]}
      membershipPort: ${ports[`${name}Membership`]}
      bindOnLocalHost: true${name === 'frontend' ? `\n      httpPort: ${ports.frontendHttp}` : ''}`;
  // Each of the four services opens its own pools: 4 × (6 + 2) connections at most.
  return `log:
  stdout: true
  level: warn

persistence:
  defaultStore: postgres-default
  visibilityStore: postgres-visibility
  numHistoryShards: 4
  datastores:
    postgres-default:${datastore(databases.temporal, 6)}
    postgres-visibility:${datastore(databases.visibility, 2)}

global:
  membership:
    maxJoinDuration: 30s
    broadcastAddress: "127.0.0.1"

services:${service('frontend')}${service('history')}${service('matching')}${service('worker')}

clusterMetadata:
  enableGlobalNamespace: false
  failoverVersionIncrement: 10
  masterClusterName: "active"
  currentClusterName: "active"
  clusterInformation:
    active:
      enabled: true
      initialFailoverVersion: 1
      rpcName: "frontend"
      rpcAddress: "127.0.0.1:${ports.frontendGrpc}"

dcRedirectionPolicy:
  policy: "noop"
`;
}

/** Registers the namespace once the frontend answers, and waits until the frontend serves it. */
async function registerNamespace(address: string, namespace: string, timeoutMs: number, isAlive: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  let connection: Connection | undefined;
  try {
    while (Date.now() < deadline && isAlive()) {
      try {
        connection ??= await Connection.connect({ address, connectTimeout: 2_000 });
        try {
          await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs(retentionMs) });
        } catch (error) {
          // ALREADY_EXISTS (6): a retry after an answer that was lost.
          if ((error as { code?: number }).code !== 6) throw error;
        }
        // Served once the frontend's namespace registry has refreshed (every 2 s by default):
        // a visibility query names the namespace, so it fails until then.
        await connection.workflowService.listWorkflowExecutions({ namespace, pageSize: 1 });
        return;
      } catch (error) {
        lastError = error;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  } finally {
    await connection?.close();
  }
  throw new Error(`the Temporal server at ${address} did not serve namespace ${namespace}: ${(lastError as Error)?.message ?? 'it exited'}`);
}

export interface TemporalServerOnPostgres {
  /** The frontend, `127.0.0.1:<port>` (TEMPORAL_ADDRESS). */
  address: string;
  databases: { temporal: string; visibility: string };
  binaries: TemporalServerBinaries;
  /** The server's output so far (warnings and errors). */
  log(): string;
  /** Stops the server and drops both databases. */
  stop(): Promise<void>;
}

/**
 * The production Temporal server (go.temporal.io/server, built by scripts/build-temporal-server.sh)
 * on PostgreSQL: two fresh databases on the test server (or `serverUrl`) — history and visibility
 * — set up by `temporal-sql-tool`, a one-node cluster on free loopback ports, and the `default`
 * namespace registered. The system registers no custom search attributes (only the SDK's
 * `TemporalChangeVersion`, a system attribute), so there are none to add. The server runs under
 * the child guard (scripts/childGuard.ts): it dies with the test process, however that ends.
 * Undefined where the server is not built and cannot be (no Go).
 */
export async function startTemporalServerOnPostgres(
  options: { serverUrl?: string; namespace?: string; startTimeoutMs?: number } = {},
): Promise<TemporalServerOnPostgres | undefined> {
  const binaries = await resolveTemporalServer();
  if (!binaries) return undefined;
  const serverUrl = options.serverUrl ?? testDatabaseServerUrl();
  const pg = connectionOf(serverUrl);
  const suffix = randomBytes(5).toString('hex');
  const databases = { temporal: `temporal_${suffix}`, visibility: `temporal_visibility_${suffix}` };
  const dropDatabases = async () => {
    const admin = new PgClient({ connectionString: serverUrl });
    admin.on('error', () => undefined);
    await admin.connect();
    try {
      for (const name of Object.values(databases)) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    } finally {
      await admin.end();
    }
  };

  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kim-temporal-server-'));
  let child: ChildProcess | undefined;
  try {
    await setUpDatabase(binaries, pg, databases.temporal, 'temporal');
    await setUpDatabase(binaries, pg, databases.visibility, 'visibility');

    const names = ['frontendGrpc', 'frontendHttp', 'frontendMembership', 'historyGrpc', 'historyMembership', 'matchingGrpc', 'matchingMembership', 'workerGrpc', 'workerMembership'];
    const ports: Record<string, number> = {};
    for (const name of names) {
      // The membership table keeps each node's port as a PostgreSQL smallint: at most 32767,
      // below the kernel's ephemeral range, so these are picked from 20000–32767.
      const pick = name.endsWith('Membership') ? () => freePortInRange(20_000, 32_767) : freePort;
      let port = await pick();
      while (Object.values(ports).includes(port)) port = await pick();
      ports[name] = port;
    }
    fs.mkdirSync(path.join(root, 'config'));
    fs.writeFileSync(path.join(root, 'config', 'topology.yaml'), serverConfig(pg, databases, ports));

    // v1.29.1 reads <root>/<config>/<env>.yaml (there is no --config-file flag in this version).
    const args = ['--root', root, '--config', 'config', '--env', 'topology', '--allow-no-auth', 'start'];
    const logFile = path.join(root, 'server.log');
    const logFd = fs.openSync(logFile, 'a');
    child = spawn(process.execPath, [childGuardPath, binaries.server, ...args], { stdio: ['pipe', logFd, logFd], detached: true });
    fs.closeSync(logFd);
    child.stdin?.on('error', () => undefined);
    const started = child;
    const exited = new Promise<void>((resolve) => started.once('exit', () => resolve()));
    const isAlive = () => started.exitCode === null && started.signalCode === null;
    const readLog = () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '');
    const address = `127.0.0.1:${ports.frontendGrpc}`;
    const timeoutMs = options.startTimeoutMs ?? 120_000;
    try {
      await waitForPort(ports.frontendGrpc, '127.0.0.1', timeoutMs);
      await registerNamespace(address, options.namespace ?? 'default', timeoutMs, isAlive);
    } catch (error) {
      throw new Error(`${(error as Error).message}\nserver output:\n${readLog().slice(-4000)}`);
    }

    return {
      address,
      databases,
      binaries,
      log: readLog,
      async stop() {
        if (isAlive()) {
          started.kill('SIGTERM');
          const timer = setTimeout(() => {
            try {
              process.kill(-started.pid!, 'SIGKILL');
            } catch {
              // already gone
            }
          }, 10_000);
          await exited;
          clearTimeout(timer);
        }
        await dropDatabases();
        fs.rmSync(root, { recursive: true, force: true });
      },
    };
  } catch (error) {
    if (child?.pid && child.exitCode === null) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await dropDatabases().catch(() => undefined);
    fs.rmSync(root, { recursive: true, force: true });
    throw error;
  }
}
