import { makeFacts } from '../domain/naturalisationFixtures';
import { startSystem, validApplicationBody } from '../support/system';

const applications = '/api/v1/naturalisation/applications';

/**
 * The data subject's rights through the API on real parts: an admin exports everything stored
 * about a person (Art. 15 DSGVO), corrects it with a record (Art. 16), and erases it where the law
 * allows (Art. 17) — refused with reasons while a case is open, a retention period runs, or a
 * naturalisation was approved.
 */
describe('GDPR rights: export, rectification, erasure (PostgreSQL, Temporal dev server, SMTP)', () => {
  let system: Awaited<ReturnType<typeof startSystem>>;
  let admin: Record<string, string>;
  const as = async (roles: ('admin' | 'ebh_clerk')[], subject: string, authority = 'koeln') => ({
    authorization: `Bearer ${await system.tokenFor(roles, authority, subject)}`,
  });

  beforeAll(async () => {
    system = await startSystem();
    admin = await as(['admin'], 'admin-koeln');
  });
  afterAll(async () => {
    await system?.stop();
  });

  async function createPersonWithCase(fileNumber: string, email: string) {
    const person = await system.request('POST', '/api/v1/persons', {
      fileNumber, givenNames: 'Leyla', familyName: 'Yildiz', dateOfBirth: '1988-09-01', nationalities: ['TR'],
      contact: { email, phone: '+49 221 555' }, preferredLanguage: 'tr', source: 'document',
    });
    expect(person.status).toBe(201);
    const personId: string = person.body.person.id;
    const fact = await system.request('POST', `/api/v1/persons/${personId}/facts`, {
      expectedVersion: 1, fact: { kind: 'language_certificate', data: { level: 'B1', issuedOn: '2023-06-12' } }, source: 'document',
    });
    expect(fact.status).toBe(200);
    const created = await system.request('POST', applications, validApplicationBody({
      personId, applicant: { ...validApplicationBody().applicant, givenNames: 'Leyla', familyName: 'Yildiz', email },
    }));
    expect(created.status).toBe(201);
    const path = `${applications}/${created.body.id}`;
    let view = (await system.request('GET', path)).body;
    for (let i = 0; i < 100 && view.stage !== 'completeness_check'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      view = (await system.request('GET', path)).body;
    }
    expect(view.stage).toBe('completeness_check');
    await system.smtp.waitFor((m) => m.recipients.includes(email));
    return { personId, caseId: created.body.id as string, path, view, accessCode: created.body.accessCode as string };
  }

  /** Four eyes: clerk-2 proposes, clerk-3 confirms. */
  async function decide(path: string, body: Record<string, unknown>) {
    const proposed = await system.request('POST', `${path}/decision`, body, await as(['ebh_clerk'], 'clerk-2'));
    expect(proposed.status).toBe(200);
    const confirmed = await system.request('POST', `${path}/decision/confirmation`, { expectedVersion: proposed.body.version, proposalId: proposed.body.details.decisionProposal.id }, await as(['ebh_clerk'], 'clerk-3'));
    expect([confirmed.status, confirmed.body.code, confirmed.body.detail]).toEqual([200, undefined, undefined]);
    return confirmed.body;
  }

  test('export holds the register entry, history, cases, letters and audit entries; rectification is recorded; erasure is refused while the case is open and while its retention runs, then anonymises person and case', async () => {
    const { personId, caseId, path, view, accessCode } = await createPersonWithCase('ABH-2020-0007', 'leyla@example.org');

    const consent = await system.request('POST', `/api/v1/outreach/persons/${personId}/consent`, { givenOn: '2025-03-01' }, await as(['ebh_clerk'], 'clerk-consent'));
    expect(consent.status).toBe(200);

    // Art. 15: one JSON file, as a download, scoped to the admin's authority.
    const exported = await system.request('GET', `/api/v1/admin/persons/${personId}/export`, undefined, admin);
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-disposition')).toBe(`attachment; filename="person-${personId}.json"`);
    expect(exported.body).toMatchObject({
      legalBasis: 'Art. 15 DSGVO',
      person: { id: personId, family_name: 'Yildiz', file_number: 'ABH-2020-0007' },
      facts: [expect.objectContaining({ kind: 'language_certificate' })],
      history: expect.arrayContaining([expect.objectContaining({ action: 'create', entity: 'person' }), expect.objectContaining({ action: 'create', entity: 'fact' })]),
      cases: [{ caseId, caseType: 'naturalisation', stage: 'completeness_check' }],
      naturalisationApplications: [expect.objectContaining({ id: caseId, family_name: 'Yildiz', has_access_code: true })],
      caseProjections: [expect.objectContaining({ case_id: caseId })],
      messages: [expect.objectContaining({ case_id: caseId, recipient: 'leyla@example.org', status: 'sent' })],
      documents: [],
      outreach: { consents: [expect.objectContaining({ recorded_by: 'clerk-consent' })], optOuts: [], messages: [] },
    });
    const auditActions = exported.body.audit.map((a: { action: string }) => a.action);
    expect(auditActions).toEqual(expect.arrayContaining(['register.person.create', 'naturalisation.application.create']));
    expect(JSON.stringify(exported.body)).not.toContain(accessCode);
    const bonn = await system.request('GET', `/api/v1/admin/persons/${personId}/export`, undefined, await as(['admin'], 'admin-bonn', 'bonn'));
    expect(bonn.status).toBe(404);

    // Art. 16: the correction goes through the register's history, with its reason.
    const person = (await system.request('GET', `/api/v1/persons/${personId}`)).body.person;
    const rectified = await system.request('POST', `/api/v1/admin/persons/${personId}/rectification`, {
      expectedVersion: person.version, changes: { givenNames: 'Leyla Su' }, reason: 'Antrag der Betroffenen vom 20.11.2026',
    }, admin);
    expect(rectified.status).toBe(200);
    expect(rectified.body.person.givenNames).toBe('Leyla Su');
    const history = (await system.request('GET', `/api/v1/persons/${personId}/history`)).body.items;
    expect(history.at(-1)).toMatchObject({ action: 'correct', recordedBy: 'admin-koeln', reason: 'Art. 16 DSGVO: Antrag der Betroffenen vom 20.11.2026' });

    // Art. 17: refused while the case is open.
    const erase = () => system.request('POST', `/api/v1/admin/persons/${personId}/erasure`, { reason: 'Antrag auf Löschung' }, admin);
    const whileOpen = await erase();
    expect([whileOpen.status, whileOpen.body.code]).toEqual([409, 'person.erasure_refused']);
    expect(whileOpen.body.errors).toEqual([expect.objectContaining({ path: `cases.${caseId}`, code: 'open_case', message: expect.stringContaining('Art. 17 Abs. 3 Buchst. b DSGVO') })]);

    // Withdrawn and closed: the authority's retention period (default ten years) still runs.
    // The open case was told of the correction and re-evaluated (a new version): decide on that one.
    let current = (await system.request('GET', path)).body;
    for (let i = 0; i < 100 && current.version === view.version; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      current = (await system.request('GET', path)).body;
    }
    expect(current.version).toBeGreaterThan(view.version);
    await decide(path, { outcome: 'withdrawn', reason: 'Frau Yildiz nimmt zurück', refusalFeeEuro: 25, expectedVersion: current.version });
    const whileRetained = await erase();
    expect(whileRetained.body.errors).toEqual([expect.objectContaining({ code: 'retention_running' })]);
    expect((await system.db.pool.query('SELECT family_name FROM persons WHERE id = $1', [personId])).rows[0].family_name).toBe('Yildiz');

    // The authority's period is 30 days (two admins); 31 days after the case closed, it may be erased.
    await system.request('PUT', '/api/v1/admin/retention/naturalisation', { retainDays: 30, action: 'anonymise' }, admin);
    await system.request('POST', '/api/v1/admin/retention/naturalisation/confirmation', { retainDays: 30, action: 'anonymise' }, await as(['admin'], 'admin-koeln-2'));
    const realClock = system.deps.clock;
    system.deps.clock = () => new Date(Date.now() + 31 * 86_400_000);
    try {
      const erased = await erase();
      expect(erased.status).toBe(200);
      expect(erased.body).toEqual({ personId, erased: true, casesAnonymised: [caseId] });
    } finally {
      system.deps.clock = realClock;
    }
    const after = (await system.request('GET', `/api/v1/admin/persons/${personId}/export`, undefined, admin)).body;
    const text = JSON.stringify({ ...after, audit: [] });
    for (const personal of ['Yildiz', 'Leyla', 'leyla@example.org', 'ABH-2020-0007', '1988-09-01', '+49 221 555']) expect(text).not.toContain(personal);
    expect(after.person.erased_at).toEqual(expect.any(String));
    expect(after.facts).toEqual([]);
    expect(after.naturalisationApplications[0].anonymised_at).toEqual(expect.any(String));
    const { rows } = await system.db.pool.query(
      "SELECT actor, action, outcome FROM audit_log WHERE action LIKE 'admin.person.%' AND detail->>'personId' = $1 ORDER BY id", [personId],
    );
    expect(rows.map((r) => `${r.action}:${r.outcome}`)).toEqual([
      'admin.person.export:allowed', 'admin.person.export:refused', 'admin.person.rectify:allowed', 'admin.person.erase:refused', 'admin.person.erase:refused', 'admin.person.erase:allowed', 'admin.person.export:allowed',
    ]);
    expect((await system.db.pool.query("SELECT outcome FROM audit_log WHERE action = 'admin.person.export' AND actor = 'admin-bonn'")).rows).toEqual([{ outcome: 'refused' }]);
  });

  test('an approved naturalisation is evidence of nationality: erasure is refused with that reason', async () => {
    const { personId, path, view } = await createPersonWithCase('ABH-2020-0008', 'nat@example.org');
    const checked = await system.request('POST', `${path}/completeness-check`, {
      checklist: [{ type: 'passport', status: 'present', expires: false }], expectedVersion: view.version,
    });
    const a1 = await system.request('POST', `${path}/inquiry-answers`, { inquiry: 'regelanfrage', result: 'no_findings', answeredOn: checked.body.filedOn, expectedVersion: checked.body.version });
    const a2 = await system.request('POST', `${path}/inquiry-answers`, { inquiry: 'register_extract', result: 'no_findings', answeredOn: checked.body.filedOn, expectedVersion: a1.body.version });
    const met = await system.request('POST', `${path}/eligibility-checks`, { facts: makeFacts({ applicationFiledOn: checked.body.filedOn }) });
    expect(met.body.overall).toBe('eligible');
    const approved = await decide(path, { outcome: 'approved', reason: 'alle Voraussetzungen erfüllt', expectedVersion: a2.body.version });
    expect(approved.stage).toBe('certificate');
    const refused = await system.request('POST', `/api/v1/admin/persons/${personId}/erasure`, { reason: 'Antrag auf Löschung' }, admin);
    expect(refused.status).toBe(409);
    // Before the handover the case is still open.
    expect(refused.body.errors.map((e: { code: string }) => e.code)).toEqual(['open_case']);
    const appointment = await system.request('POST', `${path}/appointment`, { at: new Date(Date.now() + 60_000).toISOString(), place: 'Rathaus', expectedVersion: approved.version });
    const handedOver = await system.request('POST', `${path}/handover`, { handedOverOn: checked.body.filedOn, expectedVersion: appointment.body.version });
    expect(handedOver.body.stage).toBe('closed');
    const evidence = await system.request('POST', `/api/v1/admin/persons/${personId}/erasure`, { reason: 'Antrag auf Löschung' }, admin);
    expect(evidence.body.errors).toEqual([expect.objectContaining({ code: 'naturalisation_evidence', message: expect.stringContaining('§ 16 StAG') })]);
    expect((await system.db.pool.query('SELECT family_name FROM persons WHERE id = $1', [personId])).rows[0].family_name).toBe('Yildiz');
  });

  test('the export holds contact and handoff consents, the data a handoff sent with its notes, and residence checks; erasure takes the consents\' form references and withdrawal reasons', async () => {
    const abh = { authorization: `Bearer ${await system.tokenFor(['abh_clerk'], 'koeln', 'abh-rights')}` };
    const caseManager = { authorization: `Bearer ${await system.tokenFor(['case_manager'], 'koeln', 'cm-rights')}` };
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const register = async (fileNumber: string) => {
      const created = await system.request('POST', '/api/v1/persons', {
        fileNumber, givenNames: 'Samir', familyName: 'Haddad', dateOfBirth: '1991-04-04', nationalities: ['SY'],
        contact: { email: `${fileNumber.toLowerCase()}@example.org` }, preferredLanguage: 'ar', source: 'clerk',
      }, abh);
      expect(created.status).toBe(201);
      return created.body.person as { id: string; version: number };
    };
    const consentBody = (formReference: string) => ({
      purpose: 'case_management_handoff', recipients: ['case_management', 'originating_authority'],
      dataCategories: ['name', 'contact', 'language', 'needs', 'case_deadline', 'outcomes'], validFrom: day(-1), validUntil: day(365), formReference,
    });

    // One with a contact consent, a handoff consent, a handoff that case management works with a note, and a residence check.
    const person = await register('ABH-DR-10');
    const contact = await system.request('POST', `/api/v1/persons/${person.id}/contact-consents`, {
      expectedVersion: person.version, consent: { purpose: 'residence_information', status: 'given', on: day(0) }, source: 'document',
    }, abh);
    expect(contact.status).toBe(200);
    expect((await system.request('POST', `/api/v1/persons/${person.id}/consents`, consentBody('EW-DR-10'), abh)).status).toBe(201);
    const handoff = await system.request('POST', '/api/v1/handoffs', { personId: person.id, needs: ['language'], urgency: 'normal' }, abh);
    expect(handoff.status).toBe(201);
    const handoffId: string = handoff.body.handoffId;
    for (let i = 0; i < 200 && (await system.request('GET', `/api/v1/handoffs/${handoffId}`, undefined, caseManager)).body.stage !== 'awaiting_acceptance'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect((await system.request('POST', `/api/v1/handoffs/${handoffId}/acceptance`, {}, caseManager)).status).toBe(200);
    expect((await system.request('POST', `/api/v1/handoffs/${handoffId}/phases`, { phase: 'first_consultation', on: day(0), note: 'Sprachkurs ab nächstem Monat vereinbart' }, caseManager)).status).toBe(200);
    const check = await system.request('POST', '/api/v1/residence/checks', { personId: person.id, contactConsent: false }, abh);
    expect(check.status).toBe(201);

    const exported = await system.request('GET', `/api/v1/admin/persons/${person.id}/export`, undefined, admin);
    expect(exported.status).toBe(200);
    expect(exported.body).toMatchObject({
      contactConsents: [expect.objectContaining({ purpose: 'residence_information', status: 'given' })],
      handoffConsents: [expect.objectContaining({ form_reference: 'EW-DR-10', purpose: 'case_management_handoff' })],
      handoffs: [expect.objectContaining({ id: handoffId, given_names: 'Samir', family_name: 'Haddad', contact: expect.objectContaining({ email: 'abh-dr-10@example.org' }), language: 'ar' })],
      handoffProgress: [expect.objectContaining({ handoff_id: handoffId, phase: 'first_consultation', note: 'Sprachkurs ab nächstem Monat vereinbart' })],
      residenceChecks: [expect.objectContaining({ id: check.body.id, person_id: person.id })],
    });

    // One whose handoff consent was withdrawn with a reason, and nothing else: erasure takes both.
    const other = await register('ABH-DR-11');
    const given = await system.request('POST', `/api/v1/persons/${other.id}/consents`, consentBody('EW-DR-11'), abh);
    expect(given.status).toBe(201);
    const withdrawn = await system.request('POST', `/api/v1/persons/${other.id}/consents/${given.body.id}/withdrawal`, { reason: 'Frau H. möchte nach dem Umzug zu ihrer Schwester nicht mehr begleitet werden' }, abh);
    expect(withdrawn.status).toBe(200);
    const erased = await system.request('POST', `/api/v1/admin/persons/${other.id}/erasure`, { reason: 'Antrag auf Löschung' }, admin);
    expect(erased.status).toBe(200);
    const stored = await system.db.pool.query('SELECT form_reference, withdrawal_reason, withdrawn_at IS NOT NULL AS withdrawn FROM person_consents WHERE person_id = $1', [other.id]);
    expect(stored.rows).toEqual([{ form_reference: 'erased', withdrawal_reason: null, withdrawn: true }]);
  });
});
