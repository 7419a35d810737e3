import fs from 'node:fs';
import path from 'node:path';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  exportJWK,
  generateKeyPair,
  importJWK,
  jwtVerify,
  SignJWT,
  type JWK,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import { assertTokenIssuerAllowed } from './devIssuerPolicy';
import { isRole, type Principal, type Role } from './roles';

export interface TokenVerifierSettings {
  issuer: string;
  audience: string;
  rolesClaim: string;
  authorityClaim: string;
  /** Accepted signature algorithms (asymmetric only). */
  algorithms: readonly string[];
  /** The longest lifetime accepted, in ms: exp minus nbf (or iat). */
  maxLifetimeMs: number;
  /** Accept only header `typ: at+jwt` (RFC 9068), not `JWT` or none. */
  requireAtJwt?: boolean;
  /** Seconds of clock skew tolerated (default 30). */
  clockToleranceSeconds?: number;
}

/**
 * A refused token. `message` is the reason for the audit trail and the log; it may name claims
 * and carry the JWT library's text, so it is never shown to the caller (api/route.ts answers one
 * generic "invalid token").
 */
export class TokenError extends Error {}

/** Header `typ` values of access tokens: RFC 9068 `at+jwt`, or the generic `JWT` of most IdPs. */
function isAccessTokenType(typ: unknown, requireAtJwt: boolean): boolean {
  if (typ === undefined) return !requireAtJwt;
  if (typeof typ !== 'string') return false;
  const normalised = typ.toLowerCase().replace(/^application\//, '');
  return normalised === 'at+jwt' || (!requireAtJwt && normalised === 'jwt');
}

/**
 * Claims that only ID tokens carry (OpenID Connect Core 1.0 § 2, § 3.1.3.6, § 3.3.2.11), and
 * Keycloak's `typ: "ID"` claim: an ID token proves a sign-in to a client, it grants no access,
 * so one presented as a bearer token is refused.
 */
function idTokenMarker(payload: JWTPayload): string | undefined {
  for (const claim of ['nonce', 'at_hash', 'c_hash'] as const) if (payload[claim] !== undefined) return claim;
  if (typeof payload.typ === 'string' && payload.typ.toLowerCase() === 'id') return 'typ=ID';
  return undefined;
}

/**
 * Verifies bearer tokens (OpenID Connect access-token JWTs) against the issuer's published keys
 * and turns their claims into a principal. Refused: a wrong signature, issuer or audience; an
 * algorithm not configured (never `none` or an HMAC); no `exp`, or a lifetime longer than
 * `maxLifetimeMs`; an ID token (header `typ` other than `at+jwt`/`JWT`, or an ID-token claim);
 * no subject, no known role or no authority.
 */
export function createTokenVerifier(settings: TokenVerifierSettings, keys: JWTVerifyGetKey) {
  const tolerance = settings.clockToleranceSeconds ?? 30;
  return async function verifyToken(token: string): Promise<Principal> {
    let payload: JWTPayload;
    let header: { typ?: unknown };
    try {
      ({ payload, protectedHeader: header } = await jwtVerify(token, keys, {
        issuer: settings.issuer,
        audience: settings.audience,
        algorithms: [...settings.algorithms],
        requiredClaims: ['exp'],
        clockTolerance: tolerance,
      }));
    } catch (error) {
      throw new TokenError(`invalid token: ${(error as Error).message}`);
    }
    if (!isAccessTokenType(header.typ, settings.requireAtJwt ?? false)) {
      throw new TokenError(`not an access token: header typ "${String(header.typ)}"`);
    }
    const marker = idTokenMarker(payload);
    if (marker) throw new TokenError(`an ID token, not an access token (${marker})`);
    const start = payload.nbf ?? payload.iat;
    if (start === undefined) throw new TokenError('the token has neither nbf nor iat: its lifetime cannot be bounded');
    const lifetimeMs = (payload.exp! - start) * 1000;
    const remainingMs = payload.exp! * 1000 - Date.now();
    if (lifetimeMs > settings.maxLifetimeMs || remainingMs > settings.maxLifetimeMs + tolerance * 1000) {
      throw new TokenError(`the token's lifetime exceeds ${settings.maxLifetimeMs / 1000} s`);
    }
    const claimed = payload[settings.rolesClaim];
    const tokenRoles = (Array.isArray(claimed) ? claimed : typeof claimed === 'string' ? claimed.split(' ') : []).filter(isRole);
    const authority = payload[settings.authorityClaim];
    if (!payload.sub) throw new TokenError('the token has no subject');
    if (tokenRoles.length === 0) throw new TokenError(`the token carries no known role in claim "${settings.rolesClaim}"`);
    if (typeof authority !== 'string' || authority.length === 0) {
      throw new TokenError(`the token names no authority in claim "${settings.authorityClaim}"`);
    }
    const team = payload.team;
    return { subject: payload.sub, roles: tokenRoles as Role[], authorityId: authority, ...(typeof team === 'string' && team.length > 0 ? { team } : {}) };
  };
}
export type VerifyToken = ReturnType<typeof createTokenVerifier>;

/** The issuer's key set, read from its JWKS URL (cached and refreshed by jose). */
export function createRemoteKeySet(jwksUrl: string): JWTVerifyGetKey {
  return createRemoteJWKSet(new URL(jwksUrl));
}

/** Finds the JWKS URL through the issuer's OpenID Connect discovery document. */
export async function discoverJwksUrl(issuer: string): Promise<string> {
  const response = await fetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(10_000) });
  if (!response.ok) throw new Error(`OpenID discovery at ${issuer} answered ${response.status}`);
  const document = (await response.json()) as { jwks_uri?: string };
  if (!document.jwks_uri) throw new Error(`OpenID discovery at ${issuer} names no jwks_uri`);
  return document.jwks_uri;
}

