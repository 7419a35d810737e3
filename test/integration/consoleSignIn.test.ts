import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadOrCreateLocalIssuer, createTokenVerifier, localKeySet, localVerifierSettings, TokenError } from '../../security/tokens';
import { createRateLimiter } from '../../api/rateLimit';
import { startApiOnly } from '../support/api';

/**
 * Sign-in to the console through the loopback OIDC provider, over HTTP as a browser does it
 * (authorization code with PKCE S256, state, nonce), and what the provider and the console
 * refuse: a wrong code_verifier, a code used twice, a foreign redirect_uri, a replayed callback,
 * a form POST without the session's CSRF token. On a real PostgreSQL (sessions and sign-ins are
 * stored there); Temporal is not needed for any of it.
 */
describe('console sign-in (OIDC code flow with PKCE) and CSRF', () => {
  let api: Awaited<ReturnType<typeof startApiOnly>>;
  beforeAll(async () => {
    const issuer = await loadOrCreateLocalIssuer(fs.mkdtempSync(path.join(os.tmpdir(), 'kim-console-issuer-')));
    api = await startApiOnly({
      verifyToken: createTokenVerifier(localVerifierSettings(), localKeySet(issuer)),
      console: { oidc: { mode: 'local' }, devIssuer: issuer },
    });
  });
  afterAll(async () => {
    await api?.stop();
  });

  const get = (url: string, cookie?: string) => fetch(url.startsWith('http') ? url : `${api.baseUrl}${url}`, { redirect: 'manual', headers: cookie ? { cookie } : {} });
  const postForm = (url: string, form: Record<string, string>, cookie?: string) =>
    fetch(url.startsWith('http') ? url : `${api.baseUrl}${url}`, {
      method: 'POST', redirect: 'manual', body: new URLSearchParams(form), headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}) },
    });

  /** The `Set-Cookie` header of `name` in a response (a response may set several cookies). */
  const cookieSet = (response: Response, name: string) => response.headers.getSetCookie().find((c) => c.startsWith(`${name}=`));

  /** The console's redirect to the provider, and the provider's redirect back with a code for `subject`. */
  async function authorize(subject: string) {
    const login = await get('/console/login?back=/console/persons');
    expect(login.status).toBe(303);
    // The state is bound to this browser by a short-lived cookie on the callback's path.
    expect(login.headers.get('set-cookie')).toMatch(/^kim_login=[A-Za-z0-9_-]{43}; Path=\/console\/auth; SameSite=Lax; HttpOnly; Max-Age=600$/);
    const loginCookie = /^(kim_login=[^;]+)/.exec(login.headers.get('set-cookie')!)![1];
    const authorizeUrl = new URL(login.headers.get('location')!);
    expect(authorizeUrl.pathname).toBe('/dev-oidc/authorize');
    const params = Object.fromEntries(authorizeUrl.searchParams);
    expect(params).toMatchObject({ response_type: 'code', client_id: 'kim-console', code_challenge_method: 'S256', scope: 'openid profile' });
    expect(params.state.length).toBeGreaterThanOrEqual(32);
    expect(params.nonce.length).toBeGreaterThanOrEqual(32);
    expect(params.code_challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const page = await get(authorizeUrl.toString());
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(`value="${subject}"`);
    const chosen = await postForm('/dev-oidc/authorize', { ...params, subject });
    expect(chosen.status).toBe(303);
    return { params, callback: chosen.headers.get('location')!, loginCookie };
  }

  test('a staff member signs in; the session cookie is httpOnly and SameSite=Lax, and the database keeps only its hash', async () => {
    const { callback, loginCookie } = await authorize('ebh-anna');
    const back = await get(callback, loginCookie);
    expect(back.status).toBe(303);
    expect(back.headers.get('location')).toBe('/console/persons');
    expect(cookieSet(back, 'kim_login')).toBe('kim_login=; Path=/console/auth; SameSite=Lax; HttpOnly; Max-Age=0'); // spent
    const setCookie = cookieSet(back, 'kim_session')!;
    expect(setCookie).toMatch(/^kim_session=[A-Za-z0-9_-]{43}; Path=\/console; SameSite=Lax; HttpOnly; Max-Age=\d+$/);
    const cookieValue = /^kim_session=([^;]+)/.exec(setCookie)![1];
    const stored = await api.db.pool.query('SELECT id_hash, subject, roles, authority_id FROM console_sessions');
    expect(stored.rows).toEqual([{ id_hash: createHash('sha256').update(cookieValue).digest('base64url'), subject: 'ebh-anna', roles: ['ebh_clerk'], authority_id: 'koeln' }]);
    // Signed in: the person search page, and in it the sign-out form with the CSRF token.
    const page = await get('/console/persons', `kim_session=${cookieValue}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/Angemeldet als Anna Becker \(EBH\)[\s\S]*name="_csrf" value="[A-Za-z0-9_-]{43}"/);

    // The callback cannot be replayed: its state was taken once.
    expect((await get(callback, loginCookie)).status).toBe(400);
  });

  test('a callback carried to another browser is refused there (login CSRF): without the login cookie, or with another sign-in\'s', async () => {
    const mine = await authorize('ebh-jonas');
    const theirs = await authorize('ebh-anna');
    // The victim's browser holds no login cookie, or its own sign-in's; the attacker's callback fails in both.
    for (const cookie of [undefined, mine.loginCookie]) {
      const back = await get(theirs.callback, cookie);
      expect(back.status).toBe(400);
      expect(cookieSet(back, 'kim_session')).toBeUndefined();
      expect(await back.text()).toContain('state');
    }
    // In the browser that started it, the sign-in still completes.
    const own = await get(mine.callback, mine.loginCookie);
    expect(own.status).toBe(303);
    expect(cookieSet(own, 'kim_session')).toMatch(/^kim_session=[A-Za-z0-9_-]{43};/);
  });

  test('the stored access token is sealed under the session id: a copy of the table yields no token, and a token moved to another session opens nothing', async () => {
    const signIn = async (subject: string) => {
      const { callback, loginCookie } = await authorize(subject);
      const back = await get(callback, loginCookie);
      return /^kim_session=([^;]+)/.exec(cookieSet(back, 'kim_session')!)![1];
    };
    const anna = await signIn('ebh-anna');
    const other = await signIn('ebh-jonas');
    const hashOf = (id: string) => createHash('sha256').update(id).digest('base64url');
    const tokens = await api.db.pool.query<{ id_hash: string; access_token: string }>('SELECT id_hash, access_token FROM console_sessions WHERE id_hash = ANY($1)', [[hashOf(anna), hashOf(other)]]);
    expect(tokens.rows).toHaveLength(2);
    for (const row of tokens.rows) {
      expect(row.access_token).toMatch(/^v1\.[A-Za-z0-9_-]+$/);
      expect(row.access_token).not.toMatch(/eyJ/); // no JWT (header or payload) in the row
    }
    expect((await get('/console/persons', `kim_session=${anna}`)).status).toBe(200);
    // Someone who can write the table swaps the sealed tokens: neither session opens any more.
    await api.db.pool.query(
      'UPDATE console_sessions SET access_token = CASE WHEN id_hash = $1 THEN $3 ELSE $4 END WHERE id_hash IN ($1, $2)',
      [hashOf(anna), hashOf(other), tokens.rows.find((r) => r.id_hash === hashOf(other))!.access_token, tokens.rows.find((r) => r.id_hash === hashOf(anna))!.access_token],
    );
    for (const id of [anna, other]) {
      const page = await get('/console/persons', `kim_session=${id}`);
      expect(page.status).toBe(303);
      expect(page.headers.get('location')).toMatch(/^\/console\/login/);
    }
  });

  test('without a session a page sends the browser to sign in, and a POST is refused', async () => {
    const page = await get('/console/naturalisation/00000000-0000-4000-8000-000000000000');
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/console/login?back=%2Fconsole%2Fnaturalisation%2F00000000-0000-4000-8000-000000000000');
    expect((await postForm('/console/naturalisation/00000000-0000-4000-8000-000000000000/actions/decision', { reason: 'x' })).status).toBe(401);
  });

  test('a form POST without the CSRF token, or with another, is refused before the API is called', async () => {
    const { callback, loginCookie } = await authorize('ebh-jonas');
    const cookie = /^(kim_session=[^;]+)/.exec(cookieSet(await get(callback, loginCookie), 'kim_session')!)![1];
    const before = await api.db.pool.query("SELECT count(*)::int AS n FROM audit_log WHERE actor = 'ebh-jonas'");
    const target = '/console/naturalisation/00000000-0000-4000-8000-000000000000/actions/decision';
    expect((await postForm(target, { outcome: 'refused', reason: 'x', _version: '3' }, cookie)).status).toBe(403);
    expect((await postForm(target, { outcome: 'refused', reason: 'x', _version: '3', _csrf: randomBytes(32).toString('base64url') }, cookie)).status).toBe(403);
    expect((await postForm('/console/logout', {}, cookie)).status).toBe(403);
    // Nothing reached the API: no audit entry of this clerk.
    expect((await api.db.pool.query("SELECT count(*)::int AS n FROM audit_log WHERE actor = 'ebh-jonas'")).rows[0].n).toBe(before.rows[0].n);
    // With the token, sign-out works and ends the session.
    const page = await (await get('/console/persons', cookie)).text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page)![1];
    const out = await postForm('/console/logout', { _csrf: csrf }, cookie);
    expect(out.status).toBe(200);
    expect((await get('/console/persons', cookie)).status).toBe(303);
  });

  test('the provider refuses a wrong code_verifier, a code used twice and a foreign redirect_uri', async () => {
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const redirectUri = `${api.baseUrl}/console/auth/callback`;
    const request = { client_id: 'kim-console', redirect_uri: redirectUri, response_type: 'code', scope: 'openid', state: randomBytes(16).toString('hex'), nonce: randomBytes(16).toString('hex'), code_challenge: challenge, code_challenge_method: 'S256' };
    const codeFor = async () => new URL((await postForm('/dev-oidc/authorize', { ...request, subject: 'abh-mehmet' })).headers.get('location')!).searchParams.get('code')!;
    const token = (code: string, codeVerifier: string) => postForm('/dev-oidc/token', { grant_type: 'authorization_code', client_id: 'kim-console', redirect_uri: redirectUri, code, code_verifier: codeVerifier });

    const first = await codeFor();
    const wrong = await token(first, randomBytes(32).toString('base64url'));
    expect([wrong.status, ((await wrong.json()) as { error: string }).error]).toEqual([400, 'invalid_grant']);
    // The code was spent by the failed attempt.
    expect((await token(first, verifier)).status).toBe(400);

    const second = await codeFor();
    const issued = await token(second, verifier);
    expect(issued.status).toBe(200);
    const body = (await issued.json()) as { token_type: string; access_token: string; id_token: string };
    expect(body.token_type).toBe('Bearer');
    expect(await api.deps.verifyToken(body.access_token)).toMatchObject({ subject: 'abh-mehmet', roles: ['abh_clerk'], authorityId: 'koeln' });
    // The ID token is no access token for the API: it is addressed to the console's client, not to the API.
    await expect(api.deps.verifyToken(body.id_token)).rejects.toThrow(TokenError);
    await expect(api.deps.verifyToken(body.id_token)).rejects.toThrow('invalid token: unexpected "aud" claim value');
    expect((await token(second, verifier)).status).toBe(400);

    const foreign = await get(`/dev-oidc/authorize?${new URLSearchParams({ ...request, redirect_uri: 'https://evil.example/console/auth/callback' })}`);
    expect(foreign.status).toBe(400);
    const plain = await get(`/dev-oidc/authorize?${new URLSearchParams({ ...request, code_challenge_method: 'plain' })}`);
    expect(plain.status).toBe(400);
  });
});

describe('the applicant page counts each client on its own, although it asks the API on loopback', () => {
  let api: Awaited<ReturnType<typeof startApiOnly>>;
  beforeAll(async () => {
    const issuer = await loadOrCreateLocalIssuer(fs.mkdtempSync(path.join(os.tmpdir(), 'kim-console-issuer-')));
    api = await startApiOnly({
      verifyToken: createTokenVerifier(localVerifierSettings(), localKeySet(issuer)),
      rateLimiter: createRateLimiter(3),
      console: { oidc: { mode: 'local' }, devIssuer: issuer },
      settings: { inactionWarningLeadTimesMs: [], accessCodes: { pepper: randomBytes(32) }, trustProxy: ['loopback'] },
    });
  });
  afterAll(async () => {
    await api?.stop();
  });

  const lookup = (client: string, reference: string) =>
    fetch(`${api.baseUrl}/status`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': client },
      body: new URLSearchParams({ reference, accessCode: 'WRONG-CODE-1' }),
    });

  test('a client past its limit is refused; another client behind the same console is not', async () => {
    // (Each attempt on its own reference: wrong codes also count per reference, see accessCodes.test.ts.)
    for (let i = 0; i < 3; i++) expect((await lookup('203.0.113.9', `EBH-2026-AAAAAAAAA${i}`)).status).toBe(404);
    const limited = await lookup('203.0.113.9', 'EBH-2026-AAAAAAAAA9');
    expect(limited.status).toBe(429);
    expect(await limited.text()).toContain('Zu viele Versuche');
    expect((await lookup('203.0.113.10', 'EBH-2026-BBBBBBBBB1')).status).toBe(404);
  });

  test('the client header without the console secret is ignored', async () => {
    const direct = (client: string) =>
      fetch(`${api.baseUrl}/api/v1/status/naturalisation`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-kim-console-client': client, 'x-kim-console-secret': 'guessed' },
        body: JSON.stringify({ reference: `EBH-2026-CCCCCCCCC${client.slice(-1)}`, accessCode: 'WRONG-CODE-1' }),
      });
    // Each claims a fresh address, but all count as the one loopback client they are.
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await direct(`198.51.100.${i + 1}`)).status);
    expect(statuses).toEqual([404, 404, 404, 429]);
  });
});
