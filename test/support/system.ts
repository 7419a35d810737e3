import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import pino from 'pino';
import { createApp } from '../../api/app';
import type { ApiDependencies } from '../../api/deps';
import { createMailer } from '../../worker/mailer';
import { createWorkers } from '../../worker/run';
import { createTestDatabase } from './postgres';
import { startTestSmtp } from './smtp';
import { startDevServer, workflowBundle } from './temporal';

export const testMail = { from: 'EBH Test <ebh@test.localhost>', domain: 'test.localhost', teamMailbox: 'team@test.localhost' };

/**
 * The whole system on real parts: a fresh PostgreSQL database, the Temporal dev server, a real
 * SMTP listener, the workers in this process and the API on an ephemeral port.
 */
export async function startSystem(options: { leadTimesMs?: number[]; smtpDelayMs?: number; inProcessWorker?: boolean } = {}) {
  const db = await createTestDatabase();
  const temporalServer = await startDevServer();
  const smtp = await startTestSmtp({ acceptDelayMs: options.smtpDelayMs });
  const mailer = createMailer(smtp.url);
  const logger = pino({ level: 'silent' });

  let workers: Awaited<ReturnType<typeof createWorkers>> | undefined;
  let workersRunning: Promise<void> | undefined;
  let workerConnection: NativeConnection | undefined;
  if (options.inProcessWorker !== false) {
    workerConnection = await NativeConnection.connect({ address: temporalServer.address });
    workers = await createWorkers({
      connection: workerConnection,
      namespace: 'default',
      pool: db.pool,
      mailer,
      mail: testMail,
      workflowBundle: await workflowBundle(),
    });
    workersRunning = workers.run();
  }

  const connection = await Connection.connect({ address: temporalServer.address });
  const temporal = new Client({ connection, namespace: 'default' });
  const deps: ApiDependencies = {
    pool: db.pool,
    temporal,
    mailer,
    logger,
    clock: () => new Date(),
    settings: { inactionWarningLeadTimesMs: options.leadTimesMs ?? [28 * 86_400_000, 7 * 86_400_000] },
  };
  const server: Server = await new Promise((resolve) => {
    const s = createApp(deps).listen(0, '127.0.0.1', () => resolve(s));
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    db,
    temporalServer,
    temporal,
    smtp,
    deps,
    baseUrl,
    async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
      const response = await fetch(`${baseUrl}${path}`, {
        method,
        headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
    },
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
    authorityId: 'koeln',
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
