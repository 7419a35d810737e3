import { toBerlinLocalDate } from '../../domain/calendar/berlinTime';
import { addDays } from '../../domain/calendar/localDate';
import { subjectOf } from '../support/smtp';
import { startSystem, testMail, validApplicationBody } from '../support/system';

/**
 * Handoffs to case management through the API on real parts (PostgreSQL, the Temporal dev
 * server, a real SMTP listener): consent first, the case-management mailbox, acceptance, an
 * outcome stored on the person, team scoping, and the steering figures with small cells hidden.
 */
describe('handoffs API', () => {
  let system: Awaited<ReturnType<typeof startSystem>>;
  let clerk: string;
  let caseManager: string;
  let otherCaseManager: string;
  let otherClerk: string;
  let otherTeam: string;
  let coordinator: string;
  const caseManagementMailbox = 'case-management@kim.localhost';

  beforeAll(async () => {
    system = await startSystem();
    clerk = `Bearer ${await system.tokenFor(['abh_clerk'], 'koeln', 'clerk-anna')}`;
    caseManager = `Bearer ${await system.tokenFor(['case_manager'], 'koeln', 'cm-lea')}`;
    otherCaseManager = `Bearer ${await system.tokenFor(['case_manager'], 'bonn', 'cm-bonn')}`;
    otherClerk = `Bearer ${await system.tokenFor(['abh_clerk'], 'bonn', 'clerk-bonn')}`;
    otherTeam = `Bearer ${await system.tokenFor(['case_manager'], 'koeln', 'cm-nord', { team: 'cm-nord' })}`;
    coordinator = `Bearer ${await system.tokenFor(['coordinator'], 'koeln', 'kim-coord')}`;
  });
  afterAll(async () => {
    await system?.stop();
  });

  const as = (token: string) => (method: string, path: string, body?: unknown) => system.request(method, path, body, { authorization: token });

  async function registerPerson(fileNumber: string) {
    const created = await as(clerk)('POST', '/api/v1/persons', {
      fileNumber,
      givenNames: 'Omar',
      familyName: 'Saleh',
      dateOfBirth: '1996-07-08',
      nationalities: ['SY'],
      contact: { postalAddress: null, email: `${fileNumber.toLowerCase()}@example.org`, phone: '+49 221 777' },
      preferredLanguage: 'ar',
    });
    expect(created.status).toBe(201);
    return created.body.person.id as string;
  }

  // The consent is in force from a year before the day the test runs to two years after it.
  const testDay = toBerlinLocalDate(Date.now());
  const consentBody = { purpose: 'case_management_handoff', recipients: ['case_management', 'originating_authority'], dataCategories: ['name', 'contact', 'language', 'needs', 'case_deadline', 'outcomes'], validFrom: addDays(testDay, -365), validUntil: addDays(testDay, 730), formReference: 'EW-2026-001' };

  async function handoffWithConsent(fileNumber: string) {
    const personId = await registerPerson(fileNumber);
    expect((await as(clerk)('POST', `/api/v1/persons/${personId}/consents`, consentBody)).status).toBe(201);
    const sent = await as(clerk)('POST', '/api/v1/handoffs', { personId, needs: ['language'], urgency: 'normal' });
    expect(sent.status).toBe(201);
    return { personId, handoffId: sent.body.handoffId as string };
  }

  async function waitForStage(handoffId: string, stage: string) {
    for (let i = 0; i < 200; i++) {
      const { rows } = await system.db.pool.query('SELECT stage FROM case_projections WHERE case_id = $1', [handoffId]);
      if (rows[0]?.stage === stage) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`stage ${stage} not reached`);
  }

  test('without consent → 422 and nothing stored; with it, the handoff reaches the CM mailbox, is accepted, and the outcome is stored on the person (source case_management)', async () => {
    const personId = await registerPerson('ABH-HO-100');
    const refused = await as(clerk)('POST', '/api/v1/handoffs', { personId, needs: ['language', 'employment'], urgency: 'urgent', relevantDeadline: '2027-03-31' });
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('handoff.no_consent');
    expect(refused.body.title).toMatch(/no valid consent/);
    expect((await system.db.pool.query('SELECT count(*)::int AS n FROM handoffs WHERE person_id = $1', [personId])).rows[0].n).toBe(0);

    const badRecipient = await as(clerk)('POST', `/api/v1/persons/${personId}/consents`, { ...consentBody, recipients: ['nobody'] });
    expect(badRecipient.status).toBe(400);
    expect(badRecipient.body.errors.map((e: { path: string }) => e.path)).toEqual(['body.recipients.0']);
    const backwards = await as(clerk)('POST', `/api/v1/persons/${personId}/consents`, { ...consentBody, validUntil: addDays(consentBody.validFrom, -1) });
    expect(backwards.status).toBe(400);
    expect(backwards.body.errors.map((e: { path: string }) => e.path)).toEqual(['body.validUntil']);
    expect((await as(clerk)('GET', `/api/v1/persons/${personId}/consents`)).body.items).toEqual([]);

    const consent = await as(clerk)('POST', `/api/v1/persons/${personId}/consents`, consentBody);
    expect(consent.status).toBe(201);
    expect(consent.body).toMatchObject({ personId, recordedBy: 'clerk-anna', withdrawnAt: null, formReference: 'EW-2026-001' });

    const sent = await as(clerk)('POST', '/api/v1/handoffs', { personId, needs: ['language', 'employment'], urgency: 'urgent', relevantDeadline: '2027-03-31' });
    expect(sent.status).toBe(201);
    const { handoffId } = sent.body;
    const reference = `HO-${handoffId.slice(0, 8).toUpperCase()}`;
    const [notice] = await system.smtp.waitFor((m) => m.recipients.includes(caseManagementMailbox) && subjectOf(m).includes(reference));
    expect(notice.raw).toContain('Omar Saleh');
    expect(notice.raw).not.toContain('ABH-HO-100');

    // Another authority's case manager and clerk: not found, and audited as refused.
    expect((await as(otherCaseManager)('GET', `/api/v1/handoffs/${handoffId}`)).status).toBe(404);
    expect((await as(otherCaseManager)('POST', `/api/v1/handoffs/${handoffId}/acceptance`, {})).status).toBe(404);
    expect((await as(otherClerk)('GET', `/api/v1/handoffs/${handoffId}`)).status).toBe(404);
    expect((await as(otherCaseManager)('GET', '/api/v1/handoffs')).body.items).toEqual([]);
    // A case manager of another team of the same authority: not found either.
    expect((await as(otherTeam)('GET', `/api/v1/handoffs/${handoffId}`)).status).toBe(404);
    expect((await as(otherTeam)('POST', `/api/v1/handoffs/${handoffId}/acceptance`, {})).status).toBe(404);
    expect((await as(otherTeam)('GET', '/api/v1/handoffs')).body.items).toEqual([]);
    expect((await as(caseManager)('GET', '/api/v1/handoffs')).body.items.map((h: { id: string }) => h.id)).toEqual([handoffId]);
    // The coordinator sees figures only.
    expect((await as(coordinator)('GET', `/api/v1/handoffs/${handoffId}`)).status).toBe(403);
    const refusals = await system.db.pool.query("SELECT actor FROM audit_log WHERE action IN ('handoff.view', 'handoff.accept') AND outcome = 'refused' ORDER BY id");
    expect(refusals.rows.map((r) => r.actor)).toEqual(['cm-bonn', 'cm-bonn', 'clerk-bonn', 'cm-nord', 'cm-nord', 'kim-coord']);

    await waitForStage(handoffId, 'awaiting_acceptance');
    const seen = await as(caseManager)('GET', `/api/v1/handoffs/${handoffId}`);
    expect(seen.status).toBe(200);
    expect(seen.body).toMatchObject({ reference, needs: ['language', 'employment'], urgency: 'urgent', stage: 'awaiting_acceptance', relevantDeadline: '2027-03-31', person: { name: 'Omar Saleh', email: 'abh-ho-100@example.org', phone: '+49 221 777', language: 'ar' } });
    expect(JSON.stringify(seen.body)).not.toMatch(/ABH-HO-100|1996-07-08|SY/);

    // A decline without a reason is refused before anything changes.
    const noReason = await as(caseManager)('POST', `/api/v1/handoffs/${handoffId}/decline`, { reason: '' });
    expect(noReason.status).toBe(400);
    const early = await as(caseManager)('POST', `/api/v1/handoffs/${handoffId}/phases`, { phase: 'access', on: '2026-11-20' });
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('handoff.not_in_progress');

    const accepted = await as(caseManager)('POST', `/api/v1/handoffs/${handoffId}/acceptance`, {});
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ stage: 'in_progress', flags: ['urgent', 'accepted_in_time'], acceptedBy: 'cm-lea' });
    const today = toBerlinLocalDate(Date.now());
    expect((await as(caseManager)('POST', `/api/v1/handoffs/${handoffId}/phases`, { phase: 'first_consultation', on: today })).status).toBe(200);
    const outcome = await as(caseManager)('POST', `/api/v1/handoffs/${handoffId}/outcomes`, { kind: 'language_certificate_obtained', on: today, level: 'B1' });
    expect(outcome.status).toBe(200);
    expect(outcome.body.outcomes).toEqual([{ kind: 'language_certificate_obtained', on: today, factRecorded: true }]);
    expect(outcome.body.phases).toEqual([{ phase: 'first_consultation', on: today, note: null }]);

    // The person's history shows the certificate, recorded by the case manager from case management.
    const history = await as(clerk)('GET', `/api/v1/persons/${personId}/history`);
    const factEntry = history.body.items.find((r: { entity: string }) => r.entity === 'fact');
    expect(factEntry).toMatchObject({ action: 'create', kind: 'language_certificate', source: 'case_management', recordedBy: 'cm-lea', after: { level: 'B1', issuedOn: today } });

    // The sending clerk sees what case management reported back — not the case manager's notes or contact data.
    const back = await as(clerk)('GET', `/api/v1/handoffs/${handoffId}`);
    expect(back.status).toBe(200);
    expect(back.body).toEqual({ id: handoffId, reference, needs: ['language', 'employment'], urgency: 'urgent', stage: 'in_progress', flags: ['urgent', 'accepted_in_time'], closing: null, reason: null, outcomes: [{ kind: 'language_certificate_obtained', on: today, factRecorded: true }] });
    await system.smtp.waitFor((m) => m.recipients.includes(testMail.teamMailbox) && subjectOf(m) === `Übergabe ${reference}: Ergebnis gemeldet`);

    // A handoff addressed to the other team: theirs to see, not ours.
    const nord = await as(clerk)('POST', '/api/v1/handoffs', { personId, needs: ['housing'], team: 'cm-nord' });
    expect(nord.status).toBe(201);
    expect((await as(otherTeam)('GET', `/api/v1/handoffs/${nord.body.handoffId}`)).body).toMatchObject({ needs: ['housing'], person: { name: 'Omar Saleh' } });
    expect((await as(caseManager)('GET', `/api/v1/handoffs/${nord.body.handoffId}`)).status).toBe(404);

    const gap = await as(caseManager)('POST', `/api/v1/handoffs/${handoffId}/gaps`, { need: 'language', place: 'Köln-Chorweiler', targetGroup: 'Mütter mit Kleinkindern' });
    expect(gap.status).toBe(201);
  });

  test('the steering figures: persons per cell, a cell below five suppressed, the other authority not counted', async () => {
    // Five more handoffs of five persons; one more is declined; none of Bonn's count for Köln.
    const five = await Promise.all(['ABH-HO-201', 'ABH-HO-202', 'ABH-HO-203', 'ABH-HO-204', 'ABH-HO-205'].map(handoffWithConsent));
    const bonnPerson = await as(otherClerk)('POST', '/api/v1/persons', { fileNumber: 'BN-1', givenNames: 'Lina', familyName: 'Haddad', dateOfBirth: '1990-01-01', nationalities: ['SY'], contact: { postalAddress: null, email: null, phone: null }, preferredLanguage: 'ar' });
    expect((await as(otherClerk)('POST', `/api/v1/persons/${bonnPerson.body.person.id}/consents`, consentBody)).status).toBe(201);
    expect((await as(otherClerk)('POST', '/api/v1/handoffs', { personId: bonnPerson.body.person.id, needs: ['housing'] })).status).toBe(201);
    // Köln's clerk cannot hand Bonn's person over.
    expect((await as(clerk)('POST', '/api/v1/handoffs', { personId: bonnPerson.body.person.id, needs: ['housing'] })).status).toBe(404);
    await waitForStage(five[0].handoffId, 'awaiting_acceptance');
    const declined = await as(caseManager)('POST', `/api/v1/handoffs/${five[0].handoffId}/decline`, { reason: 'kein Angebot in Wohnortnähe' });
    expect(declined.status).toBe(200);
    expect(declined.body).toMatchObject({ stage: 'closed', closing: 'declined', reason: 'kein Angebot in Wohnortnähe' });

    // The period: the Berlin days of Köln's first and last handoff and gap, read from the records —
    // a run that crosses midnight spreads them over two days, and both are asked for.
    const { rows: [span] } = await system.db.pool.query<{ first: Date; last: Date }>(
      `SELECT min(at) AS first, max(at) AS last FROM (
         SELECT requested_at AS at FROM handoffs WHERE authority_id = 'koeln' UNION ALL SELECT recorded_at FROM handoff_gaps WHERE authority_id = 'koeln') AS recorded`,
    );
    const from = toBerlinLocalDate(span.first.getTime());
    const to = toBerlinLocalDate(span.last.getTime());
    const figures = await as(coordinator)('GET', `/api/v1/statistics/handoffs?from=${from}&to=${to}`);
    expect(figures.status).toBe(200);
    expect(figures.body).toEqual({
      authorityId: 'koeln',
      from,
      to,
      unit: 'persons',
      sent: { value: 6, suppressed: false },
      acceptedInTime: { value: null, suppressed: true },
      escalated: { value: 0, suppressed: false },
      declined: { value: null, suppressed: true },
      expired: { value: 0, suppressed: false },
      outcomesByNeed: [{ need: 'language', persons: { value: null, suppressed: true } }],
      gaps: [{ need: 'language', place: 'Köln-Chorweiler', persons: { value: null, suppressed: true } }],
    });
    expect(JSON.stringify(figures.body)).not.toMatch(/Omar|Saleh|ABH-HO/);

    const before = await as(coordinator)('GET', '/api/v1/statistics/handoffs?from=2020-01-01&to=2020-12-31');
    expect(before.body.sent).toEqual({ value: 0, suppressed: false });
    const bad = await as(coordinator)('GET', '/api/v1/statistics/handoffs?from=2027-01-02&to=2027-01-01');
    expect(bad.status).toBe(400);
    expect((await as(clerk)('GET', `/api/v1/statistics/handoffs?from=${from}&to=${to}`)).status).toBe(403);
  });

  test('a handoff from a naturalisation case: the case is told of the acceptance and of the outcome (signals into its workflow)', async () => {
    const ebh = `Bearer ${await system.tokenFor(['ebh_clerk'], 'koeln', 'clerk-eva')}`;
    const application = await as(ebh)('POST', '/api/v1/naturalisation/applications', validApplicationBody());
    expect(application.status).toBe(201);
    const caseId = application.body.id as string;
    // The case's workflow writes its projection shortly after the application is stored.
    for (let i = 0; i < 100 && (await system.db.pool.query('SELECT 1 FROM case_projections WHERE case_id = $1', [caseId])).rowCount === 0; i++) await new Promise((r) => setTimeout(r, 50));
    const personId = await registerPerson('ABH-HO-300');
    expect((await as(ebh)('POST', `/api/v1/persons/${personId}/consents`, consentBody)).status).toBe(201);

    // Another authority cannot name Köln's case as the origin.
    const foreign = await as(otherClerk)('POST', '/api/v1/handoffs', { personId, needs: ['language'], origin: { caseId } });
    expect(foreign.status).toBe(422);
    expect(foreign.body.code).toBe('handoff.origin_not_found');

    const sent = await as(ebh)('POST', '/api/v1/handoffs', { personId, needs: ['language'], relevantDeadline: '2027-06-30', origin: { caseId } });
    expect(sent.status).toBe(201);
    const { handoffId } = sent.body;
    await waitForStage(handoffId, 'awaiting_acceptance');
    expect((await as(caseManager)('POST', `/api/v1/handoffs/${handoffId}/acceptance`, {})).status).toBe(200);
    const today = toBerlinLocalDate(Date.now());
    expect((await as(caseManager)('POST', `/api/v1/handoffs/${handoffId}/outcomes`, { kind: 'employment_started', on: today, hoursPerWeek: 25, fullTime: false })).status).toBe(200);

    const signalsToCase = async () =>
      ((await system.temporal.workflow.getHandle(`naturalisation/${caseId}`).fetchHistory()).events ?? []).filter(
        (e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'handoffStatusChanged',
      ).length;
    for (let i = 0; i < 100 && (await signalsToCase()) < 2; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await signalsToCase()).toBe(2);
    const person = await as(clerk)('GET', `/api/v1/persons/${personId}`);
    expect(person.body.facts).toEqual([expect.objectContaining({ kind: 'employment', source: 'case_management', data: { from: today, to: null, hoursPerWeek: 25, fullTime: false } })]);
  });

  test("an outcome reported by case management changes the originating case's eligibility and tells its clerk", async () => {
    const ebh = `Bearer ${await system.tokenFor(['ebh_clerk'], 'koeln', 'clerk-eva')}`;
    const personId = await registerPerson('ABH-HO-400');
    expect((await as(ebh)('POST', `/api/v1/persons/${personId}/consents`, consentBody)).status).toBe(201);
    const application = await as(ebh)('POST', '/api/v1/naturalisation/applications', { ...validApplicationBody(), personId });
    expect(application.status).toBe(201);
    const casePath = `/api/v1/naturalisation/applications/${application.body.id}`;
    for (let i = 0; i < 100 && (await as(ebh)('GET', casePath)).body.stage !== 'completeness_check'; i++) await new Promise((r) => setTimeout(r, 50));
    // The register's facts as of today: no German certificate (§ 10 Abs. 1 Satz 1 Nr. 6 StAG).
    const first = await as(ebh)('POST', `${casePath}/eligibility-checks`, {});
    expect(first.body.criteria.find((c: { id: string }) => c.id === 'german_language').status).toBe('unknown');

    const sent = await as(ebh)('POST', '/api/v1/handoffs', { personId, needs: ['language'], origin: { caseId: application.body.id } });
    expect(sent.status).toBe(201);
    await waitForStage(sent.body.handoffId, 'awaiting_acceptance');
    expect((await as(caseManager)('POST', `/api/v1/handoffs/${sent.body.handoffId}/acceptance`, {})).status).toBe(200);
    const today = toBerlinLocalDate(Date.now());
    const outcome = await as(caseManager)('POST', `/api/v1/handoffs/${sent.body.handoffId}/outcomes`, { kind: 'language_certificate_obtained', on: today, level: 'B1' });
    expect(outcome.status).toBe(200);

    // The case evaluates again on the register and shows the clerk what changed; the report is on the case too.
    let view = (await as(ebh)('GET', casePath)).body;
    const reported = (v: { details: { handoffReports?: { status: string }[] } }) => (v.details.handoffReports ?? []).some((r) => r.status === 'outcome');
    for (let i = 0; i < 200 && !(view.flags.includes('facts_changed') && reported(view)); i++) {
      await new Promise((r) => setTimeout(r, 50));
      view = (await as(ebh)('GET', casePath)).body;
    }
    expect(view.details.eligibility.changed).toEqual(expect.arrayContaining([{ criterion: 'german_language', from: 'unknown', to: 'met' }]));
    expect(view.details.handoffReports.map((r: { status: string }) => r.status)).toEqual(expect.arrayContaining(['accepted', 'outcome']));
    const [notice] = await system.smtp.waitFor((m) => subjectOf(m).includes('Geänderte Angaben') && subjectOf(m).includes(application.body.reference));
    expect(notice.raw.replace(/=\r?\n/g, '')).toMatch(/german_language: unknown (=E2=86=92|→) met/);
  });
});
