import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import type { Pool } from 'pg';
import { createConsoleSessionQueries, type ConsoleSessionRow } from '../db/queries/consoleSessions';
import { readCookies, setCookie } from './request';

export const sessionCookie = 'kim_session';

export function hashSecret(value: string): string {
  return createHash('sha256').update(value).digest('base64url');
}

export function randomSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** The signed-in session of the request's cookie, if it exists and has not expired. */
export async function findSession(pool: Pool, req: Request, now: Date): Promise<ConsoleSessionRow | undefined> {
  const id = readCookies(req)[sessionCookie];
  if (!id || id.length > 100) return undefined;
  return createConsoleSessionQueries(pool).findSessionByIdHash(hashSecret(id), now);
}

/** Starts a session: a fresh random id in an httpOnly, SameSite=Lax cookie (Secure over https); the database keeps its hash. */
export async function startSession(pool: Pool, req: Request, res: Response, session: Omit<ConsoleSessionRow, 'csrfToken'>, now: Date): Promise<void> {
  const queries = createConsoleSessionQueries(pool);
  await queries.deleteExpiredSessions(now);
  const id = randomSecret();
  await queries.insertSession(hashSecret(id), { ...session, csrfToken: randomSecret() });
  setCookie(req, res, sessionCookie, id, { path: '/console', maxAgeSeconds: Math.max(0, Math.floor((session.expiresAt.getTime() - now.getTime()) / 1000)) });
}

export async function endSession(pool: Pool, req: Request, res: Response): Promise<void> {
  const id = readCookies(req)[sessionCookie];
  if (id && id.length <= 100) await createConsoleSessionQueries(pool).deleteSessionByIdHash(hashSecret(id));
  setCookie(req, res, sessionCookie, '', { path: '/console', maxAgeSeconds: 0 });
}

/** Whether a form's `_csrf` field is the session's token (compared in constant time). */
export function isCsrfTokenValid(session: ConsoleSessionRow, submitted: unknown): boolean {
  if (typeof submitted !== 'string') return false;
  const expected = Buffer.from(session.csrfToken);
  const actual = Buffer.from(submitted);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
