import {
  determineActionPermission,
  procedureActions,
  procedureStages,
  procedureTable,
  type ProcedureAction,
  type ProcedureSituation,
  type ProcedureStage,
} from '../../domain/naturalisation/procedure';

/**
 * The procedure's table, stage × action, written out by hand from the stages of the README (and
 * the workflow's validators): `ok` allowed; otherwise the refusal code without its prefix.
 */
const expected: Record<ProcedureStage, Record<ProcedureAction, string>> = {
  //                    check           documents       extend          answer          approve         refuse          withdraw  appointment     handover        suspend  resume  reassign
  received:             { complete_check: 'wrong_stage', record_documents: 'wrong_stage', extend_document_deadline: 'wrong_stage', record_inquiry_answer: 'wrong_stage', approve: 'wrong_stage', refuse: 'wrong_stage', withdraw: 'ok', schedule_appointment: 'wrong_stage', record_handover: 'wrong_stage', suspend: 'ok', resume: 'ok', reassign: 'ok' },
  completeness_check:   { complete_check: 'ok', record_documents: 'wrong_stage', extend_document_deadline: 'wrong_stage', record_inquiry_answer: 'wrong_stage', approve: 'wrong_stage', refuse: 'wrong_stage', withdraw: 'ok', schedule_appointment: 'wrong_stage', record_handover: 'wrong_stage', suspend: 'ok', resume: 'ok', reassign: 'ok' },
  waiting_for_documents: { complete_check: 'wrong_stage', record_documents: 'ok', extend_document_deadline: 'ok', record_inquiry_answer: 'wrong_stage', approve: 'wrong_stage', refuse: 'ok', withdraw: 'ok', schedule_appointment: 'wrong_stage', record_handover: 'wrong_stage', suspend: 'ok', resume: 'ok', reassign: 'ok' },
  inquiries:            { complete_check: 'wrong_stage', record_documents: 'wrong_stage', extend_document_deadline: 'wrong_stage', record_inquiry_answer: 'ok', approve: 'inquiry_open', refuse: 'inquiry_open', withdraw: 'ok', schedule_appointment: 'wrong_stage', record_handover: 'wrong_stage', suspend: 'ok', resume: 'ok', reassign: 'ok' },
  decision:             { complete_check: 'wrong_stage', record_documents: 'wrong_stage', extend_document_deadline: 'wrong_stage', record_inquiry_answer: 'wrong_stage', approve: 'ok', refuse: 'ok', withdraw: 'ok', schedule_appointment: 'wrong_stage', record_handover: 'wrong_stage', suspend: 'ok', resume: 'ok', reassign: 'ok' },
  certificate:          { complete_check: 'wrong_stage', record_documents: 'wrong_stage', extend_document_deadline: 'wrong_stage', record_inquiry_answer: 'wrong_stage', approve: 'wrong_stage', refuse: 'wrong_stage', withdraw: 'ok', schedule_appointment: 'ok', record_handover: 'ok', suspend: 'ok', resume: 'ok', reassign: 'ok' },
  closed:               { complete_check: 'case_closed', record_documents: 'case_closed', extend_document_deadline: 'case_closed', record_inquiry_answer: 'case_closed', approve: 'case_closed', refuse: 'case_closed', withdraw: 'case_closed', schedule_appointment: 'case_closed', record_handover: 'case_closed', suspend: 'case_closed', resume: 'case_closed', reassign: 'case_closed' },
};

const verdict = (permission: { allowed: boolean; refusal?: string }) => (permission.allowed ? 'ok' : permission.refusal!.replace('naturalisation.', ''));

