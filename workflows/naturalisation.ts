import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  patched,
  proxyActivities,
  setHandler,
} from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import type * as activityTypes from '../activities';
import { startOfDayInBerlin, toBerlinLocalDate } from '../domain/calendar/berlinTime';
import { addDays, compareLocalDates } from '../domain/calendar/localDate';
import { firstDayAfter } from '../domain/calendar/periods';
import type { ApplicantLetterRequest, StaffNoticeRequest } from '../domain/letters/naturalisationLetters';
import {
  assessCompleteness,
  determineDocumentDeadline,
  determineReminderDay,
  type ChecklistItem,
} from '../domain/naturalisation/completeness';
import { determineFee } from '../domain/naturalisation/fees';
import { determineInactionDeadline, determineWarningInstants, type InactionDeadline } from '../domain/naturalisation/inactionDeadline';
import { inquiryKinds, naturalisationDecisions, type NaturalisationFlag } from '../domain/naturalisation/stages';
import {
  completeCheckUpdate,
  defaultProcedureSettings,
  extendDocumentDeadlineUpdate,
  getNaturalisationStateQuery,
  naturalisationWorkflowId,
  reassignUpdate,
  recordDecisionUpdate,
  recordDocumentsUpdate,
  recordHandoverUpdate,
  recordInquiryAnswerUpdate,
  resumeUpdate,
  scheduleAppointmentUpdate,
  suspendUpdate,
  taskQueues,
  type NaturalisationState,
  type NaturalisationWorkflowInput,
  type RecordDecisionRequest,
} from './naturalisationDefinitions';

type Activities = ReturnType<typeof activityTypes.createActivities>;

// Short database work: quick retries.
const { recordCaseProjection, enqueueApplicantMessage, enqueueTeamMessage, enqueueApplicantLetter, enqueueStaffNotice } =
  proxyActivities<Activities>({
    startToCloseTimeout: '30 seconds',
    retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
  });

