import { startApiOnly } from '../support/api';

process.env.OUTREACH_CONTACT_BASIS = 'legal_basis';
process.env.OUTREACH_LEGAL_BASIS_REFERENCE = '§ 1 Testgrundlage';
process.env.OUTREACH_OPT_OUT_SECRET = 'cohort-preview-test-secret';

/**
 * A coordinator's cohort preview is a count, never a look at a person: a cohort of fewer than
 * five says only "fewer than 5" (no count, no e-mail figure, no sample), an e-mail figure that
 * would describe fewer than five is withheld with the sample that would show it, and every preview's
 * filters are in the audit trail. Persons registered through the API; the preview as the
 * coordinator asks for it.
 */
describe('cohort preview: no counts below 5 (PostgreSQL)', () => {
  let api: Awaited<ReturnType<typeof startApiOnly>>;
  let clerk: string;
  let coordinator: string;

  beforeAll(async () => {
    api = await startApiOnly();
    clerk = `Bearer ${await api.tokenFor(['abh_clerk'], 'koeln', 'clerk-koeln')}`;
    coordinator = `Bearer ${await api.tokenFor(['coordinator'], 'koeln', 'coordinator-koeln')}`;
    // Six Eritrean nationals: one born on 1991-05-05 with e-mail, five born in 1985 without;
    // and five Syrian nationals with e-mail.
    const people = [
      { dateOfBirth: '1991-05-05', nationalities: ['ER'], email: 'selam@example.org', preferredLanguage: 'ti' },
      ...[1, 2, 3, 4, 5].map((day) => ({ dateOfBirth: `1985-03-0${day}`, nationalities: ['ER'], email: null, preferredLanguage: 'de' })),
      ...[1, 2, 3, 4, 5].map((day) => ({ dateOfBirth: `1979-08-1${day}`, nationalities: ['SY'], email: `p${day}@example.org`, preferredLanguage: 'ar' })),
    ];
    for (const [index, person] of people.entries()) {
      const created = await api.request('POST', '/api/v1/persons', { authorization: clerk }, {
        fileNumber: `ABH-8${String(index).padStart(3, '0')}`, givenNames: 'Test', familyName: `Person ${index}`,
        dateOfBirth: person.dateOfBirth, nationalities: person.nationalities, preferredLanguage: person.preferredLanguage,
        contact: { postalAddress: { street: 'Domstraße 1', postalCode: '50667', city: 'Köln' }, email: person.email, phone: null },
      });
      expect(created.status).toBe(201);
    }
  });
  afterAll(async () => {
    await api?.stop();
  });

  const preview = (cohort: Record<string, unknown>) => api.request('POST', '/api/v1/outreach/campaigns/preview', { authorization: coordinator }, { cohort });

  test('narrowed to one birth date and nationality: "fewer than 5", no e-mail figure, no sample; the filters audited', async () => {
    const cohort = { nationalities: ['ER'], bornFrom: '1991-05-05', bornUntil: '1991-05-05' };
    const answer = await preview(cohort);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ total: null, withEmail: null, fewerThan: 5, sample: [] });
    expect(answer.text).not.toContain('ti');
    const { rows } = await api.db.pool.query("SELECT actor, outcome, detail FROM audit_log WHERE action = 'outreach.cohort.preview' ORDER BY id DESC LIMIT 1");
    expect(rows[0]).toMatchObject({ actor: 'coordinator-koeln', outcome: 'allowed', detail: { cohort, total: 1, suppressed: true } });
  });

  test('an empty cohort is "fewer than 5" too', async () => {
    expect((await preview({ nationalities: ['IS'] })).body).toMatchObject({ total: null, withEmail: null, fewerThan: 5, sample: [] });
  });

  test('six persons of whom one has e-mail: the total, but neither the e-mail figure nor a sample that would show it', async () => {
    expect((await preview({ nationalities: ['ER'] })).body).toMatchObject({ total: 6, withEmail: null, fewerThan: null, sample: [] });
  });

  test('five persons who all have e-mail: the total, not "all of them have e-mail"', async () => {
    expect((await preview({ nationalities: ['SY'] })).body).toMatchObject({ total: 5, withEmail: null, fewerThan: null, sample: [] });
  });

  test('ten persons, five with e-mail and five without: counts and the sample', async () => {
    const answer = await preview({ bornUntil: '1990-12-31' });
    expect(answer.body).toMatchObject({ total: 10, withEmail: 5, fewerThan: null });
    expect(answer.body?.sample).toHaveLength(10);
    for (const item of answer.body?.sample as object[]) expect(Object.keys(item).sort()).toEqual(['birthYear', 'hasEmail', 'language', 'nationalities']);
  });
});