describe('the naturalisation procedure table (stage × action)', () => {
  test('it covers every stage and every action', () => {
    expect(Object.keys(procedureTable).sort()).toEqual([...procedureStages].sort());
    for (const stage of procedureStages) expect(Object.keys(procedureTable[stage]).sort()).toEqual([...procedureActions].sort());
  });

  test.each(procedureStages.flatMap((stage) => procedureActions.map((action) => [stage, action, expected[stage][action]] as const)))(
    'in stage %s, %s: %s',
    (stage, action, outcome) => {
      const permission = procedureTable[stage][action];
      expect(verdict(permission)).toBe(outcome);
      if (!permission.allowed) {
        expect(permission.reason.de.length).toBeGreaterThan(10);
        expect(permission.reason.en.length).toBeGreaterThan(10);
      }
    },
  );

  test('a wrong stage names where the action is possible, in German and English', () => {
    const permission = procedureTable.completeness_check.record_handover;
    expect(permission).toEqual({
      allowed: false,
      refusal: 'naturalisation.wrong_stage',
      reason: { de: 'Im Stand „Vollständigkeitsprüfung“ nicht möglich (nur: Urkunde).', en: 'Not possible in stage completeness check (only: certificate).' },
    });
  });
});

describe('the situation beside the stage (in the order the validators check)', () => {
  const base: ProcedureSituation = { stage: 'decision', suspended: false, decided: false, appointmentScheduled: false, documentDeadlineExpired: false };
  const at = (changes: Partial<ProcedureSituation>) => ({ ...base, ...changes });

  test.each([
    // § 12a Abs. 3 StAG: no decision while suspended — whatever the stage; a withdrawal still is possible.
    [at({ suspended: true }), 'approve', 'suspended'],
    [at({ suspended: true }), 'refuse', 'suspended'],
    [at({ stage: 'inquiries', suspended: true }), 'approve', 'suspended'],
    [at({ stage: 'completeness_check', suspended: true }), 'approve', 'suspended'],
    [at({ suspended: true }), 'withdraw', 'ok'],
    // While suspended, the check and the documents wait too; for them the stage is checked first.
    [at({ stage: 'completeness_check', suspended: true }), 'complete_check', 'suspended'],
    [at({ stage: 'decision', suspended: true }), 'complete_check', 'wrong_stage'],
    [at({ stage: 'waiting_for_documents', suspended: true }), 'record_documents', 'suspended'],
    [at({ stage: 'waiting_for_documents', suspended: true }), 'extend_document_deadline', 'ok'],
    // One decision; a decided case is not suspended; the decision outranks the stage.
    [at({ stage: 'certificate', decided: true }), 'approve', 'already_decided'],
    [at({ stage: 'certificate', decided: true }), 'withdraw', 'already_decided'],
    [at({ stage: 'certificate', decided: true }), 'suspend', 'already_decided'],
    [at({ stage: 'certificate', decided: true, suspended: true }), 'approve', 'already_decided'],
    [at({ suspended: true, decided: true }), 'suspend', 'suspended'],
    [at({}), 'resume', 'not_suspended'],
    [at({ suspended: true }), 'resume', 'ok'],
    // § 16 StAG: the handover needs an appointment.
    [at({ stage: 'certificate', decided: true }), 'record_handover', 'no_appointment'],
    [at({ stage: 'certificate', decided: true, appointmentScheduled: true }), 'record_handover', 'ok'],
    [at({ stage: 'certificate', decided: true }), 'schedule_appointment', 'ok'],
    // A refusal on the record once the document deadline has expired; not an approval.
    [at({ stage: 'waiting_for_documents' }), 'refuse', 'wrong_stage'],
    [at({ stage: 'waiting_for_documents', documentDeadlineExpired: true }), 'refuse', 'ok'],
    [at({ stage: 'waiting_for_documents', documentDeadlineExpired: true }), 'approve', 'wrong_stage'],
    // A closed case takes nothing.
    [at({ stage: 'closed', decided: true }), 'reassign', 'case_closed'],
    [at({ stage: 'closed', suspended: true }), 'resume', 'case_closed'],
  ] as const)('%o, %s: %s', (situation, action, outcome) => {
    expect(verdict(determineActionPermission(situation, action))).toBe(outcome);
  });

  test('for a case neither suspended nor decided (with an appointment and an expired deadline), the answer is the table\'s — but for resuming, which needs a suspended case', () => {
    for (const stage of procedureStages) {
      for (const action of procedureActions.filter((a) => a !== 'resume')) {
        const situation = { stage, suspended: false, decided: false, appointmentScheduled: true, documentDeadlineExpired: true };
        expect([stage, action, determineActionPermission(situation, action)]).toEqual([stage, action, procedureTable[stage][action]]);
      }
    }
  });
});
