import { setHandler } from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import { toBerlinLocalDate } from '../../domain/calendar/berlinTime';
import { compareLocalDates } from '../../domain/calendar/localDate';
import { assessCompleteness } from '../../domain/naturalisation/completeness';
import { determineFee } from '../../domain/naturalisation/fees';
import { naturalisationDecisions } from '../../domain/naturalisation/stages';
import {
  completeCheckUpdate,
  confirmDecisionUpdate,
  extendDocumentDeadlineUpdate,
  proposeDecisionUpdate,
  reassignUpdate,
  recordDecisionUpdate,
  recordDocumentsUpdate,
  recordHandoverUpdate,
  recordInquiryAnswerUpdate,
  resumeUpdate,
  scheduleAppointmentUpdate,
  sendAccessCodeUpdate,
  suspendUpdate,
  type NaturalisationState,
  type RecordDecisionRequest,
} from '../naturalisationDefinitions';
import { determineReminderDay } from '../../domain/naturalisation/completeness';
import { accessCodePlaceholder } from '../../domain/letters/naturalisationLetters';
import { refuse } from './activities';
import type { ProcedureContext } from './context';

/**
 * The clerk actions of the procedure, each an update of the case's workflow. Registered before
 * the first await, so an update that arrives with the workflow's start finds its handler.
 */
