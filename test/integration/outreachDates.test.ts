import { startApiOnly } from '../support/api';

/**
 * Siblings of the fuzzer's cohort finding: the other dates of the outreach routes (a cohort's
 * `residenceMetBy`, a campaign's `startsAt`, a consent's `givenOn`) took any ISO-shaped date, year 0000 included, which
 * PostgreSQL cannot store or compare (it has no year 0): a 500. Now a 400 naming the field, and
 * nothing stored.
 */
describe('outreach dates PostgreSQL cannot hold (API alone on PostgreSQL)', () => {
  let api: Awaited<ReturnType<typeof startApiOnly>>;

  beforeAll(async () => {
    api = await startApiOnly({ clock: () => new Date('2026-12-01T10:00:00Z') });
  });
  afterAll(async () => {
    await api?.stop();
  });

  test('a cohort whose residence is met by 0000-01-01: 400 naming the field', async () => {
    const coordinator = `Bearer ${await api.tokenFor(['coordinator'], 'koeln', 'coordinator-dates')}`;
    const response = await api.request('POST', '/api/v1/outreach/campaigns/preview', { authorization: coordinator }, { cohort: { residenceMetBy: '0000-01-01' } });
    expect(response.status).toBe(400);
    expect(response.body!.errors).toEqual([expect.objectContaining({ path: 'body.cohort.residenceMetBy' })]);
  });

  test('a campaign starting at 0000-01-01T00:00:00Z: 400 naming the field, no campaign stored', async () => {
    const coordinator = `Bearer ${await api.tokenFor(['coordinator'], 'koeln', 'coordinator-dates')}`;
    const response = await api.request('POST', '/api/v1/outreach/campaigns', { authorization: coordinator }, {
      name: 'Year zero', cohort: {}, content: { topic: 'general_information', title: { de: 'Einbürgerung' }, details: { de: 'Informationen' } }, startsAt: '0000-01-01T00:00:00Z',
    });
    expect(response.status).toBe(400);
    expect(response.body!.errors).toEqual([expect.objectContaining({ path: 'body.startsAt' })]);
    expect((await api.db.pool.query('SELECT 1 FROM outreach_campaigns')).rowCount).toBe(0);
  });

  test('a consent given on 0000-01-01: 400 naming the field, no consent stored', async () => {
    const clerk = `Bearer ${await api.tokenFor(['abh_clerk'], 'koeln', 'clerk-dates')}`;
    const created = await api.request('POST', '/api/v1/persons', { authorization: clerk }, { fileNumber: 'K-DATES', givenNames: 'Rami', familyName: 'Khalil', dateOfBirth: '1994-03-17' });
    const personId = (created.body!.person as { id: string }).id;
    const response = await api.request('POST', `/api/v1/outreach/persons/${personId}/consent`, { authorization: clerk }, { givenOn: '0000-01-01' });
    expect(response.status).toBe(400);
    expect(response.body!.errors).toEqual([expect.objectContaining({ path: 'body.givenOn' })]);
  });
});
