import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { processMatches, waitUntilGone } from './processTree';

/** The guard that makes the server die with this process (scripts/childGuard.ts). */
const childGuardPath = path.join(__dirname, 'childGuard.js');

async function isPortOpen(port: number, host: string): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const socket = net.connect({ port, host });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Waits until something accepts TCP connections on the port. */
export async function waitForPort(port: number, host = '127.0.0.1', timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await isPortOpen(port, host)) return;
    if (Date.now() > deadline) throw new Error(`nothing answers on ${host}:${port} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export interface DevServerOptions {
  binary: string;
  dbFile: string;
  port: number;
  uiPort?: number;
  host?: string;
  namespace?: string;
}

function findProcess(parts: string[]): number | undefined {
  let entries: string[] = [];
  try {
    entries = fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return undefined;
  }
  return entries.map(Number).find((pid) => pid !== process.pid && processMatches(pid, parts));
}

/**
 * A dev server left running by an earlier run on the same database file (its guard was killed
 * too, or it predates the guard) holds the port and the SQLite file: it is stopped, if the pid
 * file names a process that is that server. Anything else on the port is an error that says so.
 */
async function clearStaleServer(options: DevServerOptions, host: string, pidFile: string): Promise<string | undefined> {
  if (!(await isPortOpen(options.port, host))) return undefined;
  const recorded = fs.existsSync(pidFile) ? Number(fs.readFileSync(pidFile, 'utf8').trim()) : NaN;
  const isStale = (pid: number) => Number.isInteger(pid) && pid > 1 && processMatches(pid, ['start-dev', options.dbFile]);
  // Without a (valid) pid file, e.g. left by a version that wrote none: look for it in /proc.
  const pid = isStale(recorded) ? recorded : findProcess(['start-dev', options.dbFile]);
  if (pid !== undefined) {
    process.kill(pid, 'SIGTERM');
    if (!(await waitUntilGone(pid, 5_000))) {
      process.kill(pid, 'SIGKILL');
      await waitUntilGone(pid, 5_000);
    }
    fs.rmSync(pidFile, { force: true });
    return `stopped a Temporal dev server left running by an earlier run (pid ${pid})`;
  }
  throw new Error(
    `port ${host}:${options.port} is already in use, and not by a dev server of this data folder: ` +
      'stop that program, or point TEMPORAL_ADDRESS at a Temporal server that runs already',
  );
}

/**
 * Starts the Temporal CLI's dev server persisting to an SQLite file, so that a restart on the
 * same file keeps all workflows and timers. With a `uiPort`, it serves the Web UI there.
 *
 * The server runs under a guard (scripts/childGuard.ts) that stops it when this process ends
 * in any way — Ctrl-C, a crash, SIGKILL — so no orphan keeps the port and the database file. Its
 * pid is written beside the database file (`<dbFile>.pid`); a server an earlier run left behind
 * anyway is stopped before the new one starts (`staleServerStopped` says so).
 */
export async function startTemporalDevServer(options: DevServerOptions) {
  const host = options.host ?? '127.0.0.1';
  const pidFile = `${options.dbFile}.pid`;
  const staleServerStopped = await clearStaleServer(options, host, pidFile);
  const args = [
    'server', 'start-dev',
    '--db-filename', options.dbFile,
    '--ip', host,
    '--port', String(options.port),
    '--namespace', options.namespace ?? 'default',
    '--log-level', 'warn',
    ...(options.uiPort ? ['--ui-port', String(options.uiPort), '--ui-ip', host] : ['--headless']),
  ];
  // stdin is the pipe the guard watches; `detached` gives the guard a process group of its own,
  // so a terminal's Ctrl-C reaches only this process (which stops the server in order), and
  // `stop` can kill guard and server together.
  const child: ChildProcess = spawn(process.execPath, [childGuardPath, options.binary, ...args], {
    stdio: ['pipe', 'ignore', 'pipe'],
    detached: true,
  });
  child.stdin?.on('error', () => undefined);
  const serverPid = () => {
    try {
      const children = fs.readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim().split(/\s+/).map(Number);
      return children.find((pid) => processMatches(pid, ['start-dev']));
    } catch {
      return undefined;
    }
  };
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await Promise.race([
    waitForPort(options.port, host),
    exited.then((code) => {
      throw new Error(`the Temporal dev server exited with ${code}: ${stderr}`);
    }),
  ]);
  const pid = serverPid();
  if (pid) fs.writeFileSync(pidFile, String(pid));
  return {
    staleServerStopped,
    address: `${host}:${options.port}`,
    uiUrl: options.uiPort ? `http://${host}:${options.uiPort}` : undefined,
    process: child,
    /** Stops the server (SIGTERM, then SIGKILL of guard and server after a grace time). */
    async stop(graceMs = 5_000): Promise<void> {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => {
          try {
            process.kill(-child.pid!, 'SIGKILL');
          } catch {
            // already gone
          }
        }, graceMs);
        await exited;
        clearTimeout(timer);
      }
      fs.rmSync(pidFile, { force: true });
    },
  };
}
