import { randomUUID } from 'node:crypto';
import { createOutboxRelay } from '../../activities/relay/outboxRelay';
import { createPooledMailer } from '../../activities/relay/smtp';
import { messageIdFor } from '../../activities/messages';
import { createAccessCodeQueries } from '../../db/queries/accessCodes';
import { createApplicationQueries } from '../../db/queries/applications';
import { createOutboxQueries, type OutboxMessage } from '../../db/queries/outbox';
import { createOutboxRelayQueries, type RelayOutboxRow } from '../../db/queries/outboxRelay';
import { accessCodePlaceholder } from '../../domain/letters/naturalisationLetters';
import { createMailer } from '../../worker/mailer';
import { createTestDatabase } from '../support/postgres';
import { startTestSmtp, type TestMail } from '../support/smtp';
import { testMail } from '../support/system';

const outboxKeyOf = (mail: TestMail) => /^x-outbox-key:\s*(.+)$/im.exec(mail.raw)?.[1]?.trim();

/**
 * The outbox relay on real PostgreSQL and a real SMTP listener: batches claimed under a lease,
 * never a row twice, a case's letters in order, backoff while the mail server is away, bounces,
 * secrets rendered only at delivery, and rows that are not the relay's left alone.
 */
describe('outbox relay', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let smtp: Awaited<ReturnType<typeof startTestSmtp>>;
  const mailers: ReturnType<typeof createPooledMailer>[] = [];

  beforeAll(async () => {
    [db, smtp] = await Promise.all([createTestDatabase(), startTestSmtp({ refuseRecipient: (address) => address.startsWith('bounce@') })]);
  });
  afterAll(async () => {
    mailers.forEach((mailer) => mailer.close());
    await smtp?.stop();
    await db?.drop();
  });

  const relay = (settings: Parameters<typeof createOutboxRelay>[0]['settings'] = {}) => {
    const mailer = createPooledMailer(createMailer(smtp.url), 2);
    mailers.push(mailer);
    return createOutboxRelay({ pool: db.pool, mailer, mail: testMail, settings });
  };

  async function enqueue(caseId: string | null, recipient = 'someone@example.org', extra: Partial<OutboxMessage> = {}): Promise<string> {
    const messageKey = `${caseId ?? 'none'}/${randomUUID()}`;
    await createOutboxQueries(db.pool).insertMessageOnce({
      messageKey,
      caseId,
      kind: 'naturalisation.acknowledgement',
      recipient,
      subject: `Test ${messageKey}`,
      bodyText: 'Guten Tag',
      messageId: messageIdFor(messageKey, testMail.domain),
      relay: true,
      ...extra,
    });
    return messageKey;
  }

  const rowOf = async (messageKey: string) => (await db.pool.query<RelayOutboxRow>('SELECT * FROM outbox WHERE message_key = $1', [messageKey])).rows[0]!;
  const mailsWithKey = (messageKey: string) => smtp.received.filter((mail) => outboxKeyOf(mail) === messageKey);

  test('two relays share the batches: every row sent exactly once, each case in the order of its letters, with its stable Message-ID', async () => {
    const cases = Array.from({ length: 30 }, () => randomUUID());
    const keys = new Map<string, string[]>();
    // Interleaved: the first letter of every case, then the second of every case, ...
    for (let letter = 0; letter < 4; letter++) {
      for (const caseId of cases) keys.set(caseId, [...(keys.get(caseId) ?? []), await enqueue(caseId)]);
    }
    const [a, b] = [relay({ batchSize: 7 }), relay({ batchSize: 7 })];
    const claims = { a: 0, b: 0 };
    const drain = async (r: typeof a, name: 'a' | 'b') => {
      for (let round = 0; round < 200; round++) {
        const result = await r.relayBatch();
        claims[name] += result.claimed;
        if ((await db.pool.query(`SELECT 1 FROM outbox WHERE status = 'pending' AND relay`)).rowCount === 0) return;
      }
    };
    await Promise.all([drain(a, 'a'), drain(b, 'b')]);

    expect(claims.a + claims.b).toBe(120);
    expect(claims.a).toBeGreaterThan(0);
    expect(claims.b).toBeGreaterThan(0);
    for (const [, caseKeys] of keys) {
      for (const key of caseKeys) {
        expect(mailsWithKey(key)).toHaveLength(1);
        const row = await rowOf(key);
        expect(row).toMatchObject({ status: 'sent', attempts: 1, lease_until: null });
        expect(mailsWithKey(key)[0]!.raw).toContain(`Message-ID: ${row.message_id}`);
      }
      // The acknowledgement before any later letter of the same case.
      const arrival = caseKeys.map((key) => smtp.received.indexOf(mailsWithKey(key)[0]!));
      expect(arrival).toEqual([...arrival].sort((x, y) => x - y));
    }
  });

  test('a case waits while its earlier letter is being sent by another relay', async () => {
    const caseId = randomUUID();
    const first = await enqueue(caseId);
    const second = await enqueue(caseId);
    // Another relay holds the first letter (and is slow about it).
    const [held] = await createOutboxRelayQueries(db.pool).claimDueMessages(10, 'other-relay', 120);
    expect(held?.message_key).toBe(first);
    expect(await relay().relayBatch()).toMatchObject({ claimed: 0 });
    expect((await rowOf(second)).status).toBe('pending');
    // Once the first is sent, the second goes.
    await createOutboxRelayQueries(db.pool).markRelayedMessageSent(held!.id, '250 test');
    expect(await relay().relayBatch()).toMatchObject({ claimed: 1, sent: 1 });
    expect(mailsWithKey(second)).toHaveLength(1);
  });

  test('the mail server away: the row is retried after a growing backoff, then sent once', async () => {
    const key = await enqueue(randomUUID());
    const r = relay({ firstBackoffSeconds: 30, maxBackoffSeconds: 300 });
    await smtp.stop();
    try {
      expect(await r.relayBatch()).toMatchObject({ claimed: 1, failed: 1 });
      const afterFirst = await rowOf(key);
      expect(afterFirst).toMatchObject({ status: 'pending', attempts: 1, lease_until: null });
      expect(afterFirst.last_error).toMatch(/ECONNREFUSED|connect/i);
      const firstWait = afterFirst.next_attempt_at.getTime() - Date.now();
      expect(firstWait).toBeGreaterThan(25_000);
      expect(firstWait).toBeLessThanOrEqual(30_000);
      // Not due yet: a batch now does not touch it.
      expect(await r.relayBatch()).toMatchObject({ claimed: 0 });
      // Due again (as after the wait): the second failure waits twice as long.
      await db.pool.query('UPDATE outbox SET next_attempt_at = now() WHERE message_key = $1', [key]);
      expect(await r.relayBatch()).toMatchObject({ claimed: 1, failed: 1 });
      const secondWait = (await rowOf(key)).next_attempt_at.getTime() - Date.now();
      expect(secondWait).toBeGreaterThan(55_000);
      expect(secondWait).toBeLessThanOrEqual(60_000);
    } finally {
      await smtp.restart();
    }
    await db.pool.query('UPDATE outbox SET next_attempt_at = now() WHERE message_key = $1', [key]);
    expect(await r.relayBatch()).toMatchObject({ claimed: 1, sent: 1 });
    expect(await rowOf(key)).toMatchObject({ status: 'sent', attempts: 3, last_error: null });
    expect(mailsWithKey(key)).toHaveLength(1);
  });

  test('a permanent refusal (550) is recorded as a bounce and never retried', async () => {
    const key = await enqueue(randomUUID(), 'bounce@example.org');
    const r = relay();
    expect(await r.relayBatch()).toMatchObject({ claimed: 1, bounced: 1 });
    const row = await rowOf(key);
    expect(row.status).toBe('bounced');
    expect(row.last_error).toMatch(/550|mailbox unavailable/);
    await db.pool.query('UPDATE outbox SET next_attempt_at = now() WHERE message_key = $1', [key]);
    expect(await r.relayBatch()).toMatchObject({ claimed: 0 });
  });

  test('a lease that ran out (its relay died mid-send) is claimed again by another relay', async () => {
    const key = await enqueue(randomUUID());
    const [dead] = await createOutboxRelayQueries(db.pool).claimDueMessages(10, 'dead-relay', 120);
    expect(dead?.message_key).toBe(key);
    const survivor = relay();
    expect(await survivor.relayBatch()).toMatchObject({ claimed: 0 });
    // The lease runs out.
    await db.pool.query(`UPDATE outbox SET lease_until = now() - interval '1 second' WHERE message_key = $1`, [key]);
    expect(await survivor.relayBatch()).toMatchObject({ claimed: 1, sent: 1 });
    expect(await rowOf(key)).toMatchObject({ status: 'sent', claimed_by: survivor.claimant, attempts: 2 });
    expect(mailsWithKey(key)).toHaveLength(1);
  });

  test('the database refuses to record a delivery the mail server accepted: recorded at the next batch, never sent again', async () => {
    const key = await enqueue(randomUUID());
    // The database, not the mail server, fails at the step after the send: recording "sent" is refused.
    await db.pool.query(`
      CREATE FUNCTION refuse_sent() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'database away'; END $$;
      CREATE TRIGGER refuse_sent BEFORE UPDATE ON outbox FOR EACH ROW WHEN (NEW.status = 'sent') EXECUTE FUNCTION refuse_sent();`);
    const sending = relay({ leaseSeconds: 1, firstBackoffSeconds: 1 });
    try {
      expect(await sending.relayBatch()).toMatchObject({ claimed: 1, sent: 1, failed: 0 });
      expect(mailsWithKey(key)).toHaveLength(1);
      expect(await rowOf(key)).toMatchObject({ status: 'pending', attempts: 1 });
      // While the database still refuses, this relay claims nothing else: it records first.
      await expect(sending.relayBatch()).rejects.toThrow('database away');
    } finally {
      await db.pool.query('DROP TRIGGER refuse_sent ON outbox; DROP FUNCTION refuse_sent();');
    }
    // Past the lease and any backoff, when the row would be claimed and sent again: it is recorded instead.
    const { lease_until: leaseUntil, next_attempt_at: nextAttemptAt } = await rowOf(key);
    await db.pool.query('SELECT pg_sleep(GREATEST(0, EXTRACT(EPOCH FROM GREATEST($1::timestamptz, $2::timestamptz) - now())) + 0.1)', [leaseUntil, nextAttemptAt]);
    expect(await sending.relayBatch()).toMatchObject({ claimed: 0 });
    expect(await relay().relayBatch()).toMatchObject({ claimed: 0 });
    expect(await rowOf(key)).toMatchObject({ status: 'sent', attempts: 1, lease_until: null });
    expect(mailsWithKey(key)).toHaveLength(1);
  });

  test('a slow mail server is not a dead relay: the lease is renewed while the row is being sent', async () => {
    const slow = await startTestSmtp({ acceptDelayMs: 2_500 });
    const mailer = createPooledMailer(createMailer(slow.url), 1);
    try {
      const key = await enqueue(randomUUID());
      const sending = createOutboxRelay({ pool: db.pool, mailer, mail: testMail, settings: { leaseSeconds: 1.5 } });
      const batch = sending.relayBatch();
      const claimedUntil = async () => (await rowOf(key)).lease_until?.getTime() ?? 0;
      for (let i = 0; i < 100 && (await claimedUntil()) === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
      const firstLease = await claimedUntil();
      // Past the first lease, still sending: renewed, so no other relay takes the row over.
      for (let i = 0; i < 100 && Date.now() < firstLease + 200; i++) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(await claimedUntil()).toBeGreaterThan(firstLease);
      expect(await relay().relayBatch()).toMatchObject({ claimed: 0 });
      expect(await batch).toMatchObject({ claimed: 1, sent: 1 });
      expect(slow.received.filter((mail) => outboxKeyOf(mail) === key)).toHaveLength(1);
      expect(await rowOf(key)).toMatchObject({ status: 'sent', attempts: 1, lease_until: null });
    } finally {
      mailer.close();
      await slow.stop();
    }
  });

  test('an access code is rendered only at delivery: the stored body keeps the placeholder, and the code is deleted once sent', async () => {
    const caseId = randomUUID();
    await createApplicationQueries(db.pool).insertApplication({
      id: caseId,
      authority_id: 'koeln',
      reference: `EBH-RELAY-${caseId.slice(0, 8)}`,
      given_names: 'Lena',
      family_name: 'Petrenko',
      date_of_birth: '1988-09-01',
      email: 'lena@example.org',
      preferred_language: 'uk',
      filed_on: '2026-11-26',
    });
    const secrets = createAccessCodeQueries(db.pool);
    await secrets.putMessageSecret(caseId, 'RELAY-CODE-4711', new Date(Date.now() + 86_400_000));
    const key = await enqueue(caseId, 'lena@example.org', { bodyText: `Ihr Zugangscode: ${accessCodePlaceholder}` });
    expect((await rowOf(key)).body_text).not.toContain('RELAY-CODE-4711');

    expect(await relay().relayBatch()).toMatchObject({ claimed: 1, sent: 1 });
    expect(mailsWithKey(key)[0]!.raw).toContain('Ihr Zugangscode: RELAY-CODE-4711');
    expect((await rowOf(key)).body_text).toBe(`Ihr Zugangscode: ${accessCodePlaceholder}`);
    expect(await secrets.findMessageSecret(caseId)).toBeUndefined();
  });

  test('rows that are not the relay\'s stay untouched: letters to print, and rows of older workflows (delivered by their activity)', async () => {
    const toPrint = await enqueue(randomUUID(), 'print', { status: 'to_print' });
    const older = await enqueue(randomUUID(), 'older@example.org', { relay: false });
    expect(await relay().relayBatch()).toMatchObject({ claimed: 0 });
    expect(await rowOf(toPrint)).toMatchObject({ status: 'to_print', attempts: 0, claimed_by: null });
    expect(await rowOf(older)).toMatchObject({ status: 'pending', attempts: 0, claimed_by: null });
    expect(mailsWithKey(toPrint)).toHaveLength(0);
    expect(mailsWithKey(older)).toHaveLength(0);
    await db.pool.query('DELETE FROM outbox WHERE message_key = $1', [older]);
  });

  test('the loop in a worker process delivers what arrives, and stops', async () => {
    const r = relay({ pollMs: 20 });
    r.start();
    try {
      const key = await enqueue(randomUUID());
      await smtp.waitFor((mail) => outboxKeyOf(mail) === key, 1, 10_000);
    } finally {
      await r.stop();
    }
  });
});
