import type { LocalizedText } from './criterion';

/**
 * What a clerk may do to a naturalisation application in each stage of its procedure (workflow
 * version 2), as data: stage × action → allowed, or refused with a code and a reason in German
 * and English. The workflow's update validators enforce it; the API names the refusal (409).
 * What depends on the request itself (a stale version, a date in the past, an empty checklist,
 * a fee outside the range) is checked by the validators beside this table.
 */

// Implementation choices:
// - The table covers the stages of version 2 (`received` … `closed`); cases still running the
//   first version (`in_progress`, `decided`) take only a decision, as before.
// - Besides the stage, an action may depend on the case's situation (suspended, decided, an
//   appointment scheduled, the document deadline expired). Those conditions are named per
//   action, in the order the validators check them: `before` the stage, or `after` it (so a
//   decision while suspended is refused as suspended whatever the stage, but a completeness
//   check in the wrong stage is refused for the stage first).

export const procedureStages = ['received', 'completeness_check', 'waiting_for_documents', 'inquiries', 'decision', 'certificate', 'closed'] as const;
export type ProcedureStage = (typeof procedureStages)[number];

/** The clerk actions (one workflow update each; a decision is three, by outcome). */
export const procedureActions = [
  'complete_check',
  'record_documents',
  'extend_document_deadline',
  'record_inquiry_answer',
  'approve',
  'refuse',
  'withdraw',
  'schedule_appointment',
  'record_handover',
  'suspend',
  'resume',
  'reassign',
] as const;
export type ProcedureAction = (typeof procedureActions)[number];

/** The refusal codes of the table (the API answers them as 409). */
export type ProcedureRefusal =
  | 'naturalisation.case_closed'
  | 'naturalisation.wrong_stage'
  | 'naturalisation.inquiry_open'
  | 'naturalisation.suspended'
  | 'naturalisation.not_suspended'
  | 'naturalisation.already_decided'
  | 'naturalisation.no_appointment';

export type ProcedurePermission = { readonly allowed: true } | { readonly allowed: false; readonly refusal: ProcedureRefusal; readonly reason: LocalizedText };

/** The situation of a case beside its stage, as far as the table depends on it. */
export interface ProcedureSituation {
  readonly stage: ProcedureStage;
  readonly suspended: boolean;
  readonly decided: boolean;
  readonly appointmentScheduled: boolean;
  readonly documentDeadlineExpired: boolean;
}

/** A condition an action needs, beside its stage, and the refusal when it does not hold. */
export type ProcedureCondition = 'not_suspended' | 'suspended' | 'not_decided' | 'appointment_scheduled' | 'document_deadline_expired';

const allowed: ProcedurePermission = Object.freeze({ allowed: true });

function refused(refusal: ProcedureRefusal, de: string, en: string): ProcedurePermission {
  return Object.freeze({ allowed: false, refusal, reason: Object.freeze({ de, en }) });
}

const stageNames: Readonly<Record<ProcedureStage, LocalizedText>> = {
  received: { de: 'Eingang', en: 'received' },
  completeness_check: { de: 'Vollständigkeitsprüfung', en: 'completeness check' },
  waiting_for_documents: { de: 'Unterlagen angefordert', en: 'waiting for documents' },
  inquiries: { de: 'Anfragen bei anderen Behörden', en: 'inquiries to other agencies' },
  decision: { de: 'Entscheidung', en: 'decision' },
  certificate: { de: 'Urkunde', en: 'certificate' },
  closed: { de: 'abgeschlossen', en: 'closed' },
};

/** Refused for the stage: names the stages where the action is possible. */
function refuseForStage(stage: ProcedureStage, only: readonly ProcedureStage[]): ProcedurePermission {
  return refused(
    'naturalisation.wrong_stage',
    `Im Stand „${stageNames[stage].de}“ nicht möglich (nur: ${only.map((s) => stageNames[s].de).join(', ')}).`,
    `Not possible in stage ${stageNames[stage].en} (only: ${only.map((s) => stageNames[s].en).join(', ')}).`,
  );
}

/** The stages (other than `closed`) an action is allowed in; everywhere else it is refused as below. */
const allowedStages: Readonly<Record<ProcedureAction, readonly ProcedureStage[]>> = {
  complete_check: ['completeness_check'],
  record_documents: ['waiting_for_documents'],
  extend_document_deadline: ['waiting_for_documents'],
  record_inquiry_answer: ['inquiries'],
  approve: ['decision'],
  // A refusal on the record (§ 31 VwVfG NRW deadline passed without the documents) is possible
  // while waiting for documents, once the deadline has expired (see `conditions`).
  refuse: ['decision', 'waiting_for_documents'],
  withdraw: ['received', 'completeness_check', 'waiting_for_documents', 'inquiries', 'decision', 'certificate'],
  schedule_appointment: ['certificate'],
  record_handover: ['certificate'],
  suspend: ['received', 'completeness_check', 'waiting_for_documents', 'inquiries', 'decision', 'certificate'],
  resume: ['received', 'completeness_check', 'waiting_for_documents', 'inquiries', 'decision', 'certificate'],
  reassign: ['received', 'completeness_check', 'waiting_for_documents', 'inquiries', 'decision', 'certificate'],
};

