import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { determineLockoutMs, generateAccessCode, hashAccessCode, loadAccessCodePepper, matchAccessCode } from '../../security/accessCodes';

describe('access codes: keyed hash, legacy hashes, lockout', () => {
  const pepper = randomBytes(32);

  test('the stored hash is an HMAC under the pepper: another pepper, or a plain SHA-256, does not match', () => {
    const code = generateAccessCode();
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    const stored = hashAccessCode(code, pepper);
    expect(stored).toMatch(/^hmac-sha256:[0-9a-f]{64}$/);
    expect(matchAccessCode(stored, code.toLowerCase().replace(/-/g, ' '), pepper)).toEqual({ matches: true, needsRehash: false });
    expect(matchAccessCode(stored, code, randomBytes(32)).matches).toBe(false);
    expect(matchAccessCode(stored, 'AAAA-BBBB-CCCC', pepper).matches).toBe(false);
    expect(stored).not.toContain(createHash('sha256').update(code.replace(/-/g, '')).digest('hex'));
    expect(matchAccessCode(null, code, pepper).matches).toBe(false);
  });

  test('a hash stored before the pepper still opens the case once, and asks to be rehashed', () => {
    const code = 'ABCD-EFGH-JKLM';
    const legacy = createHash('sha256').update('ABCDEFGHJKLM').digest('hex');
    expect(matchAccessCode(legacy, code, pepper)).toEqual({ matches: true, needsRehash: true });
    expect(matchAccessCode(legacy, 'ABCD-EFGH-JKLN', pepper)).toEqual({ matches: false, needsRehash: false });
  });

  test('lockout: none below the limit, then a minute doubling per further failure, at most a day', () => {
    expect([1, 2, 4].map((f) => determineLockoutMs(f, 5))).toEqual([0, 0, 0]);
    expect([5, 6, 7].map((f) => determineLockoutMs(f, 5))).toEqual([60_000, 120_000, 240_000]);
    expect(determineLockoutMs(40, 5)).toBe(86_400_000);
  });

  test('the pepper comes from ACCESS_CODE_PEPPER, else is generated once into DATA_DIR/keys (mode 0600)', () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kim-pepper-'));
    const first = loadAccessCodePepper({ env: {}, dataDir });
    expect(first).toHaveLength(32);
    expect(loadAccessCodePepper({ env: {}, dataDir })).toEqual(first);
    expect(fs.statSync(path.join(dataDir, 'keys', 'access-code-pepper')).mode & 0o777).toBe(0o600);
    const configured = randomBytes(32);
    expect(loadAccessCodePepper({ env: { ACCESS_CODE_PEPPER: configured.toString('base64') }, dataDir })).toEqual(configured);
    expect(() => loadAccessCodePepper({ env: { ACCESS_CODE_PEPPER: 'c2hvcnQ=' }, dataDir })).toThrow(/at least 32 bytes/);
  });
});
