import { routes } from '../../api/app';
import { applicantLanguages, applicantStatusTexts } from '../../domain/naturalisation/applicantStatus';
import { startSystem, validApplicationBody } from '../support/system';
import { makeFacts } from '../domain/naturalisationFixtures';
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

  /** A calendar day `days` from `day` (YYYY-MM-DD). */
  const addDaysIso = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
  let asClerk2: Record<string, string>;
  let asClerk3: Record<string, string>;
  beforeAll(async () => {
    asClerk2 = { authorization: `Bearer ${await system.tokenFor(['ebh_clerk'], 'koeln', 'ebh_clerk-2')}` };
    asClerk3 = { authorization: `Bearer ${await system.tokenFor(['ebh_clerk'], 'koeln', 'ebh_clerk-3')}` };
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
      if (view.body.stage === 'completeness_check') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(view!.status).toBe(200);
    expect(view!.body.stage).toBe('completeness_check');
    expect(view!.body.deadlines.lawsuitPossibleFrom).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(view!.body.applicant.familyName).toBe('Haddad');

    // The workflow moves to completeness_check only after the acknowledgement's delivery has
    // finished: no attempt of it is left to send a second one.
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
    // Past the acknowledgement's delivery (the workflow has moved on), the count is final.
    for (let i = 0; i < 50 && (await system.request('GET', `/api/v1/naturalisation/applications/${first.body.id}`)).body.stage !== 'completeness_check'; i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect((await system.request('GET', `/api/v1/naturalisation/applications/${first.body.id}`)).body.stage).toBe('completeness_check');
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

  test('clerk actions move the case through its stages; what the stage does not allow gets 409 and changes nothing', async () => {
    const created = await system.request('POST', '/api/v1/naturalisation/applications', validApplicationBody());
    const id = created.body.id;
    const path = `/api/v1/naturalisation/applications/${id}`;
    let view = (await system.request('GET', path)).body;
    for (let i = 0; i < 50 && view.stage !== 'completeness_check'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      view = (await system.request('GET', path)).body;
    }
    expect(view.stage).toBe('completeness_check');

    // A decision before the inquiries: refused, nothing changes.
    const early = await system.request('POST', `${path}/decision`, { outcome: 'approved', reason: 'all criteria met', expectedVersion: view.version });
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('naturalisation.wrong_stage');
    expect((await system.request('GET', path)).body).toEqual(view);

    const stale = await system.request('POST', `${path}/completeness-check`, {
      checklist: [{ type: 'passport', status: 'present' }], expectedVersion: view.version - 1,
    });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('naturalisation.version_conflict');

    const checked = await system.request('POST', `${path}/completeness-check`, {
      checklist: [{ type: 'passport', status: 'present', expires: false }, { type: 'language_certificate', status: 'present', expires: false }],
      expectedVersion: view.version,
    });
    expect(checked.status).toBe(200);
    expect(checked.body.stage).toBe('inquiries');
    expect(checked.body.waitingFor).toBe('other_agency');
    expect(checked.body.assignee).toBe('ebh_clerk-1');

    const whileOpen = await system.request('POST', `${path}/decision`, { outcome: 'approved', reason: 'x', expectedVersion: checked.body.version });
    expect(whileOpen.status).toBe(409);
    expect(whileOpen.body.code).toBe('naturalisation.inquiry_open');

    // An agency answer cannot lie before its inquiry was sent, nor after today.
    const before = await system.request('POST', `${path}/inquiry-answers`, {
      inquiry: 'regelanfrage', result: 'no_findings', answeredOn: addDaysIso(checked.body.filedOn, -1), expectedVersion: checked.body.version,
    });
    expect([before.status, before.body.code]).toEqual([422, 'naturalisation.invalid_answer_date']);
    const future = await system.request('POST', `${path}/inquiry-answers`, {
      inquiry: 'regelanfrage', result: 'no_findings', answeredOn: addDaysIso(checked.body.filedOn, 1), expectedVersion: checked.body.version,
    });
    expect([future.status, future.body.code]).toEqual([422, 'naturalisation.invalid_answer_date']);
    expect((await system.request('GET', path)).body.version).toBe(checked.body.version);
    const firstAnswer = await system.request('POST', `${path}/inquiry-answers`, {
      inquiry: 'regelanfrage', result: 'no_findings', answeredOn: checked.body.filedOn, expectedVersion: checked.body.version,
    });
    expect(firstAnswer.body.stage).toBe('inquiries');
    const secondAnswer = await system.request('POST', `${path}/inquiry-answers`, {
      inquiry: 'register_extract', result: 'findings', note: 'eine Geldstrafe von 30 Tagessätzen', answeredOn: checked.body.filedOn, expectedVersion: firstAnswer.body.version,
    });
    expect(secondAnswer.body.stage).toBe('decision');

    // An approval needs an eligibility evaluation of the decision day on record.
    const unevaluated = await system.request('POST', `${path}/decision`, {
      outcome: 'approved', reason: 'all criteria met', minorChildren: 1, expectedVersion: secondAnswer.body.version,
    }, asClerk2);
    expect(unevaluated.status).toBe(409);
    expect(unevaluated.body.code).toBe('naturalisation.eligibility_missing');
    expect((await system.request('GET', path)).body.stage).toBe('decision');
    const notMet = await system.request('POST', `${path}/eligibility-checks`, { facts: makeFacts({ language: { certifiedLevel: 'A2' }, applicationFiledOn: checked.body.filedOn }) });
    expect(notMet.body.overall).toBe('not_eligible');
    const onNotMet = await system.request('POST', `${path}/decision`, {
      outcome: 'approved', reason: 'all criteria met', minorChildren: 1, expectedVersion: secondAnswer.body.version,
    }, asClerk2);
    expect(onNotMet.body.code).toBe('naturalisation.not_eligible');
    const met = await system.request('POST', `${path}/eligibility-checks`, { facts: makeFacts({ applicationFiledOn: checked.body.filedOn }) });
    expect(met.body).toMatchObject({ overall: 'eligible', source: 'what_if' });

    // Four eyes: who recorded an agency answer (ebh_clerk-1) may not propose the decision.
    const byRecorder = await system.request('POST', `${path}/decision`, {
      outcome: 'approved', reason: 'all criteria met', minorChildren: 1, expectedVersion: secondAnswer.body.version,
    });
    expect([byRecorder.status, byRecorder.body.code]).toEqual([403, 'naturalisation.four_eyes']);
    const proposed = await system.request('POST', `${path}/decision`, {
      outcome: 'approved', reason: 'all criteria met', minorChildren: 1, expectedVersion: secondAnswer.body.version,
    }, asClerk2);
    expect(proposed.status).toBe(200);
    expect(proposed.body).toMatchObject({ stage: 'decision', decision: null, details: { decisionProposal: { outcome: 'approved', proposedBy: 'ebh_clerk-2' } } });
    // Nor may the proposer, nor the answers' recorder, confirm it; nothing changes.
    const byProposer = await system.request('POST', `${path}/decision/confirmation`, { expectedVersion: proposed.body.version, proposalId: proposed.body.details.decisionProposal.id }, asClerk2);
    expect([byProposer.status, byProposer.body.code]).toEqual([403, 'naturalisation.four_eyes']);
    const confirmedByRecorder = await system.request('POST', `${path}/decision/confirmation`, { expectedVersion: proposed.body.version, proposalId: proposed.body.details.decisionProposal.id });
    expect([confirmedByRecorder.status, confirmedByRecorder.body.code]).toEqual([403, 'naturalisation.four_eyes']);
    expect((await system.request('GET', path)).body).toMatchObject({ stage: 'decision', version: proposed.body.version, decision: null });
    // A new proposal replaces the one clerk 3 saw: a confirmation naming that one is refused, in the version seen or the new one.
    const seen: string = proposed.body.details.decisionProposal.id;
    const replaced = await system.request('POST', `${path}/decision`, {
      outcome: 'approved', reason: 'all criteria met, checked again', minorChildren: 1, expectedVersion: proposed.body.version,
    }, asClerk2);
    expect(replaced.status).toBe(200);
    expect(replaced.body.details.decisionProposal.id).not.toBe(seen);
    const staleVersion = await system.request('POST', `${path}/decision/confirmation`, { expectedVersion: proposed.body.version, proposalId: seen }, asClerk3);
    expect([staleVersion.status, staleVersion.body.code]).toEqual([409, 'naturalisation.version_conflict']);
    const staleProposal = await system.request('POST', `${path}/decision/confirmation`, { expectedVersion: replaced.body.version, proposalId: seen }, asClerk3);
    expect([staleProposal.status, staleProposal.body.code]).toEqual([409, 'naturalisation.proposal_superseded']);
    expect((await system.request('GET', path)).body).toMatchObject({ stage: 'decision', version: replaced.body.version, decision: null });
    const decided = await system.request('POST', `${path}/decision/confirmation`, { expectedVersion: replaced.body.version, proposalId: replaced.body.details.decisionProposal.id }, asClerk3);
    expect(decided.status).toBe(200);
    expect(decided.body.stage).toBe('certificate');
    expect(decided.body.decision).toMatchObject({
      outcome: 'approved', decidedBy: 'ebh_clerk-2', confirmedBy: 'ebh_clerk-3', fee: { euro: 306 }, eligibilityCheckId: met.body.id,
    });
    await system.smtp.waitFor((m) => m.recipients.includes('amina.haddad@example.org') && /Entscheidung/.test(m.raw), 1);

    const again = await system.request('POST', `${path}/decision`, { outcome: 'refused', reason: 'changed my mind', expectedVersion: decided.body.version }, asClerk2);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('naturalisation.already_decided');
    const badAppointment = await system.request('POST', `${path}/appointment`, {
      at: '2020-01-01T10:00:00+01:00', place: 'Rathaus', expectedVersion: decided.body.version,
    });
    expect(badAppointment.status).toBe(422);
    expect(badAppointment.body.code).toBe('naturalisation.invalid_appointment');
    const after = await system.request('GET', path);
    expect(after.body.decision.outcome).toBe('approved');
    expect(after.body.version).toBe(decided.body.version);

    // The handover closes the case: it waits for nobody any more.
    // The handover cannot lie before the day of the appointment.
    const appointment = await system.request('POST', `${path}/appointment`, {
      at: new Date(Date.now() + 60_000).toISOString(), place: 'Rathaus', expectedVersion: after.body.version,
    });
    expect(appointment.body.waitingFor).toBe('applicant');
    const backdated = await system.request('POST', `${path}/handover`, { handedOverOn: addDaysIso(after.body.filedOn, -1), expectedVersion: appointment.body.version });
    expect([backdated.status, backdated.body.code]).toEqual([422, 'naturalisation.invalid_handover']);
    const handedOver = await system.request('POST', `${path}/handover`, { handedOverOn: after.body.filedOn, expectedVersion: appointment.body.version });
    expect(handedOver.status).toBe(200);
    expect(handedOver.body).toMatchObject({ stage: 'closed', waitingFor: null });
    expect((await system.request('GET', path)).body).toMatchObject({ stage: 'closed', waitingFor: null });
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

  test('GET /openapi.json describes every route from the same schemas; GET /health/details checks all three parts', async () => {
    const doc = await system.request('GET', '/openapi.json');
    expect(doc.status).toBe(200);
    // Every route of the table is documented, each with its methods, and nothing else is.
    const fromTable = new Map<string, Set<string>>();
    for (const route of routes) {
      const path = route.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
      fromTable.set(path, (fromTable.get(path) ?? new Set()).add(route.method));
    }
    expect(Object.keys(doc.body.paths).sort()).toEqual([...fromTable.keys()].sort());
    for (const [path, methods] of fromTable) expect(Object.keys(doc.body.paths[path]).sort()).toEqual([...methods].sort());
    // The shared resources, the register and the naturalisation process are all there.
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining([
      '/api/v1/admin/retention/{caseType}',
      '/api/v1/audit',
      '/api/v1/statistics/{caseType}',
      '/api/v1/statistics/handoffs',
      '/api/v1/handoffs/{id}/outcomes',
      '/api/v1/persons/{id}/consents/{consentId}/withdrawal',
      '/api/v1/persons/{id}/history',
      '/api/v1/naturalisation/applications/{id}/decision',
      '/api/v1/status/naturalisation',
      '/health',
      '/health/details',
    ]));
    // The status lookup's texts: de and en as ever, and the outreach languages beside them.
    const lookupAnswer = doc.body.paths['/api/v1/status/naturalisation'].post.responses['200'].content['application/json'].schema;
    for (const text of ['stage', 'nextStep']) expect(Object.keys(lookupAnswer.properties[text].properties).sort()).toEqual([...applicantLanguages].sort());
    const post = doc.body.paths['/api/v1/naturalisation/applications'].post;
    expect(post.requestBody.content['application/json'].schema.required).toEqual(['applicant']);
    expect(post.requestBody.content['application/json'].schema.properties.applicant.required).toEqual(
      expect.arrayContaining(['givenNames', 'familyName', 'dateOfBirth', 'email']),
    );

    // Public liveness only; the parts' health is for admins.
    expect((await system.request('GET', '/health', undefined, { authorization: null })).body).toEqual({ status: 'ok' });
    const admin = await system.tokenFor(['admin']);
    const health = await system.request('GET', '/health/details', undefined, { authorization: `Bearer ${admin}` });
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ status: 'ok', checks: { database: { status: 'ok' }, temporal: { status: 'ok' }, smtp: { status: 'ok' } } });
  });
});

