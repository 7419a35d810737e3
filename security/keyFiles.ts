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
  return Buffer.from(readOrCreateSecretFile(path.join(options.dataDir, 'keys', options.file)), 'base64');
}

/**
 * The secret kept in `file` (32 random bytes, base64), generated on first use (mode 0600, folder
 * 0700). Where another process of the same data folder writes it first, that one is used.
 */
export function readOrCreateSecretFile(file: string): string {
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const secret = randomBytes(32).toString('base64');
  try {
    fs.writeFileSync(file, secret, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return fs.readFileSync(file, 'utf8').trim();
    throw error;
  }
  return secret;
}