// ---------------------------------------------------------------------------------------------
// The local issuer of the embedded default: a key pair kept in DATA_DIR, used only when no
// external issuer is configured.

export const localIssuer = 'urn:kim-status-engine:local-dev-issuer';
export const defaultAudience = 'kim-status-engine';
/** The local issuer signs with this algorithm only, and its verifier accepts no other. */
export const localIssuerAlgorithm = 'ES256';
/** Dev tokens: 8 h unless asked otherwise, never longer than 12 h. */
export const devTokenDefaultLifetime = '8h';
export const devTokenMaxLifetimeMs = 12 * 3_600_000;

export interface LocalIssuerFile {
  kid: string;
  privateJwk: JWK;
  publicJwk: JWK;
}

export async function loadOrCreateLocalIssuer(dataDir: string): Promise<LocalIssuerFile> {
  const file = path.join(dataDir, 'keys', 'dev-issuer.json');
  if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8')) as LocalIssuerFile;
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const kid = `dev-${Date.now().toString(36)}`;
  const issuer: LocalIssuerFile = {
    kid,
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg: 'ES256' },
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' },
  };
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.writeFileSync(file, JSON.stringify(issuer), { mode: 0o600 });
  return issuer;
}

export function localKeySet(issuer: LocalIssuerFile): JWTVerifyGetKey {
  return createLocalJWKSet({ keys: [issuer.publicJwk] });
}

/** The verifier settings of the local issuer. */
export function localVerifierSettings(maxLifetimeMs = devTokenMaxLifetimeMs): TokenVerifierSettings {
  return {
    issuer: localIssuer,
    audience: defaultAudience,
    rolesClaim: 'roles',
    authorityClaim: 'authority',
    algorithms: [localIssuerAlgorithm],
    maxLifetimeMs,
    requireAtJwt: true,
  };
}

/**
 * Signs an access token (`typ: at+jwt`) as the local issuer (dev tokens, tests). `expiresIn` is
 * a jose duration ("8h", "90m"); the default is 8 hours.
 */
export async function signLocalToken(
  issuer: LocalIssuerFile,
  claims: { subject: string; roles: Role[]; authorityId: string; team?: string; expiresIn?: string },
): Promise<string> {
  const key = await importJWK(issuer.privateJwk, localIssuerAlgorithm);
  return new SignJWT({ roles: claims.roles, authority: claims.authorityId, ...(claims.team ? { team: claims.team } : {}) })
    .setProtectedHeader({ alg: localIssuerAlgorithm, kid: issuer.kid, typ: 'at+jwt' })
    .setIssuer(localIssuer)
    .setAudience(defaultAudience)
    .setSubject(claims.subject)
    .setIssuedAt()
    .setExpirationTime(claims.expiresIn ?? devTokenDefaultLifetime)
    .sign(key);
}

/**
 * The token verifier of the running API: the configured external issuer's keys (OIDC_ISSUER,
 * with OIDC_JWKS_URL or discovery), or else the local issuer of the embedded default — which
 * security/devIssuerPolicy.ts allows only on loopback embedded defaults or with ALLOW_DEV_ISSUER.
 */
export async function createConfiguredTokenVerifier(config: {
  DATA_DIR: string;
  OIDC_ISSUER?: string;
  OIDC_JWKS_URL?: string;
  OIDC_AUDIENCE: string;
  OIDC_ROLES_CLAIM: string;
  OIDC_AUTHORITY_CLAIM: string;
  OIDC_ALGORITHMS?: readonly string[];
  OIDC_REQUIRE_AT_JWT?: boolean;
  TOKEN_MAX_LIFETIME?: number;
  ALLOW_DEV_ISSUER?: boolean;
  HOST?: string;
  DATABASE_URL?: string;
  SMTP_URL?: string;
  TEMPORAL_ADDRESS?: string;
}): Promise<{ verifyToken: VerifyToken; issuer: string; mode: 'external' | 'local'; localIssuerFile?: LocalIssuerFile }> {
  const maxLifetimeMs = config.TOKEN_MAX_LIFETIME ?? 12 * 3_600_000;
  if (config.OIDC_ISSUER) {
    const jwksUrl = config.OIDC_JWKS_URL ?? (await discoverJwksUrl(config.OIDC_ISSUER));
    const settings: TokenVerifierSettings = {
      issuer: config.OIDC_ISSUER,
      audience: config.OIDC_AUDIENCE,
      rolesClaim: config.OIDC_ROLES_CLAIM,
      authorityClaim: config.OIDC_AUTHORITY_CLAIM,
      algorithms: config.OIDC_ALGORITHMS ?? ['RS256', 'ES256', 'EdDSA'],
      maxLifetimeMs,
      requireAtJwt: config.OIDC_REQUIRE_AT_JWT ?? false,
    };
    return { verifyToken: createTokenVerifier(settings, createRemoteKeySet(jwksUrl)), issuer: config.OIDC_ISSUER, mode: 'external' };
  }
  assertTokenIssuerAllowed({ ...config, ALLOW_DEV_ISSUER: config.ALLOW_DEV_ISSUER ?? false, HOST: config.HOST ?? '127.0.0.1' });
  const local = await loadOrCreateLocalIssuer(config.DATA_DIR);
  return {
    verifyToken: createTokenVerifier(localVerifierSettings(Math.min(maxLifetimeMs, devTokenMaxLifetimeMs)), localKeySet(local)),
    issuer: localIssuer,
    mode: 'local',
    localIssuerFile: local,
  };
}
