import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { createApp } from '../../api/app';
import type { ApiDependencies } from '../../api/deps';
import { createRateLimiter } from '../../api/rateLimit';
import type { Role } from '../../security/roles';
import { unscannedDocumentScanner } from '../../security/documentScanner';
import { createTokenVerifier, loadOrCreateLocalIssuer, localKeySet, localVerifierSettings, signLocalToken } from '../../security/tokens';
import { createMailer } from '../../worker/mailer';
import { createTestDatabase } from './postgres';

/**
 * The API alone on a fresh database, for tests of what happens before a route's handler talks to
 * Temporal (authentication, rate limits, the audit trail). Temporal is not running: a handler
 * that needs it fails. `overrides` replace parts of the dependencies.
 */
export async function startApiOnly(overrides: Partial<ApiDependencies> = {}) {
  const db = await createTestDatabase();
  const issuer = await loadOrCreateLocalIssuer(fs.mkdtempSync(path.join(os.tmpdir(), 'kim-issuer-')));
  const deps: ApiDependencies = {
    pool: db.pool,
    temporal: undefined as never,
    mailer: createMailer('smtp://127.0.0.1:9'),
    logger: pino({ level: 'silent' }),
    clock: () => new Date(),
    verifyToken: createTokenVerifier(localVerifierSettings(), localKeySet(issuer)),
    rateLimiter: createRateLimiter(10_000),
    documentScanner: unscannedDocumentScanner,
    settings: { inactionWarningLeadTimesMs: [], accessCodes: { pepper: randomBytes(32) } },
    ...overrides,
  };
  const server: Server = await new Promise((resolve) => {
    const s = createApp(deps).listen(0, '127.0.0.1', () => resolve(s));
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    db,
    deps,
    issuer,
    baseUrl,
    tokenFor: (roles: Role[], authorityId = 'koeln', subject = `${roles[0]}-1`) => signLocalToken(issuer, { subject, roles, authorityId }),
    async request(method: string, urlPath: string, headers: Record<string, string> = {}, body?: unknown) {
      const response = await fetch(`${baseUrl}${urlPath}`, {
        method,
        headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, headers: response.headers, text, body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
    },
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await db.drop();
    },
  };
}
