import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../config';
import { decideTokenIssuer, isLoopbackHost } from '../../security/devIssuerPolicy';
import { createConfiguredTokenVerifier } from '../../security/tokens';

const embedded = { ALLOW_DEV_ISSUER: false, HOST: '127.0.0.1' };

describe('when the API may trust the local development issuer', () => {
  test.each([
    ['nothing configured (loopback embedded defaults)', {}, 'local'],
    ['HOST=localhost', { HOST: 'localhost' }, 'local'],
    ['HOST=::1', { HOST: '::1' }, 'local'],
    ['DATABASE_URL set', { DATABASE_URL: 'postgresql://db.example/kim' }, 'refused'],
    ['SMTP_URL set', { SMTP_URL: 'smtp://mail.example:587' }, 'refused'],
    ['TEMPORAL_ADDRESS set', { TEMPORAL_ADDRESS: 'temporal.example:7233' }, 'refused'],
    ['HOST=0.0.0.0', { HOST: '0.0.0.0' }, 'refused'],
    ['HOST=192.168.1.5', { HOST: '192.168.1.5' }, 'refused'],
    ['SMTP_URL set but ALLOW_DEV_ISSUER=1', { SMTP_URL: 'smtp://mail.example:587', ALLOW_DEV_ISSUER: true }, 'local'],
    ['OIDC_ISSUER set (with everything external)', { OIDC_ISSUER: 'https://idp.example/realms/nrw', SMTP_URL: 'smtp://x', HOST: '0.0.0.0' }, 'external'],
  ] as const)('%s → %s', (_name, settings, expected) => {
    expect(decideTokenIssuer({ ...embedded, ...settings }).issuer).toBe(expected);
  });

  test('the refusal names what is configured and how to fix it', () => {
    const decision = decideTokenIssuer({ ...embedded, SMTP_URL: 'smtp://mail.example:587', HOST: '0.0.0.0' });
    expect(decision).toEqual({ issuer: 'refused', message: expect.stringContaining('SMTP_URL, HOST=0.0.0.0') });
    expect(decision.issuer === 'refused' && decision.message).toMatch(/Set OIDC_ISSUER .* ALLOW_DEV_ISSUER=1/);
  });

  test('a misspelt OIDC variable refuses the local issuer even on loopback', () => {
    const decision = decideTokenIssuer(embedded, { OIDC_ISSUR: 'https://idp.example' });
    expect(decision).toEqual({ issuer: 'refused', message: expect.stringContaining('OIDC_ISSUR') });
  });

  test('the API binds to loopback by default; HOST changes it', () => {
    expect(loadConfig({}).HOST).toBe('127.0.0.1');
    expect(loadConfig({ HOST: '0.0.0.0' }).HOST).toBe('0.0.0.0');
    expect(loadConfig({ ALLOW_DEV_ISSUER: '1' }).ALLOW_DEV_ISSUER).toBe(true);
    expect(loadConfig({}).ALLOW_DEV_ISSUER).toBe(false);
  });

  test.each(['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]'])('%s is loopback', (host) => expect(isLoopbackHost(host)).toBe(true));
  test.each(['0.0.0.0', '::', '10.0.0.1', 'api.example'])('%s is not loopback', (host) => expect(isLoopbackHost(host)).toBe(false));

  test('the token verifier itself refuses the local issuer outside loopback embedded defaults', async () => {
    const config = loadConfig({ DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'kim-dev-')), DATABASE_URL: 'postgresql://db.example/kim' });
    await expect(createConfiguredTokenVerifier(config)).rejects.toThrow(/OIDC_ISSUER is not set.*DATABASE_URL/);
  });
});

describe('npm start', () => {
  const startScript = path.resolve(__dirname, '..', '..', 'scripts', 'start.js');
  const run = (env: Record<string, string>) =>
    new Promise<{ code: number | null; output: string }>((resolve) => {
      const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(OIDC_|ALLOW_DEV_ISSUER|DATABASE_URL|SMTP_URL|TEMPORAL_ADDRESS|HOST$)/.test(name)));
      const child = spawn(process.execPath, [startScript], {
        env: { ...cleanEnv, DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'kim-start-')), ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      child.on('exit', (code) => {
        clearTimeout(timer);
        resolve({ code, output });
      });
    });

  test('with SMTP_URL configured and no OIDC_ISSUER it refuses to start, before starting anything', async () => {
    const { code, output } = await run({ SMTP_URL: 'smtp://mail.example:587' });
    expect(code).not.toBe(0);
    expect(code).not.toBeNull();
    expect(output).toContain('OIDC_ISSUER is not set');
    expect(output).toContain('SMTP_URL');
    expect(output).not.toContain('embedded PostgreSQL');
  });

  test('bound to all interfaces without OIDC_ISSUER it refuses to start', async () => {
    const { code, output } = await run({ HOST: '0.0.0.0' });
    expect(code).not.toBe(0);
    expect(output).toContain('HOST=0.0.0.0');
  });
});
