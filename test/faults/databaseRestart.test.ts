import { startLocalPostgres, type LocalPostgres } from '../../scripts/localPostgres';
import { startSystem, validApplicationBody } from '../support/system';

const applications = 24;
const outageMs = 5_000;

function applicantEmail(i: number): string {
  return `restart-${i}@example.org`;
}

describe('PostgreSQL restarted under load', () => {
  let pg: LocalPostgres;
  let system: Awaited<ReturnType<typeof startSystem>>;

  beforeAll(async () => {
    // A server of this test's own: the shared one is not restarted under other tests.
    pg = await startLocalPostgres();
    system = await startSystem({ databaseServerUrl: pg.url });
  });
  afterAll(async () => {
    await system?.stop();
    await pg?.destroy();
  });

  test('requests during the outage get 503 with Retry-After; afterwards every accepted case has exactly one acknowledgement', async () => {
    const statuses: number[] = [];
    const retryAfterMissing: number[] = [];
    const accepted = new Map<number, string>();
    let outageStarted!: () => void;
    const outageStartedPromise = new Promise<void>((resolve) => (outageStarted = resolve));

    /** Posts application i until it is accepted, as a client that honours Retry-After (scaled down). */
    const post = async (i: number) => {
      for (let attempt = 0; attempt < 200; attempt++) {
        const response = await system.request(
          'POST',
          '/api/v1/naturalisation/applications',
          validApplicationBody({ applicant: { ...validApplicationBody().applicant, email: applicantEmail(i), familyName: `Neustart${i}` } }),
          { 'Idempotency-Key': `restart-${i}` },
        );
        statuses.push(response.status);
        if (response.status === 201 || response.status === 200) {
          accepted.set(i, response.body.id);
          return;
        }
        if (response.status === 503 && !response.headers.get('retry-after')) retryAfterMissing.push(i);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      throw new Error(`application ${i} never accepted`);
    };

    // Three clients post one after another; the outage starts once a third is in.
    const clients = [0, 1, 2].map(async (client) => {
      for (let i = client; i < applications; i += 3) {
        await post(i);
        if (i === Math.floor(applications / 3)) outageStarted();
      }
    });
    const outage = (async () => {
      await outageStartedPromise;
      await pg.stopServer();
      // A request while the database is down: refused with 503 and Retry-After, not a crash.
      const during = await system.request('GET', `/api/v1/naturalisation/applications/${[...accepted.values()][0]}`);
      expect(during.status).toBe(503);
      expect(Number(during.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(during.body.code).toBe('service.unavailable');
      await new Promise((resolve) => setTimeout(resolve, outageMs));
      await pg.startServer();
    })();
    await Promise.all([...clients, outage]);

    // 201 created; 200 a repeat whose first attempt was stored before the outage cut its answer
    // (the Idempotency-Key returns that case); 503 while the database was down. Never a 500.
    expect(statuses.filter((s) => s !== 201 && s !== 200 && s !== 503)).toEqual([]);
    expect(statuses).toContain(503);
    expect(retryAfterMissing).toEqual([]);
    expect(accepted.size).toBe(applications);

    // Every case's acknowledgement arrives ...
    const recipients = Array.from({ length: applications }, (_, i) => applicantEmail(i));
    await system.smtp.waitFor((m) => recipients.some((r) => m.recipients.includes(r)), applications, 180_000);
    // ... and once every outbox row is recorded as sent, no delivery is left that could send again.
    const caseIds = [...accepted.values()];
    for (let i = 0; i < 600; i++) {
      const { rows } = await system.db.pool.query<{ pending: number }>(
        `SELECT count(*)::int AS pending FROM outbox WHERE case_id = ANY($1::uuid[]) AND status <> 'sent'`,
        [caseIds],
      );
      if (rows[0].pending === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const { rows: sent } = await system.db.pool.query<{ case_id: string; n: number }>(
      `SELECT case_id, count(*)::int AS n FROM outbox WHERE case_id = ANY($1::uuid[]) AND status = 'sent' GROUP BY case_id`,
      [caseIds],
    );
    const lost = caseIds.filter((id) => !sent.some((row) => row.case_id === id));
    const duplicates = recipients.filter((r) => system.smtp.received.filter((m) => m.recipients.includes(r)).length !== 1);
    expect(lost).toEqual([]);
    expect(duplicates).toEqual([]);

    // And the API answers normally again.
    const after = await system.request('GET', `/api/v1/naturalisation/applications/${caseIds[0]}`);
    expect(after.status).toBe(200);
  });
});
