import { formatCsv } from '../../api/naturalisation/csv';
import { createBacklogRowSchema } from '../../activities/backlogImport';
import { startApiOnly } from '../support/api';

/**
 * Dates of birth lie in the past and in a sane range, wherever a person is entered: the person
 * register (JSON and CSV), a naturalisation applicant, the eligibility facts, an outreach cohort's
 * filter and a backlog row. "Today" is the API's clock (`deps.clock`), fixed here, so the tests do
 * not depend on the day they run. The API answers 400 naming the field (never a 500), and nothing
 * is stored.
 */
describe('dates of birth: in the past, from 1900-01-01 (API alone on PostgreSQL)', () => {
  const today = '2026-12-01';
  const tomorrow = '2026-12-02';
  let api: Awaited<ReturnType<typeof startApiOnly>>;
  let clerk: string;
  let coordinator: string;

  beforeAll(async () => {
    api = await startApiOnly({ clock: () => new Date(`${today}T10:00:00Z`) });
    clerk = `Bearer ${await api.tokenFor(['abh_clerk'], 'koeln', 'clerk-dob')}`;
    coordinator = `Bearer ${await api.tokenFor(['coordinator'], 'koeln', 'coordinator-dob')}`;
  });
  afterAll(async () => {
    await api?.stop();
  });

  const personBody = (dateOfBirth: string, fileNumber: string) => ({ fileNumber, givenNames: 'Rami', familyName: 'Khalil', dateOfBirth });
  const count = async (sql: string) => Number((await api.db.pool.query<{ n: string }>(sql)).rows[0].n);

  test.each([
    ['in 2099', '2099-05-01', 'must not lie after today (2026-12-01)'],
    ['the day after the request', tomorrow, 'must not lie after today (2026-12-01)'],
    ['in year 0125', '0125-03-31', 'must not lie before 1900-01-01'],
    ['the day before 1900-01-01', '1899-12-31', 'must not lie before 1900-01-01'],
  ])('a person born %s is refused (400 naming the field), none stored', async (_label, dateOfBirth, message) => {
    const before = await count('SELECT count(*) AS n FROM persons');
    const response = await api.request('POST', '/api/v1/persons', { authorization: clerk }, personBody(dateOfBirth, `K-${dateOfBirth}`));
    expect(response.status).toBe(400);
    expect(response.body!.errors).toEqual([expect.objectContaining({ path: 'body.dateOfBirth', message: expect.stringContaining(message) })]);
    expect(await count('SELECT count(*) AS n FROM persons')).toBe(before);
  });

  test('born today or on 1900-01-01 is accepted; a correction to a day after the request is refused and changes nothing', async () => {
    expect((await api.request('POST', '/api/v1/persons', { authorization: clerk }, personBody('1900-01-01', 'K-OLDEST'))).status).toBe(201);
    const created = await api.request('POST', '/api/v1/persons', { authorization: clerk }, personBody(today, 'K-NEWBORN'));
    expect(created.status).toBe(201);
    const person = (created.body!.person as { id: string; version: number });
    const corrected = await api.request('PATCH', `/api/v1/persons/${person.id}`, { authorization: clerk }, { expectedVersion: person.version, changes: { dateOfBirth: tomorrow } });
    expect(corrected.status).toBe(400);
    expect(corrected.body!.errors).toEqual([expect.objectContaining({ path: 'body.changes.dateOfBirth' })]);
    const read = await api.request('GET', `/api/v1/persons/${person.id}`, { authorization: clerk });
    expect(read.body!.person).toMatchObject({ dateOfBirth: today, version: person.version });
  });

  test('a minor child named in a register fact may not be born after the request, nor in year 0125', async () => {
    const created = await api.request('POST', '/api/v1/persons', { authorization: clerk }, personBody('1985-06-01', 'K-PARENT'));
    const person = created.body!.person as { id: string; version: number };
    const child = (dateOfBirth: string) => ({
      expectedVersion: person.version,
      fact: { kind: 'minor_child', data: { givenNames: 'Lea', familyName: 'Khalil', dateOfBirth, livesWithPerson: true } },
    });
    for (const [dateOfBirth, message] of [[tomorrow, 'must not lie after today (2026-12-01)'], ['0125-03-31', 'must not lie before 1900-01-01']]) {
      const refused = await api.request('POST', `/api/v1/persons/${person.id}/facts`, { authorization: clerk }, child(dateOfBirth));
      expect(refused.status).toBe(400);
      expect(refused.body!.errors).toEqual([expect.objectContaining({ path: 'body.fact.data.dateOfBirth', message: expect.stringContaining(message) })]);
    }
    const read = await api.request('GET', `/api/v1/persons/${person.id}`, { authorization: clerk });
    expect(read.body).toMatchObject({ person: { version: person.version }, facts: [] });
    expect((await api.request('POST', `/api/v1/persons/${person.id}/facts`, { authorization: clerk }, child(today))).status).toBe(200);
  });

  test('a naturalisation applicant born in 2099 or in year 0125 is refused before anything is stored', async () => {
    const ebh = `Bearer ${await api.tokenFor(['ebh_clerk'], 'koeln', 'clerk-ebh-dob')}`;
    for (const dateOfBirth of ['2099-01-01', tomorrow, '0125-03-31']) {
      const response = await api.request('POST', '/api/v1/naturalisation/applications', { authorization: ebh }, {
        applicant: { givenNames: 'Amina', familyName: 'Haddad', dateOfBirth, email: 'amina@example.org' },
      });
      expect([response.status, response.body!.errors]).toEqual([400, [expect.objectContaining({ path: 'body.applicant.dateOfBirth' })]]);
    }
    expect(await count('SELECT count(*) AS n FROM naturalisation_applications')).toBe(0);
  });

  test('a cohort born from 0125-03-31 is refused with 400 (was a 500 in countCohort); from 1900-01-01 it is counted', async () => {
    const refused = await api.request('POST', '/api/v1/outreach/campaigns/preview', { authorization: coordinator }, { cohort: { bornFrom: '0125-03-31' } });
    expect(refused.status).toBe(400);
    expect(refused.body!.errors).toEqual([expect.objectContaining({ path: 'body.cohort.bornFrom', message: 'must not lie before 1900-01-01' })]);
    const counted = await api.request('POST', '/api/v1/outreach/campaigns/preview', { authorization: coordinator }, { cohort: { bornFrom: '1900-01-01', bornUntil: today } });
    expect(counted.status).toBe(200);
  });

  test('a persons CSV row born after the day of the upload, or before 1900, is a rejected row with its reason', async () => {
    const header = ['file_number', 'family_name', 'given_names', 'date_of_birth'];
    const response = await fetch(`${api.baseUrl}/api/v1/persons/imports?kind=persons`, {
      method: 'POST',
      headers: { authorization: clerk, 'content-type': 'text/csv; charset=utf-8' },
      body: formatCsv([header, ['CSV-1', 'Khalil', 'Rami', '02.12.2026'], ['CSV-2', 'Khalil', 'Sara', '0125-03-31'], ['CSV-3', 'Khalil', 'Omar', '30.11.2026']], ';'),
    });
    expect(response.status).toBe(202);
    const job = (await response.json()) as { id: string };
    const rejections = await api.request('GET', `/api/v1/persons/imports/${job.id}/rejections`, { authorization: clerk });
    expect((rejections.body!.items as { row: number; reason: string }[]).map((r) => [r.row, r.reason])).toEqual([
      [1, 'date_of_birth: must not lie after today (2026-12-01): a date of birth lies in the past'],
      [2, 'date_of_birth: must not lie before 1900-01-01'],
    ]);
  });

  test('a backlog row born after the day of the upload or before 1900 is rejected with its reason', () => {
    const row = (dateOfBirth: string) => ({ given_names: 'Lina', family_name: 'Berger', date_of_birth: dateOfBirth, email: 'lina@example.org', filed_on: '2026-10-01' });
    const issues = (dateOfBirth: string) => createBacklogRowSchema(today).safeParse(row(dateOfBirth)).error?.issues.map((i) => [i.path.join('.'), i.message]);
    expect(issues('2099-01-01')).toEqual([['date_of_birth', 'must not lie after today (2026-12-01): a date of birth lies in the past']]);
    expect(issues('0125-03-31')).toEqual([['date_of_birth', 'must not lie before 1900-01-01']]);
    expect(issues('1988-03-14')).toBeUndefined();
  });
});
