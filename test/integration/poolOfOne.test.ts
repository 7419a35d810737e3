import { startSystem, validApplicationBody } from '../support/system';

/**
 * The whole system on a connection pool of ONE connection (API, workers and the outbox relay
 * share it): no request or activity may hold a transaction while it waits for a second
 * connection, or it waits for itself. Each process's paths that write a projection and letters in
 * one transaction — the naturalisation intake, a residence check's evidence request, a handoff's
 * notice to the case-management mailbox (resolved from the staff directory) — go through.
 */
describe('one database connection for everything', () => {
  let system: Awaited<ReturnType<typeof startSystem>>;
  beforeAll(async () => {
    system = await startSystem({ poolSize: 1 });
  });
  afterAll(async () => {
    await system?.stop();
  });

  const daysFromNow = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

  async function until(what: string, done: () => Promise<boolean>) {
    for (let i = 0; i < 300; i++) {
      if (await done()) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`${what} did not happen`);
  }

  test('an application, a residence check and a handoff each reach their next stage and send their letters', async () => {
    const abh = { authorization: `Bearer ${await system.tokenFor(['abh_clerk'], 'koeln', 'abh-one')}` };
    const application = await system.request('POST', '/api/v1/naturalisation/applications', validApplicationBody());
    expect(application.status).toBe(201);

    const person = await system.request('POST', '/api/v1/persons', {
      fileNumber: 'ABH-ONE-1', givenNames: 'Omar', familyName: 'Saleh', dateOfBirth: '1996-07-08', nationalities: ['SY'],
      contact: { email: 'omar.saleh@example.org' }, preferredLanguage: 'ar', source: 'clerk',
    }, abh);
    expect(person.status).toBe(201);
    const personId: string = person.body.person.id;
    const period = await system.request('POST', `/api/v1/persons/${personId}/residence-periods`, {
      expectedVersion: person.body.person.version, source: 'document', period: { status: 'duldung', from: daysFromNow(-7 * 366), duldungGround: '§ 60a Abs. 2 Satz 1 AufenthG' },
    }, abh);
    expect(period.status).toBe(200);
    const check = await system.request('POST', '/api/v1/residence/checks', { personId, contactConsent: true }, abh);
    expect(check.status).toBe(201);
    const consent = await system.request('POST', `/api/v1/persons/${personId}/consents`, {
      purpose: 'case_management_handoff', recipients: ['case_management', 'originating_authority'],
      dataCategories: ['name', 'contact', 'language', 'needs', 'case_deadline', 'outcomes'], validFrom: daysFromNow(-1), validUntil: daysFromNow(365), formReference: 'EW-ONE-1',
    }, abh);
    expect(consent.status).toBe(201);
    const handoff = await system.request('POST', '/api/v1/handoffs', { personId, needs: ['language'], urgency: 'normal' }, abh);
    expect(handoff.status).toBe(201);

    const stageOf = async (caseId: string) => (await system.db.pool.query('SELECT stage FROM case_projections WHERE case_id = $1', [caseId])).rows[0]?.stage;
    await until('the intake', async () => (await stageOf(application.body.id)) === 'completeness_check');
    await until('the evidence request', async () => (await stageOf(check.body.id)) === 'awaiting_evidence');
    await until('the handoff notice', async () => (await stageOf(handoff.body.handoffId)) === 'awaiting_acceptance');
    const [acknowledgement] = await system.smtp.waitFor((m) => m.recipients.includes('amina.haddad@example.org'));
    expect(acknowledgement.raw).toContain(application.body.reference);
    const [notice] = await system.smtp.waitFor((m) => m.recipients.includes('case-management@kim.localhost'));
    expect(notice.raw).toContain('Omar Saleh');
    await system.smtp.waitFor((m) => m.recipients.includes('omar.saleh@example.org'));
  });
});
