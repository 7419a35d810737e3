import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { NativeConnection } from '@temporalio/worker';
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { createDataConverter, EncryptionCodec } from '../../security/payloadCodec';
import { loadPayloadKeys } from '../../security/payloadKeys';
import { createMailer } from '../../worker/mailer';
import { createWorkers } from '../../worker/run';
import { getNaturalisationStateQuery, recordDecisionUpdate } from '../../workflows/naturalisationDefinitions';
import { startSystem, testMail, validApplicationBody } from '../support/system';
import { workflowBundle } from '../support/temporal';

/** An SMTP server that answers every recipient "450 … <address> …": a temporary failure that names the address. */
async function startGreylistingSmtp() {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      const error = new Error(`<${address.address}>: Recipient address rejected: greylisted, try again later`) as Error & { responseCode: number };
      error.responseCode = 450;
      callback(error);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('the Temporal boundary', () => {
  let system: Awaited<ReturnType<typeof startSystem>>;
  let smtp: Awaited<ReturnType<typeof startGreylistingSmtp>>;
  let stopWorkers: () => Promise<void>;
  let plainConnection: Connection;

  beforeAll(async () => {
    system = await startSystem({ inProcessWorker: false });
    smtp = await startGreylistingSmtp();
    const connection = await NativeConnection.connect({ address: system.temporalServer.address });
    const workers = await createWorkers({
      starter: { client: system.temporal, inactionWarningLeadTimesMs: [] },
      connection,
      namespace: 'default',
      pool: system.db.pool,
      mailer: createMailer(smtp.url),
      mail: testMail,
      workflowBundle: await workflowBundle(),
      dataConverter: createDataConverter(new EncryptionCodec(loadPayloadKeys({ env: system.payloadKeysEnv, dataDir: '/nonexistent' }))),
    });
    const running = workers.run();
    stopWorkers = async () => {
      workers.shutdown();
      await running;
      await connection.close();
    };
    plainConnection = await Connection.connect({ address: system.temporalServer.address });
  });
  afterAll(async () => {
    await plainConnection?.close();
    await stopWorkers?.();
    await smtp?.stop();
    await system?.stop();
  });

  test('an unencrypted clerk action sent straight to Temporal is rejected, and nothing changes', async () => {
    const created = await system.request('POST', '/api/v1/naturalisation/applications', validApplicationBody());
    const workflowId = `naturalisation/${created.body.id}`;
    const handle = system.temporal.workflow.getHandle(workflowId);
    const before = await handle.query(getNaturalisationStateQuery);

    // A client without the codec: its payloads reach the worker in clear.
    const intruder = new Client({ connection: plainConnection }).workflow.getHandle(workflowId);
    const attempt = intruder.executeUpdate(recordDecisionUpdate, {
      args: [{ outcome: 'withdrawn', reason: 'skips the API', decidedBy: 'nobody', expectedVersion: before.version, refusalFeeEuro: 25 }],
    });
    // Rejected before acceptance; the intruder cannot even read why (the failure is encrypted too).
    await expect(attempt).rejects.toThrow(/binary\/encrypted/);

    const after = await handle.query(getNaturalisationStateQuery);
    expect(after.version).toBe(before.version);
    expect(after.decision ?? null).toBeNull();
    const history = await handle.fetchHistory();
    expect((history.events ?? []).some((e) => e.workflowExecutionUpdateAcceptedEventAttributes)).toBe(false);
  });

  test('an SMTP answer naming the address never reaches the Temporal server: the outbox relay records it and retries', async () => {
    const email = 'greylisted.person@example.org';
    const created = await system.request('POST', '/api/v1/naturalisation/applications', validApplicationBody({
      applicant: { ...validApplicationBody().applicant, email },
    }));
    const workflowId = `naturalisation/${created.body.id}`;
    // The acknowledgement's delivery fails (450) and is retried by the relay; the answer stays in PostgreSQL.
    const outboxRow = async () =>
      (await system.db.pool.query<{ status: string; last_error: string | null; retry_later: boolean }>(
        'SELECT status, last_error, next_attempt_at > now() AS retry_later FROM outbox WHERE case_id = $1', [created.body.id],
      )).rows[0];
    for (let i = 0; i < 200 && !(await outboxRow())?.last_error; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await outboxRow()).toMatchObject({ status: 'pending', last_error: expect.stringContaining('greylisted'), retry_later: true });

    // What the server stores of the case: none of the answer, nor the address.
    const history = await system.temporal.workflow.getHandle(workflowId).fetchHistory();
    expect((history.events ?? []).some((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'deliverMessage')).toBe(false);
    const stored = Buffer.from(temporal.api.history.v1.History.encode(history).finish());
    for (const plaintext of [email, 'greylisted', 'Recipient address rejected']) expect(stored.includes(Buffer.from(plaintext))).toBe(false);
  });
});
