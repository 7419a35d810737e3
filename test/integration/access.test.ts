import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { routes } from '../../api/app';
import { createRateLimiter } from '../../api/rateLimit';
import { roles, type Role } from '../../security/roles';
import { createConfiguredTokenVerifier } from '../../security/tokens';
import { startSystem, validApplicationBody } from '../support/system';

/** A concrete path for a route: `:id` becomes a random UUID. */
const concretePath = (path: string) => path.replace(/:[A-Za-z]+/g, randomUUID());

describe('staff access: tokens, roles, authorities and the audit trail', () => {
  let system: Awaited<ReturnType<typeof startSystem>>;

  beforeAll(async () => {
    system = await startSystem();
  });
  afterAll(async () => {
    await system?.stop();
  });

  async function auditRows(where: string, params: unknown[]) {
    const { rows } = await system.db.pool.query(`SELECT actor, action, authority_id, case_id, outcome, detail FROM audit_log WHERE ${where} ORDER BY id`, params);
    return rows;
  }

  const protectedRoutes = routes.filter((route) => route.access !== 'public');
  const publicRoutes = routes.filter((route) => route.access === 'public');

  // Who may do what, written out from the roles' descriptions (README "Staff access", "Person
  // register", "Finding candidates", "Print queue", "Handoffs", "Outreach" and the console's table;
  // `security/roles.ts`), not from the routes' own `access` lists: A = allowed, R = refused.
  const A = 'allowed';
  const R = 'refused';
  type Expected = typeof A | typeof R;
  const tableRoles = ['abh_clerk', 'ebh_clerk', 'case_manager', 'coordinator', 'admin'] as const;
  const table: [string, Expected, Expected, Expected, Expected, Expected][] = [
    //  route                                                                abh_clerk, ebh_clerk, case_manager, coordinator, admin
    ['GET /health/details',                                                   R, R, R, R, A],
    ['GET /api/v1/audit',                                                     R, R, R, R, A],
    ['POST /api/v1/naturalisation/applications',                              R, A, R, R, R],
    ['GET /api/v1/naturalisation/applications/:id',                           R, A, R, R, R],
    ['POST /api/v1/naturalisation/applications/:id/decision',                 R, A, R, R, R],
    ['POST /api/v1/naturalisation/applications/:id/decision/confirmation',    R, A, R, R, R],
    ['POST /api/v1/naturalisation/applications/:id/completeness-check',       R, A, R, R, R],
    ['POST /api/v1/naturalisation/applications/:id/documents',                R, A, R, R, R],
    ['POST /api/v1/naturalisation/applications/:id/document-deadline',        R, A, R, R, R],
    ['POST /api/v1/naturalisation/applications/:id/inquiry-answers',          R, A, R, R, R],
    ['POST /api/v1/naturalisation/applications/:id/appointment',              R, A, R, R, R],
    ['POST /api/v1/naturalisation/applications/:id/handover',                 R, A, R, R, R],
    ['POST /api/v1/naturalisation/applications/:id/suspension',               R, A, R, R, R],
    ['POST /api/v1/naturalisation/applications/:id/resumption',               R, A, R, R, R],
    ['POST /api/v1/naturalisation/applications/:id/assignment',               R, A, R, R, R],
    ['POST /api/v1/naturalisation/applications/:id/access-code',              R, A, R, R, R],
    ['POST /api/v1/naturalisation/applications/:id/access-code/revocation',   R, A, R, R, R],
    ['GET /api/v1/naturalisation/applications/:id/documents',                 R, A, R, R, R],
    ['POST /api/v1/naturalisation/applications/:id/eligibility-checks',       R, A, R, R, R],
    ['GET /api/v1/naturalisation/applications/:id/eligibility-checks',        R, A, R, R, R],
    ['GET /api/v1/naturalisation/queue',                                      R, A, R, R, R],
    ['POST /api/v1/naturalisation/imports',                                   R, A, R, R, R],
    ['GET /api/v1/naturalisation/imports/:id',                                R, A, R, R, R],
    ['GET /api/v1/naturalisation/imports/:id/rejections',                     R, A, R, R, R],
    ['POST /api/v1/persons/:id/consents',                                     A, A, R, R, R],
    ['GET /api/v1/persons/:id/consents',                                      A, A, R, R, R],
    ['POST /api/v1/persons/:id/consents/:consentId/withdrawal',               A, A, R, R, R],
    ['POST /api/v1/handoffs',                                                 A, A, R, R, R],
    ['GET /api/v1/handoffs',                                                  R, R, A, R, R],
    ['GET /api/v1/handoffs/:id',                                              A, A, A, R, R],
    ['POST /api/v1/handoffs/:id/acceptance',                                  R, R, A, R, R],
    ['POST /api/v1/handoffs/:id/decline',                                     R, R, A, R, R],
    ['POST /api/v1/handoffs/:id/phases',                                      R, R, A, R, R],
    ['POST /api/v1/handoffs/:id/outcomes',                                    R, R, A, R, R],
    ['POST /api/v1/handoffs/:id/closure',                                     R, R, A, R, R],
    ['POST /api/v1/handoffs/:id/gaps',                                        R, R, A, R, R],
    ['GET /api/v1/statistics/handoffs',                                       R, R, R, A, A],
    ['POST /api/v1/residence/checks',                                         A, R, R, R, R],
    ['GET /api/v1/residence/checks/:id',                                      A, R, R, R, A],
    ['POST /api/v1/residence/checks/:id/evidence',                            A, R, R, R, R],
    ['POST /api/v1/residence/checks/:id/decision',                            A, R, R, R, R],
    ['POST /api/v1/residence/checks/:id/follow-on-application',               A, R, R, R, R],
    ['POST /api/v1/residence/checks/:id/handoff-proposal/confirm',            A, R, R, R, R],
    ['POST /api/v1/residence/checks/:id/assignment',                          A, R, R, R, R],
    ['POST /api/v1/residence/checks/:id/renewal-filed',                       A, R, R, R, R],
    ['POST /api/v1/residence/checks/:id/fiktionsbescheinigung',               A, R, R, R, R],
    ['POST /api/v1/residence/checks/:id/closure',                             A, R, R, R, R],
    ['GET /api/v1/residence/candidates',                                      A, R, R, R, A],
    ['GET /api/v1/residence/candidates.csv',                                  A, R, R, R, A],
    ['POST /api/v1/outreach/campaigns/preview',                               R, R, R, A, A],
    ['POST /api/v1/outreach/campaigns',                                       R, R, R, A, A],
    ['GET /api/v1/outreach/campaigns/:id',                                    R, R, R, A, A],
    ['POST /api/v1/outreach/campaigns/:id/pause',                             R, R, R, A, A],
    ['POST /api/v1/outreach/campaigns/:id/resume',                            R, R, R, A, A],
    ['POST /api/v1/outreach/campaigns/:id/cancel',                            R, R, R, A, A],
    ['POST /api/v1/outreach/persons/:id/consent',                             A, A, R, R, R],
    ['GET /api/v1/outreach/persons/:id/eligibility-date',                     A, A, R, R, R],
    ['GET /api/v1/statistics/outreach',                                       R, R, R, A, A],
    ['GET /api/v1/statistics/:caseType',                                      R, R, R, A, A],
    ['GET /api/v1/admin/retention',                                           R, R, R, R, A],
    ['PUT /api/v1/admin/retention/:caseType',                                 R, R, R, R, A],
    ['POST /api/v1/admin/retention/:caseType/confirmation',                   R, R, R, R, A],
    ['GET /api/v1/admin/mailboxes',                                           R, R, R, R, A],
    ['PUT /api/v1/admin/mailboxes/:team',                                     R, R, R, R, A],
    ['DELETE /api/v1/admin/mailboxes/:team',                                  R, R, R, R, A],
    ['POST /api/v1/persons/imports',                                          A, A, R, R, R],
    ['GET /api/v1/persons/imports/:id',                                       A, A, R, R, A],
    ['GET /api/v1/persons/imports/:id/rejections',                            A, A, R, R, A],
    ['POST /api/v1/persons',                                                  A, A, R, R, R],
    ['GET /api/v1/persons',                                                   A, A, R, R, A],
    ['GET /api/v1/persons/:id',                                               A, A, R, R, A],
    ['PATCH /api/v1/persons/:id',                                             A, A, R, R, R],
    ['GET /api/v1/persons/:id/history',                                       A, A, R, R, A],
    ['POST /api/v1/persons/:id/residence-periods',                            A, A, R, R, R],
    ['PUT /api/v1/persons/:id/residence-periods/:periodId',                   A, A, R, R, R],
    ['POST /api/v1/persons/:id/residence-periods/:periodId/retraction',       A, A, R, R, R],
    ['POST /api/v1/persons/:id/facts',                                        A, A, R, R, R],
    ['PUT /api/v1/persons/:id/facts/:factId',                                 A, A, R, R, R],
    ['POST /api/v1/persons/:id/facts/:factId/retraction',                     A, A, R, R, R],
    ['GET /api/v1/persons/:id/contact-consents',                              A, A, R, R, A],
    ['POST /api/v1/persons/:id/contact-consents',                             A, A, R, R, R],
    ['GET /api/v1/queue',                                                     A, A, R, R, A],
    ['GET /api/v1/admin/persons/:id/export',                                  R, R, R, R, A],
    ['POST /api/v1/admin/persons/:id/rectification',                          R, R, R, R, A],
    ['POST /api/v1/admin/persons/:id/erasure',                                R, R, R, R, A],
    ['GET /api/v1/letters/to-print',                                          A, A, R, R, A],
    ['GET /api/v1/letters/:id/pdf',                                           A, A, R, R, A],
    ['POST /api/v1/letters/:id/posted',                                       A, A, R, R, A],
    ['GET /api/v1/persons/:id/cases',                                         A, A, R, R, A],
  ];

  test('the table names every protected route and every role, once', () => {
    expect(table.map(([route]) => route).sort()).toEqual(protectedRoutes.map((route) => `${route.method.toUpperCase()} ${route.path}`).sort());
    expect([...tableRoles].sort()).toEqual([...roles].sort());
  });

  const matrix = table.flatMap(([route, ...cells]) => tableRoles.map((role, i) => ({ route, role, expected: cells[i] })));

  test.each(matrix.map((m) => [m.route, m.role, m.expected] as const))('%s as %s: %s', async (name, role, expected) => {
    const [method, path] = name.split(' ');
    const operation = protectedRoutes.find((route) => `${route.method.toUpperCase()} ${route.path}` === name)!.operation;
    const token = await system.tokenFor([role], 'koeln', `matrix-${role}`);
    // The imports take CSV; every other write an (empty) JSON body.
    const csv = path.endsWith('/imports');
    const body = method === 'GET' || method === 'DELETE' ? undefined : csv ? 'file_number\n' : {};
    const response = await system.request(method, concretePath(path), body, {
      authorization: `Bearer ${token}`,
      ...(csv ? { 'content-type': 'text/csv; charset=utf-8' } : {}),
    });
    if (expected === A) {
      // The documented success, or a refusal for the request's content or the (random) case: never
      // a refusal for the role, never a failure of the server.
      if (response.status >= 300) {
        expect([400, 404, 409, 422]).toContain(response.status);
        expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect(response.body.code).toEqual(expect.stringMatching(/^[a-z_]+\.[a-z_.]+$/));
        expect(response.body.code).not.toBe('auth.forbidden');
      } else {
        expect(response.status).toBeGreaterThanOrEqual(200);
      }
    } else {
      expect(response.status).toBe(403);
      expect(response.body.code).toBe('auth.forbidden');
      const refused = await auditRows("actor = $1 AND action = $2 AND outcome = 'refused'", [`matrix-${role}`, operation]);
      expect(refused.length).toBeGreaterThanOrEqual(1);
    }
  });

  test.each(protectedRoutes.map((route) => [`${route.method.toUpperCase()} ${route.path}`, route] as const))(
    'without a token, %s answers 401 and the attempt is audited',
    async (_name, route) => {
      const before = (await auditRows("actor = 'anonymous' AND action = $1", [route.operation])).length;
      const response = await system.request(route.method.toUpperCase(), concretePath(route.path), undefined, { authorization: null });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect((await auditRows("actor = 'anonymous' AND action = $1 AND outcome = 'refused'", [route.operation])).length).toBe(before + 1);
    },
  );

  test.each(publicRoutes.map((route) => [`${route.method.toUpperCase()} ${route.path}`, route] as const))(
    '%s answers without a token',
    async (_name, route) => {
      const response = await system.request(route.method.toUpperCase(), route.path, route.method === 'get' ? undefined : {}, { authorization: null });
      expect([401, 403]).not.toContain(response.status);
      // A GET that needs a query (the opt-out link's token) is refused for its content, like an empty POST.
      const needsQuery = route.request.query !== undefined && !route.request.query.safeParse({}).success;
      if (route.method === 'get' && !needsQuery) expect(response.status).toBe(200);
      else expect([400, 415]).toContain(response.status); // an empty request: refused for its content, not for the missing token
    },
  );

  test('/openapi.json answers without a token and marks protected routes with the bearer scheme', async () => {
    const doc = await system.request('GET', '/openapi.json', undefined, { authorization: null });
    expect(doc.status).toBe(200);
    expect(doc.body.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.body.paths['/api/v1/audit'].get.security).toEqual([{ bearer: [] }]);
    expect(doc.body.paths['/health'].get.security).toBeUndefined();
  });

  test('a forged, expired or role-less token is refused with 401', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const forged = await new SignJWT({ roles: ['ebh_clerk'], authority: 'koeln' })
      .setProtectedHeader({ alg: 'ES256' })
      .setIssuer('urn:kim-status-engine:local-dev-issuer')
      .setAudience('kim-status-engine')
      .setSubject('mallory')
      .setExpirationTime('1h')
      .sign(privateKey);
    const path = `/api/v1/naturalisation/applications/${randomUUID()}`;
    expect((await system.request('GET', path, undefined, { authorization: `Bearer ${forged}` })).status).toBe(401);
    expect((await system.request('GET', path, undefined, { authorization: 'Bearer not.a.jwt' })).status).toBe(401);
    const roleless = await system.tokenFor(['nobody' as Role]);
    const response = await system.request('GET', path, undefined, { authorization: `Bearer ${roleless}` });
    expect(response.status).toBe(401);
    // One generic answer; the reason ("no known role in claim …") is in the audit trail only.
    expect(response.body.title).toBe('invalid token');
  });

  test("another authority's case is refused, and the refusal is in the audit trail; its own clerk's access is audited too", async () => {
    const created = await system.request('POST', '/api/v1/naturalisation/applications', validApplicationBody());
    expect(created.status).toBe(201);
    expect(created.body.authorityId).toBe('koeln');
    const id = created.body.id;
    const bonn = await system.tokenFor(['ebh_clerk'], 'bonn', 'bonn-clerk');

    const read = await system.request('GET', `/api/v1/naturalisation/applications/${id}`, undefined, { authorization: `Bearer ${bonn}` });
    expect(read.status).toBe(404);
    expect(JSON.stringify(read.body)).not.toContain('Haddad');
    const decide = await system.request('POST', `/api/v1/naturalisation/applications/${id}/decision`, { outcome: 'refused', reason: 'x', expectedVersion: 2 }, {
      authorization: `Bearer ${bonn}`,
    });
    expect(decide.status).toBe(404);

    expect(await auditRows('case_id = $1 AND actor = $2', [id, 'bonn-clerk'])).toEqual([
      expect.objectContaining({ action: 'naturalisation.application.view', authority_id: 'bonn', outcome: 'refused' }),
      expect.objectContaining({ action: 'naturalisation.decision.propose', authority_id: 'bonn', outcome: 'refused' }),
    ]);

    const own = await system.request('GET', `/api/v1/naturalisation/applications/${id}`);
    expect(own.status).toBe(200);
    expect(await auditRows('case_id = $1 AND actor = $2', [id, 'ebh_clerk-1'])).toEqual([
      expect.objectContaining({ action: 'naturalisation.application.create', authority_id: 'koeln', outcome: 'allowed' }),
      expect.objectContaining({ action: 'naturalisation.application.view', authority_id: 'koeln', outcome: 'allowed' }),
    ]);
  });

  test('the same Idempotency-Key from two authorities makes two cases', async () => {
    const headers = { 'idempotency-key': 'shared-key-000000001' };
    const koeln = await system.request('POST', '/api/v1/naturalisation/applications', validApplicationBody(), headers);
    const bonnToken = await system.tokenFor(['ebh_clerk'], 'bonn', 'bonn-clerk');
    const bonn = await system.request('POST', '/api/v1/naturalisation/applications', validApplicationBody(), { ...headers, authorization: `Bearer ${bonnToken}` });
    expect(koeln.status).toBe(201);
    expect(bonn.status).toBe(201);
    expect(bonn.body.id).not.toBe(koeln.body.id);
    expect(bonn.body.authorityId).toBe('bonn');
  });

  test("admins read their own authority's audit trail, which nothing can change or delete", async () => {
    const admin = await system.tokenFor(['admin'], 'koeln', 'admin-koeln');
    const page = await system.request('GET', '/api/v1/audit?limit=5', undefined, { authorization: `Bearer ${admin}` });
    expect(page.status).toBe(200);
    expect(page.body.entries).toHaveLength(5);
    expect(page.body.next).toMatch(/^\d+$/);
    const next = await system.request('GET', `/api/v1/audit?limit=5&before=${page.body.next}`, undefined, { authorization: `Bearer ${admin}` });
    expect(Number(next.body.entries[0].id)).toBeLessThan(Number(page.body.next));
    const refusedOnly = await system.request('GET', '/api/v1/audit?outcome=refused&limit=500', undefined, { authorization: `Bearer ${admin}` });
    expect(refusedOnly.body.entries.every((e: { outcome: string }) => e.outcome === 'refused')).toBe(true);
    // Only koeln's entries (refusals of anonymous callers carry no authority and are not listed).
    const { rows } = await system.db.pool.query("SELECT count(*)::int AS n FROM audit_log WHERE authority_id = 'bonn'");
    expect(rows[0].n).toBeGreaterThan(0);
    const all = await system.request('GET', '/api/v1/audit?limit=500', undefined, { authorization: `Bearer ${admin}` });
    expect(all.body.entries.some((e: { actor: string }) => e.actor === 'bonn-clerk')).toBe(false);

    await expect(system.db.pool.query('UPDATE audit_log SET actor = $1', ['someone'])).rejects.toThrow(/append-only/);
    await expect(system.db.pool.query('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
    await expect(system.db.pool.query('TRUNCATE audit_log')).rejects.toThrow(/append-only/);
    const bad = await system.request('GET', '/api/v1/audit?limit=0&colour=red', undefined, { authorization: `Bearer ${admin}` });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(['query.limit', 'query']));
  });

  test("admins set their authority's retention period; the setting is validated and audited", async () => {
    const admin = await system.tokenFor(['admin'], 'koeln', 'admin-koeln');
    const auth = { authorization: `Bearer ${admin}` };
    const before = await system.request('GET', '/api/v1/admin/retention', undefined, auth);
    expect(before.body.policies).toEqual([
      expect.objectContaining({ caseType: 'naturalisation', source: 'default', action: 'anonymise' }),
      expect.objectContaining({ caseType: 'handoff', source: 'default', action: 'anonymise', retainDays: 1095 }),
      expect.objectContaining({ caseType: 'residence', source: 'default', action: 'anonymise', retainDays: 3650 }),
      expect.objectContaining({ caseType: 'outreach', source: 'default', action: 'anonymise' }),
    ]);
    const bad = await system.request('PUT', '/api/v1/admin/retention/naturalisation', { retainDays: 3, action: 'shred' }, auth);
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['body.action', 'body.retainDays']);
    // Four eyes: the proposal changes nothing until a second admin of the authority confirms it.
    const proposed = await system.request('PUT', '/api/v1/admin/retention/naturalisation', { retainDays: 1825, action: 'delete' }, auth);
    expect(proposed.status).toBe(202);
    const pending = await system.request('GET', '/api/v1/admin/retention', undefined, auth);
    expect(pending.body.policies).toEqual([
      expect.objectContaining({ caseType: 'naturalisation', source: 'default', action: 'anonymise', pending: expect.objectContaining({ retainDays: 1825, action: 'delete', proposedBy: 'admin-koeln' }) }),
      expect.objectContaining({ caseType: 'handoff', pending: null }),
      expect.objectContaining({ caseType: 'residence', pending: null }),
      expect.objectContaining({ caseType: 'outreach', pending: null }),
    ]);
    const bySelf = await system.request('POST', '/api/v1/admin/retention/naturalisation/confirmation', { retainDays: 1825, action: 'delete' }, auth);
    expect([bySelf.status, bySelf.body.code]).toEqual([403, 'retention.four_eyes']);
    const second = { authorization: `Bearer ${await system.tokenFor(['admin'], 'koeln', 'admin-koeln-2')}` };
    const otherValues = await system.request('POST', '/api/v1/admin/retention/naturalisation/confirmation', { retainDays: 30, action: 'delete' }, second);
    expect([otherValues.status, otherValues.body.code]).toEqual([409, 'retention.no_such_proposal']);
    const bonnConfirms = await system.request('POST', '/api/v1/admin/retention/naturalisation/confirmation', { retainDays: 1825, action: 'delete' }, {
      authorization: `Bearer ${await system.tokenFor(['admin'], 'bonn', 'admin-bonn-2')}`,
    });
    expect(bonnConfirms.status).toBe(409);
    expect((await system.request('GET', '/api/v1/admin/retention', undefined, auth)).body.policies[0].source).toBe('default');
    const set = await system.request('POST', '/api/v1/admin/retention/naturalisation/confirmation', { retainDays: 1825, action: 'delete' }, second);
    expect(set.status).toBe(200);
    const after = await system.request('GET', '/api/v1/admin/retention', undefined, auth);
    expect(after.body.policies).toEqual([
      expect.objectContaining({
        caseType: 'naturalisation', source: 'authority', retainDays: 1825, action: 'delete', updatedBy: 'admin-koeln', confirmedBy: 'admin-koeln-2', pending: null,
      }),
      expect.objectContaining({ caseType: 'handoff', source: 'default' }),
      expect.objectContaining({ caseType: 'residence', source: 'default' }),
      expect.objectContaining({ caseType: 'outreach', source: 'default' }),
    ]);
    // Another authority still has the default.
    const bonnAdmin = await system.tokenFor(['admin'], 'bonn', 'admin-bonn');
    const bonn = await system.request('GET', '/api/v1/admin/retention', undefined, { authorization: `Bearer ${bonnAdmin}` });
    expect(bonn.body.policies[0].source).toBe('default');
    expect(await auditRows("actor = 'admin-koeln' AND action = 'admin.retention.propose'", [])).toHaveLength(1);
    expect(await auditRows("actor = 'admin-koeln' AND action = 'admin.retention.set' AND outcome = 'refused'", [])).toHaveLength(1);
    expect(await auditRows("actor = 'admin-koeln-2' AND action = 'admin.retention.set' AND outcome = 'allowed'", [])).toHaveLength(1);
  });

  test('coordinators get figures only, never personal data', async () => {
    const coordinator = await system.tokenFor(['coordinator'], 'koeln', 'coordinator-koeln');
    let figures = await system.request('GET', '/api/v1/statistics/naturalisation', undefined, { authorization: `Bearer ${coordinator}` });
    // The projections of the cases created above are written by their workflows, shortly after.
    for (let i = 0; i < 100 && figures.body.total < 2; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      figures = await system.request('GET', '/api/v1/statistics/naturalisation', undefined, { authorization: `Bearer ${coordinator}` });
    }
    expect(figures.status).toBe(200);
    expect(figures.body.authorityId).toBe('koeln');
    expect(figures.body.total).toBeGreaterThanOrEqual(2);
    const text = JSON.stringify(figures.body);
    for (const personal of ['Haddad', 'Amina', 'example.org', '1990-04-12']) expect(text).not.toContain(personal);
    const read = await system.request('GET', `/api/v1/naturalisation/applications/${randomUUID()}`, undefined, { authorization: `Bearer ${coordinator}` });
    expect(read.status).toBe(403);
  });

  test('requests over the per-token rate limit get 429 with Retry-After, and are audited', async () => {
    const original = system.deps.rateLimiter;
    system.deps.rateLimiter = createRateLimiter(3);
    try {
      const token = await system.tokenFor(['admin'], 'koeln', 'busy-admin');
      const statuses = [];
      for (let i = 0; i < 5; i++) {
        statuses.push((await system.request('GET', '/api/v1/audit?limit=1', undefined, { authorization: `Bearer ${token}` })).status);
      }
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      const limited = await system.request('GET', '/api/v1/audit?limit=1', undefined, { authorization: `Bearer ${token}` });
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      // Three refusals in one minute: one row now, the repeats counted in one row when the minute ends.
      expect(await auditRows("actor = 'busy-admin' AND outcome = 'refused'", [])).toEqual([
        expect.objectContaining({ action: 'audit.list', detail: expect.objectContaining({ reason: 'rate limit' }) }),
      ]);
      // Another token is not limited by this one.
      const other = await system.tokenFor(['admin'], 'koeln', 'calm-admin');
      expect((await system.request('GET', '/api/v1/audit?limit=1', undefined, { authorization: `Bearer ${other}` })).status).toBe(200);
    } finally {
      system.deps.rateLimiter = original;
    }
  });

  test('responses carry secure headers; an oversized body gets 413 as problem+json', async () => {
    const response = await system.request('GET', '/health', undefined, { authorization: null });
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toBeTruthy();
    expect(response.headers.get('x-powered-by')).toBeNull();
    const big = await system.request('POST', '/api/v1/naturalisation/applications', { applicant: { givenNames: 'x'.repeat(300_000) } });
    expect(big.status).toBe(413);
    expect(big.body.code).toBe('request.too_large');
  });
});

