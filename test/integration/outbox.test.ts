import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities } from '../../activities';
import { createOutboxQueries } from '../../db/queries/outbox';
import { createMailer } from '../../worker/mailer';
import { startSystem, testMail, validApplicationBody } from '../support/system';

const base = '/api/v1/naturalisation/applications';

/**
 * The outbox's promise — every letter once — rests on two guards: the unique `message_key`
 * (a retried enqueue inserts nothing, `ON CONFLICT DO NOTHING`) and the `status` check of the
 * delivery (a retried delivery of a message already sent sends nothing). Each test below fails
 * when its guard is removed. And a permanent refusal (5xx) is a bounce: recorded, not retried.
 * Real PostgreSQL, a real SMTP listener; the activities run as Temporal would run them, with their
 * attempt number (MockActivityEnvironment gives the activity context).
 */
describe('the outbox: each letter once, bounces recorded', () => {
  let system: Awaited<ReturnType<typeof startSystem>>;
  let activities: ReturnType<typeof createActivities>;

  beforeAll(async () => {
    system = await startSystem({ smtpRefuseRecipient: (address) => address.endsWith('@refused.example') });
    activities = createActivities({ pool: system.db.pool, mailer: createMailer(system.smtp.url), clock: () => new Date(), mail: testMail });
  });
  afterAll(async () => {
    await system?.stop();
  });

  /** Registers through the API and waits until the workflow has delivered the acknowledgement and moved on. */
  async function register(email: string): Promise<string> {
    const created = await system.request('POST', base, validApplicationBody({ applicant: { ...validApplicationBody().applicant, email } }));
    expect(created.status).toBe(201);
    for (let i = 0; i < 100; i++) {
      if ((await system.request('GET', `${base}/${created.body.id}`)).body.stage === 'completeness_check') return created.body.id;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('the case did not reach completeness_check');
  }

  const deliver = (messageKey: string, attempt: number) =>
    new MockActivityEnvironment({ attempt, activityId: `deliver-${attempt}` }).run(activities.deliverMessage, messageKey);
  const outboxRows = async (messageKey: string) =>
    (await system.db.pool.query('SELECT status, attempts, last_error FROM outbox WHERE message_key = $1', [messageKey])).rows;
  const mailsTo = (recipient: string) => system.smtp.received.filter((mail) => mail.recipients.includes(recipient));

  test('guard 1, the unique message key: an enqueue retried (its result lost) stores one message, and one letter goes out', async () => {
    const id = await register('guard-one@example.org');
    const request = { messageKey: `${id}/decision/guard-one`, applicationId: id, letter: { kind: 'decision' as const, outcome: 'refused' as const, feeEuro: 100 } };
    await activities.enqueueApplicantLetter(request);
    await activities.enqueueApplicantLetter(request); // Temporal's retry of the same activity
    expect(await outboxRows(request.messageKey)).toEqual([{ status: 'pending', attempts: 0, last_error: null }]);

    expect(await deliver(request.messageKey, 1)).toBe('sent');
    expect(mailsTo('guard-one@example.org').filter((mail) => mail.raw.includes('X-Outbox-Key: ' + request.messageKey))).toHaveLength(1);
  });

  test('guard 2, the status check: a delivery retried after the message was sent sends nothing more', async () => {
    const id = await register('guard-two@example.org');
    const messageKey = `${id}/decision/guard-two`;
    await activities.enqueueApplicantLetter({ messageKey, applicationId: id, letter: { kind: 'decision', outcome: 'approved', feeEuro: 255 } });
    const letters = () => mailsTo('guard-two@example.org').filter((mail) => mail.raw.includes('X-Outbox-Key: ' + messageKey));

    expect(await deliver(messageKey, 1)).toBe('sent');
    expect(letters()).toHaveLength(1);
    // The first attempt's result was lost: Temporal runs attempt 2, which must find the message sent.
    // (Each run has returned: whatever it sent has arrived, so the count is final.)
    expect(await deliver(messageKey, 2)).toBe('sent');
    expect(await deliver(messageKey, 3)).toBe('sent');
    expect(letters()).toHaveLength(1);
    expect(await outboxRows(messageKey)).toEqual([{ status: 'sent', attempts: 1, last_error: null }]);
    // The claim itself refuses a message that is no longer pending, whatever the attempt.
    expect(await createOutboxQueries(system.db.pool).claimMessageForDelivery(messageKey, 'deliver-9', 9)).toBeUndefined();
  });

  test('guard 3, the database refuses to record a delivery the mail server accepted: the retry records it and sends nothing more', async () => {
    const id = await register('guard-three@example.org');
    const messageKey = `${id}/decision/guard-three`;
    await activities.enqueueApplicantLetter({ messageKey, applicationId: id, letter: { kind: 'decision', outcome: 'refused', feeEuro: 100 } });
    const letters = () => mailsTo('guard-three@example.org').filter((mail) => mail.raw.includes('X-Outbox-Key: ' + messageKey));
    await system.db.pool.query(`
      CREATE FUNCTION refuse_sent_guard() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'database away'; END $$;
      CREATE TRIGGER refuse_sent_guard BEFORE UPDATE ON outbox FOR EACH ROW WHEN (NEW.status = 'sent') EXECUTE FUNCTION refuse_sent_guard();`);
    try {
      await expect(deliver(messageKey, 1)).rejects.toThrow('database away');
      expect(letters()).toHaveLength(1);
    } finally {
      await system.db.pool.query('DROP TRIGGER refuse_sent_guard ON outbox; DROP FUNCTION refuse_sent_guard();');
    }
    // Temporal's retry in the same worker process: it records the delivery instead of sending again.
    expect(await deliver(messageKey, 2)).toBe('sent');
    expect(letters()).toHaveLength(1);
    expect(await outboxRows(messageKey)).toEqual([expect.objectContaining({ status: 'sent', attempts: 2 })]);
  });

  test('a 5xx answer (550, mailbox unavailable) records the message as bounced and is not retried; the case goes on', async () => {
    const id = await register('nobody@refused.example');
    // The outbox relay delivers the acknowledgement after the workflow has moved on: wait for its answer.
    const outboxOfCase = () => system.db.pool.query('SELECT kind, status, attempts, last_error FROM outbox WHERE case_id = $1', [id]);
    for (let i = 0; i < 100 && (await outboxOfCase()).rows[0]?.status === 'pending'; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    const { rows } = await outboxOfCase();
    expect(rows).toEqual([{ kind: expect.stringMatching(/acknowledgement/), status: 'bounced', attempts: 1, last_error: expect.stringMatching(/550/) }]);
    expect(system.smtp.counters.recipientsRefused).toBe(1);
    expect(mailsTo('nobody@refused.example')).toHaveLength(0);
    // A later delivery of the same key does not try again.
    const [{ message_key: messageKey }] = (await system.db.pool.query('SELECT message_key FROM outbox WHERE case_id = $1', [id])).rows;
    expect(await deliver(messageKey, 5)).toBe('bounced');
    expect(system.smtp.counters.recipientsRefused).toBe(1);
  });
});
