import { randomUUID } from 'node:crypto';
import { formatCsv } from '../../api/naturalisation/csv';
import { naturalisationDocumentTypes } from '../../domain/naturalisation/completeness';
import { startSystem, validApplicationBody } from '../support/system';

/**
 * Input the API refuses with a 400 that says why and names the field, before anything reaches
 * the workflow or the database — on the real parts (PostgreSQL, Temporal dev server, SMTP).
 */
describe('input safety: refused with 400 and a field path, nothing changed', () => {
  let system: Awaited<ReturnType<typeof startSystem>>;
  let caseId: string;
  let casePath: string;

  beforeAll(async () => {
    system = await startSystem();
    const created = await system.request('POST', '/api/v1/naturalisation/applications', validApplicationBody());
    expect(created.status).toBe(201);
    caseId = created.body.id;
    casePath = `/api/v1/naturalisation/applications/${caseId}`;
    await waitForStage('completeness_check');
  });
  afterAll(async () => {
    await system?.stop();
  });

  async function waitForStage(stage: string) {
    for (let i = 0; i < 100; i++) {
      const view = await system.request('GET', casePath);
      if (view.body.stage === stage) return view.body;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`stage ${stage} not reached`);
  }

  describe('document types', () => {
    const accepted = [...naturalisationDocumentTypes];

    test('a type that is not one of the checklist (b1_certificate) is refused with a message listing every accepted type', async () => {
      const before = await system.request('GET', casePath);
      const response = await system.request('POST', `${casePath}/completeness-check`, {
        checklist: [{ type: 'passport', status: 'present' }, { type: 'b1_certificate', status: 'present' }],
        expectedVersion: before.body.version,
      });
      expect(response.status).toBe(400);
      expect(response.body.errors).toHaveLength(1);
      const [issue] = response.body.errors;
      expect(issue.path).toBe('body.checklist.1.type');
      for (const type of accepted) expect(issue.message).toContain(type);
      expect(issue.message).toContain('"language_certificate"');
      expect((await system.request('GET', casePath)).body).toEqual(before.body);
    });

    test('the upload names the accepted types too, and "other"', async () => {
      const response = await fetch(`${system.baseUrl}/api/v1/status/naturalisation/documents?type=b1_certificate`, {
        method: 'POST',
        headers: { 'content-type': 'application/pdf', 'x-reference': 'EBH-2026-ABCDEFGHJK', 'x-access-code': 'AAAA-BBBB-CCCC' },
        body: Buffer.from('%PDF-1.7\n%%EOF\n'),
      });
      const body = (await response.json()) as { errors: { path: string; message: string }[] };
      expect(response.status).toBe(400);
      expect(body.errors.map((e) => e.path)).toEqual(['query.type']);
      for (const type of [...accepted, 'other']) expect(body.errors[0].message).toContain(type);
    });

    test('every accepted type is taken, and the check moves the case on', async () => {
      const before = await system.request('GET', casePath);
      const response = await system.request('POST', `${casePath}/completeness-check`, {
        checklist: accepted.map((type) => ({ type, status: 'present', expires: false })),
        expectedVersion: before.body.version,
      });
      expect(response.status).toBe(200);
      expect(response.body.stage).toBe('inquiries');
      expect(response.body.details.checklist.map((item: { type: string }) => item.type)).toEqual(accepted);
    });
  });

  /** A 400 as problem+json whose field paths include `path`. */
  function expectRefused(response: { status: number; headers: Headers; body: { errors?: { path: string; message: string }[] } }, path: string, message?: RegExp) {
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    const issue = response.body.errors?.find((e) => e.path === path);
    expect({ paths: response.body.errors?.map((e) => e.path), found: issue !== undefined }).toEqual({ paths: expect.arrayContaining([path]), found: true });
    if (message) expect(issue!.message).toMatch(message);
  }

  async function countApplications(): Promise<number> {
    const { rows } = await system.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM naturalisation_applications');
    return rows[0].n;
  }

  /** A fresh case in completeness_check, for the actions below. */
  async function openCase(): Promise<{ path: string; view: Record<string, unknown> & { version: number } }> {
    const created = await system.request('POST', '/api/v1/naturalisation/applications', validApplicationBody());
    const path = `/api/v1/naturalisation/applications/${created.body.id}`;
    for (let i = 0; i < 100; i++) {
      const view = await system.request('GET', path);
      if (view.body.stage === 'completeness_check') return { path, view: view.body };
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('the case did not reach completeness_check');
  }

  describe('NUL characters (PostgreSQL text and jsonb cannot hold U+0000), in any part of any route', () => {
    test('in a registration: 400 naming the field, no application stored', async () => {
      const before = await countApplications();
      const body = validApplicationBody({ applicant: { ...validApplicationBody().applicant, givenNames: 'Ami\u0000na' } });
      expectRefused(await system.request('POST', '/api/v1/naturalisation/applications', body), 'body.applicant.givenNames', /NUL/);
      const inKey = { applicant: { ...validApplicationBody().applicant, ['nick\u0000name']: 'x' } };
      expectRefused(await system.request('POST', '/api/v1/naturalisation/applications', inKey), 'body.applicant.nick\\u0000name', /NUL/);
      expect(await countApplications()).toBe(before);
    });

    test('in a clerk action that the workflow would carry into the projection: 400, the case unchanged', async () => {
      const { path, view } = await openCase();
      expectRefused(await system.request('POST', `${path}/suspension`, { reason: 'Ermittlungs\u0000verfahren', expectedVersion: view.version }), 'body.reason', /NUL/);
      expectRefused(await system.request('POST', `${path}/assignment`, { assignee: 'clerk\u0000@example.org', expectedVersion: view.version }), 'body.assignee', /NUL/);
      expect((await system.request('GET', path)).body).toEqual(view);
    });

    test('in eligibility facts (stored as jsonb): 400 with the path into the facts, no check stored', async () => {
      const { path } = await openCase();
      const facts = {
        dateOfBirth: '1990-04-12', nationalities: ['TR'], identityClarified: 'yes', nationalityClarified: 'yes',
        capacity: { incapacitated: 'no', legallyRepresented: 'no' },
        residenceHistory: [{ from: '2018-01-01', status: 'permit', permitBasis: '§ 18a\u0000 AufenthG' }],
        livelihood: { receivesBenefits: 'no', responsibleForBenefits: 'no', employment: { employedFullTimeNow: 'yes' } },
        language: { certifiedLevel: 'B1' }, civicKnowledge: { testCorrectAnswers: 30 },
        declarations: { basicOrderAndLoyalty: 'yes', historicalResponsibility: 'yes' },
        criminalRecord: { pendingInvestigation: 'no' }, conduct: { multipleMarriage: 'no', disregardsGenderEquality: 'no' },
        exclusionGrounds: { extremistActivity: 'no', declarationContentIncorrect: 'no', seriousExpulsionInterest: 'no' },
      };
      expectRefused(await system.request('POST', `${path}/eligibility-checks`, { facts }), 'body.facts.residenceHistory.0.permitBasis', /NUL/);
      expect((await system.request('GET', `${path}/eligibility-checks`)).body).toEqual({ checks: [] });
    });

    test('in a query string and a path parameter', async () => {
      expectRefused(await system.request('GET', '/api/v1/naturalisation/queue?assignee=a%00b'), 'query.assignee', /NUL/);
      expectRefused(await system.request('GET', '/api/v1/naturalisation/applications/%00'), 'params.id', /NUL/);
      const admin = await system.tokenFor(['admin'], 'koeln', 'admin-nul');
      expectRefused(await system.request('GET', '/api/v1/audit?actor=%00', undefined, { authorization: `Bearer ${admin}` }), 'query.actor', /NUL/);
    });

    test('in an uploaded CSV file: 400 naming the line, no import stored', async () => {
      const { rows: [before] } = await system.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM import_jobs');
      const csv = formatCsv([
        ['given_names', 'family_name', 'date_of_birth', 'email', 'filed_on'],
        ['Ana', 'Silva', '1991-01-02', 'ana@example.org', '2025-01-02'],
        ['Bo\u0000', 'Li', '1992-01-02', 'bo@example.org', '2025-01-02'],
      ]);
      const response = await system.request('POST', '/api/v1/naturalisation/imports', csv, { 'content-type': 'text/csv' });
      expectRefused(response, 'body', /NUL character \(U\+0000\) on line 3/);
      const { rows: [after] } = await system.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM import_jobs');
      expect(after.n).toBe(before.n);
    });
  });

  describe('dates outside what PostgreSQL and the rules can hold', () => {
    test.each([
      ['0000-01-01', 'body.applicant.dateOfBirth', /must not lie before 1900-01-01/], // PostgreSQL has no year 0
      ['1899-12-31', 'body.applicant.dateOfBirth', /must not lie before 1900-01-01/],
      ['275760-01-01', 'body.applicant.dateOfBirth', /calendar date/], // beyond JavaScript's dates
      ['2200-01-01', 'body.applicant.dateOfBirth', /between/],
    ])('a date of birth %s: 400, nothing stored', async (dateOfBirth, path, message) => {
      const before = await countApplications();
      const body = validApplicationBody({ applicant: { ...validApplicationBody().applicant, dateOfBirth } });
      expectRefused(await system.request('POST', '/api/v1/naturalisation/applications', body), path, message);
      expect(await countApplications()).toBe(before);
    });

    test('a filing date before 1950, from which German legal time (and the § 75 VwGO clock) is not modelled: 400', async () => {
      const before = await countApplications();
      expectRefused(await system.request('POST', '/api/v1/naturalisation/applications', validApplicationBody({ filedOn: '1949-12-31' })), 'body.filedOn', /1950-01-01/);
      expect(await countApplications()).toBe(before);
    });

    test('a deadline or appointment far in the future, an eligibility day in year 0: 400, the case unchanged', async () => {
      const { path, view } = await openCase();
      expectRefused(await system.request('POST', `${path}/document-deadline`, { dueOn: '9999-12-31', expectedVersion: view.version }), 'body.dueOn', /between/);
      expectRefused(await system.request('POST', `${path}/appointment`, { at: '2999-01-01T10:00:00+01:00', place: 'Rathaus', expectedVersion: view.version }), 'body.at', /between/);
      expectRefused(await system.request('POST', `${path}/inquiry-answers`, {
        inquiry: 'regelanfrage', result: 'no_findings', answeredOn: '0000-12-31', expectedVersion: view.version,
      }), 'body.answeredOn', /between/);
      expect((await system.request('GET', path)).body).toEqual(view);
    });

    test('a forged work-queue cursor whose key PostgreSQL cannot read as a date: 400', async () => {
      const forged = Buffer.from(JSON.stringify({ v: 1, s: 'age', k: '0000-01-01', id: randomUUID() })).toString('base64url');
      expectRefused(await system.request('GET', `/api/v1/naturalisation/queue?sort=age&after=${forged}`), 'query.after');
      const garbage = Buffer.from(JSON.stringify({ v: 1, s: 'due', k: 'not a time', id: randomUUID() })).toString('base64url');
      expectRefused(await system.request('GET', `/api/v1/naturalisation/queue?sort=due&after=${garbage}`), 'query.after');
    });

    test('a backlog row with year 0 is a rejected row with its reason, not a stuck import', async () => {
      const prefix = `Z${randomUUID().slice(0, 6)}`;
      const csv = formatCsv([
        ['reference', 'given_names', 'family_name', 'date_of_birth', 'email', 'filed_on'],
        [`${prefix}-1`, 'Ana', 'Silva', '02.01.1991', 'ana@example.org', '2025-01-02'],
        [`${prefix}-2`, 'Bo', 'Li', '01.01.0000', 'bo@example.org', '2025-01-02'],
      ]);
      const upload = await system.request('POST', '/api/v1/naturalisation/imports', csv, { 'content-type': 'text/csv' });
      expect(upload.status).toBe(202);
      let job = upload.body;
      for (let i = 0; i < 300 && job.status !== 'completed'; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        job = (await system.request('GET', `/api/v1/naturalisation/imports/${upload.body.id}`)).body;
      }
      expect(job).toMatchObject({ status: 'completed', processed: 2, accepted: 1, rejected: 1 });
      const rejections = await system.request('GET', `/api/v1/naturalisation/imports/${upload.body.id}/rejections`);
      expect(rejections.body.items).toEqual([
        expect.objectContaining({ row: 2, reference: `${prefix}-2`, issues: [expect.objectContaining({ path: 'date_of_birth', message: expect.stringMatching(/not lie before 1900-01-01/) })] }),
      ]);
    });
  });

  describe('integers beyond PostgreSQL integer, and overlong text', () => {
    test('an expected version or a fee beyond int4: 400, the case unchanged', async () => {
      const { path, view } = await openCase();
      expectRefused(await system.request('POST', `${path}/resumption`, { expectedVersion: 2_147_483_648 }), 'body.expectedVersion');
      expectRefused(await system.request('POST', `${path}/decision`, { outcome: 'refused', reason: 'x', refusalFeeEuro: 1e12, expectedVersion: view.version }), 'body.refusalFeeEuro');
      expect((await system.request('GET', path)).body).toEqual(view);
    });

    test('a listing position beyond int4 or bigint: 400, not a database error', async () => {
      expectRefused(await system.request('GET', `/api/v1/naturalisation/imports/${randomUUID()}/rejections?after=2147483648`), 'query.after');
      const admin = await system.tokenFor(['admin'], 'koeln', 'admin-ints');
      expectRefused(await system.request('GET', '/api/v1/audit?before=99999999999999999999', undefined, { authorization: `Bearer ${admin}` }), 'query.before');
    });

    test('overlong text: 400 naming the field, nothing stored or changed', async () => {
      const before = await countApplications();
      const body = validApplicationBody({ applicant: { ...validApplicationBody().applicant, familyName: 'X'.repeat(201) } });
      expectRefused(await system.request('POST', '/api/v1/naturalisation/applications', body), 'body.applicant.familyName', /200/);
      const email = validApplicationBody({ applicant: { ...validApplicationBody().applicant, email: `${'a'.repeat(250)}@example.org` } });
      expectRefused(await system.request('POST', '/api/v1/naturalisation/applications', email), 'body.applicant.email');
      expect(await countApplications()).toBe(before);
      const { path, view } = await openCase();
      expectRefused(await system.request('POST', `${path}/suspension`, { reason: 'x'.repeat(2001), expectedVersion: view.version }), 'body.reason', /2000/);
      expectRefused(await system.request('GET', `/api/v1/naturalisation/queue?team=${'t'.repeat(101)}`), 'query.team');
      expect((await system.request('GET', path)).body).toEqual(view);
    });
  });
});