function determineStagePermission(stage: ProcedureStage, action: ProcedureAction): ProcedurePermission {
  if (stage === 'closed') return refused('naturalisation.case_closed', 'Der Fall ist abgeschlossen.', 'The case is closed.');
  if (allowedStages[action].includes(stage)) return allowed;
  // § 37 Abs. 5 StAG, § 41 BZRG: no decision while an inquiry to another agency is open.
  if ((action === 'approve' || action === 'refuse') && stage === 'inquiries') {
    return refused(
      'naturalisation.inquiry_open',
      'Keine Entscheidung, solange eine Anfrage bei einer anderen Behörde offen ist.',
      'No decision while an inquiry to another agency is open.',
    );
  }
  return refuseForStage(stage, allowedStages[action]);
}

/**
 * The table, stage × action → allowed or refused (with its code and reason), for a case that is
 * neither suspended nor decided: the stage alone. `conditions` adds what the situation can change.
 */
export const procedureTable: Readonly<Record<ProcedureStage, Readonly<Record<ProcedureAction, ProcedurePermission>>>> = Object.freeze(
  Object.fromEntries(
    procedureStages.map((stage) => [stage, Object.freeze(Object.fromEntries(procedureActions.map((action) => [action, determineStagePermission(stage, action)])))]),
  ) as Record<ProcedureStage, Record<ProcedureAction, ProcedurePermission>>,
);

/**
 * The conditions each action needs beside its stage, checked `before` or `after` the stage (in
 * the validators' order):
 * - no decision, no completeness check and no documents recorded while the procedure is
 *   suspended (§ 12a Abs. 3 StAG: a pending investigation suspends the decision); a withdrawal
 *   is always possible;
 * - one decision per case; a decided case is not suspended;
 * - the handover (§ 16 StAG) needs a scheduled appointment;
 * - a refusal while waiting for documents needs the document deadline to have expired.
 */
export const procedureConditions: Readonly<Record<ProcedureAction, { readonly before: readonly ProcedureCondition[]; readonly after: readonly ProcedureCondition[] }>> = {
  complete_check: { before: [], after: ['not_suspended'] },
  record_documents: { before: [], after: ['not_suspended'] },
  extend_document_deadline: { before: [], after: [] },
  record_inquiry_answer: { before: [], after: [] },
  approve: { before: ['not_decided', 'not_suspended'], after: [] },
  refuse: { before: ['not_decided', 'not_suspended'], after: [] },
  withdraw: { before: ['not_decided'], after: [] },
  schedule_appointment: { before: [], after: [] },
  record_handover: { before: [], after: ['appointment_scheduled'] },
  suspend: { before: ['not_suspended', 'not_decided'], after: [] },
  resume: { before: ['suspended'], after: [] },
  reassign: { before: [], after: [] },
};

function checkCondition(condition: ProcedureCondition, action: ProcedureAction, situation: ProcedureSituation): ProcedurePermission {
  switch (condition) {
    case 'not_suspended':
      return !situation.suspended
        ? allowed
        : action === 'suspend'
          ? refused('naturalisation.suspended', 'Das Verfahren ruht bereits.', 'The procedure is already suspended.')
          : refused('naturalisation.suspended', 'Das Verfahren ruht; zuerst fortsetzen.', 'The procedure is suspended; resume it first.');
    case 'suspended':
      return situation.suspended ? allowed : refused('naturalisation.not_suspended', 'Das Verfahren ruht nicht.', 'The procedure is not suspended.');
    case 'not_decided':
      return !situation.decided ? allowed : refused('naturalisation.already_decided', 'Eine Entscheidung ist bereits erfasst.', 'A decision has already been recorded.');
    case 'appointment_scheduled':
      return situation.appointmentScheduled
        ? allowed
        : refused('naturalisation.no_appointment', 'Zuerst den Termin zur Aushändigung vereinbaren.', 'Schedule the handover appointment first.');
    case 'document_deadline_expired':
      return situation.documentDeadlineExpired
        ? allowed
        : refused(
            'naturalisation.wrong_stage',
            'Eine Ablehnung vor der Entscheidungsreife nur, wenn die Frist für die Unterlagen abgelaufen ist.',
            'A refusal before the decision stage only once the deadline for the documents has expired.',
          );
  }
}

/**
 * Whether `action` is allowed in `situation`: a closed case takes nothing; then the action's
 * `before` conditions, its stage (the table), the conditions of its stage's cell, and its `after`
 * conditions — the first refusal is the answer.
 */
export function determineActionPermission(situation: ProcedureSituation, action: ProcedureAction): ProcedurePermission {
  if (situation.stage === 'closed') return procedureTable.closed[action];
  const conditions = procedureConditions[action];
  const stageConditions: ProcedureCondition[] = action === 'refuse' && situation.stage === 'waiting_for_documents' ? ['document_deadline_expired'] : [];
  for (const condition of conditions.before) {
    const permission = checkCondition(condition, action, situation);
    if (!permission.allowed) return permission;
  }
  const byStage = procedureTable[situation.stage][action];
  if (!byStage.allowed) return byStage;
  for (const condition of [...stageConditions, ...conditions.after]) {
    const permission = checkCondition(condition, action, situation);
    if (!permission.allowed) return permission;
  }
  return allowed;
}
