import { startSystem } from '../support/system';

/**
 * The residence checks' API on real parts (PostgreSQL, the Temporal dev server, the workers,
 * SMTP): a person registered through the register's API, a check started and worked through its
 * routes; bad input refused with field paths and nothing changed; another authority's check not
 * found; the candidates and their CSV; the generic work queue.
 */
describe('residence API (PostgreSQL, Temporal dev server)', () => {
  let system: Awaited<ReturnType<typeof startSystem>>;
  let abh: string;
  let abhBonn: string;
  let ebh: string;

  beforeAll(async () => {
    system = await startSystem();
    abh = `Bearer ${await system.tokenFor(['abh_clerk'], 'koeln', 'clerk.abh@test.localhost')}`;
    abhBonn = `Bearer ${await system.tokenFor(['abh_clerk'], 'bonn', 'clerk.bonn')}`;
    ebh = `Bearer ${await system.tokenFor(['ebh_clerk'], 'koeln', 'clerk.ebh')}`;
  });
  afterAll(async () => {
    await system?.stop();
  });

  const request = (method: string, path: string, body?: unknown, authorization = abh) => system.request(method, path, body, { authorization });
  const today = () => new Date().toISOString().slice(0, 10);
  const yearsAgo = (years: number, plusDays = 0) => {
    const d = new Date();
    d.setUTCFullYear(d.getUTCFullYear() - years);
    d.setUTCDate(d.getUTCDate() + plusDays);
    return d.toISOString().slice(0, 10);
  };

  /** A person with a Duldung from `duldungFrom` and the facts of someone integrated, through the register's API. */
  async function registerPerson(fileNumber: string, familyName: string, dateOfBirth: string, duldungFrom: string, extraFacts: Record<string, unknown>[] = []) {
    const created = await request('POST', '/api/v1/persons', {
      fileNumber,
      givenNames: 'Amal',
      familyName,
      dateOfBirth,
      nationalities: ['AF'],
      contact: { email: `${fileNumber.toLowerCase()}@example.org` },
      preferredLanguage: 'fa',
      source: 'clerk',
    });
    expect(created.status).toBe(201);
    const id: string = created.body.person.id;
    let version: number = created.body.person.version;
    const add = async (path: string, body: Record<string, unknown>) => {
      const response = await request('POST', `/api/v1/persons/${id}/${path}`, { expectedVersion: version, source: 'document', ...body });
      expect(response.status).toBe(200);
      version = response.body.person.version;
    };
    await add('residence-periods', { period: { status: 'duldung', from: duldungFrom, duldungGround: '§ 60a Abs. 2 Satz 1 AufenthG' } });
    const since = yearsAgo(0, -40);
    await add('facts', { fact: { kind: 'language_certificate', data: { level: 'A2', issuedOn: since } } });
    await add('facts', { fact: { kind: 'employment', data: { from: since, hoursPerWeek: 39, fullTime: true } } });
    await add('facts', { fact: { kind: 'benefits', data: { scheme: 'none', from: since } } });
    await add('facts', { fact: { kind: 'orientation_course', data: { completedOn: since, testPassed: true } } });
    for (const fact of extraFacts) await add('facts', { fact });
    return id;
  }

  async function waitForStage(id: string, stages: string[]) {
    for (let i = 0; i < 200; i++) {
      const view = await request('GET', `/api/v1/residence/checks/${id}`);
      if (stages.includes(view.body.stage)) return view.body;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`check ${id} did not reach ${stages.join('/')}`);
  }

  test('start → read every criterion with its paragraph → bad input 400 (field paths) and stale/invalid 409/422 with nothing changed → evidence → grant', async () => {
    const personId = await registerPerson('ABH-API-1', 'Rahimi', '1990-06-01', yearsAgo(7));
    const started = await request('POST', '/api/v1/residence/checks', { personId, contactConsent: true });
    expect(started.status).toBe(201);
    expect(started.headers.get('location')).toBe(`/api/v1/residence/checks/${started.body.id}`);
    const id: string = started.body.id;
    const check = await waitForStage(id, ['awaiting_evidence']);
    const b = check.evaluation.titles.find((t: { rule: string }) => t.rule === '§ 25b AufenthG');
    expect(b.criteria.length).toBeGreaterThan(3);
    for (const criterion of b.criteria) {
      expect(criterion.basis).toMatch(/^§ \d+[a-z]? .*(AufenthG|BGB)/);
      expect(criterion.reason.de.length).toBeGreaterThan(0);
      expect(criterion.reason.en.length).toBeGreaterThan(0);
    }
    expect(b.criteria.find((c: { id: string }) => c.id === 'oral_german').status).toBe('met');
    expect(check.evaluation.evidenceNeeded).toContain('passport');
    await system.smtp.waitFor((m) => m.recipients.includes('abh-api-1@example.org'));

    // Bad input: 400 with field paths; nothing changed.
    const bad = await request('POST', `/api/v1/residence/checks/${id}/decision`, { expectedVersion: check.version, outcome: 'maybe', reason: '' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['body.outcome', 'body.reason']);
    const noTitle = await request('POST', `/api/v1/residence/checks/${id}/decision`, { expectedVersion: check.version, outcome: 'grant', reason: 'ok' });
    expect(noTitle.status).toBe(400);
    expect(noTitle.body.errors).toEqual([expect.objectContaining({ path: 'body.title' })]);
    const badEvidence = await request('POST', `/api/v1/residence/checks/${id}/evidence`, { expectedVersion: check.version, received: ['visa'] });
    expect(badEvidence.status).toBe(400);
    expect(badEvidence.body.errors[0].path).toBe('body.received.0');
    const badId = await request('GET', '/api/v1/residence/checks/not-a-uuid');
    expect(badId.status).toBe(400);
    // Stale version: 409. § 25a for a 36-year-old: 422 (the workflow's validator).
    expect((await request('POST', `/api/v1/residence/checks/${id}/decision`, { expectedVersion: check.version + 5, outcome: 'refuse', reason: 'x' })).status).toBe(409);
    const notMet = await request('POST', `/api/v1/residence/checks/${id}/decision`, { expectedVersion: check.version, outcome: 'grant', title: '§ 25a AufenthG', reason: 'x' });
    expect(notMet.status).toBe(422);
    expect(notMet.body.code).toBe('residence.invalid_grant');
    // A watch's action on an eligibility check: 409.
    expect((await request('POST', `/api/v1/residence/checks/${id}/renewal-filed`, { expectedVersion: check.version, filedOn: today() })).status).toBe(409);
    const unchanged = await request('GET', `/api/v1/residence/checks/${id}`);
    expect(unchanged.body).toMatchObject({ version: check.version, stage: 'awaiting_evidence', decision: null });

    // Evidence with the clerk's findings → decision stage → grant § 25b.
    const evidence = await request('POST', `/api/v1/residence/checks/${id}/evidence`, {
      expectedVersion: check.version,
      received: check.evaluation.evidenceNeeded,
      findings: { passportHeld: 'yes', identityClarified: 'yes', declaredCommitmentToBasicOrder: 'yes', indicationsAgainstDemocraticOrder: 'no', ownDeceptionAboutIdentity: 'no', nonCooperation: 'no', seriousExpulsionInterest: 'no' },
    });
    expect(evidence.status).toBe(200);
    expect(evidence.body.stage).toBe('decision');
    expect(evidence.body.evaluation.titles.find((t: { rule: string }) => t.rule === '§ 25b AufenthG').overall).toBe('met');
    const granted = await request('POST', `/api/v1/residence/checks/${id}/decision`, { expectedVersion: evidence.body.version, outcome: 'grant', title: '§ 25b AufenthG', reason: 'Nachhaltige Integration' });
    expect(granted.status).toBe(200);
    expect(granted.body).toMatchObject({ stage: 'decided', decision: { outcome: 'grant', title: '§ 25b AufenthG', decidedBy: 'clerk.abh@test.localhost' } });
    const audit = await system.db.pool.query("SELECT action, outcome FROM audit_log WHERE case_id = $1 AND action = 'residence.decision.record' ORDER BY id", [id]);
    expect(audit.rows.map((r) => r.outcome)).toEqual(['refused', 'refused', 'allowed']);
  });

  test("another authority's check and person are not found (audited as refused); EBH clerks may not start checks", async () => {
    const personId = await registerPerson('ABH-API-2', 'Karimi', '1992-01-01', yearsAgo(3));
    const started = await request('POST', '/api/v1/residence/checks', { personId, contactConsent: false });
    const id: string = started.body.id;
    expect((await request('GET', `/api/v1/residence/checks/${id}`, undefined, abhBonn)).status).toBe(404);
    expect((await request('POST', `/api/v1/residence/checks/${id}/decision`, { expectedVersion: 1, outcome: 'refuse', reason: 'x' }, abhBonn)).status).toBe(404);
    expect((await request('POST', '/api/v1/residence/checks', { personId, contactConsent: false }, abhBonn)).status).toBe(404);
    expect((await request('POST', '/api/v1/residence/checks', { personId, contactConsent: false }, ebh)).status).toBe(403);
    const refused = await system.db.pool.query("SELECT count(*)::int AS n FROM audit_log WHERE actor = 'clerk.bonn' AND outcome = 'refused'");
    expect(refused.rows[0].n).toBe(3);
    expect((await system.db.pool.query("SELECT count(*)::int AS n FROM residence_checks WHERE person_id = $1", [personId])).rows[0].n).toBe(1);
  });

  test('candidates now or within the horizon, keyset-paginated with the reason per title; CSV with formula cells neutralised; the generic work queue', async () => {
    const now = await registerPerson('ABH-CAND-1', '=HYPERLINK("http://evil")', '1980-01-01', yearsAgo(7));
    // 20 years old, tolerated for three years less 60 days, at school for four: § 25a within six months,
    // on the day three years after the Duldung began (a start on 29 February, which has no such day, is
    // moved to 1 March). Not "today + 60 days": a 29 February in one span and not the other moves that.
    const soonFrom = yearsAgo(3, 60).endsWith('-02-29') ? yearsAgo(3, 61) : yearsAgo(3, 60);
    const soonMetOn = `${Number(soonFrom.slice(0, 4)) + 3}${soonFrom.slice(4)}`;
    const soon = await registerPerson('ABH-CAND-2', '+Soon', yearsAgo(20), soonFrom, [
      { kind: 'education', data: { kind: 'schooling', inGermany: true, from: yearsAgo(4), successful: true } },
    ]);
    await registerPerson('ABH-CAND-3', '@Later', '1982-01-01', yearsAgo(2));
    const seen: { personId: string; rules: { rule: string; outcome: string; reason: { de: string } }[] }[] = [];
    let after: string | null = null;
    do {
      const page: { status: number; body: { items: typeof seen; next: string | null } } = await request('GET', `/api/v1/residence/candidates?horizonMonths=6&limit=1${after ? `&after=${after}` : ''}`);
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(1);
      seen.push(...page.body.items);
      after = page.body.next;
    } while (after);
    const ids = seen.map((c) => c.personId);
    expect(ids).toEqual(expect.arrayContaining([now, soon]));
    expect(new Set(ids).size).toBe(ids.length);
    const later = (await system.db.pool.query("SELECT id FROM persons WHERE file_number = 'ABH-CAND-3'")).rows[0].id;
    expect(ids).not.toContain(later);
    const soonRule = seen.find((c) => c.personId === soon)!.rules.find((r) => r.rule === '§ 25a AufenthG')!;
    expect(soonRule.outcome).toBe('within_horizon');
    expect(soonRule.reason.de).toBe(`Erfüllt § 25a AufenthG voraussichtlich ab ${soonMetOn}.`);
    expect(seen.find((c) => c.personId === now)!.rules.find((r) => r.rule === '§ 25b AufenthG')!.outcome).toBe('now');
    expect((await request('GET', '/api/v1/residence/candidates?horizonMonths=-1')).status).toBe(400);
    expect((await request('GET', '/api/v1/residence/candidates?after=%25%25')).status).toBe(400);

    const response = await fetch(`${system.baseUrl}/api/v1/residence/candidates.csv?horizonMonths=6`, { headers: { authorization: abh } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    const csv = await response.text();
    expect(csv).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(csv).toContain(`"'+Soon"`);
    expect(csv).not.toMatch(/(^|,)"[=+@-]/m);

    // The generic work queue reads the projections of the residence checks.
    const started = await request('POST', '/api/v1/residence/checks', { personId: now, contactConsent: false });
    const check = await waitForStage(started.body.id, ['awaiting_evidence']);
    const queue = await request('GET', '/api/v1/queue?caseType=residence');
    expect(queue.status).toBe(200);
    expect(queue.body.items).toContainEqual(expect.objectContaining({ id: check.id, reference: check.reference, stage: 'awaiting_evidence', waitingFor: 'person', due: check.nextDueAt }));
    expect(queue.body.items.every((item: { caseType: string; reference: string }) => item.caseType === 'residence' && item.reference.startsWith('ABH-'))).toBe(true);
    expect((await request('GET', '/api/v1/queue?caseType=residence', undefined, ebh)).status).toBe(403);
    expect((await request('GET', '/api/v1/queue?caseType=parking')).status).toBe(400);
    expect((await request('GET', '/api/v1/queue?caseType=residence', undefined, abhBonn)).body.items).toEqual([]);
  });
});
