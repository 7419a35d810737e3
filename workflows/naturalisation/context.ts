import { startOfDayInBerlin, toBerlinLocalDate } from '../../domain/calendar/berlinTime';
import { addDays } from '../../domain/calendar/localDate';
import { firstDayAfter } from '../../domain/calendar/periods';
import type { ApplicantLetterRequest, StaffNoticeRequest } from '../../domain/letters/naturalisationLetters';
import { determineDocumentDeadline, determineReminderDay } from '../../domain/naturalisation/completeness';
import type { InactionDeadline } from '../../domain/naturalisation/inactionDeadline';
import { inquiryKinds, type NaturalisationFlag } from '../../domain/naturalisation/stages';
import {
  defaultProcedureSettings,
  naturalisationWorkflowId,
  type NaturalisationState,
  type NaturalisationWorkflowInput,
  type ProcedureSettings,
} from '../naturalisationDefinitions';
import type { MessageRequest } from '../../processes/contract';
import { recordProjectionAndMessages } from '../shared/outboxRelay';
import { deliverMessage, enqueueApplicantLetter, enqueueStaffNotice, recordCaseProjection } from './activities';

/** What the procedure's parts share: the state, the settings and the steps they take. */
export interface ProcedureContext {
  input: NaturalisationWorkflowInput;
  state: NaturalisationState;
  deadline: InactionDeadline;
  settings: ProcedureSettings;
  today(): string;
  untilInstant(instant: number): number;
  /** Writes the projection; under the relay patch, with the letters sent since the last one. */
  project(): Promise<boolean>;
  /**
   * A letter to the applicant. Under the relay patch it goes into the outbox with the next
   * projection (every caller projects after it: each clerk action does, and each supervision
   * step); before it, an enqueue and a `deliverMessage` activity at once.
   */
  sendToApplicant(letter: ApplicantLetterRequest): Promise<void>;
  /**
   * Under the relay patch: writes letters still held for the next projection (none, as every
   * caller projects after sending; a safeguard at the end of the run, so no letter is left behind).
   */
  flushLetters(): Promise<void>;
  sendToStaff(notice: StaffNoticeRequest, sequence: string): Promise<void>;
  addFlag(flag: NaturalisationFlag): void;
  removeFlag(flag: NaturalisationFlag): void;
  /** Moves to the inquiries to other agencies. */
  startInquiries(): void;
  /** Moves to a document request with its deadline, and writes to the applicant. */
  requestDocuments(missing: string[], outdated: string[]): Promise<void>;
}

/**
 * `relay`: whether the history runs under the intake relay patch — letters go into the outbox
 * together with the projection in one local activity and the outbox relay delivers them, instead
 * of an enqueue and a `deliverMessage` activity each.
 */
export function createProcedureContext(input: NaturalisationWorkflowInput, state: NaturalisationState, deadline: InactionDeadline, relay = false): ProcedureContext {
  const settings = { ...defaultProcedureSettings, ...input.procedure };
  const id = input.applicationId;
  const today = () => toBerlinLocalDate(Date.now());

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

  const projection = (): Parameters<typeof recordCaseProjection>[0] => ({
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
      decisionProposal: state.decisionProposal ?? null,
      appointment: state.appointment ?? null,
      suspension: state.suspended ?? null,
      naturalisedOn: state.naturalisedOn ?? null,
      eligibility: state.eligibility ?? null,
      handoffReports: state.handoffReports ?? [],
    },
    ...(input.reference ? { reference: input.reference } : {}),
    ...(input.personId ? { personId: input.personId } : {}),
  });

  // Under the relay patch, the projection and the letters since the last one go in one local
  // activity (one history event), and a projection unchanged since the last one written is not
  // written again.
  let lastRecorded: string | undefined;
  let unsent: MessageRequest[] = [];
  const record = async (): Promise<boolean> => {
    const current = projection();
    const recorded = JSON.stringify(current);
    const messages = unsent;
    if (recorded === lastRecorded && messages.length === 0) return false;
    unsent = [];
    const { projected } = await recordProjectionAndMessages({ projection: recorded === lastRecorded ? null : current, messages });
    lastRecorded = recorded;
    return projected;
  };

  const context: ProcedureContext = {
    input,
    state,
    deadline,
    settings,
    today,
    untilInstant: (instant) => Math.max(0, instant - Date.now()),
    project: () => (relay ? record() : recordCaseProjection(projection())),
    async flushLetters() {
      if (relay && unsent.length > 0) await record();
    },

    // Under the relay patch: with the next projection, in `recordProjectionAndMessages` (the
    // `enqueueMessage` path), and the relay delivers. Before it, the activity names recorded
    // histories call (both aliases of `enqueueMessage`) and a `deliverMessage` activity per letter.
    async sendToApplicant(letter) {
      const key = `${id}/${letter.kind}/${state.version}`;
      if (relay) {
        unsent.push({ messageKey: key, caseType: 'naturalisation', caseId: id, recipient: 'person', letter: { ...letter } });
        return;
      }
      await enqueueApplicantLetter({ messageKey: key, applicationId: id, letter });
      await deliverMessage(key);
    },
    async sendToStaff(notice, sequence) {
      const key = `${id}/${notice.kind}/${sequence}`;
      if (relay) {
        unsent.push({ messageKey: key, caseType: 'naturalisation', caseId: id, recipient: 'staff', assignee: state.assignee ?? null, letter: { ...notice } });
        return;
      }
      await enqueueStaffNotice({ messageKey: key, applicationId: id, notice, assignee: state.assignee ?? null });
      await deliverMessage(key);
    },
    addFlag(flag) {
      if (!state.flags.includes(flag)) state.flags.push(flag);
    },
    removeFlag(flag) {
      state.flags = state.flags.filter((f) => f !== flag);
    },
    // The security inquiry (§ 37 Abs. 5 StAG) and the unrestricted federal register extract
    // (§ 41 BZRG), recorded as sent today.
    startInquiries() {
      state.stage = 'inquiries';
      state.waitingFor = 'other_agency';
      state.documentRequest = null;
      delete state.deadlines.documentsDueOn;
      context.removeFlag('document_deadline_expired');
      context.removeFlag('documents_outdated');
      state.inquiries = inquiryKinds.map((kind) => ({ kind, sentOn: today() }));
    },
    async requestDocuments(missing, outdated) {
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
      if (outdated.length) context.addFlag('documents_outdated');
      await context.sendToApplicant({ kind: 'documents_requested', missing, outdated, deadline: dueOn });
    },
  };
  return context;
}
