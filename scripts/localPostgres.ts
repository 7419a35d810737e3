import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Finds the machine's PostgreSQL server binaries (`initdb`, `pg_ctl`): `PG_BIN_DIR`, then the
 * newest Debian/Ubuntu installation under /usr/lib/postgresql/<version>/bin, then `PATH`.
 */
export function findPostgresBinaries(env: NodeJS.ProcessEnv = process.env): { initdb: string; pgCtl: string } {
  const candidates: string[] = [];
  if (env.PG_BIN_DIR) candidates.push(env.PG_BIN_DIR);
  const debianRoot = '/usr/lib/postgresql';
  if (fs.existsSync(debianRoot)) {
    const versions = fs.readdirSync(debianRoot).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((v) => path.join(debianRoot, v, 'bin')));
  }
  candidates.push(...(env.PATH ?? '').split(path.delimiter).filter(Boolean));
  for (const dir of candidates) {
    const initdb = path.join(dir, 'initdb');
    const pgCtl = path.join(dir, 'pg_ctl');
    if (fs.existsSync(initdb) && fs.existsSync(pgCtl)) return { initdb, pgCtl };
  }
  throw new Error(
    'no PostgreSQL server binaries (initdb, pg_ctl) found: install PostgreSQL (Debian: apt-get install postgresql), ' +
      'set PG_BIN_DIR, or point TEST_DATABASE_URL at a running server',
  );
}

async function freeTcpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface LocalPostgres {
  /** `postgresql://postgres@127.0.0.1:<port>/postgres` (trust authentication on loopback). */
  url: string;
  port: number;
  dataDir: string;
  /** Stops the server (fast shutdown: open sessions are terminated, as in a restart by an operator). */
  stopServer(): Promise<void>;
  /** Starts the stopped server again on the same folder and port. */
  startServer(): Promise<void>;
  /** Stops the server and removes its folder. */
  destroy(): Promise<void>;
}

/**
 * A real PostgreSQL server of its own: `initdb` into a temporary folder, `pg_ctl start` on a free
 * loopback port with trust authentication. PostgreSQL refuses to run as root, so as root the
 * folder is handed to the `postgres` system user and both tools run as that user (`runuser`).
 */
export async function startLocalPostgres(options: { port?: number } = {}): Promise<LocalPostgres> {
  const { initdb, pgCtl } = findPostgresBinaries();
  const asRoot = process.getuid?.() === 0;
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kim-pg-'));
  const dataDir = path.join(root, 'data');
  const logFile = path.join(root, 'server.log');
  let owner: { uid: number; gid: number } | undefined;
  if (asRoot) {
    owner = await postgresSystemUser();
    fs.chownSync(root, owner.uid, owner.gid);
  }
  const as = (binary: string, args: string[]) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', binary, ...args]) : run(binary, args);

  await as(initdb, ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8', '--locale', 'C']);
  const port = options.port ?? (await freeTcpPort());
  const serverOptions = [
    `-p ${port}`,
    "-c listen_addresses=127.0.0.1",
    `-c unix_socket_directories=${root}`,
    '-c max_connections=200',
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c full_page_writes=off',
  ].join(' ');
  const startServer = async () => {
    await as(pgCtl, ['start', '-D', dataDir, '-l', logFile, '-w', '-t', '60', '-o', serverOptions]);
  };
  const stopServer = async () => {
    await as(pgCtl, ['stop', '-D', dataDir, '-m', 'fast', '-w', '-t', '60']);
  };
  try {
    await startServer();
  } catch (error) {
    const log = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').slice(-2000) : '';
    throw new Error(`the local PostgreSQL did not start: ${(error as Error).message}\n${log}`);
  }
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    port,
    dataDir,
    stopServer,
    startServer,
    async destroy() {
      if (fs.existsSync(path.join(dataDir, 'postmaster.pid'))) await stopServer().catch(() => undefined);
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

async function postgresSystemUser(): Promise<{ uid: number; gid: number }> {
  try {
    const uid = Number((await run('id', ['-u', 'postgres'])).stdout.trim());
    const gid = Number((await run('id', ['-g', 'postgres'])).stdout.trim());
    return { uid, gid };
  } catch {
    throw new Error('running as root, PostgreSQL needs the `postgres` system user to run as (it refuses root); create it or run as another user');
  }
}