export function registerClerkActions(ctx: ProcedureContext): void {
  const { state } = ctx;
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
        await ctx.project();
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
      const assessment = assessCompleteness(r.checklist, ctx.today(), ctx.settings.maxDocumentAgeMonths);
      if (assessment.complete) ctx.startInquiries();
      else await ctx.requestDocuments(assessment.missing, assessment.outdated);
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
      const assessment = assessCompleteness(state.checklist, ctx.today(), ctx.settings.maxDocumentAgeMonths);
      if (assessment.complete) ctx.startInquiries();
      else state.documentRequest = { ...state.documentRequest!, missing: assessment.missing, outdated: assessment.outdated };
    },
  );

  registerAction(
    extendDocumentDeadlineUpdate,
    (r) => {
      requireStage('waiting_for_documents');
      if (compareLocalDates(r.dueOn, ctx.today()) <= 0) refuse('naturalisation.invalid_deadline', `the new deadline must lie after today (${ctx.today()})`);
    },
    (r) => {
      const request = state.documentRequest!;
      state.documentRequest = {
        ...request,
        dueOn: r.dueOn,
        reminderOn: determineReminderDay(ctx.today(), r.dueOn, ctx.settings.documentReminderDaysBefore),
        reminderSent: false,
      };
      state.deadlines.documentsDueOn = r.dueOn;
      state.waitingFor = 'applicant';
      ctx.removeFlag('document_deadline_expired');
    },
  );

  registerAction(
    recordInquiryAnswerUpdate,
    (r) => {
      requireStage('inquiries');
      const inquiry = state.inquiries?.find((i) => i.kind === r.inquiry);
      if (!inquiry) refuse('naturalisation.unknown_inquiry', `no inquiry ${r.inquiry} was sent`);
      if (inquiry.answeredOn) refuse('naturalisation.inquiry_answered', `the answer to ${r.inquiry} was already recorded`);
      // An answer cannot arrive before its inquiry was sent, nor on a day still to come.
      if (compareLocalDates(r.answeredOn, inquiry.sentOn) < 0) {
        refuse('naturalisation.invalid_answer_date', `the answer cannot lie before the inquiry was sent (${inquiry.sentOn})`);
      }
      if (compareLocalDates(r.answeredOn, ctx.today()) > 0) refuse('naturalisation.invalid_answer_date', `the answer cannot lie after today (${ctx.today()})`);
    },
    (r) => {
      const inquiry = state.inquiries!.find((i) => i.kind === r.inquiry)!;
      Object.assign(inquiry, { answeredOn: r.answeredOn, result: r.result, recordedBy: r.actor, ...(r.note ? { note: r.note } : {}) });
      if (state.inquiries!.every((i) => i.answeredOn)) {
        state.stage = 'decision';
        state.waitingFor = 'authority';
        ctx.removeFlag('inquiry_overdue');
      }
    },
  );

  /** What any decision needs, whoever proposes or confirms it: the stage, no suspension, one decision, a valid fee. */
  const validateDecision = (r: Pick<RecordDecisionRequest, 'outcome' | 'minorChildren' | 'refusalFeeEuro'>) => {
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
      determineFee({ outcome: r.outcome, decidedOn: ctx.today(), minorChildrenNaturalisedWithApplicant: r.minorChildren, refusalFeeEuro: r.refusalFeeEuro });
    } catch (error) {
      refuse('naturalisation.invalid_fee', (error as Error).message);
    }
  };
  /**
   * Four eyes: whoever recorded an answer of another agency (the security inquiry, the register
   * extract) neither proposes nor confirms the decision on it.
   */
  const refuseAnswerRecorder = (clerk: string, role: 'propose' | 'confirm') => {
    if ((state.inquiries ?? []).some((inquiry) => inquiry.recordedBy === clerk)) {
      refuse('naturalisation.four_eyes', `the clerk who recorded an agency answer may not ${role} the decision on the case`);
    }
  };
  const decide = async (r: RecordDecisionRequest & { confirmedBy?: string }) => {
    const fee = determineFee({ outcome: r.outcome, decidedOn: ctx.today(), minorChildrenNaturalisedWithApplicant: r.minorChildren, refusalFeeEuro: r.refusalFeeEuro });
    state.decision = {
      outcome: r.outcome,
      reason: r.reason,
      decidedBy: r.decidedBy,
      decidedAt: new Date(Date.now()).toISOString(),
      fee: { euro: fee.euro, basis: fee.basis },
      ...(r.eligibilityCheckId ? { eligibilityCheckId: r.eligibilityCheckId } : {}),
      ...(r.discretionDecisions ? { discretionDecisions: r.discretionDecisions } : {}),
      ...(r.confirmedBy ? { confirmedBy: r.confirmedBy } : {}),
    };
    state.documentRequest = null;
    state.stage = r.outcome === 'approved' ? 'certificate' : 'closed';
    state.waitingFor = r.outcome === 'approved' ? 'authority' : null;
    await ctx.sendToApplicant({ kind: 'decision', outcome: r.outcome, feeEuro: fee.euro });
  };

  // A decision in one step (as older histories hold it) is refused now: a decision is proposed
  // by one clerk and confirmed by another. The handler stays for the histories that used it.
  registerAction(
    recordDecisionUpdate,
    (r) => {
      validateDecision(r);
      refuse('naturalisation.confirmation_required', 'a decision takes effect only when a second clerk confirms it: propose it, then have it confirmed');
    },
    decide,
  );

  registerAction(
    proposeDecisionUpdate,
    (r) => {
      validateDecision(r);
      refuseAnswerRecorder(r.decidedBy, 'propose');
    },
    (r) => {
      state.decisionProposal = {
        outcome: r.outcome,
        reason: r.reason,
        proposedBy: r.decidedBy,
        proposedAt: new Date(Date.now()).toISOString(),
        ...(r.minorChildren !== undefined ? { minorChildren: r.minorChildren } : {}),
        ...(r.refusalFeeEuro !== undefined ? { refusalFeeEuro: r.refusalFeeEuro } : {}),
        ...(r.eligibilityCheckId ? { eligibilityCheckId: r.eligibilityCheckId } : {}),
        ...(r.discretionDecisions ? { discretionDecisions: r.discretionDecisions } : {}),
      };
    },
  );

  registerAction(
    confirmDecisionUpdate,
    (r) => {
      const proposal = state.decisionProposal;
      if (!proposal) refuse('naturalisation.no_proposal', 'no decision has been proposed');
      validateDecision(proposal);
      if (r.actor === proposal.proposedBy) refuse('naturalisation.four_eyes', 'the clerk who proposed the decision may not confirm it');
      refuseAnswerRecorder(r.actor, 'confirm');
    },
    async (r) => {
      const { proposedBy, proposedAt: _proposedAt, ...proposal } = state.decisionProposal!;
      state.decisionProposal = null;
      await decide({
        ...proposal,
        decidedBy: proposedBy,
        confirmedBy: r.actor,
        expectedVersion: r.expectedVersion,
        ...(r.eligibilityCheckId ? { eligibilityCheckId: r.eligibilityCheckId } : {}),
      });
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
      await ctx.sendToApplicant({ kind: 'appointment', at: r.at, place: r.place });
    },
  );

  registerAction(
    recordHandoverUpdate,
    (r) => {
      requireStage('certificate');
      if (!state.appointment) refuse('naturalisation.no_appointment', 'schedule the handover appointment first');
      if (compareLocalDates(r.handedOverOn, ctx.today()) > 0) refuse('naturalisation.invalid_handover', 'the handover cannot lie in the future');
      const appointmentDay = toBerlinLocalDate(Date.parse(state.appointment.at));
      if (compareLocalDates(r.handedOverOn, appointmentDay) < 0) {
        refuse('naturalisation.invalid_handover', `the handover cannot lie before the appointment (${appointmentDay})`);
      }
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
      state.suspended = { reason: r.reason, since: ctx.today() };
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

  // A reissued access code: the API has stored its hash and its clear text for this letter.
  registerAction(
    sendAccessCodeUpdate,
    () => undefined,
    async () => {
      await ctx.sendToApplicant({ kind: 'access_code', accessCode: accessCodePlaceholder });
    },
  );
}
