import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * A 32-byte secret key: from the environment variable (base64, at least 32 bytes), else the file
 * `<dataDir>/keys/<file>`, generated on first use (mode 0600, folder 0700).
 */
export function loadKeyFromEnvironmentOrFile(options: { env: NodeJS.ProcessEnv; dataDir: string; variable: string; file: string }): Buffer {
  const configured = options.env[options.variable];
  if (configured !== undefined) {
    const key = Buffer.from(configured, 'base64');
    if (key.length < 32) throw new Error(`${options.variable} must be at least 32 bytes, base64-encoded`);
    return key;
  }
  const file = path.join(options.dataDir, 'keys', options.file);
  if (fs.existsSync(file)) return Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  fs.writeFileSync(file, key.toString('base64'), { mode: 0o600, flag: 'wx' });
  return key;
}
