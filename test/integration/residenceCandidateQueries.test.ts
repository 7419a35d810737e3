import { listResidenceCandidates } from '../../api/residence/candidates';
import { loadPersonRecord } from '../../db/queries/personRecords';
import { createPersonQueries } from '../../db/queries/persons';
import { startOfDayInBerlin, toBerlinLocalDate } from '../../domain/calendar/berlinTime';
import { addDays } from '../../domain/calendar/localDate';
import { deriveResidenceCheckFacts } from '../../domain/register/residenceCheckFacts';
import { determineCandidateWindow } from '../../domain/residence/candidateWindow';
import type { Principal } from '../../security/roles';
import { startApiOnly } from '../support/api';

/**
 * The candidate search reads a page's persons, their residence periods and their facts with one
 * query each per batch — not a query per person — and finds the same candidates, with the same
 * reasons, as reading each person's record on its own. The queries are counted on the real pool
 * (a spy that calls through), the persons registered through the register's API.
 */
describe('residence candidates: batch loading (PostgreSQL)', () => {
  let api: Awaited<ReturnType<typeof startApiOnly>>;
  let token: string;
  const principal: Principal = { subject: 'clerk.abh', roles: ['abh_clerk'], authorityId: 'koeln' };
  const yearsAgo = (years: number, plusDays = 0) => {
    const d = new Date();
    d.setUTCFullYear(d.getUTCFullYear() - years);
    d.setUTCDate(d.getUTCDate() + plusDays);
    return d.toISOString().slice(0, 10);
  };

  beforeAll(async () => {
    api = await startApiOnly();
    token = `Bearer ${await api.tokenFor(['abh_clerk'], 'koeln', 'clerk.abh')}`;
  });
  afterAll(async () => {
    await api?.stop();
  });

  async function register(index: number) {
    const post = async (path: string, body: unknown) => {
      const response = await api.request('POST', path, { authorization: token }, body);
      expect(response.status).toBeLessThan(300);
      return response.body as { person: { id: string; version: number } };
    };
    let { person } = await post('/api/v1/persons', {
      fileNumber: `ABH-Q-${index}`,
      givenNames: 'Amal',
      familyName: `Batch${String(index).padStart(2, '0')}`,
      dateOfBirth: '1985-03-01',
      nationalities: ['AF'],
      preferredLanguage: 'fa',
      source: 'clerk',
    });
    const add = async (path: string, body: Record<string, unknown>) => {
      ({ person } = await post(`/api/v1/persons/${person.id}/${path}`, { expectedVersion: person.version, source: 'document', ...body }));
    };
    // Tolerated for 2 to 8 years; every second person with the facts of someone integrated.
    await add('residence-periods', { period: { status: 'duldung', from: yearsAgo(2 + (index % 7), -index), duldungGround: '§ 60a Abs. 2 Satz 1 AufenthG' } });
    if (index % 2 === 0) {
      const since = yearsAgo(0, -40);
      await add('facts', { fact: { kind: 'language_certificate', data: { level: 'A2', issuedOn: since } } });
      await add('facts', { fact: { kind: 'employment', data: { from: since, hoursPerWeek: 39, fullTime: true } } });
      await add('facts', { fact: { kind: 'benefits', data: { scheme: 'none', from: since } } });
    }
  }

  test('a page of 24 persons costs 3 queries (persons, periods, facts) and finds what the per-person reading finds', async () => {
    for (let i = 0; i < 24; i++) await register(i);

    // What reading every person's record on its own finds (the path before batch loading).
    const asOf = toBerlinLocalDate(Date.now());
    const persons = await createPersonQueries(api.db.pool).listPersonsByAuthority({ authorityId: 'koeln', limit: 100 });
    expect(persons).toHaveLength(24);
    const expected = [];
    for (const person of persons) {
      const record = (await loadPersonRecord(api.db.pool, person.id, 'koeln'))!;
      const window = determineCandidateWindow(deriveResidenceCheckFacts(record, asOf), asOf, 6);
      if (window.candidate) expected.push({ personId: person.id, rules: window.rules });
    }
    expect(expected.length).toBeGreaterThan(3);
    expect(expected.length).toBeLessThan(24);

    const query = jest.spyOn(api.db.pool, 'query');
    try {
      const page = await listResidenceCandidates(api.deps, principal, { horizonMonths: 6, limit: 100 }, false);
      expect(query).toHaveBeenCalledTimes(3);
      expect(page.items.map((c) => ({ personId: c.personId, rules: c.rules }))).toEqual(expected);
      expect(page.next).toBeNull();

      // A page that stops at its limit costs the same three queries.
      query.mockClear();
      const first = await listResidenceCandidates(api.deps, principal, { horizonMonths: 6, limit: 2 }, false);
      expect(query).toHaveBeenCalledTimes(3);
      expect(first.items.map((c) => c.personId)).toEqual(expected.slice(0, 2).map((c) => c.personId));
      expect(first.next).not.toBeNull();
    } finally {
      query.mockRestore();
    }
  });

  test('a person registered with a toleration history becomes a § 25b candidate on the day four years are complete (a minor child not established; the NRW shortening at discretion), not the day before', async () => {
    const today = toBerlinLocalDate(Date.now());
    // Tolerated since four years less 30 days ago: four years are complete in 30 days.
    const duldungFrom = addDays(yearsAgo(4), 30);
    const eligibleOn = duldungFrom.replace(/^\d{4}/, (y) => String(Number(y) + 4));
    const created = await api.request('POST', '/api/v1/persons', { authorization: token }, { fileNumber: 'ABH-DATE-1', givenNames: 'Amal', familyName: 'Zzdate', dateOfBirth: '1980-01-01', source: 'clerk' });
    let person = (created.body as { person: { id: string; version: number } }).person;
    const add = async (path: string, body: Record<string, unknown>) => {
      const response = await api.request('POST', `/api/v1/persons/${person.id}/${path}`, { authorization: token }, { expectedVersion: person.version, source: 'document', ...body });
      expect(response.status).toBe(200);
      person = (response.body as { person: typeof person }).person;
    };
    await add('residence-periods', { period: { status: 'duldung', from: duldungFrom, duldungGround: '§ 60a Abs. 2 Satz 1 AufenthG' } });
    const since = addDays(today, -40);
    await add('facts', { fact: { kind: 'language_certificate', data: { level: 'A2', issuedOn: since } } });
    await add('facts', { fact: { kind: 'employment', data: { from: since, hoursPerWeek: 39, fullTime: true } } });
    await add('facts', { fact: { kind: 'benefits', data: { scheme: 'none', from: since } } });
    await add('facts', { fact: { kind: 'orientation_course', data: { completedOn: since, testPassed: true } } });

    const on = async (day: string, horizonMonths: number) => {
      const page = await listResidenceCandidates({ ...api.deps, clock: () => new Date(startOfDayInBerlin(day) + 12 * 3_600_000) }, principal, { horizonMonths, limit: 100 }, false);
      return page.items.find((c) => c.personId === person.id)?.rules.find((r) => r.rule === '§ 25b AufenthG');
    };
    expect(await on(addDays(eligibleOn, -1), 0)).toBeUndefined();
    expect(await on(eligibleOn, 0)).toMatchObject({ outcome: 'now', on: eligibleOn, overall: 'unknown' });
  });
});
