import type { Request, RequestHandler, Response } from 'express';
import { isLoopbackAddress } from '../security/devIssuerPolicy';
import { isApplicantLanguage, isLanguage, translator, type Language, type PageLanguage, type Translate } from './i18n';

/** What every page needs from the request: the language and where it is. */
export interface PageContext {
  /** de or en on the staff console; on the applicants' status page any of `applicantLanguages`. */
  lang: PageLanguage;
  t: Translate;
  /** The path and query of this page (the language switch comes back to it). */
  here: string;
  user?: { name: string; roles: string[] };
  csrf?: string;
}

export const languageCookie = 'kim_lang';

/**
 * Content-Security-Policy of every HTML page (console, applicant page, development sign-in):
 * everything from this origin only, no inline script or style, forms post only here, no framing.
 */
export const pageContentSecurityPolicy =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

/** Cookies of the request (no dependency: the header's `name=value; …` pairs). */
export function readCookies(req: Request): Record<string, string> {
  const header = req.headers.cookie ?? '';
  const out: Record<string, string> = {};
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index < 1) continue;
    const name = part.slice(0, index).trim();
    try {
      out[name] = decodeURIComponent(part.slice(index + 1).trim());
    } catch {
      // a malformed value is ignored
    }
  }
  return out;
}

/** German unless the language cookie says English. */
export function requestLanguage(req: Request): PageContext {
  const cookie = readCookies(req)[languageCookie];
  const lang: Language = isLanguage(cookie) ? cookie : 'de';
  return { lang, t: translator(lang), here: req.originalUrl };
}

/**
 * The first of the status page's languages the browser asks for (`Accept-Language`, by weight;
 * `ar-SY` counts as `ar`), or undefined.
 */
export function acceptedApplicantLanguage(header: string | undefined): PageLanguage | undefined {
  const ranges = (header ?? '').split(',').slice(0, 20).map((part, index) => {
    const [range, ...parameters] = part.trim().split(';');
    const q = parameters.map((p) => /^\s*q=([01](?:\.\d{0,3})?)\s*$/.exec(p)).find(Boolean);
    return { language: range.trim().toLowerCase().split('-')[0], q: q ? Number(q[1]) : 1, index };
  });
  ranges.sort((a, b) => b.q - a.q || a.index - b.index);
  return ranges.find((range) => range.q > 0 && isApplicantLanguage(range.language))?.language as PageLanguage | undefined;
}

/**
 * The language of the applicants' status page: the language cookie (the same one the console's
 * switch sets) when it names one of `applicantLanguages`, else on a first visit the browser's
 * `Accept-Language`, else German. The staff console keeps `requestLanguage` (German or English).
 */
export function applicantRequestLanguage(req: Request): PageContext {
  const cookie = readCookies(req)[languageCookie];
  const lang: PageLanguage = isApplicantLanguage(cookie) ? cookie : acceptedApplicantLanguage(req.headers['accept-language']) ?? 'de';
  return { lang, t: translator(lang), here: req.originalUrl };
}

export interface CookieOptions {
  maxAgeSeconds?: number;
  path?: string;
  httpOnly?: boolean;
  /**
   * Where cookies are Secure: the name gets the `__Host-` prefix and the path `/` (a browser then
   * accepts the cookie only from this origin over https, never one set by a sub-domain or over
   * plain http). Session and sign-in cookies.
   */
  hostPrefix?: boolean;
}

const secureOnly = new WeakSet<Request>();

/** Marks the requests through this handler as never plain-http development (an https PUBLIC_BASE_URL). */
export function requireSecureCookies(): RequestHandler {
  return (req, _res, next) => {
    secureOnly.add(req);
    next();
  };
}

const forwardingHeaders = ['forwarded', 'x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'x-real-ip'];

/**
 * Whether this request is loopback development, the one case of cookies without Secure: plain
 * http on a connection to a loopback address of this server from a loopback client (a browser on
 * this machine), with no proxy's header on it and no https public address configured. Anything
 * else — a server bound to another interface, a reverse proxy (on this host too), https — gets
 * Secure cookies.
 */
export function isLoopbackDevelopment(req: Request): boolean {
  return !req.secure && !secureOnly.has(req) && isLoopbackAddress(req.socket.localAddress) && isLoopbackAddress(req.socket.remoteAddress)
    && isLoopbackAddress(req.ip) && !forwardingHeaders.some((name) => req.headers[name] !== undefined);
}

/** The name a cookie has on this request: `__Host-<name>` where cookies are Secure and `hostPrefix` asks for it. */
export function cookieNameFor(req: Request, name: string, options: Pick<CookieOptions, 'hostPrefix'> = {}): string {
  return options.hostPrefix && !isLoopbackDevelopment(req) ? `__Host-${name}` : name;
}

/** The value of a cookie under the name it has on this request (see `cookieNameFor`). */
export function readCookie(req: Request, name: string, options: Pick<CookieOptions, 'hostPrefix'> = {}): string | undefined {
  return readCookies(req)[cookieNameFor(req, name, options)];
}

/** Sets a cookie: SameSite=Lax always, Secure unless loopback development (`isLoopbackDevelopment`). */
export function setCookie(req: Request, res: Response, name: string, value: string, options: CookieOptions = {}): void {
  const secure = !isLoopbackDevelopment(req);
  const prefixed = secure && options.hostPrefix === true;
  const parts = [`${prefixed ? `__Host-${name}` : name}=${encodeURIComponent(value)}`, `Path=${prefixed ? '/' : options.path ?? '/'}`, 'SameSite=Lax'];
  if (options.httpOnly !== false) parts.push('HttpOnly');
  if (secure) parts.push('Secure');
  if (options.maxAgeSeconds !== undefined) parts.push(`Max-Age=${options.maxAgeSeconds}`);
  res.append('Set-Cookie', parts.join('; '));
}

/** A path within this site to return to (never another origin). */
export function safeReturnPath(value: unknown, fallback = '/console'): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.includes('\\')) return fallback;
  return value.length > 500 ? fallback : value;
}
