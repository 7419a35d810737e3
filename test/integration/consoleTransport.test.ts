import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { createRateLimiter } from '../../api/rateLimit';
import { loadOrCreateLocalIssuer } from '../../security/tokens';
import { startApiOnly } from '../support/api';

/**
 * The console's own transport rules, over HTTP as a browser or a reverse proxy sends it: every
 * request to /console counts against its real client's rate limit (the address the trusted proxy
 * names), and cookies are `Secure` with the `__Host-` prefix unless a browser on this machine
 * talks plain http to a server on loopback (development).
 */
describe('console rate limit and cookies', () => {
  let api: Awaited<ReturnType<typeof startApiOnly>>;
  beforeAll(async () => {
    const issuer = await loadOrCreateLocalIssuer(fs.mkdtempSync(path.join(os.tmpdir(), 'kim-console-issuer-')));
    api = await startApiOnly({
      rateLimiter: createRateLimiter(5),
      console: { oidc: { mode: 'local' }, devIssuer: issuer },
      settings: { inactionWarningLeadTimesMs: [], accessCodes: { pepper: randomBytes(32) }, trustProxy: ['loopback'] },
    });
  });
  afterAll(async () => {
    await api?.stop();
  });

  const login = (headers: Record<string, string> = {}) => fetch(`${api.baseUrl}/console/login`, { redirect: 'manual', headers });
  const logins = async () => (await api.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM console_logins')).rows[0].n;

  test('anonymous sign-in starts are limited per client: the sixth in a minute gets 429 and writes no row; another client is not affected', async () => {
    const before = await logins();
    const flooder = { 'x-forwarded-for': '203.0.113.10', 'x-forwarded-proto': 'https' };
    for (let i = 0; i < 5; i++) expect((await login(flooder)).status).toBe(303);
    const refused = await login(flooder);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await logins()).toBe(before + 5);
    // The pages and static files of the console are behind the same limit.
    expect((await fetch(`${api.baseUrl}/console/persons`, { redirect: 'manual', headers: flooder })).status).toBe(429);
    // Another client behind the same proxy has its own count.
    expect((await login({ 'x-forwarded-for': '198.51.100.20', 'x-forwarded-proto': 'https' })).status).toBe(303);
  });

  test('behind a proxy the cookies are Secure with the __Host- prefix, also when the proxy says http; the plain name is not read there', async () => {
    for (const proto of ['https', 'http']) {
      const response = await login({ 'x-forwarded-for': `192.0.2.${proto.length}`, 'x-forwarded-proto': proto });
      expect(response.status).toBe(303);
      expect(response.headers.get('set-cookie')).toMatch(/^__Host-kim_login=[A-Za-z0-9_-]{43}; Path=\/; SameSite=Lax; HttpOnly; Secure; Max-Age=600$/);
    }
    // A login cookie without the prefix (set by anyone on the way over plain http) does not bind a callback.
    const started = await login({ 'x-forwarded-for': '192.0.2.50' });
    const state = new URL(started.headers.get('location')!).searchParams.get('state')!;
    const callback = `${api.baseUrl}/console/auth/callback?state=${state}&code=x`;
    const plain = await fetch(callback, { redirect: 'manual', headers: { 'x-forwarded-for': '192.0.2.50', cookie: `kim_login=${state}` } });
    expect(plain.status).toBe(400);
    expect(await plain.text()).toContain('state');
    // With the prefixed cookie the state is accepted (and the made-up code then fails at the exchange).
    const prefixed = await fetch(callback, { redirect: 'manual', headers: { 'x-forwarded-for': '192.0.2.50', cookie: `__Host-kim_login=${state}` } });
    expect(prefixed.status).toBe(400);
    expect(await prefixed.text()).toContain('exchange');
  });

  test('a loopback server reached over plain http from this machine is development: cookies without Secure', async () => {
    const response = await login();
    expect(response.headers.get('set-cookie')).toMatch(/^kim_login=[A-Za-z0-9_-]{43}; Path=\/console\/auth; SameSite=Lax; HttpOnly; Max-Age=600$/);
    // A proxy on this machine that names no client but forwards headers is not a local browser.
    const proxied = await login({ 'x-forwarded-proto': 'http' });
    expect(proxied.headers.get('set-cookie')).toMatch(/^__Host-kim_login=[^;]+; Path=\/; SameSite=Lax; HttpOnly; Secure; Max-Age=600$/);
  });
});

describe('the development sign-in answers only on loopback', () => {
  let api: Awaited<ReturnType<typeof startApiOnly>>;
  beforeAll(async () => {
    const issuer = await loadOrCreateLocalIssuer(fs.mkdtempSync(path.join(os.tmpdir(), 'kim-console-issuer-')));
    api = await startApiOnly({
      console: { oidc: { mode: 'local' }, devIssuer: issuer },
      settings: { inactionWarningLeadTimesMs: [], accessCodes: { pepper: randomBytes(32) }, trustProxy: ['loopback'] },
    });
  });
  afterAll(async () => {
    await api?.stop();
  });

  const paths = ['/dev-oidc/.well-known/openid-configuration', '/dev-oidc/jwks', '/dev-oidc/authorize?client_id=kim-console'];

  test('a client elsewhere (named by a trusted proxy) gets 403 from every endpoint, and no code for a chosen subject', async () => {
    const elsewhere = { 'x-forwarded-for': '203.0.113.9' };
    for (const url of paths) expect((await fetch(`${api.baseUrl}${url}`, { headers: elsewhere })).status).toBe(403);
    const chosen = await fetch(`${api.baseUrl}/dev-oidc/authorize`, {
      method: 'POST', redirect: 'manual', headers: { ...elsewhere, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: 'kim-console', redirect_uri: `${api.baseUrl}/console/auth/callback`, response_type: 'code', scope: 'openid', state: 's', nonce: 'n', code_challenge: 'x'.repeat(43), code_challenge_method: 'S256', subject: 'admin-1' }),
    });
    expect(chosen.status).toBe(403);
    expect(chosen.headers.get('location')).toBeNull();
  });

  test('a browser on this machine still signs in there', async () => {
    expect((await fetch(`${api.baseUrl}/dev-oidc/.well-known/openid-configuration`)).status).toBe(200);
    const login = await fetch(`${api.baseUrl}/console/login`, { redirect: 'manual' });
    expect((await fetch(login.headers.get('location')!)).status).toBe(200);
  });
});
