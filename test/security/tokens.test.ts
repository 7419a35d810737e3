import { randomBytes } from 'node:crypto';
import { createLocalJWKSet, exportJWK, generateKeyPair, importJWK, SignJWT, type JWK, type JWTPayload } from 'jose';
import { createTokenVerifier, localVerifierSettings, type TokenVerifierSettings } from '../../security/tokens';
import { startApiOnly } from '../support/api';

const issuer = 'https://idp.example/realms/nrw';
const audience = 'kim-status-engine';
const hour = 3_600;
const now = () => Math.floor(Date.now() / 1000);

describe('bearer token verification', () => {
  let keys: Awaited<ReturnType<typeof generateKeyPair>>;
  let publicJwk: JWK;
  const settings: TokenVerifierSettings = {
    issuer, audience, rolesClaim: 'roles', authorityClaim: 'authority', algorithms: ['RS256', 'ES256'], maxLifetimeMs: 12 * hour * 1000,
  };
  let verify: ReturnType<typeof createTokenVerifier>;

  beforeAll(async () => {
    keys = await generateKeyPair('ES256');
    publicJwk = { ...(await exportJWK(keys.publicKey)), kid: 'k1', alg: 'ES256' };
    verify = createTokenVerifier(settings, createLocalJWKSet({ keys: [publicJwk] }));
  });

  /** An ES256 token of the issuer; `claims` override, `undefined` removes a claim. */
  async function sign(claims: JWTPayload = {}, header: Record<string, unknown> = { typ: 'at+jwt' }) {
    const payload: JWTPayload = { iss: issuer, aud: audience, sub: 'alice', roles: ['ebh_clerk'], authority: 'koeln', iat: now(), exp: now() + hour, ...claims };
    for (const [name, value] of Object.entries(payload)) if (value === undefined) delete payload[name];
    return new SignJWT(payload).setProtectedHeader({ alg: 'ES256', kid: 'k1', ...header }).sign(keys.privateKey);
  }

  test('an access token of the issuer is accepted', async () => {
    await expect(verify(await sign())).resolves.toEqual({ subject: 'alice', roles: ['ebh_clerk'], authorityId: 'koeln' });
    await expect(verify(await sign({}, { typ: 'JWT' }))).resolves.toMatchObject({ subject: 'alice' });
    await expect(verify(await sign({}, { typ: 'application/at+jwt' }))).resolves.toMatchObject({ subject: 'alice' });
  });

  test('a token without exp is refused', async () => {
    await expect(verify(await sign({ exp: undefined }))).rejects.toThrow(/"exp" claim/);
  });

  test.each([
    ['exp 12 h + 1 min after iat', { iat: now(), exp: now() + 12 * hour + 60 }],
    ['a century', { iat: now(), exp: now() + 100 * 365 * 24 * hour }],
    ['backdated iat to hide a long life', { iat: now() - 60, nbf: now() - 60, exp: now() + 13 * hour }],
    ['neither iat nor nbf', { iat: undefined, exp: now() + hour }],
  ])('a lifetime that cannot be bounded or is too long is refused: %s', async (_name, claims) => {
    await expect(verify(await sign(claims))).rejects.toThrow(/lifetime/);
  });

  test('exactly the maximum lifetime is accepted', async () => {
    const iat = now();
    await expect(verify(await sign({ iat, exp: iat + 12 * hour }))).resolves.toMatchObject({ subject: 'alice' });
  });

  test('alg none and an HMAC signed with the public key are refused', async () => {
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'at+jwt' })).toString('base64url')}.${Buffer.from(
      JSON.stringify({ iss: issuer, aud: audience, sub: 'mallory', roles: ['admin'], authority: 'koeln', iat: now(), exp: now() + 60 }),
    ).toString('base64url')}.`;
    await expect(verify(unsigned)).rejects.toThrow();
    // The classic confusion attack: HS256 keyed with the issuer's (public) key material.
    const hs256 = await new SignJWT({ sub: 'mallory', roles: ['admin'], authority: 'koeln' })
      .setProtectedHeader({ alg: 'HS256', kid: 'k1', typ: 'at+jwt' })
      .setIssuer(issuer).setAudience(audience).setIssuedAt().setExpirationTime('1h')
      .sign(Buffer.from(JSON.stringify(publicJwk)));
    await expect(verify(hs256)).rejects.toThrow(/alg|algorithm/i);
    const hsVerifier = createTokenVerifier(settings, async () => randomBytes(32));
    await expect(hsVerifier(hs256)).rejects.toThrow(/alg/i);
  });

  test('an algorithm the configuration does not list is refused', async () => {
    const rsOnly = createTokenVerifier({ ...settings, algorithms: ['RS256'] }, createLocalJWKSet({ keys: [publicJwk] }));
    await expect(rsOnly(await sign())).rejects.toThrow(/alg/);
  });

  test.each([
    ['a nonce', { nonce: 'n-0S6_WzA2Mj' }, { typ: 'JWT' }],
    ['an at_hash', { at_hash: 'HK6E_P6Dh8Y93mRNtsDB1Q' }, { typ: 'JWT' }],
    ["Keycloak's typ ID claim", { typ: 'ID' }, { typ: 'JWT' }],
    ['an ID-token header type', {}, { typ: 'id_token+jwt' }],
    ['a logout token header type', {}, { typ: 'logout+jwt' }],
  ])('an ID token (%s) used as an access token is refused', async (_name, claims, header) => {
    await expect(verify(await sign(claims, header))).rejects.toThrow(/access token|ID token/);
  });

  test('with OIDC_REQUIRE_AT_JWT only at+jwt is accepted; the local issuer requires it', async () => {
    const strict = createTokenVerifier({ ...settings, requireAtJwt: true }, createLocalJWKSet({ keys: [publicJwk] }));
    await expect(strict(await sign({}, { typ: 'JWT' }))).rejects.toThrow(/not an access token/);
    await expect(strict(await sign({}, {}))).rejects.toThrow(/not an access token/);
    await expect(strict(await sign())).resolves.toMatchObject({ subject: 'alice' });
    expect(localVerifierSettings()).toMatchObject({ requireAtJwt: true, algorithms: ['ES256'], maxLifetimeMs: 12 * hour * 1000 });
  });
});

describe('a refused token over HTTP', () => {
  let api: Awaited<ReturnType<typeof startApiOnly>>;
  beforeAll(async () => {
    api = await startApiOnly();
  });
  afterAll(async () => {
    await api?.stop();
  });

  test('gets 401 with one generic text; the reason goes to the audit trail only', async () => {
    const Sign = SignJWT;
    const key = await importJWK(api.issuer.privateJwk, 'ES256');
    const base = () => new Sign({ roles: ['admin'], authority: 'koeln' }).setIssuer('urn:kim-status-engine:local-dev-issuer').setAudience('kim-status-engine').setSubject('eve');
    const noExp = await base().setProtectedHeader({ alg: 'ES256', kid: api.issuer.kid, typ: 'at+jwt' }).setIssuedAt().sign(key);
    const century = await base().setProtectedHeader({ alg: 'ES256', kid: api.issuer.kid, typ: 'at+jwt' }).setIssuedAt().setExpirationTime('100y').sign(key);
    const roleless = await new Sign({ roles: ['nobody'], authority: 'koeln' }).setIssuer('urn:kim-status-engine:local-dev-issuer').setAudience('kim-status-engine')
      .setSubject('eve').setProtectedHeader({ alg: 'ES256', kid: api.issuer.kid, typ: 'at+jwt' }).setIssuedAt().setExpirationTime('1h').sign(key);
    const idToken = await new Sign({ roles: ['admin'], authority: 'koeln', nonce: 'abc' }).setIssuer('urn:kim-status-engine:local-dev-issuer')
      .setAudience('kim-status-engine').setSubject('eve').setProtectedHeader({ alg: 'ES256', kid: api.issuer.kid, typ: 'at+jwt' }).setIssuedAt().setExpirationTime('1h').sign(key);
    for (const token of [noExp, century, roleless, idToken, 'not.a.jwt', `${noExp}x`]) {
      const response = await api.request('GET', '/api/v1/audit?limit=1', { authorization: `Bearer ${token}` });
      expect(response.status).toBe(401);
      expect(response.body).toMatchObject({ code: 'auth.invalid_token', title: 'invalid token' });
      // Nothing of the library's wording, no claim name.
      expect(response.text).not.toMatch(/claim|exp|lifetime|role|nonce|JWS|JWT|signature|Invalid Compact|authority/i);
    }
    const { rows } = await api.db.pool.query<{ detail: { reason: string } }>(
      "SELECT detail FROM audit_log WHERE action = 'audit.list' AND outcome = 'refused' ORDER BY id",
    );
    const reasons = rows.map((r) => r.detail.reason).join('\n');
    expect(reasons).toMatch(/"exp" claim/);
    expect(reasons).toMatch(/lifetime exceeds/);
    expect(reasons).toMatch(/no known role in claim "roles"/);
    expect(reasons).toMatch(/ID token/);
  });
});
