import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { loadKeyFromEnvironmentOrFile } from './keyFiles';

/**
 * Applicants' access codes: 12 base32 characters (60 bits), kept only as a keyed hash
 * (HMAC-SHA-256 with a secret pepper), so a copy of the database alone does not let anyone try
 * codes offline. The pepper comes from `ACCESS_CODE_PEPPER` (at least 32 bytes, base64), or is
 * generated on the first start into `<dataDir>/keys/access-code-pepper` (mode 0600).
 */
export const accessCodePepperVariable = 'ACCESS_CODE_PEPPER';
const hmacPrefix = 'hmac-sha256:';

export function generateAccessCode(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const chars = Array.from(randomBytes(12), (b) => alphabet[b % alphabet.length]).join('');
  return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8)}`;
}

/** The code as typed, normalised: upper case, letters and digits only. */
function normalise(code: string): string {
  return code.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

/** The stored form of a code: `hmac-sha256:<hex>`. */
export function hashAccessCode(code: string, pepper: Buffer): string {
  return `${hmacPrefix}${createHmac('sha256', pepper).update(normalise(code)).digest('hex')}`;
}

/**
 * Whether `code` matches the stored hash, in constant time for hashes of one kind. Hashes stored
 * before the pepper (an unsalted SHA-256, 64 hex digits) are still recognised, so codes already
 * told to applicants keep working; `needsRehash` says to store the keyed hash instead.
 */
export function matchAccessCode(stored: string | null | undefined, code: string, pepper: Buffer): { matches: boolean; needsRehash: boolean } {
  const legacy = Boolean(stored) && !stored!.startsWith(hmacPrefix);
  const expected = Buffer.from((stored ?? '').replace(hmacPrefix, '').padEnd(64, '0').slice(0, 64), 'hex');
  const given = Buffer.from(
    legacy ? createHash('sha256').update(normalise(code)).digest('hex') : hashAccessCode(code, pepper).slice(hmacPrefix.length),
    'hex',
  );
  const matches = timingSafeEqual(expected, given) && Boolean(stored);
  return { matches, needsRehash: matches && legacy };
}

/** The pepper: from the environment, else the generated file in `<dataDir>/keys`. */
export function loadAccessCodePepper(options: { env: NodeJS.ProcessEnv; dataDir: string }): Buffer {
  return loadKeyFromEnvironmentOrFile({ ...options, variable: accessCodePepperVariable, file: 'access-code-pepper' });
}

/** How long a wrong-code lockout lasts after `failures` wrong attempts (`maxFailures` allowed): doubling from one minute, at most a day. */
export function determineLockoutMs(failures: number, maxFailures: number): number {
  if (failures < maxFailures) return 0;
  return Math.min(60_000 * 2 ** (failures - maxFailures), 86_400_000);
}
