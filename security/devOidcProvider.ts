import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import express, { type Request, type Router } from 'express';
import { importJWK, SignJWT } from 'jose';
import { html } from '../console/html';
import { renderPage } from '../console/layout';
import { isLoopbackDevelopment, pageContentSecurityPolicy, requestLanguage } from '../console/request';
import { devStaff, findDevStaffMember } from './devStaff';
import { localIssuer, localIssuerAlgorithm, signLocalToken, devTokenDefaultLifetime, type LocalIssuerFile } from './tokens';

/** The one client the development provider knows: the staff console of this same process. */
export const devClientId = 'kim-console';
export const devOidcBasePath = '/dev-oidc';
const callbackPath = '/console/auth/callback';
const codeLifetimeMs = 60_000;
const accessTokenLifetimeS = 8 * 3600;

interface IssuedCode {
  subject: string;
  redirectUri: string;
  codeChallenge: string;
  nonce: string;
  expiresAt: number;
}

const pkceVerifierPattern = /^[A-Za-z0-9._~-]{43,128}$/;
const challengePattern = /^[A-Za-z0-9_-]{43}$/;

export function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

function origin(req: Request): string {
  return `${req.protocol}://${req.get('host')}`;
}

/**
 * A minimal OpenID Connect provider on loopback for development — authorization code flow with
 * PKCE (S256 only), one public client (`kim-console`, redirect URI on this same origin), the
 * users of `devStaff`, signing with the local dev issuer's key (the same key the API's token
 * verifier trusts in local mode). It is mounted only where the dev issuer is allowed
 * (security/devIssuerPolicy.ts: loopback embedded defaults or ALLOW_DEV_ISSUER), and answers only
 * requests of a browser on this machine over loopback (403 to anyone else); in production
 * the console signs in at OIDC_ISSUER instead.
 *
 * Endpoints under /dev-oidc: the discovery document, /authorize (a sign-in page choosing a
 * development user), /token (code + code_verifier, once), /jwks. Codes live in this process's
 * memory for a minute (the development system is one process).
 */