describe('an external OpenID Connect issuer', () => {
  test('its tokens are verified against its published JWKS (found by discovery); local dev tokens are not accepted', async () => {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'idp-1', alg: 'RS256', use: 'sig' };
    const server = http.createServer((req, res) => {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      res.setHeader('content-type', 'application/json');
      if (req.url === '/realms/nrw/.well-known/openid-configuration') {
        res.end(JSON.stringify({ issuer: `${base}/realms/nrw`, jwks_uri: `${base}/realms/nrw/certs` }));
      } else if (req.url === '/realms/nrw/certs') {
        res.end(JSON.stringify({ keys: [jwk] }));
      } else {
        res.statusCode = 404;
        res.end('{}');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}/realms/nrw`;
      const { verifyToken, mode } = await createConfiguredTokenVerifier({
        DATA_DIR: '/nonexistent',
        OIDC_ISSUER: issuer,
        OIDC_AUDIENCE: 'kim-status-engine',
        OIDC_ROLES_CLAIM: 'kim_roles',
        OIDC_AUTHORITY_CLAIM: 'kim_authority',
      });
      expect(mode).toBe('external');
      const token = await new SignJWT({ kim_roles: ['abh_clerk', 'unknown_role'], kim_authority: 'kreis-mettmann' })
        .setProtectedHeader({ alg: 'RS256', kid: 'idp-1' })
        .setIssuer(issuer)
        .setAudience('kim-status-engine')
        .setSubject('u-4711')
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(privateKey);
      await expect(verifyToken(token)).resolves.toEqual({ subject: 'u-4711', roles: ['abh_clerk'], authorityId: 'kreis-mettmann' });

      // A token of the local dev issuer (another key, another issuer) is refused.
      const { privateKey: localKey } = await generateKeyPair('ES256');
      const local = await new SignJWT({ roles: ['admin'], authority: 'koeln' })
        .setProtectedHeader({ alg: 'ES256', kid: 'dev-x' })
        .setIssuer('urn:kim-status-engine:local-dev-issuer')
        .setAudience('kim-status-engine')
        .setSubject('dev-admin')
        .setExpirationTime('5m')
        .sign(localKey);
      await expect(verifyToken(local)).rejects.toThrow(/invalid token/);
      const wrongAudience = await new SignJWT({ kim_roles: ['admin'], kim_authority: 'koeln' })
        .setProtectedHeader({ alg: 'RS256', kid: 'idp-1' })
        .setIssuer(issuer)
        .setAudience('another-app')
        .setSubject('u-1')
        .setExpirationTime('5m')
        .sign(privateKey);
      await expect(verifyToken(wrongAudience)).rejects.toThrow(/aud/);
    } finally {
      server.close();
    }
  });
});
