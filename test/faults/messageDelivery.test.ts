import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { startSystem, validApplicationBody } from '../support/system';

type System = Awaited<ReturnType<typeof startSystem>>;

const workerMain = path.resolve(__dirname, '..', '..', 'worker', 'main.js');

async function waitUntil(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Worker processes of `system`, each a separate node process as in production, with their output
 * kept for a failure's report.
 */
function workerProcesses(system: System, env: Record<string, string> = {}) {
  const children: ChildProcess[] = [];
  const output: string[] = [];
  const startWorker = (workerEnv: Record<string, string> = {}) => {
    const child = spawn(process.execPath, [workerMain], {
      env: {
        ...process.env,
        ...system.workerEnv,
        LOG_LEVEL: 'warn',
        ...env,
        ...workerEnv,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (b: Buffer) => output.push(b.toString()));
    child.stderr!.on('data', (b: Buffer) => output.push(b.toString()));
    children.push(child);
    return child;
  };
  return { children, output, startWorker };
}

/**
 * Faults around e-mail delivery, on the real parts: a worker process killed mid-send, and an
 * SMTP server that is away for a while. A letter is delivered at least once; a second delivery
 * happens only when the worker dies between the SMTP server's acceptance and the record, and then
 * carries the same Message-ID.
 */
describe('message delivery under faults', () => {
  test('the worker is killed while the SMTP server is slowly accepting; after a restart exactly one e-mail arrives', async () => {
    const system = await startSystem({ inProcessWorker: false, smtpDelayMs: 4_000 });
    const { children, output, startWorker } = workerProcesses(system);
    try {
      const first = startWorker();
      const created = await system.request('POST', '/api/v1/naturalisation/applications', validApplicationBody({
        applicant: { ...validApplicationBody().applicant, email: 'killed-worker@example.org' },
      }));
      expect(created.status).toBe(201);

      // The message's data is at the SMTP server, which has not answered yet: kill the worker.
      await waitUntil(() => system.smtp.counters.dataReceived >= 1, 90_000, 'the SMTP DATA of the acknowledgement');
      first.kill('SIGKILL');
      await new Promise((resolve) => first.once('exit', resolve));
      // The server settles that message once its slow answer is due: discarded, its client is gone.
      await waitUntil(() => system.smtp.counters.dataSettled >= 1, 30_000, 'the server to settle the first DATA');
      expect(system.smtp.received).toHaveLength(0); // the connection died before the server accepted

      startWorker();
      await system.smtp.waitFor((m) => m.recipients.includes('killed-worker@example.org'), 1, 90_000);
      // No attempt is left that could send a duplicate: the workflow has moved past the delivery,
      // and the server has answered every DATA it received.
      await waitUntil(async () => (await system.request('GET', `/api/v1/naturalisation/applications/${created.body.id}`)).body.stage === 'completeness_check', 90_000, 'the workflow past the delivery');
      await waitUntil(() => system.smtp.counters.dataSettled === system.smtp.counters.dataReceived, 30_000, 'every DATA settled');
      const received = system.smtp.received.filter((m) => m.recipients.includes('killed-worker@example.org'));
      expect(received).toHaveLength(1);
      expect(system.smtp.counters.dataReceived).toBe(2); // one lost with the worker, one delivered
      const { rows } = await system.db.pool.query('SELECT status, attempts, message_id FROM outbox WHERE case_id = $1', [created.body.id]);
      expect(rows).toHaveLength(1);
      expect(rows[0].status).toBe('sent');
      expect(rows[0].attempts).toBe(2);
      expect(received[0].messageId).toBe(rows[0].message_id);
    } catch (error) {
      process.stderr.write(`worker output:\n${output.join('')}\n`);
      throw error;
    } finally {
      for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
      await Promise.all(children.map((c) => (c.exitCode === null && c.signalCode === null ? new Promise((r) => c.once('exit', r)) : undefined)));
      await system.stop();
    }
  });

  test('the worker is killed after the SMTP server accepted, before it recorded `sent`: the letter arrives twice, with one Message-ID', async () => {
    const system = await startSystem({ inProcessWorker: false, smtpDelayMs: 3_000 });
    // A lease shorter than the default, yet not renewed before the worker is killed.
    const { children, output, startWorker } = workerProcesses(system, { OUTBOX_RELAY_LEASE_SECONDS: '15' });
    const lock = await system.db.pool.connect();
    const address = 'killed-after-accept@example.org';
    try {
      // Its database sessions carry a name of their own (libpq's PGAPPNAME), so the test can find them.
      const first = startWorker({ PGAPPNAME: 'first-worker' });
      const created = await system.request('POST', '/api/v1/naturalisation/applications', validApplicationBody({
        applicant: { ...validApplicationBody().applicant, email: address },
      }));
      expect(created.status).toBe(201);

      // The worker has claimed the row and handed the message to the SMTP server, which answers
      // slowly: the test now holds the row's lock, so the record of the delivery must wait for it.
      await waitUntil(() => system.smtp.counters.dataReceived >= 1, 90_000, 'the SMTP DATA of the acknowledgement');
      await lock.query('BEGIN');
      const locked = await lock.query(`SELECT id, message_id, status FROM outbox WHERE case_id = $1 FOR UPDATE`, [created.body.id]);
      expect(locked.rows).toHaveLength(1);
      expect(locked.rows[0].status).toBe('pending');
      expect(system.smtp.counters.dataSettled).toBe(0); // locked before the server answered

      // The server answers 250, and the worker's UPDATE … SET status = 'sent' (markRelayedMessageSent)
      // waits on the test's lock: the worker is provably between the acceptance and the record.
      await waitUntil(() => system.smtp.counters.dataSettled >= 1, 30_000, 'the server to accept the first DATA');
      expect(system.smtp.received.filter((m) => m.recipients.includes(address))).toHaveLength(1);
      const firstWorkerSessions = async (where: string) => (await system.db.pool.query(
        `SELECT pid FROM pg_stat_activity WHERE application_name = 'first-worker' AND ${where}`,
      )).rows as Array<{ pid: number }>;
      await waitUntil(
        async () => (await firstWorkerSessions(`wait_event_type = 'Lock' AND query LIKE 'UPDATE outbox SET status = ''sent''%'`)).length === 1,
        30_000,
        "the worker's record of the delivery, waiting on the lock",
      );

      first.kill('SIGKILL');
      await new Promise((resolve) => first.once('exit', resolve));
      // The dead worker's sessions die with it. PostgreSQL notices a gone client only when it next
      // talks to it, so it would still run the waiting UPDATE once the lock is released; end them.
      for (const { pid } of await firstWorkerSessions('true')) await system.db.pool.query('SELECT pg_terminate_backend($1)', [pid]);
      await waitUntil(async () => (await firstWorkerSessions('true')).length === 0, 30_000, "the dead worker's sessions to end");
      await lock.query('ROLLBACK');
      const unrecorded = await system.db.pool.query('SELECT status, attempts FROM outbox WHERE case_id = $1', [created.body.id]);
      expect(unrecorded.rows).toEqual([{ status: 'pending', attempts: 1 }]); // accepted, but not recorded

      startWorker();
      const both = await system.smtp.waitFor((m) => m.recipients.includes(address), 2, 90_000);
      await waitUntil(async () => (await system.db.pool.query('SELECT status FROM outbox WHERE case_id = $1', [created.body.id])).rows[0].status === 'sent', 60_000, 'the second delivery recorded');
      await waitUntil(async () => (await system.request('GET', `/api/v1/naturalisation/applications/${created.body.id}`)).body.stage === 'completeness_check', 90_000, 'the workflow past the delivery');
      await waitUntil(() => system.smtp.counters.dataSettled === system.smtp.counters.dataReceived, 30_000, 'every DATA settled');

      const { rows } = await system.db.pool.query('SELECT status, attempts, message_id FROM outbox WHERE case_id = $1', [created.body.id]);
      expect(rows).toHaveLength(1);
      expect(rows[0].status).toBe('sent');
      expect(rows[0].attempts).toBe(2);
      // Delivered twice, both copies with the row's one Message-ID: a receiver that drops
      // duplicate Message-IDs sees the letter once.
      const received = system.smtp.received.filter((m) => m.recipients.includes(address));
      expect(both).toHaveLength(2);
      expect(received).toHaveLength(2);
      expect(received.map((m) => m.messageId)).toEqual([rows[0].message_id, rows[0].message_id]);
      // Nothing else was doubled: every other message arrived once, and every DATA was accepted.
      const ids = system.smtp.received.map((m) => m.messageId);
      expect(ids.every((id) => id !== undefined)).toBe(true);
      const others = ids.filter((id) => id !== rows[0].message_id);
      expect(new Set(others).size).toBe(others.length);
      expect(system.smtp.counters.dataReceived).toBe(system.smtp.received.length);
      const outbox = await system.db.pool.query(`SELECT count(*)::int AS n FROM outbox WHERE status = 'sent'`);
      expect(outbox.rows[0].n).toBe(new Set(ids).size);
    } catch (error) {
      process.stderr.write(`worker output:\n${output.join('')}\n`);
      throw error;
    } finally {
      await lock.query('ROLLBACK').catch(() => undefined);
      lock.release();
      for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await Promise.all(children.map((c) => (c.exitCode === null && c.signalCode === null ? new Promise((r) => c.once('exit', r)) : undefined)));
      await system.stop();
    }
  });

  test('the SMTP server is unreachable for a while: the mail goes out once it is back, none lost, none doubled', async () => {
    const system = await startSystem();
    try {
      await system.smtp.stop();
      const created = await system.request('POST', '/api/v1/naturalisation/applications', validApplicationBody({
        applicant: { ...validApplicationBody().applicant, email: 'smtp-down@example.org' },
      }));
      expect(created.status).toBe(201);
      await waitUntil(async () => {
        const { rows } = await system.db.pool.query('SELECT last_error FROM outbox WHERE case_id = $1', [created.body.id]);
        return rows[0]?.last_error != null;
      }, 60_000, 'a failed delivery attempt');
      const pending = await system.db.pool.query('SELECT status, last_error FROM outbox WHERE case_id = $1', [created.body.id]);
      expect(pending.rows[0].status).toBe('pending');
      expect(pending.rows[0].last_error).toMatch(/ECONNREFUSED|connect/i);
      // The delivery is retried while the server is away (no sleeping: wait for a second attempt).
      await waitUntil(async () => {
        const { rows } = await system.db.pool.query('SELECT attempts FROM outbox WHERE case_id = $1', [created.body.id]);
        return rows[0].attempts >= 2;
      }, 60_000, 'a retried delivery attempt');

      await system.smtp.restart();
      await system.smtp.waitFor((m) => m.recipients.includes('smtp-down@example.org'), 1, 120_000);
      // Past the delivery, the workflow moves on: no attempt is left to send it again.
      await waitUntil(async () => (await system.request('GET', `/api/v1/naturalisation/applications/${created.body.id}`)).body.stage === 'completeness_check', 60_000, 'the workflow past the delivery');
      expect(system.smtp.received.filter((m) => m.recipients.includes('smtp-down@example.org'))).toHaveLength(1);
      const { rows } = await system.db.pool.query('SELECT status FROM outbox WHERE case_id = $1', [created.body.id]);
      expect(rows).toEqual([{ status: 'sent' }]);
    } finally {
      await system.stop();
    }
  });
});
