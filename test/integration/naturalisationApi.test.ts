import { startSystem, validApplicationBody } from '../support/system';
import { subjectOf } from '../support/smtp';

/**
 * The naturalisation intake end to end: API → PostgreSQL → Temporal dev server → worker →
 * outbox → a real SMTP listener.
 */
describe('naturalisation applications API (PostgreSQL, Temporal dev server, SMTP)', () => {
  let system: Awaited<ReturnType<typeof startSystem>>;

  beforeAll(async () => {
    system = await startSystem();
  });
  afterAll(async () => {
    await system?.stop();
  });

  async function countRows(table: string): Promise<number> {
    const { rows } = await system.db.pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
    return Number(rows[0].n);
  }

  test('registers an application, starts its workflow and acknowledges receipt by e-mail exactly once', async () => {
    const response = await system.request('POST', '/api/v1/naturalisation/applications', validApplicationBody());
    expect(response.status).toBe(201);
    const id: string = response.body.id;
    expect(response.body.reference).toMatch(/^EBH-\d{4}-[A-Z2-9]{10}$/);
    expect(response.headers.get('location')).toBe(`/api/v1/naturalisation/applications/${id}`);

    // The workflow id carries no personal data, only the application id.
    const description = await system.temporal.workflow.getHandle(`naturalisation/${id}`).describe();
    expect(description.status.name).toBe('RUNNING');
    expect(description.workflowId).toBe(`naturalisation/${id}`);

    const [mail] = await system.smtp.waitFor((m) => m.recipients.includes('amina.haddad@example.org'));
    expect(subjectOf(mail)).toContain(`Eingangsbestätigung Ihres Einbürgerungsantrags ${response.body.reference}`);
    expect(subjectOf(mail)).toContain('Acknowledgement of your naturalisation application');
    // German first, then the applicant's language.
    const raw = mail.raw.replace(/=\r?\n/g, '');
    expect(raw.indexOf('Guten Tag')).toBeGreaterThan(-1);
    expect(raw.indexOf('Guten Tag')).toBeLessThan(raw.indexOf('Dear Amina'));
    expect(mail.messageId).toMatch(/^<[0-9a-f]{32}@test\.localhost>$/);

    // The projection shows the stage and the § 75 VwGO deadline.
    let view;
    for (let i = 0; i < 50; i++) {
      view = await system.request('GET', `/api/v1/naturalisation/applications/${id}`);
      if (view.body.stage === 'in_progress') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(view!.status).toBe(200);
    expect(view!.body.stage).toBe('in_progress');
    expect(view!.body.deadlines.lawsuitPossibleFrom).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(view!.body.applicant.familyName).toBe('Haddad');

    await new Promise((r) => setTimeout(r, 1500));
    expect(system.smtp.received.filter((m) => m.recipients.includes('amina.haddad@example.org'))).toHaveLength(1);
    const { rows } = await system.db.pool.query(`SELECT status FROM outbox WHERE case_id = $1`, [id]);
    expect(rows).toEqual([{ status: 'sent' }]);
  });

  test('a repeated POST with the same Idempotency-Key returns the same case and sends no second letter', async () => {
    const body = validApplicationBody({ applicant: { ...validApplicationBody().applicant, email: 'idem@example.org' } });
    const headers = { 'Idempotency-Key': 'intake-7f3a9c21-0001' };
    const first = await system.request('POST', '/api/v1/naturalisation/applications', body, headers);
    const second = await system.request('POST', '/api/v1/naturalisation/applications', body, headers);
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect(second.body.id).toBe(first.body.id);
    expect(second.body.reference).toBe(first.body.reference);
    await system.smtp.waitFor((m) => m.recipients.includes('idem@example.org'));
    await new Promise((r) => setTimeout(r, 1500));
    expect(system.smtp.received.filter((m) => m.recipients.includes('idem@example.org'))).toHaveLength(1);

    const other = await system.request('POST', '/api/v1/naturalisation/applications', validApplicationBody(), headers);
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('idempotency_key.reused');
  });

  test('bad input gets a 400 naming each bad field, and nothing is stored', async () => {
    const before = { applications: await countRows('naturalisation_applications'), audit: await countRows('audit_log') };
    const response = await system.request('POST', '/api/v1/naturalisation/applications', {
      authorityId: 'Köln!',
      applicant: { givenNames: '', familyName: 'X', dateOfBirth: '1990-02-30', email: 'not-an-email', nickname: 'x' },
      extra: true,
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    const paths = response.body.errors.map((e: { path: string }) => e.path).sort();
    expect(paths).toEqual(
      expect.arrayContaining([
        'body.applicant.givenNames',
        'body.applicant.dateOfBirth',
        'body.applicant.email',
      ]),
    );
    expect(JSON.stringify(response.body.errors)).toMatch(/nickname/);
    expect(JSON.stringify(response.body.errors)).toMatch(/extra/);
    // The authority comes from the token, never from the body.
    expect(JSON.stringify(response.body.errors)).toMatch(/authorityId/);

    const future = await system.request('POST', '/api/v1/naturalisation/applications', validApplicationBody({ filedOn: '2999-01-01' }));
    expect(future.status).toBe(400);
    expect(future.body.errors[0].path).toBe('body.filedOn');

    const malformed = await system.request('POST', '/api/v1/naturalisation/applications', '{"authorityId":');
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe('request.malformed');

    expect(await countRows('naturalisation_applications')).toBe(before.applications);
    expect(await countRows('audit_log')).toBe(before.audit);
  });

  test('unknown and malformed ids get 404 and 400, as problem+json', async () => {
    const unknown = await system.request('GET', '/api/v1/naturalisation/applications/00000000-0000-4000-8000-000000000000');
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('application.not_found');
    const malformed = await system.request('GET', '/api/v1/naturalisation/applications/not-a-uuid');
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors[0].path).toBe('params.id');
  });

  test('a decision is recorded through the workflow; a second one is refused with 409 and changes nothing', async () => {
    const created = await system.request('POST', '/api/v1/naturalisation/applications', validApplicationBody());
    const id = created.body.id;
    let version = 0;
    for (let i = 0; i < 50 && version < 2; i++) {
      version = (await system.request('GET', `/api/v1/naturalisation/applications/${id}`)).body.version;
      if (version < 2) await new Promise((r) => setTimeout(r, 100));
    }
    const stale = await system.request('POST', `/api/v1/naturalisation/applications/${id}/decision`, {
      outcome: 'approved', reason: 'all criteria met', expectedVersion: version - 1,
    });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('naturalisation.version_conflict');

    const decided = await system.request('POST', `/api/v1/naturalisation/applications/${id}/decision`, {
      outcome: 'approved', reason: 'all criteria met', expectedVersion: version,
    });
    expect(decided.body).toMatchObject({ stage: 'decided' });
    expect(decided.status).toBe(200);
    expect(decided.body.stage).toBe('decided');
    expect(decided.body.decision).toMatchObject({ outcome: 'approved', decidedBy: 'ebh_clerk-1' });

    const again = await system.request('POST', `/api/v1/naturalisation/applications/${id}/decision`, {
      outcome: 'refused', reason: 'changed my mind', expectedVersion: decided.body.version,
    });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('naturalisation.already_decided');
    const after = await system.request('GET', `/api/v1/naturalisation/applications/${id}`);
    expect(after.body.decision.outcome).toBe('approved');
    await expect(system.temporal.workflow.getHandle(`naturalisation/${id}`).result()).resolves.toMatchObject({ stage: 'decided' });
  });

  test('reads and writes of personal data are in the audit trail', async () => {
    const created = await system.request('POST', '/api/v1/naturalisation/applications', validApplicationBody());
    await system.request('GET', `/api/v1/naturalisation/applications/${created.body.id}`);
    const { rows } = await system.db.pool.query('SELECT action, outcome FROM audit_log WHERE case_id = $1 ORDER BY id', [created.body.id]);
    expect(rows).toEqual([
      { action: 'naturalisation.application.create', outcome: 'allowed' },
      { action: 'naturalisation.application.view', outcome: 'allowed' },
    ]);
  });

  test('GET /openapi.json describes every route from the same schemas; GET /health checks all three parts', async () => {
    const doc = await system.request('GET', '/openapi.json');
    expect(doc.status).toBe(200);
    expect(Object.keys(doc.body.paths).sort()).toEqual([
      '/api/v1/admin/retention',
      '/api/v1/admin/retention/{caseType}',
      '/api/v1/audit',
      '/api/v1/naturalisation/applications',
      '/api/v1/naturalisation/applications/{id}',
      '/api/v1/naturalisation/applications/{id}/decision',
      '/api/v1/statistics/naturalisation',
      '/health',
    ]);
    const post = doc.body.paths['/api/v1/naturalisation/applications'].post;
    expect(post.requestBody.content['application/json'].schema.required).toEqual(['applicant']);
    expect(post.requestBody.content['application/json'].schema.properties.applicant.required).toEqual(
      expect.arrayContaining(['givenNames', 'familyName', 'dateOfBirth', 'email']),
    );

    const health = await system.request('GET', '/health');
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ status: 'ok', checks: { database: { status: 'ok' }, temporal: { status: 'ok' }, smtp: { status: 'ok' } } });
  });
});
