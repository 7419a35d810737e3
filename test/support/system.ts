import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import type { Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import pino from 'pino';
import { createApp } from '../../api/app';
import type { ApiDependencies } from '../../api/deps';
import { createRateLimiter } from '../../api/rateLimit';
import type { Role } from '../../security/roles';
import { createTokenVerifier, loadOrCreateLocalIssuer, localKeySet, localVerifierSettings, signLocalToken } from '../../security/tokens';
import { createDataConverter, EncryptionCodec } from '../../security/payloadCodec';
import { generatePayloadKey, loadPayloadKeys } from '../../security/payloadKeys';
import { unscannedDocumentScanner } from '../../security/documentScanner';
import { createMailer } from '../../worker/mailer';
import { createWorkers } from '../../worker/run';
import { createRequester } from './http';
import { createTestDatabase } from './postgres';
import { startTestSmtp } from './smtp';
import { startDevServer, workflowBundle } from './temporal';

// Outreach's opt-out secret has no built-in default beyond loopback embedded defaults
// (security/developmentSecrets.ts); workers the tests spawn with DATABASE_URL inherit this one.
// A test file that sets its own (at its top, before any settings are read) keeps it.
process.env.OUTREACH_OPT_OUT_SECRET ??= 'test-opt-out-secret';

export const testMail = { from: 'EBH Test <ebh@test.localhost>', domain: 'test.localhost', teamMailbox: 'team@test.localhost' };

/**
 * The whole system on real parts: a fresh PostgreSQL database, the Temporal dev server, a real
 * SMTP listener, the workers in this process and the API on an ephemeral port.
 */
export async function startSystem<T extends { address: string; stop(): Promise<void> } = Awaited<ReturnType<typeof startDevServer>>>(
  options: {
    leadTimesMs?: number[];
    smtpDelayMs?: number;
    /** Recipients the SMTP listener refuses with 550 (a bounce). */
    smtpRefuseRecipient?: (address: string) => boolean;
    inProcessWorker?: boolean;
    rateLimitPerMinute?: number;
    importWorker?: boolean;
    /** Access-code settings beside the test pepper (expiry, wrong attempts before a lockout). */
    accessCodes?: { expireAfterCloseDays?: number; maxFailures?: number };
    /** A PostgreSQL server of the test's own (e.g. one it restarts) instead of the shared one. */
    databaseServerUrl?: string;
    /** Connections in the pool that the API and the workers share (default 10). */
    poolSize?: number;
    /** Starts the Temporal server instead of a fresh dev server (e.g. the production server on PostgreSQL); stopped with the system. */
    startTemporal?: () => Promise<T>;
    /** Serve the staff console and applicant page, signing in at the loopback development OIDC provider. */
    console?: boolean;
  } = {},
) {
  // The test deployment's payload key, also handed to worker processes the tests start.
  const payloadKeysEnv = { PAYLOAD_ENCRYPTION_KEYS: `test-key:${generatePayloadKey()}` };
  const dataConverter = createDataConverter(new EncryptionCodec(loadPayloadKeys({ env: payloadKeysEnv, dataDir: '/nonexistent' })));
  const db = await createTestDatabase(options.databaseServerUrl, { poolSize: options.poolSize });
  const temporalServer = await (options.startTemporal ?? (startDevServer as unknown as () => Promise<T>))();
  const smtp = await startTestSmtp({ acceptDelayMs: options.smtpDelayMs, refuseRecipient: options.smtpRefuseRecipient });
  const mailer = createMailer(smtp.url);
  const logger = pino({ level: 'silent' });

  const connection = await Connection.connect({ address: temporalServer.address });
  const temporal = new Client({ connection, namespace: 'default', dataConverter });
  let workers: Awaited<ReturnType<typeof createWorkers>> | undefined;
  let workersRunning: Promise<void> | undefined;
  let workerConnection: NativeConnection | undefined;
  if (options.inProcessWorker !== false) {
    workerConnection = await NativeConnection.connect({ address: temporalServer.address });
    workers = await createWorkers({
      serveImports: options.importWorker !== false,
      dataConverter,
      starter: { client: temporal, inactionWarningLeadTimesMs: options.leadTimesMs ?? [28 * 86_400_000, 7 * 86_400_000] },
      connection: workerConnection,
      namespace: 'default',
      pool: db.pool,
      mailer,
      mail: testMail,
      workflowBundle: await workflowBundle(),
    });
    workersRunning = workers.run();
  }

  const issuer = await loadOrCreateLocalIssuer(fs.mkdtempSync(path.join(os.tmpdir(), 'kim-issuer-')));
  const deps: ApiDependencies = {
    pool: db.pool,
    temporal,
    mailer,
    logger,
    clock: () => new Date(),
    verifyToken: createTokenVerifier(localVerifierSettings(), localKeySet(issuer)),
    rateLimiter: createRateLimiter(options.rateLimitPerMinute ?? 10_000),
    documentScanner: unscannedDocumentScanner,
    ...(options.console ? { console: { oidc: { mode: 'local' as const }, devIssuer: issuer } } : {}),
    settings: {
      inactionWarningLeadTimesMs: options.leadTimesMs ?? [28 * 86_400_000, 7 * 86_400_000],
      accessCodes: { pepper: randomBytes(32), ...options.accessCodes },
    },
  };
  const server: Server = await new Promise((resolve) => {
    const s = createApp(deps).listen(0, '127.0.0.1', () => resolve(s));
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  /** A bearer token of the test issuer. */
  const tokenFor = (roles: Role[], authorityId = 'koeln', subject = `${roles[0]}-1`, options: { expiresIn?: string; team?: string } = {}) =>
    signLocalToken(issuer, { subject, roles, authorityId, ...options });
  const clerkToken = await tokenFor(['ebh_clerk']);

  return {
    db,
    payloadKeysEnv,
    /** The environment a worker process (`node dist/worker/main.js`) needs to join this system. */
    workerEnv: {
      ...payloadKeysEnv,
      DATABASE_URL: db.url,
      TEMPORAL_ADDRESS: temporalServer.address,
      SMTP_URL: smtp.url,
      MAIL_FROM: testMail.from,
      MAIL_DOMAIN: testMail.domain,
      TEAM_MAILBOX: testMail.teamMailbox,
    },
    tokenFor,
    temporalServer,
    temporal,
    smtp,
    deps,
    baseUrl,
    /** A request as an EBH clerk of "koeln", unless headers give another Authorization (or `null` for none). */
    request: createRequester(baseUrl, clerkToken),
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      workers?.shutdown();
      await workersRunning;
      await workerConnection?.close();
      await connection.close();
      await temporalServer.stop();
      await smtp.stop();
      await db.drop();
    },
  };
}

export function validApplicationBody(overrides: Record<string, unknown> = {}) {
  return {
    applicant: {
      givenNames: 'Amina',
      familyName: 'Haddad',
      dateOfBirth: '1990-04-12',
      email: 'amina.haddad@example.org',
      preferredLanguage: 'en',
    },
    ...overrides,
  };
}
