import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';

/** Waits until something accepts TCP connections on the port. */
export async function waitForPort(port: number, host = '127.0.0.1', timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ port, host });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
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

/**
 * Starts the Temporal CLI's dev server persisting to an SQLite file, so that a restart on the
 * same file keeps all workflows and timers. With a `uiPort`, it serves the Web UI there.
 */
export async function startTemporalDevServer(options: DevServerOptions) {
  const host = options.host ?? '127.0.0.1';
  const args = [
    'server', 'start-dev',
    '--db-filename', options.dbFile,
    '--ip', host,
    '--port', String(options.port),
    '--namespace', options.namespace ?? 'default',
    '--log-level', 'warn',
    ...(options.uiPort ? ['--ui-port', String(options.uiPort), '--ui-ip', host] : ['--headless']),
  ];
  const child: ChildProcess = spawn(options.binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
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
  return {
    address: `${host}:${options.port}`,
    uiUrl: options.uiPort ? `http://${host}:${options.uiPort}` : undefined,
    process: child,
    /** Stops the server (SIGTERM, then SIGKILL after a grace time). */
    async stop(graceMs = 5_000): Promise<void> {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
