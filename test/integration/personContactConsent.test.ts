import { startApiOnly } from '../support/api';

/**
 * The register's consent to be contacted through the register's API: given and withdrawn with a
 * day, a source and a purpose, each change under `expectedVersion`, in the person's history and
 * in the audit trail; bad input, a stale version and a change the rules refuse change nothing;
 * another authority's clerk finds no person.
 */
describe('register: consent to be contacted (PostgreSQL, API)', () => {
  let api: Awaited<ReturnType<typeof startApiOnly>>;
  const auth: Record<string, string> = {};
  // The day in Köln, read once: a run that crosses midnight sends and expects the same day.
  const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Berlin' });
  // A day that is still ahead for the API when the run crosses midnight.
  const dayAfterTomorrow = new Date(Date.now() + 2 * 86_400_000).toLocaleDateString('sv-SE', { timeZone: 'Europe/Berlin' });

  beforeAll(async () => {
    api = await startApiOnly();
    auth.abh = `Bearer ${await api.tokenFor(['abh_clerk'], 'koeln', 'clerk.abh')}`;
    auth.bonn = `Bearer ${await api.tokenFor(['abh_clerk'], 'bonn', 'clerk.bonn')}`;
    auth.admin = `Bearer ${await api.tokenFor(['admin'], 'koeln', 'admin.koeln')}`;
  });
  afterAll(async () => {
    await api?.stop();
  });
  const call = (method: string, path: string, as: string, body?: unknown) => api.request(method, path, { authorization: auth[as] }, body);

  test('given → withdrawn, each a new version with its revision and audit entry; refusals change nothing', async () => {
    const created = await call('POST', '/api/v1/persons', 'abh', { fileNumber: 'ABH-CONSENT-1', givenNames: 'Amal', familyName: 'Noori', dateOfBirth: '1995-02-02', source: 'clerk' });
    expect(created.status).toBe(201);
    const id = (created.body as { person: { id: string } }).person.id;
    const path = `/api/v1/persons/${id}/contact-consents`;

    const initial = await call('GET', path, 'abh');
    expect(initial.status).toBe(200);
    expect(initial.body).toMatchObject({
      person: { id, version: 1 },
      current: [
        { purpose: 'residence_information', status: 'none', since: null },
        { purpose: 'naturalisation_information', status: 'none', since: null },
      ],
      entries: [],
    });

    // Bad input: 400 with field paths. A withdrawal without consent, a future day: 422. Stale: 409.
    const bad = await call('POST', path, 'abh', { expectedVersion: 1, consent: { purpose: 'marketing', status: 'maybe', on: '2026-02-30' }, source: 'clerk' });
    expect(bad.status).toBe(400);
    expect((bad.body as { errors: { path: string }[] }).errors.map((e) => e.path).sort()).toEqual(['body.consent.on', 'body.consent.purpose', 'body.consent.status']);
    const withdrawnFirst = await call('POST', path, 'abh', { expectedVersion: 1, consent: { purpose: 'residence_information', status: 'withdrawn', on: today }, source: 'clerk' });
    expect(withdrawnFirst.status).toBe(422);
    expect((withdrawnFirst.body as { code: string }).code).toBe('person.contact_consent_unchanged');
    expect((await call('POST', path, 'abh', { expectedVersion: 1, consent: { purpose: 'residence_information', status: 'given', on: dayAfterTomorrow }, source: 'document' })).status).toBe(422);
    expect((await call('POST', path, 'abh', { expectedVersion: 7, consent: { purpose: 'residence_information', status: 'given', on: today }, source: 'document' })).status).toBe(409);
    expect((await call('POST', path, 'bonn', { expectedVersion: 1, consent: { purpose: 'residence_information', status: 'given', on: today }, source: 'document' })).status).toBe(404);
    expect((await call('GET', path, 'bonn')).status).toBe(404);
    expect((await call('POST', path, 'admin', { expectedVersion: 1, consent: { purpose: 'residence_information', status: 'given', on: today }, source: 'document' })).status).toBe(403);
    expect((await call('GET', path, 'abh')).body).toMatchObject({ person: { version: 1 }, entries: [] });

    // Given (backdated to the signed form), then withdrawn today.
    const given = await call('POST', path, 'abh', { expectedVersion: 1, consent: { purpose: 'residence_information', status: 'given', on: '2026-01-15' }, source: 'document', reason: 'Formular vom 15.01.2026' });
    expect(given.status).toBe(200);
    expect(given.body).toMatchObject({
      person: { version: 2 },
      current: [{ purpose: 'residence_information', status: 'given', since: '2026-01-15' }, { purpose: 'naturalisation_information', status: 'none' }],
      entries: [{ purpose: 'residence_information', status: 'given', on: '2026-01-15', source: 'document', recordedBy: 'clerk.abh' }],
    });
    expect((await call('POST', path, 'abh', { expectedVersion: 2, consent: { purpose: 'residence_information', status: 'given', on: today }, source: 'clerk' })).status).toBe(422);
    const withdrawn = await call('POST', path, 'abh', { expectedVersion: 2, consent: { purpose: 'residence_information', status: 'withdrawn', on: today }, source: 'clerk' });
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body).toMatchObject({ person: { version: 3 }, current: [{ purpose: 'residence_information', status: 'withdrawn', since: today }, { status: 'none' }] });
    expect((withdrawn.body as { entries: unknown[] }).entries).toHaveLength(2);

    // The person's history and the audit trail have each change.
    const history = await call('GET', `/api/v1/persons/${id}/history`, 'abh');
    const consentRevisions = (history.body as { items: { entity: string }[] }).items.filter((r) => r.entity === 'contact_consent');
    expect(consentRevisions).toEqual([
      expect.objectContaining({ version: 2, kind: 'residence_information', action: 'create', before: null, after: { status: 'given', on: '2026-01-15' }, source: 'document', reason: 'Formular vom 15.01.2026' }),
      expect.objectContaining({ version: 3, kind: 'residence_information', action: 'create', before: { status: 'given', on: '2026-01-15' }, after: { status: 'withdrawn', on: today }, source: 'clerk' }),
    ]);
    const audit = await api.db.pool.query("SELECT actor, outcome FROM audit_log WHERE action = 'register.contact_consent.record' ORDER BY id");
    expect(audit.rows).toEqual([
      { actor: 'clerk.abh', outcome: 'refused' },
      { actor: 'clerk.abh', outcome: 'refused' },
      { actor: 'clerk.abh', outcome: 'refused' },
      { actor: 'clerk.bonn', outcome: 'refused' },
      { actor: 'admin.koeln', outcome: 'refused' },
      { actor: 'clerk.abh', outcome: 'allowed' },
      { actor: 'clerk.abh', outcome: 'refused' },
      { actor: 'clerk.abh', outcome: 'allowed' },
    ]);
  });
});
