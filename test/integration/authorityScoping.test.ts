import { randomUUID } from 'node:crypto';
import { formatCsv } from '../../api/naturalisation/csv';
import { startApiOnly } from '../support/api';

/**
 * Two authorities, one database: what one authority's staff load or ask for never reaches the
 * other's persons. Through the API with tokens of Köln and Bonn (the CSV import as a clerk
 * uploads it; the register and the person's cases as the person page reads them).
 */
describe('authority scoping of the register (PostgreSQL)', () => {
  let api: Awaited<ReturnType<typeof startApiOnly>>;
  let koeln: string;
  let bonn: string;

  beforeAll(async () => {
    api = await startApiOnly();
    koeln = `Bearer ${await api.tokenFor(['abh_clerk'], 'koeln', 'clerk-koeln')}`;
    bonn = `Bearer ${await api.tokenFor(['abh_clerk'], 'bonn', 'clerk-bonn')}`;
  });
  afterAll(async () => {
    await api?.stop();
  });

  const personHeader = ['file_number', 'family_name', 'given_names', 'date_of_birth', 'nationalities', 'street', 'postal_code', 'city', 'email', 'preferred_language'];

  async function importPersons(token: string, rows: string[][]) {
    const response = await fetch(`${api.baseUrl}/api/v1/persons/imports?kind=persons`, {
      method: 'POST',
      headers: { authorization: token, 'content-type': 'text/csv; charset=utf-8' },
      body: formatCsv([personHeader, ...rows], ';'),
    });
    expect(response.status).toBe(202);
    const { id } = (await response.json()) as { id: string };
    for (let i = 0; i < 200; i++) {
      const view = await api.request('GET', `/api/v1/persons/imports/${id}`, { authorization: token });
      if (view.body?.status === 'completed' || view.body?.status === 'failed') return view.body;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`import ${id} did not finish`);
  }

  async function findByFileNumber(token: string, fileNumber: string) {
    const { body } = await api.request('GET', `/api/v1/persons?fileNumber=${encodeURIComponent(fileNumber)}`, { authorization: token });
    return (body?.items as { id: string; familyName: string; version: number; authorityId: string }[]) ?? [];
  }

  test("a Köln import with Bonn's file number creates Köln's own person and leaves Bonn's untouched", async () => {
    expect(await importPersons(bonn, [['ABH-7001', 'Haddad', 'Amina', '1990-04-12', 'SY', 'Markt 1', '53111', 'Bonn', 'amina@example.org', 'ar']]))
      .toMatchObject({ status: 'completed', accepted: 1 });
    const [bonnPerson] = await findByFileNumber(bonn, 'ABH-7001');
    expect(bonnPerson).toMatchObject({ familyName: 'Haddad', version: 1, authorityId: 'bonn' });

    // The same file number in Köln's register: someone else, with other data.
    expect(await importPersons(koeln, [['ABH-7001', 'Nowak', 'Ewa', '1975-02-28', 'PL', 'Domstraße 1', '50667', 'Köln', 'ewa@example.org', 'pl']]))
      .toMatchObject({ status: 'completed', accepted: 1 });
    // And again, changed: a correction of Köln's person, not of Bonn's.
    expect(await importPersons(koeln, [['ABH-7001', 'Nowak-Schulz', 'Ewa', '1975-02-28', 'PL', 'Domstraße 1', '50667', 'Köln', 'ewa@example.org', 'pl']]))
      .toMatchObject({ status: 'completed', accepted: 1 });

    const bonnAfter = await api.request('GET', `/api/v1/persons/${bonnPerson.id}`, { authorization: bonn });
    expect(bonnAfter.body?.person).toMatchObject({ familyName: 'Haddad', givenNames: 'Amina', version: 1, authorityId: 'bonn' });
    expect((bonnAfter.body?.person as { contact: { email: string } }).contact.email).toBe('amina@example.org');
    const [koelnPerson] = await findByFileNumber(koeln, 'ABH-7001');
    expect(koelnPerson).toMatchObject({ familyName: 'Nowak-Schulz', version: 2, authorityId: 'koeln' });
    expect(koelnPerson.id).not.toBe(bonnPerson.id);
    const { rows } = await api.db.pool.query('SELECT authority_id, version FROM person_revisions WHERE person_id = $1 ORDER BY version', [bonnPerson.id]);
    expect(rows).toEqual([{ authority_id: 'bonn', version: 1 }]);
  });

  test("GET /persons/:id/cases: another authority's person is not found (refusal audited), and a case of another authority is not listed", async () => {
    await importPersons(bonn, [['ABH-7002', 'Osei', 'Kofi', '2001-07-01', 'GH', '', '', '', '', 'en']]);
    const [person] = await findByFileNumber(bonn, 'ABH-7002');
    // The projections the residence workflows write: one case of Bonn for its person, and one of
    // Köln that names the same person id (a projection of another authority must never show).
    const project = (authorityId: string, stage: string) =>
      api.db.pool.query(
        `INSERT INTO case_projections (case_id, case_type, authority_id, workflow_id, version, stage, person_id)
         VALUES ($1, 'residence', $2, $3, 1, $4, $5) RETURNING case_id`,
        [randomUUID(), authorityId, `residence-${randomUUID()}`, stage, person.id],
      );
    const bonnCase = (await project('bonn', 'waiting_for_documents')).rows[0].case_id as string;
    await project('koeln', 'waiting_for_documents');

    const own = await api.request('GET', `/api/v1/persons/${person.id}/cases`, { authorization: bonn });
    expect(own.status).toBe(200);
    expect((own.body?.items as { id: string }[]).map((item) => item.id)).toEqual([bonnCase]);

    const foreign = await api.request('GET', `/api/v1/persons/${person.id}/cases`, { authorization: koeln });
    expect(foreign.status).toBe(404);
    expect(foreign.text).not.toContain(bonnCase);
    const { rows } = await api.db.pool.query(
      "SELECT actor, authority_id, outcome FROM audit_log WHERE action = 'register.person.cases' AND detail ->> 'personId' = $1 ORDER BY id",
      [person.id],
    );
    expect(rows).toEqual([
      { actor: 'clerk-bonn', authority_id: 'bonn', outcome: 'allowed' },
      { actor: 'clerk-koeln', authority_id: 'koeln', outcome: 'refused' },
    ]);
  });
});
