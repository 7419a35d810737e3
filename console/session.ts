import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import type { Pool } from 'pg';
import { createConsoleSessionQueries, type ConsoleSessionRow } from '../db/queries/consoleSessions';
import { readCookie, setCookie } from './request';

export const sessionCookie = 'kim_session';
/**
 * The state of a sign-in in progress, bound to the browser that started it (10 minutes). Both
 * cookies are `__Host-` prefixed where cookies are Secure (console/request.ts).
 */
export const loginCookie = 'kim_login';

export function hashSecret(value: string): string {
  return createHash('sha256').update(value).digest('base64url');
}

export function randomSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/**
 * The access token is stored sealed (AES-256-GCM) under a key derived from the session id, which
 * only the browser's cookie holds (the database keeps the id's hash): a copy of the sessions
 * table, or a reader of it, gets no token it can call the API with.
 */
const tokenSealPrefix = 'v1.';

function sessionTokenKey(id: string): Buffer {
  return Buffer.from(hkdfSync('sha256', id, Buffer.alloc(0), 'kim console session access token', 32));
}

export function sealAccessToken(id: string, token: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', sessionTokenKey(id), iv);
  const sealed = Buffer.concat([cipher.update(token, 'utf8'), cipher.final()]);
  return tokenSealPrefix + Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64url');
}

/** The token, or undefined where the stored value was not sealed under this id (a tampered row, an older clear one). */
export function openAccessToken(id: string, stored: string): string | undefined {
  if (!stored.startsWith(tokenSealPrefix)) return undefined;
  const bytes = Buffer.from(stored.slice(tokenSealPrefix.length), 'base64url');
  if (bytes.length < 29) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', sessionTokenKey(id), bytes.subarray(0, 12));
    decipher.setAuthTag(bytes.subarray(12, 28));
    return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}

/** The signed-in session of the request's cookie, if it exists, has not expired and its token opens. */
export async function findSession(pool: Pool, req: Request, now: Date): Promise<ConsoleSessionRow | undefined> {
  const id = readCookie(req, sessionCookie, { hostPrefix: true });
  if (!id || id.length > 100) return undefined;
  const stored = await createConsoleSessionQueries(pool).findSessionByIdHash(hashSecret(id), now);
  const accessToken = stored && openAccessToken(id, stored.accessToken);
  return stored && accessToken ? { ...stored, accessToken } : undefined;
}

/** Starts a session: a fresh random id in an httpOnly, SameSite=Lax cookie (Secure and `__Host-` unless loopback development); the database keeps its hash and the sealed token. */
export async function startSession(pool: Pool, req: Request, res: Response, session: Omit<ConsoleSessionRow, 'csrfToken'>, now: Date): Promise<void> {
  const queries = createConsoleSessionQueries(pool);
  await queries.deleteExpiredSessions(now);
  const id = randomSecret();
  await queries.insertSession(hashSecret(id), { ...session, accessToken: sealAccessToken(id, session.accessToken), csrfToken: randomSecret() });
  setCookie(req, res, sessionCookie, id, { path: '/console', hostPrefix: true, maxAgeSeconds: Math.max(0, Math.floor((session.expiresAt.getTime() - now.getTime()) / 1000)) });
}

export async function endSession(pool: Pool, req: Request, res: Response): Promise<void> {
  const id = readCookie(req, sessionCookie, { hostPrefix: true });
  if (id && id.length <= 100) await createConsoleSessionQueries(pool).deleteSessionByIdHash(hashSecret(id));
  setCookie(req, res, sessionCookie, '', { path: '/console', hostPrefix: true, maxAgeSeconds: 0 });
}

/** Whether a form's `_csrf` field is the session's token (compared in constant time). */
export function isCsrfTokenValid(session: ConsoleSessionRow, submitted: unknown): boolean {
  if (typeof submitted !== 'string') return false;
  const expected = Buffer.from(session.csrfToken);
  const actual = Buffer.from(submitted);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