describe('applicant status lookup (no login)', () => {
  let system: Awaited<ReturnType<typeof startSystem>>;
  beforeAll(async () => {
    system = await startSystem();
  });
  afterAll(async () => {
    await system?.stop();
  });

  test('by reference and access code: stage, what is awaited and the next step, in German and English and the outreach languages; wrong codes are refused and audited', async () => {
    const created = await system.request('POST', '/api/v1/naturalisation/applications', validApplicationBody({
      applicant: { ...validApplicationBody().applicant, email: 'status@example.org' },
    }));
    expect(created.body.accessCode).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    const [letter] = await system.smtp.waitFor((m) => m.recipients.includes('status@example.org'));
    expect(letter.raw.replace(/=\r?\n/g, '')).toContain(created.body.accessCode);
    // Shown once: a repeated read does not reveal it.
    expect((await system.request('GET', `/api/v1/naturalisation/applications/${created.body.id}`)).body.accessCode).toBeUndefined();

    const path = `/api/v1/naturalisation/applications/${created.body.id}`;
    let view = (await system.request('GET', path)).body;
    for (let i = 0; i < 50 && view.stage !== 'completeness_check'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      view = (await system.request('GET', path)).body;
    }
    await system.request('POST', `${path}/completeness-check`, {
      checklist: [{ type: 'passport', status: 'missing' }], expectedVersion: view.version,
    });

    const lookup = (reference: string, accessCode: string) =>
      system.request('POST', '/api/v1/status/naturalisation', { reference, accessCode }, { authorization: null });
    const status = await lookup(created.body.reference, created.body.accessCode.toLowerCase());
    expect(status.status).toBe(200);
    expect(status.body.stage).toMatchObject({ de: 'Unterlagen angefordert', en: 'Documents requested' });
    expect(status.body.stage).toEqual(Object.fromEntries(applicantLanguages.map((language) => [language, applicantStatusTexts[language].stage.waiting_for_documents])));
    expect(status.body.awaitedFromYou.de).toMatch(/Bitte reichen Sie die angeforderten Unterlagen ein \(bis \d{2}\.\d{2}\.\d{4}\)/);
    expect(status.body.awaitedFromYou.en).toMatch(/Please send the documents we requested \(by \d{1,2} [A-Z][a-z]+ \d{4}\)/);
    expect(status.body.awaitedFromYou.tr).toMatch(/en geç \d{1,2} \S+ \d{4}/);
    for (const language of applicantLanguages) expect(status.body.nextStep[language]).toBe(applicantStatusTexts[language].nextStep.afterDocuments);
    expect(JSON.stringify(status.body)).not.toMatch(/Haddad|Amina|example\.org/);

    const wrong = await lookup(created.body.reference, 'AAAA-BBBB-CCCC');
    expect(wrong.status).toBe(404);
    const unknown = await lookup('EBH-2026-ZZZZZZZZZZ', created.body.accessCode);
    expect(unknown.status).toBe(404);
    expect(unknown.body.title).toBe(wrong.body.title);
    const { rows } = await system.db.pool.query(
      "SELECT outcome, case_id FROM audit_log WHERE action = 'naturalisation.status.lookup' ORDER BY id",
    );
    expect(rows).toEqual([
      { outcome: 'allowed', case_id: created.body.id },
      { outcome: 'refused', case_id: null },
      { outcome: 'refused', case_id: null },
    ]);

    // The applicant uploads the missing passport.
    const upload = async (content: Buffer, contentType: string, accessCode = created.body.accessCode) => {
      const response = await fetch(`${system.baseUrl}/api/v1/status/naturalisation/documents?type=passport`, {
        method: 'POST',
        headers: { 'content-type': contentType, 'x-reference': created.body.reference, 'x-access-code': accessCode },
        body: content,
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> & { code?: string } };
    };
    const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(2048, 0x20), Buffer.from('\n%%EOF\n')]);
    const stored = await upload(pdf, 'application/pdf');
    expect(stored.status).toBe(201);
    expect(stored.body).toMatchObject({ type: 'passport', contentType: 'application/pdf', sizeBytes: pdf.length, scanVerdict: 'unscanned' });
    expect((await upload(pdf, 'image/png')).status).toBe(415);
    expect((await upload(pdf, 'application/zip')).body.code).toBe('request.unsupported_media_type');
    expect((await upload(Buffer.concat([pdf, Buffer.alloc(10 * 1024 * 1024)]), 'application/pdf')).status).toBe(413);
    expect((await upload(pdf, 'application/pdf', 'AAAA-BBBB-CCCC')).status).toBe(404);
    const scanner = system.deps.documentScanner;
    system.deps.documentScanner = { engine: 'test-engine', scan: async () => 'infected' };
    try {
      const infected = await upload(Buffer.concat([pdf, Buffer.from('X5O!P%@AP')]), 'application/pdf');
      expect(infected.status).toBe(422);
      expect(infected.body.code).toBe('document.infected');
    } finally {
      system.deps.documentScanner = scanner;
    }
    const listed = await system.request('GET', `/api/v1/naturalisation/applications/${created.body.id}/documents`);
    expect(listed.body.documents).toEqual([expect.objectContaining({ id: stored.body.id, type: 'passport', scanVerdict: 'unscanned' })]);
    const bonn = await system.tokenFor(['ebh_clerk'], 'bonn', 'bonn-clerk');
    expect((await system.request('GET', `/api/v1/naturalisation/applications/${created.body.id}/documents`, undefined, { authorization: `Bearer ${bonn}` })).status).toBe(404);
  });
});
