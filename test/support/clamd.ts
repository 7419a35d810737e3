import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './temporal';

/** The EICAR anti-virus test file: harmless, and detected by every scanner as a test virus. */
export const eicar = 'X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*';

/**
 * A real ClamAV `clamd` (Debian's clamav-daemon; `.ci/run` installs it) on a free loopback port.
 * Its signature database cannot be downloaded here, so it loads one signature of our own: an
 * `.ndb` body signature that finds the EICAR string anywhere in a file.
 */
export async function startClamd() {
  const binary = ['/usr/sbin/clamd', '/usr/bin/clamd'].find((candidate) => fs.existsSync(candidate));
  if (!binary) throw new Error('clamd is not installed (apt-get install clamav-daemon; .ci/run does)');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kim-clamd-'));
  fs.mkdirSync(path.join(dir, 'db'));
  fs.writeFileSync(path.join(dir, 'db', 'kim-test.ndb'), `Eicar-Signature:0:*:${Buffer.from(eicar).toString('hex')}\n`);
  const port = await freePort();
  const config = path.join(dir, 'clamd.conf');
  fs.writeFileSync(config, [
    `TCPSocket ${port}`,
    'TCPAddr 127.0.0.1',
    `DatabaseDirectory ${path.join(dir, 'db')}`,
    'Foreground yes',
    `LogFile ${path.join(dir, 'clamd.log')}`,
    'SelfCheck 0',
  ].join('\n'));
  const child = spawn(binary, ['-c', config], { stdio: 'ignore' });
  const deadline = Date.now() + 30_000;
  for (;;) {
    const up = await new Promise<boolean>((resolve) => {
      const socket = net.createConnection({ host: '127.0.0.1', port }, () => {
        socket.end('zPING\0');
      });
      socket.on('data', (data) => resolve(data.toString().startsWith('PONG')));
      socket.on('error', () => resolve(false));
    });
    if (up) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`clamd did not start: ${fs.existsSync(path.join(dir, 'clamd.log')) ? fs.readFileSync(path.join(dir, 'clamd.log'), 'utf8') : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    host: '127.0.0.1',
    port,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