// SMTP delivery: its own task queue; heartbeats so a dead worker is noticed within seconds; retried
// with backoff for as long as the mail server is down.
const { deliverMessage } = proxyActivities<Activities>({
  taskQueue: taskQueues.messages,
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '10 seconds',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

/**
 * Version 2 of the workflow's logic: the procedure stages (completeness check, document
 * requests, inquiries, decision, certificate). Applications started before it keep running the
 * first version to their end; `patched` tells which one a history belongs to.
 */
export const procedureStagesPatch = 'naturalisation-procedure-stages';

const hour = 3_600_000;

function refuse(type: string, message: string): never {
  throw ApplicationFailure.create({ type, message, nonRetryable: true });
}

/**
 * One naturalisation application (EBH), from intake to the handover of the certificate. Runs
 * the § 75 Satz 2 VwGO clock beside the procedure: warnings to the assigned clerk and the team
 * lead at the configured lead times, then the "lawsuit possible" flag, unless decided first.
 */
export async function naturalisationApplication(input: NaturalisationWorkflowInput): Promise<NaturalisationState> {
  const procedureV2 = patched(procedureStagesPatch);
  const deadline = determineInactionDeadline(input.filedOn);
  const state: NaturalisationState = {
    applicationId: input.applicationId,
    stage: 'received',
    version: 1,
    flags: [],
    deadlines: { inactionPeriodEndsOn: deadline.periodEndsOn, lawsuitPossibleFrom: deadline.lawsuitPossibleFrom },
  };
  setHandler(getNaturalisationStateQuery, () => state);
  if (!procedureV2) return runFirstVersion(input, state, deadline);
  return runProcedure(input, state, deadline);
}

// ---------------------------------------------------------------------------------------------
// Version 1: intake, acknowledgement, the § 75 clock and a decision. Kept unchanged for the
// applications that started with it (proved by the replay test over recorded histories).

async function runFirstVersion(input: NaturalisationWorkflowInput, state: NaturalisationState, deadline: InactionDeadline) {
  setHandler(
    recordDecisionUpdate,
    async (request: RecordDecisionRequest) => {
      state.decision = { outcome: request.outcome, reason: request.reason, decidedBy: request.decidedBy, decidedAt: new Date(Date.now()).toISOString() };
      state.stage = 'decided';
      state.version += 1;
      await project();
      return state;
    },
    { validator: (request: RecordDecisionRequest) => validateFirstVersionDecision(state, request) },
  );

  const project = () =>
    recordCaseProjection({
      caseId: input.applicationId,
      caseType: 'naturalisation',
      authorityId: input.authorityId,
      workflowId: naturalisationWorkflowId(input.applicationId),
      version: state.version,
      stage: state.stage,
      waitingFor: state.stage === 'decided' ? null : 'authority',
      flags: state.flags,
      deadlines: { ...state.deadlines },
      decision: state.decision ? { ...state.decision } : null,
    });

  await project();

  const acknowledgementKey = `${input.applicationId}/acknowledgement/1`;
  await enqueueApplicantMessage({ messageKey: acknowledgementKey, applicationId: input.applicationId, kind: 'naturalisation.acknowledgement' });
  await deliverMessage(acknowledgementKey);
  if (state.stage === 'received') {
    state.stage = 'in_progress';
    state.version += 1;
    await project();
  }

  const warnings = determineWarningInstants(deadline, input.inactionWarningLeadTimesMs);
  for (const [index, warningAt] of warnings.entries()) {
    state.deadlines.nextWarningAt = new Date(warningAt).toISOString();
    const decided = await condition(() => state.decision !== undefined, Math.max(0, warningAt - Date.now()));
    if (decided) break;
    const key = `${input.applicationId}/inaction-warning/${index + 1}`;
    await enqueueTeamMessage({
      messageKey: key,
      applicationId: input.applicationId,
      kind: 'naturalisation.inaction_warning',
      lawsuitPossibleFrom: deadline.lawsuitPossibleFrom,
    });
    await deliverMessage(key);
    if (!state.flags.includes('inaction_warning_sent')) state.flags.push('inaction_warning_sent');
    state.version += 1;
    await project();
  }
  delete state.deadlines.nextWarningAt;

  const decidedInTime = await condition(() => state.decision !== undefined, Math.max(0, deadline.lawsuitPossibleAt - Date.now()));
  if (!decidedInTime) {
    state.flags.push('lawsuit_possible');
    state.version += 1;
    await project();
    await condition(() => state.decision !== undefined);
  }
  // The update handler may still be projecting the decision; finish only after it has.
  await condition(allHandlersFinished);
  return state;
}

function validateFirstVersionDecision(state: NaturalisationState, request: RecordDecisionRequest): void {
  if (state.decision !== undefined) refuse('naturalisation.already_decided', 'a decision has already been recorded');
  if (request.expectedVersion !== state.version) {
    refuse('naturalisation.version_conflict', `the case changed since it was read (version ${request.expectedVersion} was seen, it is now ${state.version})`);
  }
  if (!(naturalisationDecisions as readonly string[]).includes(request.outcome)) {
    refuse('naturalisation.invalid_decision', `unknown outcome ${request.outcome}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Version 2: the procedure.

async function runProcedure(input: NaturalisationWorkflowInput, state: NaturalisationState, deadline: InactionDeadline) {
  const settings = { ...defaultProcedureSettings, ...input.procedure };
  const id = input.applicationId;
  const today = () => toBerlinLocalDate(Date.now());
  const untilInstant = (instant: number) => Math.max(0, instant - Date.now());
  state.team = input.team ?? 'default';
  state.assignee = null;
  state.suspended = null;
  state.waitingFor = 'authority';
  state.inquiries = [];

  const nextDueAt = (): string | null => {
    const candidates: number[] = [];
    if (state.stage === 'waiting_for_documents' && state.documentRequest) candidates.push(startOfDayInBerlin(firstDayAfter(state.documentRequest.dueOn)));
    if (state.stage === 'inquiries') {
      for (const inquiry of state.inquiries ?? []) {
        if (!inquiry.answeredOn) candidates.push(startOfDayInBerlin(addDays(inquiry.sentOn, settings.inquiryFollowUpDays)));
      }
    }
    if (!state.decision) candidates.push(deadline.lawsuitPossibleAt);
    return candidates.length ? new Date(Math.min(...candidates)).toISOString() : null;
  };

  const project = () =>
    recordCaseProjection({
      caseId: id,
      caseType: 'naturalisation',
      authorityId: input.authorityId,
      workflowId: naturalisationWorkflowId(id),
      version: state.version,
      stage: state.stage,
      waitingFor: state.waitingFor ?? null,
      flags: state.flags,
      deadlines: { ...state.deadlines } as Record<string, string>,
      decision: state.decision ? { ...state.decision } : null,
      team: state.team,
      assignee: state.assignee ?? null,
      filedOn: input.filedOn,
      nextDueAt: nextDueAt(),
      suspended: Boolean(state.suspended),
      details: {
        checklist: state.checklist ?? [],
        documentRequest: state.documentRequest ?? null,
        inquiries: state.inquiries ?? [],
        appointment: state.appointment ?? null,
        suspension: state.suspended ?? null,
        naturalisedOn: state.naturalisedOn ?? null,
      },
    });

  const sendToApplicant = async (letter: ApplicantLetterRequest) => {
    const key = `${id}/${letter.kind}/${state.version}`;
    await enqueueApplicantLetter({ messageKey: key, applicationId: id, letter });
    await deliverMessage(key);
  };
  const sendToStaff = async (notice: StaffNoticeRequest, sequence: string) => {
    const key = `${id}/${notice.kind}/${sequence}`;
    await enqueueStaffNotice({ messageKey: key, applicationId: id, notice, assignee: state.assignee ?? null });
    await deliverMessage(key);
  };
  const addFlag = (flag: NaturalisationFlag) => {
    if (!state.flags.includes(flag)) state.flags.push(flag);
  };
  const removeFlag = (flag: NaturalisationFlag) => {
    state.flags = state.flags.filter((f) => f !== flag);
  };

  // Moves to the inquiries to other agencies: the security inquiry (§ 37 Abs. 5 StAG) and the
  // unrestricted federal register extract (§ 41 BZRG), recorded as sent today.
  const startInquiries = () => {
    state.stage = 'inquiries';
    state.waitingFor = 'other_agency';
    state.documentRequest = null;
    delete state.deadlines.documentsDueOn;
    removeFlag('document_deadline_expired');
    removeFlag('documents_outdated');
    state.inquiries = inquiryKinds.map((kind) => ({ kind, sentOn: today() }));
  };
  const requestDocuments = async (missing: string[], outdated: string[]) => {
    const requestedOn = today();
    const dueOn = determineDocumentDeadline(requestedOn, settings.documentDeadlineDays);
    state.stage = 'waiting_for_documents';
    state.waitingFor = 'applicant';
    state.documentRequest = {
      requestedOn,
      dueOn,
      reminderOn: determineReminderDay(requestedOn, dueOn, settings.documentReminderDaysBefore),
      reminderSent: false,
      missing,
      outdated,
    };
    state.deadlines.documentsDueOn = dueOn;
    if (outdated.length) addFlag('documents_outdated');
    await sendToApplicant({ kind: 'documents_requested', missing, outdated, deadline: dueOn });
  };

  /**
   * Registers a clerk action: the validator refuses a stale version, a closed case and whatever
   * `validate` refuses, before anything changes; the handler bumps the version at once (so a
   * second action on the same version is refused), applies the change, projects it and returns
   * the new state.
   */
  function registerAction<R extends { expectedVersion: number }>(
    definition: UpdateDefinition<NaturalisationState, [R]>,
    validate: (request: R) => void,
    apply: (request: R) => Promise<void> | void,
  ) {
    setHandler(
      definition,
      async (request: R) => {
        state.version += 1;
        await apply(request);
        await project();
        return state;
      },
      {
        validator: (request: R) => {
          if (request.expectedVersion !== state.version) {
            refuse('naturalisation.version_conflict', `the case changed since it was read (version ${request.expectedVersion} was seen, it is now ${state.version})`);
          }
          if (state.stage === 'closed') refuse('naturalisation.case_closed', 'the case is closed');
          validate(request);
        },
      },
    );
  }
  const requireStage = (...stages: NaturalisationState['stage'][]) => {
    if (!stages.includes(state.stage)) {
      refuse('naturalisation.wrong_stage', `not possible in stage ${state.stage} (only in ${stages.join(', ')})`);
    }
  };
  const requireNotSuspended = () => {
    if (state.suspended) refuse('naturalisation.suspended', `the procedure is suspended (${state.suspended.reason}); resume it first`);
  };

  registerAction(
    completeCheckUpdate,
    (r) => {
      requireStage('completeness_check');
      requireNotSuspended();
      if (r.checklist.length === 0) refuse('naturalisation.invalid_checklist', 'the checklist is empty');
    },
    async (r) => {
      state.checklist = r.checklist;
      state.assignee ??= r.actor;
      const assessment = assessCompleteness(r.checklist, today(), settings.maxDocumentAgeMonths);
      if (assessment.complete) startInquiries();
      else await requestDocuments(assessment.missing, assessment.outdated);
    },
  );

  registerAction(
    recordDocumentsUpdate,
    () => {
      requireStage('waiting_for_documents');
      requireNotSuspended();
    },
    (r) => {
      const received = new Map(r.received.map((item) => [item.type, item] as const));
      state.checklist = (state.checklist ?? []).map((item) => received.get(item.type) ?? item);
      for (const item of r.received) if (!state.checklist.some((c) => c.type === item.type)) state.checklist.push(item);
      const assessment = assessCompleteness(state.checklist, today(), settings.maxDocumentAgeMonths);
      if (assessment.complete) startInquiries();
      else state.documentRequest = { ...state.documentRequest!, missing: assessment.missing, outdated: assessment.outdated };
    },
  );

  registerAction(
    extendDocumentDeadlineUpdate,
    (r) => {
      requireStage('waiting_for_documents');
      if (compareLocalDates(r.dueOn, today()) <= 0) refuse('naturalisation.invalid_deadline', `the new deadline must lie after today (${today()})`);
    },
    (r) => {
      const request = state.documentRequest!;
      state.documentRequest = {
        ...request,
        dueOn: r.dueOn,
        reminderOn: determineReminderDay(today(), r.dueOn, settings.documentReminderDaysBefore),
        reminderSent: false,
      };
      state.deadlines.documentsDueOn = r.dueOn;
      state.waitingFor = 'applicant';
      removeFlag('document_deadline_expired');
    },
  );

  registerAction(
    recordInquiryAnswerUpdate,
    (r) => {
      requireStage('inquiries');
      const inquiry = state.inquiries?.find((i) => i.kind === r.inquiry);
      if (!inquiry) refuse('naturalisation.unknown_inquiry', `no inquiry ${r.inquiry} was sent`);
      if (inquiry.answeredOn) refuse('naturalisation.inquiry_answered', `the answer to ${r.inquiry} was already recorded`);
    },
    (r) => {
      const inquiry = state.inquiries!.find((i) => i.kind === r.inquiry)!;
      Object.assign(inquiry, { answeredOn: r.answeredOn, result: r.result, ...(r.note ? { note: r.note } : {}) });
      if (state.inquiries!.every((i) => i.answeredOn)) {
        state.stage = 'decision';
        state.waitingFor = 'authority';
        removeFlag('inquiry_overdue');
      }
    },
  );

  registerAction(
    recordDecisionUpdate,
    (r) => {
      if (!(naturalisationDecisions as readonly string[]).includes(r.outcome)) refuse('naturalisation.invalid_decision', `unknown outcome ${r.outcome}`);
      if (state.decision) refuse('naturalisation.already_decided', 'a decision has already been recorded');
      if (r.outcome !== 'withdrawn') {
        // § 12a Abs. 3 StAG: while a criminal investigation is pending, the decision is suspended.
        requireNotSuspended();
        if (state.stage === 'inquiries') refuse('naturalisation.inquiry_open', 'no decision while an inquiry to another agency is open');
        const onTheRecord = state.stage === 'waiting_for_documents' && state.flags.includes('document_deadline_expired') && r.outcome === 'refused';
        if (state.stage !== 'decision' && !onTheRecord) {
          refuse('naturalisation.wrong_stage', `no ${r.outcome} decision in stage ${state.stage}`);
        }
      }
      try {
        determineFee({ outcome: r.outcome, decidedOn: today(), minorChildrenNaturalisedWithApplicant: r.minorChildren, refusalFeeEuro: r.refusalFeeEuro });
      } catch (error) {
        refuse('naturalisation.invalid_fee', (error as Error).message);
      }
    },
    async (r) => {
      const fee = determineFee({ outcome: r.outcome, decidedOn: today(), minorChildrenNaturalisedWithApplicant: r.minorChildren, refusalFeeEuro: r.refusalFeeEuro });
      state.decision = {
        outcome: r.outcome,
        reason: r.reason,
        decidedBy: r.decidedBy,
        decidedAt: new Date(Date.now()).toISOString(),
        fee: { euro: fee.euro, basis: fee.basis },
      };
      state.documentRequest = null;
      state.stage = r.outcome === 'approved' ? 'certificate' : 'closed';
      state.waitingFor = r.outcome === 'approved' ? 'authority' : null;
      await sendToApplicant({ kind: 'decision', outcome: r.outcome, feeEuro: fee.euro });
    },
  );

  registerAction(
    scheduleAppointmentUpdate,
    (r) => {
      requireStage('certificate');
      if (!(Date.parse(r.at) > Date.now())) refuse('naturalisation.invalid_appointment', 'the appointment must lie in the future');
    },
    async (r) => {
      state.appointment = { at: r.at, place: r.place };
      state.waitingFor = 'applicant';
      await sendToApplicant({ kind: 'appointment', at: r.at, place: r.place });
    },
  );

  registerAction(
    recordHandoverUpdate,
    (r) => {
      requireStage('certificate');
      if (!state.appointment) refuse('naturalisation.no_appointment', 'schedule the handover appointment first');
      if (compareLocalDates(r.handedOverOn, today()) > 0) refuse('naturalisation.invalid_handover', 'the handover cannot lie in the future');
    },
    (r) => {
      // § 16 StAG: the naturalisation takes effect when the certificate is handed over.
      state.naturalisedOn = r.handedOverOn;
      state.stage = 'closed';
      state.waitingFor = null;
    },
  );

  registerAction(
    suspendUpdate,
    (r) => {
      if (state.suspended) refuse('naturalisation.suspended', 'the procedure is already suspended');
      if (state.decision) refuse('naturalisation.already_decided', 'a decided case is not suspended');
      if (!r.reason.trim()) refuse('naturalisation.invalid_reason', 'a reason is required');
    },
    (r) => {
      state.suspended = { reason: r.reason, since: today() };
    },
  );

  registerAction(
    resumeUpdate,
    () => {
      if (!state.suspended) refuse('naturalisation.not_suspended', 'the procedure is not suspended');
    },
    () => {
      state.suspended = null;
    },
  );

  registerAction(
    reassignUpdate,
    () => undefined,
    (r) => {
      state.assignee = r.assignee;
      if (r.team) state.team = r.team;
    },
  );

  await project();
  await sendToApplicant({ kind: 'acknowledgement', accessCode: input.accessCode });
  state.stage = 'completeness_check';
  state.version += 1;
  await project();

  const clock = runInactionClock();
  // Update handlers move the stage; TypeScript cannot see that, hence the getter.
  const currentStage = (): NaturalisationState['stage'] => state.stage;
  for (let stage = currentStage(); stage !== 'closed'; stage = currentStage()) {
    if (stage === 'waiting_for_documents') await superviseDocumentRequest();
    else if (stage === 'inquiries') await superviseInquiries();
    else await condition(() => state.stage !== stage);
  }
  await clock;
  await condition(allHandlersFinished);
  return state;

  /** The § 75 Satz 2 VwGO clock, beside the procedure, until a decision is recorded. */
  async function runInactionClock() {
    const decided = () => state.decision !== undefined || state.stage === 'closed';
    const warnings = determineWarningInstants(deadline, input.inactionWarningLeadTimesMs);
    for (const [index, warningAt] of warnings.entries()) {
      state.deadlines.nextWarningAt = new Date(warningAt).toISOString();
      if (await condition(decided, untilInstant(warningAt))) break;
      await sendToStaff({ kind: 'inaction_warning', lawsuitPossibleFrom: deadline.lawsuitPossibleFrom }, String(index + 1));
      addFlag('inaction_warning_sent');
      state.version += 1;
      await project();
    }
    delete state.deadlines.nextWarningAt;
    if (await condition(decided, untilInstant(deadline.lawsuitPossibleAt))) return;
    addFlag('lawsuit_possible');
    state.version += 1;
    await project();
  }

  /** Reminder before the document deadline; at expiry a clerk task (extend, or decide on the record). */
  async function superviseDocumentRequest() {
    const request = state.documentRequest!;
    const changed = () => state.stage !== 'waiting_for_documents' || state.documentRequest?.dueOn !== request.dueOn;
    if (!request.reminderSent) {
      if (await condition(changed, untilInstant(startOfDayInBerlin(request.reminderOn) + 8 * hour))) return;
      if (!state.suspended) {
        state.documentRequest = { ...state.documentRequest!, reminderSent: true };
        state.version += 1;
        const current = state.documentRequest;
        await sendToApplicant({ kind: 'documents_reminder', missing: current.missing, outdated: current.outdated, deadline: current.dueOn });
        await project();
      }
    }
    if (await condition(changed, untilInstant(startOfDayInBerlin(firstDayAfter(request.dueOn))))) return;
    addFlag('document_deadline_expired');
    state.waitingFor = 'authority';
    state.version += 1;
    await sendToStaff({ kind: 'document_deadline_expired', deadline: request.dueOn }, request.dueOn);
    await project();
    await condition(changed);
  }

  /** Follows up inquiries to other agencies left unanswered for the configured time. */
  async function superviseInquiries() {
    const sentOn = state.inquiries![0].sentOn;
    const followUpAt = startOfDayInBerlin(addDays(sentOn, settings.inquiryFollowUpDays)) + 8 * hour;
    if (await condition(() => state.stage !== 'inquiries', untilInstant(followUpAt))) return;
    const open = state.inquiries!.filter((i) => !i.answeredOn && !i.followedUp);
    if (open.length) {
      for (const inquiry of open) inquiry.followedUp = true;
      addFlag('inquiry_overdue');
      state.version += 1;
      for (const inquiry of open) await sendToStaff({ kind: 'inquiry_overdue', inquiry: inquiry.kind, sentOn: inquiry.sentOn }, `${inquiry.kind}-${sentOn}`);
      await project();
    }
    await condition(() => state.stage !== 'inquiries');
  }
}
