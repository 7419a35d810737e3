import { startSystem, testMail, validApplicationBody } from '../support/system';
import { subjectOf } from '../support/smtp';

/**
 * Naturalisation on the person register, end to end on real parts (API, PostgreSQL, the Temporal
 * dev server, SMTP): an application belongs to a person; its eligibility check evaluates the
 * person's stored facts; a change of those facts reaches the case's workflow, which evaluates
 * again and shows the clerk which criterion changed (the case view and a notice to the team).
 */
describe('naturalisation reads the person register', () => {
  let system: Awaited<ReturnType<typeof startSystem>>;
  beforeAll(async () => {
    system = await startSystem();
  });
  afterAll(async () => {
    await system?.stop();
  });

  async function waitForView(path: string, predicate: (view: Record<string, any>) => boolean) {
    for (let i = 0; i < 100; i++) {
      const view = (await system.request('GET', path)).body;
      if (predicate(view)) return view;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`${path} never reached the expected state`);
  }

  test('a language certificate added to the register re-evaluates the open case, and the clerk sees the changed criterion', async () => {
    // The person as the register knows them: a skilled worker since 2019, settled since 2024, no certificate yet.
    const person = await system.request('POST', '/api/v1/persons', {
      fileNumber: 'ABH-2019-7781', givenNames: 'Amina', familyName: 'Haddad', dateOfBirth: '1990-04-12', nationalities: ['SY'],
      contact: { email: 'amina.haddad@example.org' }, preferredLanguage: 'en',
    });
    expect(person.status).toBe(201);
    const personId: string = person.body.person.id;
    const personPath = `/api/v1/persons/${personId}`;
    let version: number = person.body.person.version;
    for (const period of [
      { status: 'permit', from: '2019-01-10', to: '2023-12-31', permitBasis: '§ 18b AufenthG' },
      { status: 'settlement_permit', from: '2024-01-01' },
    ]) {
      const added = await system.request('POST', `${personPath}/residence-periods`, { expectedVersion: version, period, source: 'document' });
      expect(added.status).toBe(200);
      version = added.body.person.version;
    }

    // An unknown person, or one of another authority, cannot be named.
    const unknown = await system.request('POST', '/api/v1/naturalisation/applications', { ...validApplicationBody(), personId: '00000000-0000-4000-8000-000000000000' });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors).toEqual([{ path: 'body.personId', message: "no such person in the register of the caller's authority" }]);

    const created = await system.request('POST', '/api/v1/naturalisation/applications', { ...validApplicationBody(), personId });
    expect(created.status).toBe(201);
    expect(created.body.personId).toBe(personId);
    const path = `/api/v1/naturalisation/applications/${created.body.id}`;
    await waitForView(path, (view) => view.stage === 'completeness_check');

    // The check without facts evaluates the register: German at B1 is not proven (§ 10 Abs. 1 Satz 1 Nr. 6 StAG).
    const first = await system.request('POST', `${path}/eligibility-checks`, {});
    expect(first.status).toBe(201);
    expect(first.body.source).toBe('register');
    const language = (check: { criteria: { id: string; status: string }[] }) => check.criteria.find((c) => c.id === 'german_language')?.status;
    expect(language(first.body)).toBe('unknown');

    // The clerk at the ABH records the certificate in the register; the EBH case hears of it.
    const certificate = await system.request('POST', `${personPath}/facts`, {
      expectedVersion: version, fact: { kind: 'language_certificate', data: { level: 'B1', issuedOn: '2026-06-12' } }, source: 'document',
    });
    expect(certificate.status).toBe(200);

    const view = await waitForView(path, (v) => v.flags.includes('facts_changed'));
    expect(view.details.eligibility.changed).toEqual(expect.arrayContaining([{ criterion: 'german_language', from: 'unknown', to: 'met' }]));
    const [notice] = await system.smtp.waitFor((m) => m.recipients.includes(testMail.teamMailbox) && subjectOf(m).includes('Geänderte Angaben'));
    expect(subjectOf(notice)).toContain(created.body.reference);
    expect(notice.raw.replace(/=\r?\n/g, '')).toMatch(/german_language: unknown (=E2=86=92|→) met/);

    // The re-evaluation is on record, made by the system on the register's facts.
    const checks = await system.request('GET', `${path}/eligibility-checks`);
    expect(checks.body.checks[0]).toMatchObject({ id: view.details.eligibility.checkId, source: 'register', createdBy: 'system:register-change' });
    expect(language(checks.body.checks[0])).toBe('met');
  });
});
