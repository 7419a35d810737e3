import { createHash } from 'node:crypto';
import { accessCodePlaceholder } from '../../domain/letters/naturalisationLetters';
import { startSystem, validApplicationBody } from '../support/system';
import { subjectOf } from '../support/smtp';

const base = '/api/v1/naturalisation/applications';
const codePattern = /[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}/;

/**
 * Applicants' access codes on real parts: a keyed hash, never in a stored outbox body or a
 * decoded workflow history (rendered at delivery only), reissue and revocation by a clerk,
 * expiry after the case closes, and a lockout per reference after wrong attempts.
 */
describe('applicant access codes (PostgreSQL, Temporal dev server, SMTP)', () => {
  let system: Awaited<ReturnType<typeof startSystem>>;
  const maxFailures = 3;

  beforeAll(async () => {
    system = await startSystem({ accessCodes: { maxFailures, expireAfterCloseDays: 90 } });
  });
  afterAll(async () => {
    await system?.stop();
  });

  const lookup = (reference: string, accessCode: string) =>
    system.request('POST', '/api/v1/status/naturalisation', { reference, accessCode }, { authorization: null });
  const clerk = async (subject: string) => ({ authorization: `Bearer ${await system.tokenFor(['ebh_clerk'], 'koeln', subject)}` });

  async function register(email: string) {
    const created = await system.request('POST', base, validApplicationBody({ applicant: { ...validApplicationBody().applicant, email } }));
    expect(created.status).toBe(201);
    let view = (await system.request('GET', `${base}/${created.body.id}`)).body;
    for (let i = 0; i < 100 && view.stage !== 'completeness_check'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      view = (await system.request('GET', `${base}/${created.body.id}`)).body;
    }
    expect(view.stage).toBe('completeness_check');
    return { id: created.body.id as string, reference: created.body.reference as string, accessCode: created.body.accessCode as string };
  }

  /** Every payload of the case's history, decoded with the client's codec, as one text. */
  async function decodedHistory(id: string): Promise<string> {
    const history = await system.temporal.workflow.getHandle(`naturalisation/${id}`).fetchHistory();
    const converter = (system.temporal.options as unknown as {
      loadedDataConverter: { payloadCodecs: { decode(p: unknown[]): Promise<unknown[]> }[]; payloadConverter: { fromPayload(p: unknown): unknown } };
    }).loadedDataConverter;
    const texts: string[] = [];
    const visit = async (value: unknown): Promise<void> => {
      if (!value || typeof value !== 'object') return;
      if (Array.isArray(value)) {
        for (const item of value) await visit(item);
        return;
      }
      const record = value as Record<string, unknown>;
      if (Array.isArray(record.payloads)) {
        for (const payload of record.payloads as { metadata?: Record<string, Uint8Array>; data?: Uint8Array }[]) {
          // Temporal's own unencrypted data (the patch marker, search attributes) is searched as it is.
          if (Buffer.from(payload.metadata?.encoding ?? []).toString() !== 'binary/encrypted') {
            texts.push(Buffer.from(payload.data ?? []).toString());
            continue;
          }
          let decoded: unknown[] = [payload];
          for (const codec of [...converter.payloadCodecs].reverse()) decoded = await codec.decode(decoded);
          texts.push(JSON.stringify(converter.payloadConverter.fromPayload(decoded[0])));
        }
      }
      for (const [key, inner] of Object.entries(record)) if (key !== 'payloads') await visit(inner);
    };
    await visit(history.events);
    expect(texts.length).toBeGreaterThan(3);
    return texts.join('\n');
  }

  const normalised = (code: string) => code.replace(/-/g, '');
  const mailText = (raw: string) => raw.replace(/=\r?\n/g, '');

  test('the code is stored as a keyed hash, told by letter only at delivery, and neither the outbox nor the history holds it; a reissued code replaces the old one; a revoked code opens nothing', async () => {
    const application = await register('codes@example.org');
    const [acknowledgement] = await system.smtp.waitFor((m) => m.recipients.includes('codes@example.org'));
    expect(mailText(acknowledgement.raw)).toContain(application.accessCode);

    const { rows: [stored] } = await system.db.pool.query('SELECT access_code_hash FROM naturalisation_applications WHERE id = $1', [application.id]);
    expect(stored.access_code_hash).toMatch(/^hmac-sha256:[0-9a-f]{64}$/);
    expect(stored.access_code_hash).not.toContain(createHash('sha256').update(normalised(application.accessCode)).digest('hex'));
    const outbox = async () => (await system.db.pool.query('SELECT body_text FROM outbox WHERE case_id = $1', [application.id])).rows.map((r) => r.body_text as string);
    expect((await outbox()).join('\n')).toContain(accessCodePlaceholder);
    expect((await outbox()).join('\n')).not.toContain(application.accessCode);
    expect((await decodedHistory(application.id)).includes(application.accessCode)).toBe(false);
    // The clear code was kept only until its letter was delivered.
    expect((await system.db.pool.query('SELECT * FROM message_secrets WHERE case_id = $1', [application.id])).rows).toEqual([]);
    expect((await lookup(application.reference, application.accessCode)).status).toBe(200);

    // A clerk reissues: a letter with the new code; the old code stops working.
    const view = (await system.request('GET', `${base}/${application.id}`)).body;
    const reissued = await system.request('POST', `${base}/${application.id}/access-code`, { expectedVersion: view.version });
    expect(reissued.status).toBe(200);
    expect(JSON.stringify(reissued.body)).not.toMatch(codePattern);
    const [letter] = await system.smtp.waitFor((m) => m.recipients.includes('codes@example.org') && subjectOf(m).startsWith('Neuer Zugangscode'));
    const newCode = mailText(letter.raw).match(codePattern)![0];
    expect(newCode).not.toBe(application.accessCode);
    expect((await lookup(application.reference, application.accessCode)).status).toBe(404);
    expect((await lookup(application.reference, newCode)).status).toBe(200);
    expect((await outbox()).join('\n')).not.toContain(newCode);
    expect((await decodedHistory(application.id)).includes(newCode)).toBe(false);

    // A stale version: the workflow refuses the letter, and the code in force stays.
    const stale = await system.request('POST', `${base}/${application.id}/access-code`, { expectedVersion: view.version });
    expect(stale.status).toBe(409);
    expect((await lookup(application.reference, newCode)).status).toBe(200);

    const revoked = await system.request('POST', `${base}/${application.id}/access-code/revocation`, {});
    expect(revoked.body).toEqual({ revoked: true });
    expect((await lookup(application.reference, newCode)).status).toBe(404);

    const { rows } = await system.db.pool.query(
      "SELECT action, outcome FROM audit_log WHERE case_id = $1 AND action LIKE 'naturalisation.access_code.%' ORDER BY id", [application.id],
    );
    expect(rows).toEqual([
      { action: 'naturalisation.access_code.reissue', outcome: 'allowed' },
      { action: 'naturalisation.access_code.reissue', outcome: 'refused' },
      { action: 'naturalisation.access_code.revoke', outcome: 'allowed' },
    ]);
  });

  test('wrong attempts lock the reference (whatever the client), with a doubling lockout and bounded audit rows; another reference is not affected', async () => {
    const target = await register('locked@example.org');
    const other = await register('other@example.org');
    const { rows: [{ since }] } = await system.db.pool.query('SELECT coalesce(max(id), 0) AS since FROM audit_log');
    for (let i = 0; i < maxFailures; i++) expect((await lookup(target.reference, 'AAAA-BBBB-CCCC')).status).toBe(404);
    // Locked: even the right code is not checked.
    const locked = await lookup(target.reference, target.accessCode);
    expect([locked.status, locked.body.code]).toEqual([429, 'status.locked']);
    for (let i = 0; i < 10; i++) expect((await lookup(target.reference, 'AAAA-BBBB-CCCC')).status).toBe(429);
    expect((await lookup(other.reference, other.accessCode)).status).toBe(200);
    const refusals = async () =>
      (await system.db.pool.query(
        "SELECT detail FROM audit_log WHERE action = 'naturalisation.status.lookup' AND outcome = 'refused' AND authority_id = 'koeln' AND (detail->>'failures') IS NOT NULL AND id > $1 ORDER BY id",
        [since],
      )).rows.map((r) => r.detail);
    expect(await refusals()).toHaveLength(maxFailures);
    expect((await refusals())[maxFailures - 1]).toMatchObject({ failures: maxFailures, lockedUntil: expect.any(String) });

    // A minute later the lock has passed; the next wrong attempt locks for two minutes.
    const realClock = system.deps.clock;
    system.deps.clock = () => new Date(Date.now() + 61_000);
    try {
      const before = Date.now();
      expect((await lookup(target.reference, 'AAAA-BBBB-CCCC')).status).toBe(404);
      const last = (await refusals()).at(-1);
      expect(last).toMatchObject({ failures: maxFailures + 1, blockedWhileLocked: 11 });
      const lockMs = Date.parse(last.lockedUntil) - before;
      expect(lockMs).toBeGreaterThan(119_000);
      expect(lockMs).toBeLessThan(121_000 + 5_000);
    } finally {
      system.deps.clock = realClock;
    }
  });

  test('a code expires 90 days after its case closed', async () => {
    const application = await register('expiry@example.org');
    const view = (await system.request('GET', `${base}/${application.id}`)).body;
    const proposed = await system.request('POST', `${base}/${application.id}/decision`, { outcome: 'withdrawn', reason: 'Rücknahme', refusalFeeEuro: 25, expectedVersion: view.version }, await clerk('clerk-a'));
    const closed = await system.request('POST', `${base}/${application.id}/decision/confirmation`, { expectedVersion: proposed.body.version, proposalId: proposed.body.details.decisionProposal.id }, await clerk('clerk-b'));
    expect(closed.body.stage).toBe('closed');
    expect((await lookup(application.reference, application.accessCode)).status).toBe(200);
    const realClock = system.deps.clock;
    try {
      system.deps.clock = () => new Date(Date.now() + 89 * 86_400_000);
      expect((await lookup(application.reference, application.accessCode)).status).toBe(200);
      system.deps.clock = () => new Date(Date.now() + 91 * 86_400_000);
      expect((await lookup(application.reference, application.accessCode)).status).toBe(404);
    } finally {
      system.deps.clock = realClock;
    }
  });
});
