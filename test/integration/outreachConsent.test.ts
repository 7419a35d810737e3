import pino from 'pino';
import { createOutreachActivities, refreshOutreachDates } from '../../activities/outreach';
import { loadOutreachSettings } from '../../activities/outreach/settings';
import type { ApiDependencies } from '../../api/deps';
import { recordConsent } from '../../api/outreach/service';
import { recordContactConsent } from '../../api/persons/contactConsentService';
import { addResidencePeriod, createPerson } from '../../api/persons/service';
import { createPersonBodySchema, periodBodySchema } from '../../api/persons/schemas';
import { createTestDatabase } from '../support/postgres';
import { testMail } from '../support/system';

/**
 * Under the default contact basis (consent, Art. 6 Abs. 1 Satz 1 Buchst. a DSGVO) the daily run
 * queues the eligibility message only of persons whose consent a clerk recorded; under a named
 * legal basis, everyone's. PostgreSQL only: the queueing step of the daily run.
 */
describe('outreach contact basis (PostgreSQL)', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let deps: ApiDependencies;
  const principal = { subject: 'clerk-1', roles: ['abh_clerk' as const], authorityId: 'koeln' };

  beforeAll(async () => {
    db = await createTestDatabase();
    deps = { pool: db.pool, logger: pino({ level: 'silent' }), clock: () => new Date(), temporal: undefined } as unknown as ApiDependencies;
  });
  afterAll(async () => {
    await db?.drop();
  });

  async function register(name: string) {
    const record = await createPerson(
      deps,
      principal,
      createPersonBodySchema.parse({
        fileNumber: `F-${name}`,
        givenNames: name,
        familyName: 'Test',
        dateOfBirth: '1990-05-05',
        contact: { postalAddress: null, email: `${name}@example.org`, phone: null },
        preferredLanguage: 'ru',
      }),
    );
    await addResidencePeriod(deps, principal, record.person.id, periodBodySchema.parse({ expectedVersion: 1, period: { status: 'settlement_permit', from: '2021-11-20' } }));
    return record.person.id;
  }

  const queued = async () => (await db.pool.query<{ person_id: string }>('SELECT person_id FROM outreach_messages ORDER BY person_id')).rows.map((r) => r.person_id);

  test('consent: only the consenting person is queued; a legal basis queues the rest', async () => {
    const withConsent = await register('anna');
    const without = await register('boris');
    expect(await recordConsent(deps, principal, withConsent, '2026-11-01')).toEqual({ personId: withConsent, givenOn: '2026-11-01' });
    await refreshOutreachDates(db.pool, '2026-11-26');

    const consentOnly = createOutreachActivities({ pool: db.pool, mail: testMail, settings: loadOutreachSettings({}) });
    // Five years from 20 November 2021: met on 20 November 2026, within the catch-up window.
    expect(await consentOnly.queueDueEligibilityMessages({ day: '2026-11-26' })).toBe(1);
    expect(await queued()).toEqual([withConsent]);

    const legalBasis = createOutreachActivities({
      pool: db.pool,
      mail: testMail,
      settings: loadOutreachSettings({ OUTREACH_CONTACT_BASIS: 'legal_basis', OUTREACH_LEGAL_BASIS_REFERENCE: '§ 1 Testgrundlage' }),
    });
    expect(await legalBasis.queueDueEligibilityMessages({ day: '2026-11-26' })).toBe(1);
    expect(await legalBasis.queueDueEligibilityMessages({ day: '2026-11-27' })).toBe(0);
    expect((await queued()).sort()).toEqual([withConsent, without].sort());
    expect(() => loadOutreachSettings({ OUTREACH_CONTACT_BASIS: 'legal_basis' })).toThrow(/OUTREACH_LEGAL_BASIS_REFERENCE/);
  });

  test("the register's consent to be contacted decides where it has an entry: given there counts, withdrawn there ends an outreach consent", async () => {
    await db.pool.query('DELETE FROM outreach_messages');
    const clara = await register('clara');
    const dora = await register('dora');
    // Clara consented through the register only; Dora gave an outreach consent and withdrew it in the register.
    await recordContactConsent(deps, principal, clara, { expectedVersion: 2, consent: { purpose: 'naturalisation_information', status: 'given', on: '2026-11-02' }, source: 'document' });
    await recordConsent(deps, principal, dora, '2026-10-01');
    await recordContactConsent(deps, principal, dora, { expectedVersion: 2, consent: { purpose: 'naturalisation_information', status: 'given', on: '2026-10-01' }, source: 'document' });
    await recordContactConsent(deps, principal, dora, { expectedVersion: 3, consent: { purpose: 'naturalisation_information', status: 'withdrawn', on: '2026-11-03' }, source: 'document' });
    // A consent for another purpose does not count for outreach.
    const emil = await register('emil');
    await recordContactConsent(deps, principal, emil, { expectedVersion: 2, consent: { purpose: 'residence_information', status: 'given', on: '2026-11-02' }, source: 'document' });
    await refreshOutreachDates(db.pool, '2026-11-26');

    const consentOnly = createOutreachActivities({ pool: db.pool, mail: testMail, settings: loadOutreachSettings({}) });
    await consentOnly.queueDueEligibilityMessages({ day: '2026-11-26' });
    const queuedNow = await queued();
    expect(queuedNow).toContain(clara);
    expect(queuedNow).not.toContain(dora);
    expect(queuedNow).not.toContain(emil);
  });
});
