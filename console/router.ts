import path from 'node:path';
import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import type { ApiDependencies } from '../api/deps';
import { createConsoleSessionQueries } from '../db/queries/consoleSessions';
import { limitEachClient } from '../api/rateLimit';
import { TokenError } from '../security/tokens';
import { createConsoleRequest, sendPage, type ConsoleRequest } from './context';
import { html } from './html';
import { isLanguage } from './i18n';
import { renderPage } from './layout';
import { createOidcClient, type ConsoleOidcSettings } from './oidcClient';
import { applicantRoutes } from './pages/applicantStatus';
import { handoffPages } from './pages/handoff';
import { naturalisationPages } from './pages/naturalisationCase';
import { personPages } from './pages/person';
import { queuePage } from './pages/queue';
import { figuresPage, openCampaignPage } from './pages/figures';
import { campaignPages } from './pages/campaign';
import { residencePages } from './pages/residenceCheck';
import { languageCookie, pageContentSecurityPolicy, readCookie, requestLanguage, requireSecureCookies, safeReturnPath, setCookie } from './request';
import { endSession, findSession, hashSecret, isCsrfTokenValid, loginCookie, randomSecret, startSession } from './session';

export interface ConsoleSettings {
  oidc: ConsoleOidcSettings;
}

/** A page of a signed-in staff member: GET renders, POST acts (after the CSRF check). */
export interface ConsoleRoute {
  method: 'get' | 'post';
  path: string;
  handler: (ctx: ConsoleRequest) => Promise<void>;
}

/**
 * The staff console and the applicants' status page, served by the API process: server-rendered
 * HTML (console/html.ts), one stylesheet and one small script from dist/console/static. Sign-in
 * through OpenID Connect (code flow with PKCE); every read and action is a call of the JSON API
 * with the staff member's token (console/apiClient.ts).
 */