export function createDevOidcProvider(issuer: LocalIssuerFile, clock: () => Date = () => new Date()): Router {
  const codes = new Map<string, IssuedCode>();
  const router = express.Router();
  // Never reachable from elsewhere, whatever HOST and ALLOW_DEV_ISSUER say: only a browser on
  // this machine on a loopback connection without a proxy in between (console/request.ts).
  router.use((req, res, next) => {
    if (isLoopbackDevelopment(req)) return next();
    res.status(403).type('text/plain').send('The development sign-in answers only on loopback.');
  });
  router.use(express.urlencoded({ extended: false, limit: '16kb' }));
  router.use((_req, res, next) => {
    res.set('Content-Security-Policy', pageContentSecurityPolicy);
    next();
  });

  router.get('/.well-known/openid-configuration', (req, res) => {
    const base = `${origin(req)}${devOidcBasePath}`;
    res.json({
      issuer: localIssuer,
      authorization_endpoint: `${base}/authorize`,
      token_endpoint: `${base}/token`,
      jwks_uri: `${base}/jwks`,
      response_types_supported: ['code'],
      grant_types_supported: ['authorization_code'],
      code_challenge_methods_supported: ['S256'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: [localIssuerAlgorithm],
      token_endpoint_auth_methods_supported: ['none'],
      scopes_supported: ['openid', 'profile'],
      claims_supported: ['sub', 'name', 'roles', 'authority', 'team'],
    });
  });
  router.get('/jwks', (_req, res) => {
    res.json({ keys: [issuer.publicJwk] });
  });

  /** The authorization request's parameters, checked; an error names the first bad one. */
  const readRequest = (req: Request, source: Record<string, unknown>) => {
    const get = (name: string) => (typeof source[name] === 'string' ? (source[name] as string) : '');
    const request = {
      clientId: get('client_id'), redirectUri: get('redirect_uri'), responseType: get('response_type'), scope: get('scope'),
      state: get('state'), nonce: get('nonce'), codeChallenge: get('code_challenge'), codeChallengeMethod: get('code_challenge_method'),
    };
    let redirectOk = false;
    try {
      const url = new URL(request.redirectUri);
      redirectOk = url.origin === origin(req) && url.pathname === callbackPath && url.search === '' && url.hash === '';
    } catch {
      redirectOk = false;
    }
    const error =
      request.clientId !== devClientId ? 'unknown client_id'
      : !redirectOk ? `redirect_uri must be ${origin(req)}${callbackPath}`
      : request.responseType !== 'code' ? 'response_type must be code'
      : !request.scope.split(' ').includes('openid') ? 'scope must include openid'
      : request.codeChallengeMethod !== 'S256' || !challengePattern.test(request.codeChallenge) ? 'PKCE with S256 is required'
      : request.state.length < 16 || request.state.length > 200 ? 'state is required'
      : request.nonce.length < 16 || request.nonce.length > 200 ? 'nonce is required'
      : undefined;
    return { request, error };
  };

  router.get('/authorize', (req, res) => {
    const { request, error } = readRequest(req, req.query as Record<string, unknown>);
    const page = requestLanguage(req);
    if (error) {
      res.status(400).type('html').send(renderPage(page, { title: page.t('dev.title'), body: html`<p role="alert">${error}</p>` }).value);
      return;
    }
    const hidden = Object.entries({
      client_id: request.clientId, redirect_uri: request.redirectUri, response_type: request.responseType, scope: request.scope,
      state: request.state, nonce: request.nonce, code_challenge: request.codeChallenge, code_challenge_method: request.codeChallengeMethod,
    }).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`);
    const body = html`
      <p>${page.t('dev.intro')}</p>
      <form method="post" action="${devOidcBasePath}/authorize" class="stack">
        ${hidden}
        <fieldset>
          <legend>${page.t('dev.choose')}</legend>
          ${devStaff.map(
            (member, index) => html`<div class="choice">
              <input type="radio" name="subject" id="staff-${member.subject}" value="${member.subject}" ${index === 0 ? html`checked` : ''}>
              <label for="staff-${member.subject}">${member.name} <span class="muted">(${member.roles.join(', ')}, ${member.authorityId})</span></label>
            </div>`,
          )}
        </fieldset>
        <button type="submit">${page.t('dev.continue')}</button>
      </form>`;
    res.type('html').send(renderPage(page, { title: page.t('dev.title'), body }).value);
  });

  router.post('/authorize', (req, res) => {
    const { request, error } = readRequest(req, req.body ?? {});
    const member = findDevStaffMember(typeof req.body?.subject === 'string' ? req.body.subject : '');
    if (error || !member) {
      res.status(400).type('text/plain').send(error ?? 'choose a person');
      return;
    }
    const code = randomBytes(32).toString('base64url');
    for (const [key, issued] of codes) if (issued.expiresAt < clock().getTime()) codes.delete(key);
    codes.set(code, {
      subject: member.subject, redirectUri: request.redirectUri, codeChallenge: request.codeChallenge, nonce: request.nonce,
      expiresAt: clock().getTime() + codeLifetimeMs,
    });
    const target = new URL(request.redirectUri);
    target.searchParams.set('code', code);
    target.searchParams.set('state', request.state);
    target.searchParams.set('iss', localIssuer);
    res.redirect(303, target.toString());
  });

  router.post('/token', async (req, res, next) => {
    try {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const get = (name: string) => (typeof body[name] === 'string' ? (body[name] as string) : '');
      const refuse = (error: string, description: string) => res.status(400).set('Cache-Control', 'no-store').json({ error, error_description: description });
      if (get('grant_type') !== 'authorization_code') return void refuse('unsupported_grant_type', 'only authorization_code');
      if (get('client_id') !== devClientId) return void refuse('invalid_client', 'unknown client_id');
      const code = get('code');
      const issued = codes.get(code);
      codes.delete(code); // a code is used once, whatever the outcome
      if (!issued || issued.expiresAt < clock().getTime()) return void refuse('invalid_grant', 'unknown, used or expired code');
      if (issued.redirectUri !== get('redirect_uri')) return void refuse('invalid_grant', 'redirect_uri differs from the authorization request');
      const verifier = get('code_verifier');
      const expected = Buffer.from(issued.codeChallenge);
      const actual = Buffer.from(pkceVerifierPattern.test(verifier) ? s256(verifier) : '');
      if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return void refuse('invalid_grant', 'code_verifier does not match the code_challenge');
      const member = findDevStaffMember(issued.subject)!;
      const accessToken = await signLocalToken(issuer, {
        subject: member.subject, roles: member.roles, authorityId: member.authorityId, team: member.team, expiresIn: devTokenDefaultLifetime,
      });
      const idToken = await new SignJWT({ nonce: issued.nonce, name: member.name })
        .setProtectedHeader({ alg: localIssuerAlgorithm, kid: issuer.kid, typ: 'JWT' })
        .setIssuer(localIssuer)
        .setAudience(devClientId)
        .setSubject(member.subject)
        .setIssuedAt()
        .setExpirationTime('10m')
        .sign(await importJWK(issuer.privateJwk, localIssuerAlgorithm));
      res.set('Cache-Control', 'no-store').json({ access_token: accessToken, token_type: 'Bearer', expires_in: accessTokenLifetimeS, id_token: idToken, scope: 'openid profile' });
    } catch (error) {
      next(error);
    }
  });
  return router;
}
