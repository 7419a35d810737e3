import type { Request } from 'express';
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { devClientId, devOidcBasePath, s256 } from '../security/devOidcProvider';
import { localIssuer } from '../security/tokens';
import { internalBase } from './apiClient';

/**
 * Where the console signs staff in. `local`: the development provider of this process
 * (security/devOidcProvider.ts), only where the dev issuer is allowed. `external`: the
 * authority's OpenID Connect issuer (OIDC_ISSUER) with the console's client registration there.
 */
export type ConsoleOidcSettings =
  | { mode: 'local' }
  | { mode: 'external'; issuer: string; clientId: string; clientSecret?: string; scopes: string; publicBaseUrl?: string };

interface Discovery {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
  code_challenge_methods_supported?: string[];
}

export interface TokenSet {
  accessToken: string;
  idClaims: { sub: string; name?: string };
}

/** The OAuth client of the console: authorization code flow with PKCE (S256), state and nonce. */
export function createOidcClient(settings: ConsoleOidcSettings) {
  let cached: { discovery: Discovery; keys: JWTVerifyGetKey; at: number } | undefined;
  const clientId = settings.mode === 'local' ? devClientId : settings.clientId;
  const expectedIssuer = settings.mode === 'local' ? localIssuer : settings.issuer;

  async function discover(req: Request): Promise<{ discovery: Discovery; keys: JWTVerifyGetKey }> {
    if (cached && Date.now() - cached.at < 3_600_000) return cached;
    const url =
      settings.mode === 'local'
        ? `${internalBase(req)}${devOidcBasePath}/.well-known/openid-configuration`
        : `${settings.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
    const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    if (!response.ok) throw new Error(`OpenID discovery at ${url} answered ${response.status}`);
    const discovery = (await response.json()) as Discovery;
    if (discovery.issuer !== expectedIssuer) throw new Error(`the discovery document names issuer ${discovery.issuer}, not ${expectedIssuer}`);
    if (!discovery.code_challenge_methods_supported?.includes('S256')) throw new Error('the issuer does not announce PKCE with S256');
    cached = { discovery, keys: createRemoteJWKSet(new URL(discovery.jwks_uri)), at: Date.now() };
    return cached;
  }

  /** The browser's origin (behind a proxy: TRUST_PROXY makes protocol and host the public ones). */
  const publicOrigin = (req: Request) => `${req.protocol}://${req.get('host')}`;
  // Under an external issuer the redirect URI is the registered one on PUBLIC_BASE_URL where set, not whatever Host the request names.
  const redirectUri = (req: Request) =>
    `${settings.mode === 'external' && settings.publicBaseUrl ? settings.publicBaseUrl.replace(/\/$/, '') : publicOrigin(req)}/console/auth/callback`;

  return {
    /** The URL to send the browser to, for a sign-in with this state, nonce and PKCE verifier. */
    async authorizationUrl(req: Request, login: { state: string; nonce: string; codeVerifier: string }): Promise<string> {
      const { discovery } = await discover(req);
      // The local provider is reached server-side on the loopback connection; the browser reaches it on its own origin.
      const endpoint =
        settings.mode === 'local' ? new URL(new URL(discovery.authorization_endpoint).pathname, publicOrigin(req)) : new URL(discovery.authorization_endpoint);
      const params = {
        response_type: 'code', client_id: clientId, redirect_uri: redirectUri(req), scope: settings.mode === 'local' ? 'openid profile' : settings.scopes,
        state: login.state, nonce: login.nonce, code_challenge: s256(login.codeVerifier), code_challenge_method: 'S256',
      };
      for (const [name, value] of Object.entries(params)) endpoint.searchParams.set(name, value);
      return endpoint.toString();
    },

    /** Exchanges the code (with the verifier), and checks the ID token: signature, issuer, audience, expiry and nonce. */
    async exchangeCode(req: Request, code: string, login: { nonce: string; codeVerifier: string }): Promise<TokenSet> {
      const { discovery, keys } = await discover(req);
      const form = new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri(req), client_id: clientId, code_verifier: login.codeVerifier });
      const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
      if (settings.mode === 'external' && settings.clientSecret) {
        headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(settings.clientSecret)}`).toString('base64')}`;
      }
      const response = await fetch(discovery.token_endpoint, { method: 'POST', headers, body: form, signal: AbortSignal.timeout(10_000) });
      const answer = (await response.json().catch(() => ({}))) as { access_token?: string; id_token?: string; error?: string; error_description?: string };
      if (!response.ok || !answer.access_token || !answer.id_token) {
        throw new Error(`the token endpoint refused the code: ${answer.error ?? response.status} ${answer.error_description ?? ''}`.trim());
      }
      const { payload } = await jwtVerify(answer.id_token, keys, { issuer: expectedIssuer, audience: clientId, requiredClaims: ['exp', 'sub', 'nonce'] });
      if (payload.nonce !== login.nonce) throw new Error('the ID token carries another nonce');
      return { accessToken: answer.access_token, idClaims: { sub: payload.sub!, name: typeof payload.name === 'string' ? payload.name : undefined } };
    },
  };
}
export type OidcClient = ReturnType<typeof createOidcClient>;
