import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadOutreachSettings } from '../../activities/outreach/settings';
import { createOptOutToken, verifyOptOutToken } from '../../security/optOutTokens';

/**
 * The opt-out links' secret follows the dev issuer's rule (security/devIssuerPolicy.ts): without
 * OUTREACH_OPT_OUT_SECRET, a secret of its own is generated into the data folder — only on
 * loopback embedded defaults or with the explicit ALLOW_DEV_ISSUER=1 — and otherwise the process
 * refuses to start. No constant anyone could sign links with.
 */
describe('the opt-out secret outside production configuration', () => {
  const dataDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'kim-dev-secret-'));
  const personId = '5f1c7a2e-8d3b-4c6a-9e0f-1a2b3c4d5e6f';

  test('on loopback embedded defaults: random per data folder, kept in keys/ with mode 0600, read back on the next start', () => {
    const first = dataDir();
    const settings = loadOutreachSettings({ DATA_DIR: first });
    expect(Buffer.from(settings.optOutSecret, 'base64').length).toBeGreaterThanOrEqual(32);
    const file = path.join(first, 'keys', 'outreach-opt-out-secret');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(loadOutreachSettings({ DATA_DIR: first }).optOutSecret).toBe(settings.optOutSecret);
    expect(loadOutreachSettings({ DATA_DIR: dataDir() }).optOutSecret).not.toBe(settings.optOutSecret);
    // A link signed with the former built-in constant is not accepted.
    expect(verifyOptOutToken(createOptOutToken(personId, 'development-only-opt-out-secret'), settings.optOutSecret)).toBeNull();
    expect(verifyOptOutToken(createOptOutToken(personId, settings.optOutSecret), settings.optOutSecret)).toBe(personId);
  });

  test.each([
    ['DATABASE_URL', { DATABASE_URL: 'postgres://db.example/kim' }],
    ['SMTP_URL', { SMTP_URL: 'smtp://mail.example:587' }],
    ['TEMPORAL_ADDRESS', { TEMPORAL_ADDRESS: 'temporal.example:7233' }],
    ['HOST', { HOST: '0.0.0.0' }],
  ])('refused without OUTREACH_OPT_OUT_SECRET when %s is configured, and nothing is generated', (_name, env) => {
    const dir = dataDir();
    expect(() => loadOutreachSettings({ DATA_DIR: dir, ...env })).toThrow(/OUTREACH_OPT_OUT_SECRET/);
    expect(fs.existsSync(path.join(dir, 'keys', 'outreach-opt-out-secret'))).toBe(false);
  });

  test('the explicit opt-in allows the generated secret; a configured secret is used as it is', () => {
    const dir = dataDir();
    expect(loadOutreachSettings({ DATA_DIR: dir, HOST: '0.0.0.0', ALLOW_DEV_ISSUER: '1' }).optOutSecret).toBe(
      fs.readFileSync(path.join(dir, 'keys', 'outreach-opt-out-secret'), 'utf8').trim(),
    );
    expect(loadOutreachSettings({ DATA_DIR: dataDir(), DATABASE_URL: 'postgres://db.example/kim', OUTREACH_OPT_OUT_SECRET: 'a configured secret' }).optOutSecret).toBe('a configured secret');
  });
});
