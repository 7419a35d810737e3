import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eicar, findClamd, startEmbeddedClamd } from '../../scripts/embedded/clamd';
import { freePort } from './temporal';

export { eicar };

/**
 * A real ClamAV `clamd` (Debian's clamav-daemon; `.ci/run` installs it) on a free loopback port,
 * started as `npm start` starts it. Its signature database cannot be downloaded here, so it loads
 * one signature of our own: an `.ndb` body signature that finds the EICAR string anywhere in a file.
 */
export async function startClamd() {
  const binary = findClamd();
  if (!binary) throw new Error('clamd is not installed (apt-get install clamav-daemon; .ci/run does)');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kim-clamd-'));
  const clamd = await startEmbeddedClamd({ binary, dataDir: dir, port: await freePort(), testSignatureOnly: true });
  return {
    host: clamd.host,
    port: clamd.port,
    async stop() {
      await clamd.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