export function createConsoleRouter(deps: ApiDependencies, settings: ConsoleSettings): Router {
  const router = express.Router();
  const oidc = createOidcClient(settings.oidc);
  const sessions = createConsoleSessionQueries(deps.pool);

  // Each client (the address a trusted proxy names) has its own count of console requests, in the
  // API's limiter (RATE_LIMIT_PER_MINUTE) but apart from its API calls: an anonymous flood of
  // sign-in starts, each a stored row, stops at the limit.
  router.use('/console', limitEachClient(deps.rateLimiter, 'console'));
  // Public on https: no request is plain-http development, whatever its connection looks like.
  if (settings.oidc.mode === 'external' && settings.oidc.publicBaseUrl?.startsWith('https:')) router.use(['/console', '/status'], requireSecureCookies());
  router.use(['/console', '/status'], (_req, res, next) => {
    res.set('Content-Security-Policy', pageContentSecurityPolicy);
    next();
  });
  router.use('/console/static', express.static(path.join(__dirname, 'static'), { maxAge: '1h', fallthrough: false }));
  router.use(['/console', '/status'], express.urlencoded({ extended: false, limit: '64kb' }));

  router.get('/console/lang', (req, res) => {
    const to = req.query.to;
    if (isLanguage(to)) setCookie(req, res, languageCookie, to, { path: '/', maxAgeSeconds: 365 * 86_400, httpOnly: false });
    res.redirect(303, safeReturnPath(req.query.back));
  });

  const wrap = (handler: (req: Request, res: Response) => Promise<void>): RequestHandler => (req, res, next) => {
    handler(req, res).catch(next);
  };

  router.get('/console/login', wrap(async (req, res) => {
    const state = randomSecret();
    const login = { state, nonce: randomSecret(), codeVerifier: randomSecret(48) };
    const now = deps.clock();
    await sessions.insertLogin(hashSecret(state), { codeVerifier: login.codeVerifier, nonce: login.nonce, returnTo: safeReturnPath(req.query.back) }, new Date(now.getTime() + 10 * 60_000));
    // The state is bound to this browser (RFC 9700 § 4.7.1): a callback URL carried to another
    // browser — someone else's code, to sign the victim in as someone else — is refused there.
    setCookie(req, res, loginCookie, state, { path: '/console/auth', hostPrefix: true, maxAgeSeconds: 600 });
    res.redirect(303, await oidc.authorizationUrl(req, login));
  }));

  router.get('/console/auth/callback', wrap(async (req, res) => {
    const page = requestLanguage(req);
    const fail = (reason: string) =>
      sendPage(res, renderPage(page, {
        title: page.t('auth.title'),
        body: html`<p role="alert">${page.t('auth.failed', { reason })}</p><p><a href="/console/login">${page.t('auth.signIn')}</a></p>`,
      }), 400);
    const state = typeof req.query.state === 'string' ? req.query.state : '';
    const code = typeof req.query.code === 'string' ? req.query.code : '';
    const boundState = readCookie(req, loginCookie, { hostPrefix: true });
    setCookie(req, res, loginCookie, '', { path: '/console/auth', hostPrefix: true, maxAgeSeconds: 0 });
    if (!state || state.length >= 200 || !boundState || hashSecret(boundState) !== hashSecret(state)) return fail('state');
    const login = await sessions.takeLoginByStateHash(hashSecret(state), deps.clock());
    if (!login) return fail('state');
    if (typeof req.query.error === 'string') return fail(req.query.error);
    if (!code) return fail('code');
    let tokens;
    let principal;
    try {
      tokens = await oidc.exchangeCode(req, code, login);
      principal = await deps.verifyToken(tokens.accessToken);
    } catch (error) {
      deps.logger.warn({ err: error }, 'console sign-in refused');
      return fail(error instanceof TokenError ? 'token' : 'exchange');
    }
    if (principal.subject !== tokens.idClaims.sub) return fail('subject');
    const expiresAt = new Date(JSON.parse(Buffer.from(tokens.accessToken.split('.')[1], 'base64url').toString('utf8')).exp * 1000);
    await startSession(deps.pool, req, res, {
      subject: principal.subject, displayName: tokens.idClaims.name ?? principal.subject, roles: principal.roles, authorityId: principal.authorityId,
      accessToken: tokens.accessToken, expiresAt,
    }, deps.clock());
    res.redirect(303, login.returnTo);
  }));

  router.post('/console/logout', wrap(async (req, res) => {
    const session = await findSession(deps.pool, req, deps.clock());
    if (session && !isCsrfTokenValid(session, req.body?._csrf)) {
      res.status(403).type('text/plain').send('CSRF');
      return;
    }
    await endSession(deps.pool, req, res);
    const page = requestLanguage(req);
    sendPage(res, renderPage(page, { title: page.t('auth.title'), body: html`<p role="status">${page.t('auth.signedOut')}</p><p><a href="/console/login">${page.t('auth.signIn')}</a></p>` }));
  }));

  const signedIn = (route: ConsoleRoute): RequestHandler => wrap(async (req, res) => {
    const page = requestLanguage(req);
    const session = await findSession(deps.pool, req, deps.clock());
    if (!session) {
      if (route.method === 'get') res.redirect(303, `/console/login?back=${encodeURIComponent(req.originalUrl)}`);
      else sendPage(res, renderPage(page, { title: page.t('auth.title'), body: html`<p role="alert">${page.t('auth.expired')}</p><p><a href="/console/login">${page.t('auth.signIn')}</a></p>` }), 401);
      return;
    }
    if (route.method === 'post' && !isCsrfTokenValid(session, req.body?._csrf)) {
      sendPage(res, renderPage(page, { title: page.t('error.title'), body: html`<p role="alert">${page.t('error.csrf')}</p>` }), 403);
      return;
    }
    await route.handler(createConsoleRequest(req, res, deps, page, session));
  });

  const pages: ConsoleRoute[] = [queuePage, figuresPage, openCampaignPage, ...naturalisationPages, ...residencePages, ...handoffPages, ...personPages, ...campaignPages];
  for (const route of pages) router[route.method](route.path, signedIn(route));
  for (const route of applicantRoutes) router[route.method](route.path, wrap((req, res) => route.handler(req, res, deps)));
  return router;
}
