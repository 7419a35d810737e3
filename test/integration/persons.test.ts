import { createPersonCaseQueries } from '../../db/queries/personCases';
import { finalStagesByCaseType } from '../../processes';
import { startSystem, validApplicationBody } from '../support/system';

/**
 * The person register through its API, against PostgreSQL and the Temporal dev server: create,
 * read, correct (an append: the old value stays in the history), stale versions, other
 * authorities, roles, bad input that changes nothing, overlapping periods, and the signal to the
 * person's open cases.
 */
describe('person register API (PostgreSQL, Temporal dev server)', () => {
  let system: Awaited<ReturnType<typeof startSystem>>;
  let abh: string;

  beforeAll(async () => {
    system = await startSystem();
    abh = `Bearer ${await system.tokenFor(['abh_clerk'], 'koeln', 'clerk-anna')}`;
  });
  afterAll(async () => {
    await system?.stop();
  });

  const personBody = (overrides: Record<string, unknown> = {}) => ({
    fileNumber: 'ABH-2019-0042',
    givenNames: 'Rami',
    familyName: 'Khalil',
    dateOfBirth: '1994-03-17',
    nationalities: ['SY'],
    contact: { postalAddress: { street: 'Domstraße 1', postalCode: '50667', city: 'Köln' }, email: 'rami@example.org', phone: '+49 221 123456' },
    preferredLanguage: 'ar',
    ...overrides,
  });
  const request = (method: string, path: string, body?: unknown, headers: Record<string, string | null> = {}) =>
    system.request(method, path, body, { authorization: abh, ...headers });

  async function auditRows(action: string, personId: string) {
    const { rows } = await system.db.pool.query(
      "SELECT actor, action, authority_id, outcome, detail FROM audit_log WHERE action = $1 AND detail ->> 'personId' = $2 ORDER BY id",
      [action, personId],
    );
    return rows;
  }

  test('create → read → correct: the history shows who changed what, with the old value; a stale version gets 409 and changes nothing', async () => {
    const created = await request('POST', '/api/v1/persons', personBody());
    expect(created.status).toBe(201);
    const id: string = created.body.person.id;
    expect(created.headers.get('location')).toBe(`/api/v1/persons/${id}`);
    expect(created.body.person).toMatchObject({ fileNumber: 'ABH-2019-0042', familyName: 'Khalil', version: 1, authorityId: 'koeln', nationalities: ['SY'] });
    expect(created.body.person.contact.postalAddress).toEqual({ street: 'Domstraße 1', postalCode: '50667', city: 'Köln', country: 'DE' });

    const read = await request('GET', `/api/v1/persons/${id}`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual({ person: created.body.person, residencePeriods: [], facts: [] });

    // An EBH clerk of the same authority corrects the family name.
    const corrected = await system.request('PATCH', `/api/v1/persons/${id}`, { expectedVersion: 1, changes: { familyName: 'Khaleel' }, source: 'document', reason: 'passport spelling' });
    expect(corrected.status).toBe(200);
    expect(corrected.body.person).toMatchObject({ familyName: 'Khaleel', givenNames: 'Rami', version: 2 });
    expect(corrected.body.person.contact.email).toBe('rami@example.org');

    const history = await request('GET', `/api/v1/persons/${id}/history`);
    expect(history.status).toBe(200);
    expect(history.body.items.map((r: { action: string; version: number; recordedBy: string; source: string }) => [r.action, r.version, r.recordedBy, r.source])).toEqual([
      ['create', 1, 'clerk-anna', 'clerk'],
      ['correct', 2, 'ebh_clerk-1', 'document'],
    ]);
    expect(history.body.items[1]).toMatchObject({ entity: 'person', before: { familyName: 'Khalil' }, after: { familyName: 'Khaleel' }, reason: 'passport spelling' });
    expect(history.body.items[0].after.familyName).toBe('Khalil');

    const stale = await request('PATCH', `/api/v1/persons/${id}`, { expectedVersion: 1, changes: { givenNames: 'Ramy' } });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('person.version_conflict');
    expect((await request('GET', `/api/v1/persons/${id}`)).body.person).toEqual(corrected.body.person);
    expect((await auditRows('register.person.correct', id)).map((r) => r.outcome)).toEqual(['allowed', 'refused']);

    // Every read and write is audited, with the person's id.
    expect(await auditRows('register.person.create', id)).toEqual([{ actor: 'clerk-anna', action: 'register.person.create', authority_id: 'koeln', outcome: 'allowed', detail: { personId: id } }]);
    expect((await auditRows('register.person.view', id)).length).toBeGreaterThanOrEqual(2);
  });

  test('another authority\'s person is not found (and the attempt audited as refused); roles without register access get 403', async () => {
    const created = await request('POST', '/api/v1/persons', personBody({ fileNumber: 'ABH-AUTH-1' }));
    const id = created.body.person.id;
    const bonn = `Bearer ${await system.tokenFor(['abh_clerk'], 'bonn', 'clerk-bonn')}`;

    const read = await system.request('GET', `/api/v1/persons/${id}`, undefined, { authorization: bonn });
    expect(read.status).toBe(404);
    expect(read.body.code).toBe('person.not_found');
    const write = await system.request('PATCH', `/api/v1/persons/${id}`, { expectedVersion: 1, changes: { familyName: 'X' } }, { authorization: bonn });
    expect(write.status).toBe(404);
    const list = await system.request('GET', '/api/v1/persons?fileNumber=ABH-AUTH-1', undefined, { authorization: bonn });
    expect(list.body.items).toEqual([]);
    expect(await auditRows('register.person.view', id)).toEqual([
      { actor: 'clerk-bonn', action: 'register.person.view', authority_id: 'bonn', outcome: 'refused', detail: { personId: id, reason: "no such person in the caller's authority" } },
    ]);
    expect((await auditRows('register.person.correct', id)).map((r) => [r.actor, r.outcome])).toEqual([['clerk-bonn', 'refused']]);

    for (const role of ['case_manager', 'coordinator'] as const) {
      const token = `Bearer ${await system.tokenFor([role], 'koeln', `${role}-x`)}`;
      const refused = await system.request('GET', `/api/v1/persons/${id}`, undefined, { authorization: token });
      expect(refused.status).toBe(403);
      expect(refused.body.code).toBe('auth.forbidden');
    }
    const admin = `Bearer ${await system.tokenFor(['admin'], 'koeln', 'admin-x')}`;
    expect((await system.request('GET', `/api/v1/persons/${id}`, undefined, { authorization: admin })).status).toBe(200);
    expect((await system.request('PATCH', `/api/v1/persons/${id}`, { expectedVersion: 1, changes: { familyName: 'X' } }, { authorization: admin })).status).toBe(403);
    expect((await request('GET', `/api/v1/persons/${id}`)).body.person.version).toBe(1);
  });

  test('input the database cannot store is refused with 400 naming each field, and nothing changes', async () => {
    // A NUL character is refused before anything else is read (api/route.ts).
    const nul = await request('POST', '/api/v1/persons', personBody({ fileNumber: 'ABH-BAD-1', familyName: 'Kha\u0000lil' }));
    expect(nul.status).toBe(400);
    expect(nul.body.errors.map((e: { path: string }) => e.path)).toEqual(['body.familyName']);
    const bad = await request('POST', '/api/v1/persons', personBody({
      fileNumber: 'ABH-BAD-1',
      familyName: 'K'.repeat(201),
      givenNames: 'R'.repeat(5000),
      dateOfBirth: '1899-12-31',
      nationalities: ['syria'],
    }));
    expect(bad.status).toBe(400);
    const paths = bad.body.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['body.familyName', 'body.givenNames', 'body.dateOfBirth', 'body.nationalities.0']));
    expect(bad.body.errors.find((e: { path: string }) => e.path === 'body.dateOfBirth').message).toMatch(/1900-01-01/);
    const impossible = await request('POST', '/api/v1/persons', personBody({ fileNumber: 'ABH-BAD-1', dateOfBirth: '2023-02-29' }));
    expect(impossible.status).toBe(400);
    expect(impossible.body.errors[0].path).toBe('body.dateOfBirth');
    expect((await request('GET', '/api/v1/persons?fileNumber=ABH-BAD-1')).body.items).toEqual([]);

    const created = await request('POST', '/api/v1/persons', personBody({ fileNumber: 'ABH-BAD-2' }));
    const id = created.body.person.id;
    const badCorrection = await request('PATCH', `/api/v1/persons/${id}`, { expectedVersion: 1, changes: { familyName: '', contact: { email: 'not-mail' } } });
    expect(badCorrection.status).toBe(400);
    expect(badCorrection.body.errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(['body.changes.familyName', 'body.changes.contact.email']));
    const badPeriod = await request('POST', `/api/v1/persons/${id}/residence-periods`, {
      expectedVersion: 1,
      period: { status: 'permit', from: '2020-05-01', to: '2020-04-30', permitBasis: '§ 25 Abs. 2 AufenthG', documentExpiry: '2101-01-01' },
    });
    expect(badPeriod.status).toBe(400);
    expect(badPeriod.body.errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(['body.period.documentExpiry']));
    const backwards = await request('POST', `/api/v1/persons/${id}/residence-periods`, {
      expectedVersion: 1,
      period: { status: 'permit', from: '2020-05-01', to: '2020-04-30', permitBasis: '§ 25 Abs. 2 AufenthG' },
    });
    expect(backwards.status).toBe(400);
    expect(backwards.body.errors).toEqual([expect.objectContaining({ path: 'body.period.to', message: 'must not lie before from' })]);
    const badFact = await request('POST', `/api/v1/persons/${id}/facts`, { expectedVersion: 1, fact: { kind: 'naturalisation_test', data: { correctAnswers: 34, takenOn: '2024-02-30' } } });
    expect(badFact.status).toBe(400);
    expect(badFact.body.errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(['body.fact.data.correctAnswers', 'body.fact.data.takenOn']));
    const after = await request('GET', `/api/v1/persons/${id}`);
    expect(after.body).toEqual(created.body);
    expect((await request('GET', `/api/v1/persons/${id}/history`)).body.items).toHaveLength(1);
  });

  test('residence periods: added, an overlapping one refused with 422, corrected and retracted — every revision in the history', async () => {
    const created = await request('POST', '/api/v1/persons', personBody({ fileNumber: 'ABH-PER-1' }));
    const id = created.body.person.id;
    const path = `/api/v1/persons/${id}/residence-periods`;
    const gestattung = await request('POST', path, { expectedVersion: 1, period: { status: 'gestattung', from: '2015-09-01', to: '2017-03-31', protectionGrantedLater: true } });
    expect(gestattung.status).toBe(200);
    const permit = await request('POST', path, {
      expectedVersion: 2,
      period: { status: 'permit', from: '2017-04-01', permitBasis: '§ 25 Abs. 2 AufenthG', documentNumber: 'Y1234567', documentExpiry: '2026-03-31' },
      source: 'document',
    });
    expect(permit.status).toBe(200);
    expect(permit.body.person.version).toBe(3);
    expect(permit.body.residencePeriods.map((p: { status: string; from: string; to: string | null }) => [p.status, p.from, p.to])).toEqual([
      ['gestattung', '2015-09-01', '2017-03-31'],
      ['permit', '2017-04-01', null],
    ]);

    const overlapping = await request('POST', path, { expectedVersion: 3, period: { status: 'duldung', from: '2017-03-01', to: '2017-06-30', duldungGround: 'Passlosigkeit' } });
    expect(overlapping.status).toBe(422);
    expect(overlapping.body.code).toBe('person.residence_period_overlap');
    expect(overlapping.body.title).toMatch(/2017-03-01 – 2017-06-30 overlaps the gestattung period 2015-09-01 – 2017-03-31/);
    expect((await request('GET', `/api/v1/persons/${id}`)).body).toEqual(permit.body);

    const permitId = permit.body.residencePeriods[1].id;
    const corrected = await request('PUT', `${path}/${permitId}`, {
      expectedVersion: 3,
      period: { status: 'permit', from: '2017-04-01', to: '2026-03-31', permitBasis: '§ 25 Abs. 2 AufenthG', documentNumber: 'Y1234567', documentExpiry: '2026-03-31' },
    });
    expect(corrected.status).toBe(200);
    expect(corrected.body.residencePeriods[1]).toMatchObject({ id: permitId, to: '2026-03-31', recordedBy: 'clerk-anna', source: 'clerk' });
    const gestattungId = permit.body.residencePeriods[0].id;
    const retracted = await request('POST', `${path}/${gestattungId}/retraction`, { expectedVersion: 4, reason: 'recorded for the wrong person' });
    expect(retracted.status).toBe(200);
    expect(retracted.body.residencePeriods.map((p: { id: string }) => p.id)).toEqual([permitId]);

    const history = (await request('GET', `/api/v1/persons/${id}/history`)).body.items;
    expect(history.map((r: { entity: string; action: string; kind: string | null }) => [r.entity, r.action, r.kind])).toEqual([
      ['person', 'create', null],
      ['residence_period', 'create', 'gestattung'],
      ['residence_period', 'create', 'permit'],
      ['residence_period', 'correct', 'permit'],
      ['residence_period', 'retract', 'gestattung'],
    ]);
    expect(history[3].before.to).toBeNull();
    expect(history[3].after.to).toBe('2026-03-31');
    expect(history[4]).toMatchObject({ before: { status: 'gestattung', from: '2015-09-01' }, after: null, reason: 'recorded for the wrong person' });
  });

  test('facts: added, corrected (same kind only) and retracted; the previous value stays visible', async () => {
    const created = await request('POST', '/api/v1/persons', personBody({ fileNumber: 'ABH-FACT-1' }));
    const id = created.body.person.id;
    const added = await request('POST', `/api/v1/persons/${id}/facts`, { expectedVersion: 1, fact: { kind: 'language_certificate', data: { level: 'B1', issuedOn: '2023-06-12' } }, source: 'document' });
    expect(added.status).toBe(200);
    const factId = added.body.facts[0].id;
    expect(added.body.facts[0]).toMatchObject({ kind: 'language_certificate', data: { level: 'B1', issuedOn: '2023-06-12', issuer: null }, source: 'document', recordedBy: 'clerk-anna' });

    const wrongKind = await request('PUT', `/api/v1/persons/${id}/facts/${factId}`, { expectedVersion: 2, fact: { kind: 'naturalisation_test', data: { correctAnswers: 20, takenOn: '2023-01-01' } } });
    expect(wrongKind.status).toBe(422);
    const corrected = await request('PUT', `/api/v1/persons/${id}/facts/${factId}`, { expectedVersion: 2, fact: { kind: 'language_certificate', data: { level: 'B2', issuedOn: '2023-06-12' } } });
    expect(corrected.status).toBe(200);
    expect(corrected.body.facts[0].data.level).toBe('B2');
    const spouse = await request('POST', `/api/v1/persons/${id}/facts`, {
      expectedVersion: 3,
      fact: { kind: 'spouse', data: { relationship: 'spouse', givenNames: 'Lina', familyName: 'Khalil', dateOfBirth: '1996-01-05', marriedOn: '2018-08-08' } },
    });
    expect(spouse.status).toBe(200);
    const ambiguous = await request('POST', `/api/v1/persons/${id}/facts`, { expectedVersion: 4, fact: { kind: 'minor_child', data: { livesWithPerson: true } } });
    expect(ambiguous.status).toBe(400);
    expect(ambiguous.body.errors[0].path).toBe('body.fact.data.personId');
    const retracted = await request('POST', `/api/v1/persons/${id}/facts/${factId}/retraction`, { expectedVersion: 4, reason: 'certificate forged' });
    expect(retracted.body.facts.map((f: { kind: string }) => f.kind)).toEqual(['spouse']);

    const history = (await request('GET', `/api/v1/persons/${id}/history`)).body.items.filter((r: { entity: string }) => r.entity === 'fact');
    expect(history.map((r: { action: string; before: unknown; after: unknown }) => [r.action, r.before, r.after])).toEqual([
      ['create', null, { level: 'B1', issuedOn: '2023-06-12', issuer: null }],
      ['correct', { level: 'B1', issuedOn: '2023-06-12', issuer: null }, { level: 'B2', issuedOn: '2023-06-12', issuer: null }],
      ['create', null, expect.objectContaining({ givenNames: 'Lina', marriedOn: '2018-08-08' })],
      ['retract', { level: 'B2', issuedOn: '2023-06-12', issuer: null }, null],
    ]);
  });

  test('search by name prefix, file number and date of birth, page by page without repeats', async () => {
    const names = ['Schmidt', 'Schmitz', 'Schneider', 'Schulz', 'Meyer'];
    for (const [i, familyName] of names.entries()) {
      const response = await request('POST', '/api/v1/persons', personBody({ fileNumber: `ABH-LIST-${i}`, familyName, givenNames: `G${i}`, dateOfBirth: `1980-01-0${i + 1}` }));
      expect(response.status).toBe(201);
    }
    const duplicate = await request('POST', '/api/v1/persons', personBody({ fileNumber: 'ABH-LIST-0' }));
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.code).toBe('person.file_number_taken');

    const seen: string[] = [];
    let next: string | null = null;
    do {
      const page: { status: number; body: { items: { familyName: string }[]; next: string | null } } = await request('GET', `/api/v1/persons?name=sch&limit=2${next ? `&after=${next}` : ''}`);
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((p) => p.familyName));
      next = page.body.next;
    } while (next);
    expect(seen).toEqual(['Schmidt', 'Schmitz', 'Schneider', 'Schulz']);
    expect((await request('GET', '/api/v1/persons?fileNumber=ABH-LIST-4')).body.items.map((p: { familyName: string }) => p.familyName)).toEqual(['Meyer']);
    expect((await request('GET', '/api/v1/persons?dateOfBirth=1980-01-03')).body.items.map((p: { familyName: string }) => p.familyName)).toEqual(['Schneider']);
    expect((await request('GET', '/api/v1/persons?name=%25')).body.items).toEqual([]);
    expect((await request('GET', '/api/v1/persons?after=garbage')).status).toBe(400);
  });

  test('the OpenAPI document describes the register routes from the same schemas', async () => {
    const doc = await system.request('GET', '/openapi.json', undefined, { authorization: null });
    const create = doc.body.paths['/api/v1/persons'].post;
    expect(create.requestBody.content['application/json'].schema.required).toEqual(expect.arrayContaining(['fileNumber', 'givenNames', 'familyName', 'dateOfBirth']));
    expect(Object.keys(create.responses)).toEqual(expect.arrayContaining(['201', '400', '401', '403', '409']));
    expect(Object.keys(doc.body.paths['/api/v1/persons/{id}/residence-periods'].post.responses)).toEqual(expect.arrayContaining(['200', '400', '404', '409', '422']));
    expect(doc.body.paths['/api/v1/persons/imports'].post.requestBody.content).toHaveProperty('text/csv');
  });

  test("a change of a person's facts signals each open case of the person; a closed case is not listed, a gone workflow is skipped", async () => {
    const created = await request('POST', '/api/v1/persons', personBody({ fileNumber: 'ABH-SIG-1' }));
    const personId = created.body.person.id;
    const startCase = async (email: string) => {
      const response = await system.request('POST', '/api/v1/naturalisation/applications', validApplicationBody({ applicant: { ...validApplicationBody().applicant, email } }));
      const id: string = response.body.id;
      let view = (await system.request('GET', `/api/v1/naturalisation/applications/${id}`)).body;
      for (let i = 0; i < 100 && view.stage !== 'completeness_check'; i++) {
        await new Promise((r) => setTimeout(r, 100));
        view = (await system.request('GET', `/api/v1/naturalisation/applications/${id}`)).body;
      }
      expect(view.stage).toBe('completeness_check');
      // Linking an application to its person is the naturalisation module's part (issue 7, item 3); until then, by hand.
      await system.db.pool.query('UPDATE case_projections SET person_id = $2 WHERE case_id = $1', [id, personId]);
      return view;
    };
    const open = await startCase('open@example.org');
    const gone = await startCase('gone@example.org');
    const closed = await startCase('closed@example.org');
    // The closed case: refused through the workflow, so its projection says `closed`.
    const path = `/api/v1/naturalisation/applications/${closed.id}`;
    const checked = await system.request('POST', `${path}/completeness-check`, { checklist: [{ type: 'passport', status: 'present', expires: false }], expectedVersion: closed.version });
    const a1 = await system.request('POST', `${path}/inquiry-answers`, { inquiry: 'regelanfrage', result: 'no_findings', answeredOn: closed.filedOn, expectedVersion: checked.body.version });
    const a2 = await system.request('POST', `${path}/inquiry-answers`, { inquiry: 'register_extract', result: 'no_findings', answeredOn: closed.filedOn, expectedVersion: a1.body.version });
    // Four eyes: a second clerk proposes, a third confirms.
    const clerk = async (subject: string) => ({ authorization: `Bearer ${await system.tokenFor(['ebh_clerk'], 'koeln', subject)}` });
    const proposed = await system.request('POST', `${path}/decision`, { outcome: 'refused', reason: 'livelihood not secured', expectedVersion: a2.body.version }, await clerk('ebh_clerk-2'));
    const refused = await system.request('POST', `${path}/decision/confirmation`, { expectedVersion: proposed.body.version, proposalId: proposed.body.details.decisionProposal.id }, await clerk('ebh_clerk-3'));
    expect(refused.body.stage).toBe('closed');
    await system.temporal.workflow.getHandle(gone.workflowId).terminate('test: the workflow is gone');

    const listed = await createPersonCaseQueries(system.db.pool, finalStagesByCaseType).listOpenCaseWorkflowsByPerson(personId);
    expect(listed.map((c) => c.caseId).sort()).toEqual([open.id, gone.id].sort());

    const added = await request('POST', `/api/v1/persons/${personId}/facts`, { expectedVersion: 1, fact: { kind: 'language_certificate', data: { level: 'B1', issuedOn: '2024-01-10' } } });
    expect(added.status).toBe(200);

    const history = await system.temporal.workflow.getHandle(open.workflowId).fetchHistory();
    const signals = (history.events ?? []).filter((e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'personFactsChanged');
    expect(signals).toHaveLength(1);
    const converter = (system.temporal.options as unknown as { loadedDataConverter: { payloadCodecs: { decode(p: unknown[]): Promise<unknown[]> }[]; payloadConverter: { fromPayload(p: unknown): unknown } } }).loadedDataConverter;
    let payloads = signals[0].workflowExecutionSignaledEventAttributes!.input!.payloads as unknown[];
    for (const codec of [...converter.payloadCodecs].reverse()) payloads = await codec.decode(payloads);
    expect(converter.payloadConverter.fromPayload(payloads[0])).toEqual({ personId, changed: ['language_certificate'], version: 2, at: expect.any(String) });
    const closedHistory = await system.temporal.workflow.getHandle(closed.workflowId).fetchHistory();
    expect((closedHistory.events ?? []).some((e) => e.workflowExecutionSignaledEventAttributes)).toBe(false);
  });
});
