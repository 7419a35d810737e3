import { toBerlinLocalDate } from '../../domain/calendar/berlinTime';
import { addDays } from '../../domain/calendar/localDate';
import {
  determineActionPermission,
  procedureActions,
  type ProcedureAction,
  type ProcedureSituation,
} from '../../domain/naturalisation/procedure';
import { startSystem, validApplicationBody } from '../support/system';
import { makeFacts } from '../domain/naturalisationFixtures';

const base = '/api/v1/naturalisation/applications';

/**
 * The procedure's table (domain/naturalisation/procedure.ts) against the real workflow, through
 * the API: in each stage a case reaches, every action the table refuses is refused with the
 * table's code (409) and changes nothing; the actions the table allows move the case on.
 */
describe('what the procedure does not allow is refused through the API, and nothing changes', () => {
  let system: Awaited<ReturnType<typeof startSystem>>;

  beforeAll(async () => {
    system = await startSystem();
  });
  afterAll(async () => {
    await system?.stop();
  });

  const today = () => toBerlinLocalDate(Date.now());

  /** The route and a valid body (apart from the stage) of each action. */
  function requestFor(action: ProcedureAction, expectedVersion: number): { path: string; body: Record<string, unknown> } {
    switch (action) {
      case 'complete_check':
        return { path: 'completeness-check', body: { checklist: [{ type: 'passport', status: 'present', expires: false }], expectedVersion } };
      case 'record_documents':
        return { path: 'documents', body: { received: [{ type: 'passport', status: 'present', expires: false }], expectedVersion } };
      case 'extend_document_deadline':
        return { path: 'document-deadline', body: { dueOn: addDays(today(), 30), expectedVersion } };
      case 'record_inquiry_answer':
        return { path: 'inquiry-answers', body: { inquiry: 'regelanfrage', result: 'no_findings', answeredOn: today(), expectedVersion } };
      case 'approve':
        return { path: 'decision', body: { outcome: 'approved', reason: 'alle Voraussetzungen erfüllt', expectedVersion } };
      case 'refuse':
        return { path: 'decision', body: { outcome: 'refused', reason: 'Voraussetzungen nicht erfüllt', refusalFeeEuro: 100, expectedVersion } };
      case 'withdraw':
        return { path: 'decision', body: { outcome: 'withdrawn', reason: 'Rücknahme', refusalFeeEuro: 25, expectedVersion } };
      case 'schedule_appointment':
        // Later today: the handover may not lie before the appointment's day.
        return { path: 'appointment', body: { at: new Date(Date.now() + 60_000).toISOString(), place: 'Rathaus, Saal 2', expectedVersion } };
      case 'record_handover':
        return { path: 'handover', body: { handedOverOn: today(), expectedVersion } };
      case 'suspend':
        return { path: 'suspension', body: { reason: 'Ermittlungsverfahren anhängig', expectedVersion } };
      case 'resume':
        return { path: 'resumption', body: { expectedVersion } };
      case 'reassign':
        return { path: 'assignment', body: { assignee: 'clerk.b@example.org', expectedVersion } };
    }
  }

  async function view(id: string) {
    return (await system.request('GET', `${base}/${id}`)).body;
  }

  const decisions: ProcedureAction[] = ['approve', 'refuse', 'withdraw'];
  /** Four eyes: the default clerk records the agency answers, so a second clerk proposes the decisions and a third confirms them. */
  const clerk = async (subject: string) => ({ authorization: `Bearer ${await system.tokenFor(['ebh_clerk'], 'koeln', subject)}` });

  async function act(id: string, action: ProcedureAction) {
    const { version } = await view(id);
    const request = requestFor(action, version);
    return system.request('POST', `${base}/${id}/${request.path}`, request.body, decisions.includes(action) ? await clerk('ebh_clerk-2') : {});
  }

  async function confirm(id: string) {
    const { version, details } = await view(id);
    return system.request('POST', `${base}/${id}/decision/confirmation`, { expectedVersion: version, proposalId: details.decisionProposal?.id }, await clerk('ebh_clerk-3'));
  }

  async function register(email: string): Promise<string> {
    const created = await system.request('POST', base, validApplicationBody({ applicant: { ...validApplicationBody().applicant, email } }));
    expect(created.status).toBe(201);
    for (let i = 0; i < 100; i++) {
      if ((await view(created.body.id)).stage === 'completeness_check') return created.body.id;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('the case did not reach completeness_check');
  }

  /**
   * Every action the table refuses in the case's present situation: 409 with the table's code, and
   * the case exactly as before. Returns the refused actions, so a test can say which it expected.
   */
  async function expectRefusalsAsTabled(id: string, situation: Omit<ProcedureSituation, 'stage'>): Promise<string[]> {
    const before = await view(id);
    const refused: string[] = [];
    for (const action of procedureActions) {
      const permission = determineActionPermission({ ...situation, stage: before.stage }, action);
      if (permission.allowed) continue;
      const response = await act(id, action);
      expect({ action, status: response.status, code: response.body.code }).toEqual({ action, status: 409, code: permission.refusal });
      refused.push(`${action}:${permission.refusal.replace('naturalisation.', '')}`);
    }
    expect(await view(id)).toEqual(before);
    return refused;
  }

  const fresh = { suspended: false, decided: false, appointmentScheduled: false, documentDeadlineExpired: false };

  test('from intake to handover: at each stage, what the table refuses is refused, including a decision while suspended and a handover before the appointment', async () => {
    const id = await register('table@example.org');

    expect(await expectRefusalsAsTabled(id, fresh)).toEqual([
      'record_documents:wrong_stage', 'extend_document_deadline:wrong_stage', 'record_inquiry_answer:wrong_stage', 'approve:wrong_stage',
      'refuse:wrong_stage', 'schedule_appointment:wrong_stage', 'record_handover:wrong_stage', 'resume:not_suspended',
    ]);

    // Suspended (§ 12a Abs. 3 StAG): no decision, no check; a second suspension neither.
    expect((await act(id, 'suspend')).status).toBe(200);
    expect(await expectRefusalsAsTabled(id, { ...fresh, suspended: true })).toEqual(expect.arrayContaining(['approve:suspended', 'refuse:suspended', 'complete_check:suspended', 'suspend:suspended']));
    expect((await act(id, 'resume')).status).toBe(200);

    expect((await act(id, 'complete_check')).body.stage).toBe('inquiries');
    expect(await expectRefusalsAsTabled(id, fresh)).toEqual(expect.arrayContaining(['approve:inquiry_open', 'refuse:inquiry_open', 'schedule_appointment:wrong_stage', 'record_handover:wrong_stage']));

    const answered = await act(id, 'record_inquiry_answer');
    expect(answered.status).toBe(200);
    const { version } = await view(id);
    const second = await system.request('POST', `${base}/${id}/inquiry-answers`, { inquiry: 'register_extract', result: 'no_findings', answeredOn: today(), expectedVersion: version });
    expect(second.body.stage).toBe('decision');

    // In the decision stage: an inquiry answer, an appointment and a handover are out of place.
    expect(await expectRefusalsAsTabled(id, fresh)).toEqual([
      'complete_check:wrong_stage', 'record_documents:wrong_stage', 'extend_document_deadline:wrong_stage', 'record_inquiry_answer:wrong_stage',
      'schedule_appointment:wrong_stage', 'record_handover:wrong_stage', 'resume:not_suspended',
    ]);
    // A decision while suspended, in the decision stage itself.
    expect((await act(id, 'suspend')).status).toBe(200);
    expect(await expectRefusalsAsTabled(id, { ...fresh, suspended: true })).toEqual(expect.arrayContaining(['approve:suspended', 'refuse:suspended']));
    expect((await act(id, 'resume')).status).toBe(200);

    // An approval rests on an eligibility evaluation of the decision day.
    const applicationFiledOn = (await view(id)).filedOn;
    expect((await system.request('POST', `/api/v1/naturalisation/applications/${id}/eligibility-checks`, { facts: makeFacts({ applicationFiledOn }) })).body.overall).toBe('eligible');
    const proposed = await act(id, 'approve');
    expect(proposed.body).toMatchObject({ stage: 'decision', details: { decisionProposal: { outcome: 'approved', proposedBy: 'ebh_clerk-2' } } });
    const approved = await confirm(id);
    expect(approved.body.stage).toBe('certificate');
    // The handover before an appointment; a second decision; a suspension of a decided case.
    expect(await expectRefusalsAsTabled(id, { ...fresh, decided: true })).toEqual(expect.arrayContaining([
      'record_handover:no_appointment', 'approve:already_decided', 'withdraw:already_decided', 'suspend:already_decided', 'record_inquiry_answer:wrong_stage',
    ]));

    expect((await act(id, 'schedule_appointment')).status).toBe(200);
    const handedOver = await act(id, 'record_handover');
    expect(handedOver.body.stage).toBe('closed');
    expect(handedOver.body.details.naturalisedOn).toBe(today());
  });

  test('waiting for documents: no decision before the deadline has expired, no inquiry answer, no appointment', async () => {
    const id = await register('documents@example.org');
    const { version } = await view(id);
    const requested = await system.request('POST', `${base}/${id}/completeness-check`, { checklist: [{ type: 'passport', status: 'missing' }], expectedVersion: version });
    expect(requested.body.stage).toBe('waiting_for_documents');
    expect(await expectRefusalsAsTabled(id, fresh)).toEqual([
      'complete_check:wrong_stage', 'record_inquiry_answer:wrong_stage', 'approve:wrong_stage', 'refuse:wrong_stage',
      'schedule_appointment:wrong_stage', 'record_handover:wrong_stage', 'resume:not_suspended',
    ]);
    expect((await act(id, 'suspend')).status).toBe(200);
    expect(await expectRefusalsAsTabled(id, { ...fresh, suspended: true })).toEqual(expect.arrayContaining(['record_documents:suspended', 'approve:suspended']));
  });
});

describe("statistics are scoped to the caller's authority; an expired token is refused", () => {
  let system: Awaited<ReturnType<typeof startSystem>>;

  beforeAll(async () => {
    system = await startSystem();
  });
  afterAll(async () => {
    await system?.stop();
  });

  async function registerAndWait(authorityId: string, email: string) {
    const token = await system.tokenFor(['ebh_clerk'], authorityId, `clerk-${authorityId}`);
    const headers = { authorization: `Bearer ${token}` };
    const created = await system.request('POST', base, validApplicationBody({ applicant: { ...validApplicationBody().applicant, email } }), headers);
    expect(created.status).toBe(201);
    for (let i = 0; i < 100; i++) {
      if ((await system.request('GET', `${base}/${created.body.id}`, undefined, headers)).body.stage === 'completeness_check') return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('the case did not reach completeness_check');
  }

  test("a coordinator counts only their own authority's cases", async () => {
    await registerAndWait('koeln', 'k1@example.org');
    await registerAndWait('koeln', 'k2@example.org');
    await registerAndWait('bonn', 'b1@example.org');
    const figures = async (authorityId: string) => {
      const token = await system.tokenFor(['coordinator'], authorityId, `coordinator-${authorityId}`);
      return (await system.request('GET', '/api/v1/statistics/naturalisation', undefined, { authorization: `Bearer ${token}` })).body;
    };
    expect(await figures('koeln')).toMatchObject({ authorityId: 'koeln', total: 2, byStage: { completeness_check: 2 } });
    expect(await figures('bonn')).toMatchObject({ authorityId: 'bonn', total: 1, byStage: { completeness_check: 1 } });
    expect(await figures('duisburg')).toMatchObject({ authorityId: 'duisburg', total: 0, byStage: {} });
  });

  test('an expired token gets 401 (invalid_token), and the attempt is audited', async () => {
    const expired = await system.tokenFor(['ebh_clerk'], 'koeln', 'clerk-expired', { expiresIn: '5 minutes ago' });
    const valid = await system.tokenFor(['ebh_clerk'], 'koeln', 'clerk-valid', { expiresIn: '5 minutes' });
    const path = `${base}/00000000-0000-4000-8000-000000000000`;
    const refused = await system.request('GET', path, undefined, { authorization: `Bearer ${expired}` });
    expect(refused.status).toBe(401);
    expect(refused.body.code).toBe('auth.invalid_token');
    expect(refused.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    // One generic title: what was wrong with the token goes to the audit trail only.
    expect(refused.body.title).toBe('invalid token');
    // The same token, but not expired, is let through (and finds no such case).
    expect((await system.request('GET', path, undefined, { authorization: `Bearer ${valid}` })).status).toBe(404);
    const { rows } = await system.db.pool.query("SELECT actor, outcome, detail->>'reason' AS reason FROM audit_log WHERE action = 'naturalisation.application.view' AND outcome = 'refused' AND actor = 'anonymous'");
    expect(rows).toEqual([{ actor: 'anonymous', outcome: 'refused', reason: expect.stringMatching(/exp/) }]);
  });
});
