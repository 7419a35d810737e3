import path from 'node:path';
import { defaultDataDir } from '../config';
import { listBeyondLoopbackDefaults } from './devIssuerPolicy';
import { readOrCreateSecretFile } from './keyFiles';

/**
 * A secret that has a development default (today the opt-out links' HMAC key): the variable's
 * value where set; otherwise one generated on the first start into `<DATA_DIR>/keys/<file>`
 * (32 random bytes, base64, mode 0600) — but only under the dev issuer's rule
 * (security/devIssuerPolicy.ts): on loopback embedded defaults (no DATABASE_URL, SMTP_URL,
 * TEMPORAL_ADDRESS; HOST loopback) or with the explicit ALLOW_DEV_ISSUER=1. Anywhere else the
 * process refuses to start: processes on several hosts would each generate their own.
 */
export function loadSecretOrDevelopmentDefault(env: NodeJS.ProcessEnv, variable: string, file: string): string {
  const configured = env[variable];
  if (configured) return configured;
  const optedIn = env.ALLOW_DEV_ISSUER === '1' || env.ALLOW_DEV_ISSUER === 'true';
  const beyond = listBeyondLoopbackDefaults({ DATABASE_URL: env.DATABASE_URL, SMTP_URL: env.SMTP_URL, TEMPORAL_ADDRESS: env.TEMPORAL_ADDRESS, HOST: env.HOST || '127.0.0.1' });
  if (!optedIn && beyond.length > 0) {
    throw new Error(
      `${variable} must be set: a generated development secret is allowed only while the whole system runs on loopback on its embedded defaults ` +
        `(configured here: ${beyond.join(', ')}), or on a development machine with ALLOW_DEV_ISSUER=1`,
    );
  }
  return readOrCreateSecretFile(path.join(env.DATA_DIR || defaultDataDir, 'keys', file));
}
