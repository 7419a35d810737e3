import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { killProcessTree } from '../processTree';

/** The guard that makes the daemon die with this process (scripts/childGuard.ts). */
const childGuardPath = path.join(__dirname, '..', 'childGuard.js');

/** Debian's clamav-daemon, where installed. */
export function findClamd(): string | undefined {
  return ['/usr/sbin/clamd', '/usr/bin/clamd'].find((candidate) => fs.existsSync(candidate));
}

/** Where Debian's freshclam keeps ClamAV's signature databases. */
const systemSignatureDir = '/var/lib/clamav';

/** The EICAR anti-virus test file: harmless, and detected by every scanner as a test virus. */
export const eicar = 'X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*';

/**
 * The EICAR anti-virus test file's signature, as an `.ndb` body signature of the project's own:
 * finds the EICAR string anywhere in a file. Used where no ClamAV database has been downloaded
 * (freshclam needs the internet), so that the scan path still runs and can be tried.
 */
export const eicarSignature = `Eicar-Signature:0:*:${Buffer.from(eicar).toString('hex')}\n`;

/** Whether a clamd answers PING at the address. */
export async function clamdAnswers(host: string, port: number, timeoutMs = 1_000): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const socket = net.createConnection({ host, port }, () => socket.end('zPING\0'));
    socket.setTimeout(timeoutMs, () => {
      socket.destroy();
      resolve(false);
    });
    socket.on('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('PONG'));
    });
    socket.on('error', () => resolve(false));
    socket.on('close', () => resolve(false));
  });
}

export interface EmbeddedClamd {
  host: string;
  port: number;
  /** Where its signatures come from, for the banner. */
  signatures: string;
  pid: number;
  stop(): Promise<void>;
}

/**
 * Starts ClamAV's daemon for `npm start` on a loopback port, under the guard: with the machine's
 * signature databases where freshclam has downloaded them (`/var/lib/clamav`), otherwise with the
 * project's EICAR test signature only (and says so). Resolves once clamd answers PING — loading a
 * full database takes a while, so the caller starts it early and waits at the end.
 */
export async function startEmbeddedClamd(options: {
  binary: string;
  dataDir: string;
  port: number;
  host?: string;
  /** Load the EICAR test signature only, even where a ClamAV database is installed (tests). */
  testSignatureOnly?: boolean;
}): Promise<EmbeddedClamd> {
  const host = options.host ?? '127.0.0.1';
  fs.mkdirSync(options.dataDir, { recursive: true });
  const hasSystemDatabase =
    !options.testSignatureOnly &&
    fs.existsSync(systemSignatureDir) && fs.readdirSync(systemSignatureDir).some((name) => /\.(cvd|cld)$/.test(name));
  let databaseDir = systemSignatureDir;
  let signatures = `ClamAV's databases in ${systemSignatureDir} (kept current by freshclam)`;
  if (!hasSystemDatabase) {
    databaseDir = path.join(options.dataDir, 'signatures');
    fs.mkdirSync(databaseDir, { recursive: true });
    fs.writeFileSync(path.join(databaseDir, 'kim-test.ndb'), eicarSignature);
    signatures =
      `only the EICAR test signature (${databaseDir}): no ClamAV database in ${systemSignatureDir} — ` +
      'run freshclam where the internet is reachable';
  }
  const config = path.join(options.dataDir, 'clamd.conf');
  fs.writeFileSync(
    config,
    [
      `TCPSocket ${options.port}`,
      `TCPAddr ${host}`,
      `DatabaseDirectory ${databaseDir}`,
      'Foreground yes',
      `LogFile ${path.join(options.dataDir, 'clamd.log')}`,
      'SelfCheck 0',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(process.execPath, [childGuardPath, options.binary, '-c', config], {
    stdio: ['pipe', 'ignore', 'ignore'],
    detached: true,
  });
  child.stdin?.on('error', () => undefined);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (await clamdAnswers(host, options.port)) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      killProcessTree(child.pid!);
      const log = path.join(options.dataDir, 'clamd.log');
      throw new Error(`clamd did not start: ${fs.existsSync(log) ? fs.readFileSync(log, 'utf8').slice(-1000) : 'no log'}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return {
    host,
    port: options.port,
    signatures,
    pid: child.pid!,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}
