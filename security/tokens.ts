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
import { isRole, type Principal, type Role } from './roles';

export interface TokenVerifierSettings {
  issuer: string;
  audience: string;
  rolesClaim: string;
  authorityClaim: string;
}

export class TokenError extends Error {}

/**
 * Verifies bearer tokens (OpenID Connect JWTs) against the issuer's published keys and turns
 * their claims into a principal. A token without a known role or without an authority is refused.
 */
export function createTokenVerifier(settings: TokenVerifierSettings, keys: JWTVerifyGetKey) {
  return async function verifyToken(token: string): Promise<Principal> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, { issuer: settings.issuer, audience: settings.audience, clockTolerance: 30 }));
    } catch (error) {
      throw new TokenError(`invalid token: ${(error as Error).message}`);
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

interface LocalIssuerFile {
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

/** Signs a token as the local issuer (dev tokens, tests). */
export async function signLocalToken(
  issuer: LocalIssuerFile,
  claims: { subject: string; roles: Role[]; authorityId: string; team?: string; expiresIn?: string },
): Promise<string> {
  const key = await importJWK(issuer.privateJwk, 'ES256');
  return new SignJWT({ roles: claims.roles, authority: claims.authorityId, ...(claims.team ? { team: claims.team } : {}) })
    .setProtectedHeader({ alg: 'ES256', kid: issuer.kid })
    .setIssuer(localIssuer)
    .setAudience(defaultAudience)
    .setSubject(claims.subject)
    .setIssuedAt()
    .setExpirationTime(claims.expiresIn ?? '8h')
    .sign(key);
}

/**
 * The token verifier of the running API: the configured external issuer's keys (OIDC_ISSUER,
 * with OIDC_JWKS_URL or discovery), or else the local issuer of the embedded default.
 */
export async function createConfiguredTokenVerifier(config: {
  DATA_DIR: string;
  OIDC_ISSUER?: string;
  OIDC_JWKS_URL?: string;
  OIDC_AUDIENCE: string;
  OIDC_ROLES_CLAIM: string;
  OIDC_AUTHORITY_CLAIM: string;
}): Promise<{ verifyToken: VerifyToken; issuer: string; mode: 'external' | 'local' }> {
  const claims = { rolesClaim: config.OIDC_ROLES_CLAIM, authorityClaim: config.OIDC_AUTHORITY_CLAIM };
  if (config.OIDC_ISSUER) {
    const jwksUrl = config.OIDC_JWKS_URL ?? (await discoverJwksUrl(config.OIDC_ISSUER));
    return {
      verifyToken: createTokenVerifier({ issuer: config.OIDC_ISSUER, audience: config.OIDC_AUDIENCE, ...claims }, createRemoteKeySet(jwksUrl)),
      issuer: config.OIDC_ISSUER,
      mode: 'external',
    };
  }
  const local = await loadOrCreateLocalIssuer(config.DATA_DIR);
  return {
    verifyToken: createTokenVerifier({ issuer: localIssuer, audience: defaultAudience, rolesClaim: 'roles', authorityClaim: 'authority' }, localKeySet(local)),
    issuer: localIssuer,
    mode: 'local',
  };
}
