import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { resolveTemporalCli } from '../../scripts/temporalBinaries';
import { startTemporalDevServer, waitForPort } from '../../scripts/temporalDevServer';
import { freePort } from '../support/temporal';

const holderPath = path.join(__dirname, '..', 'support', 'devServerHolder.js');

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(' ')[2].startsWith('Z');
  } catch {
    return false;
  }
}

async function isPortOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function waitUntil(predicate: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await predicate()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return predicate();
}

async function binary(): Promise<string> {
  const cli = await resolveTemporalCli();
  if (cli.type !== 'existing-path') throw new Error('these tests need the Temporal CLI binary');
  return cli.path;
}

function freshDbFile(): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kim-children-')), 'temporal.db');
}

describe('the embedded Temporal dev server lives and dies with the main process', () => {
  test.each(['SIGKILL', 'an uncaught error'])('when the main process ends by %s, the dev server ends too', async (how) => {
    const dbFile = freshDbFile();
    const port = await freePort();
    const holder: ChildProcess = spawn(process.execPath, [holderPath, await binary(), dbFile, String(port), how === 'SIGKILL' ? 'wait' : 'throw'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const exited = new Promise<void>((resolve) => holder.once('exit', () => resolve()));
    try {
      await new Promise<void>((resolve, reject) => {
        holder.stdout!.once('data', () => resolve());
        holder.once('exit', (code) => reject(new Error(`the holder exited early with ${code}`)));
      });
      const serverPid = Number(fs.readFileSync(`${dbFile}.pid`, 'utf8'));
      expect(isAlive(serverPid)).toBe(true);
      expect(await isPortOpen(port)).toBe(true);

      if (how === 'SIGKILL') holder.kill('SIGKILL');
      await exited;

      expect(await waitUntil(() => !isAlive(serverPid), 15_000)).toBe(true);
      expect(await isPortOpen(port)).toBe(false);
    } finally {
      holder.kill('SIGKILL');
    }
  });

  test('a dev server an earlier run left behind is stopped before the next one starts', async () => {
    const dbFile = freshDbFile();
    const port = await freePort();
    // The orphan: the CLI on the same database file and port, started without a guard and
    // without a pid file, as a run before the guard existed left it.
    const orphan = spawn(await binary(), ['server', 'start-dev', '--db-filename', dbFile, '--ip', '127.0.0.1', '--port', String(port), '--headless'], {
      stdio: 'ignore',
      detached: true,
    });
    try {
      await waitForPort(port);
      const server = await startTemporalDevServer({ binary: await binary(), dbFile, port });
      try {
        expect(server.staleServerStopped).toContain(`pid ${orphan.pid}`);
        expect(isAlive(orphan.pid!)).toBe(false);
        const serverPid = Number(fs.readFileSync(`${dbFile}.pid`, 'utf8'));
        expect(serverPid).not.toBe(orphan.pid);
        expect(isAlive(serverPid)).toBe(true);
        expect(await isPortOpen(port)).toBe(true);
      } finally {
        await server.stop();
      }
    } finally {
      orphan.kill('SIGKILL');
    }
  });

  test('another program on the port is not stopped: the start fails and says why', async () => {
    const blocker = net.createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', () => resolve()));
    try {
      await expect(startTemporalDevServer({ binary: await binary(), dbFile: freshDbFile(), port })).rejects.toThrow(/already in use/);
      expect(await isPortOpen(port)).toBe(true);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});
