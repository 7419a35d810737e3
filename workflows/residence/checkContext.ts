import { startOfDayInBerlin, toBerlinLocalDate } from '../../domain/calendar/berlinTime';
import { firstDayAfter } from '../../domain/calendar/periods';
import type { ResidencePersonLetter, ResidenceStaffNotice } from '../../domain/letters/residenceLetters';
import {
  defaultResidenceCheckSettings,
  residenceCaseType,
  residenceWorkflowId,
  type ResidenceCheckInput,
  type ResidenceCheckSettings,
  type ResidenceCheckState,
} from '../residenceDefinitions';
import type { MessageRequest } from '../../processes/contract';
import { enqueueForRelay } from '../shared/outboxRelay';
import { deliverMessage, enqueueMessage, evaluateResidenceCheckForPerson, recordCaseProjection } from './activities';

/** What the parts of a residence check share: its state, its settings and the steps they take. */
export interface CheckContext {
  input: ResidenceCheckInput;
  state: ResidenceCheckState;
  settings: ResidenceCheckSettings;
  today(): string;
  /** Milliseconds from now until the start of `day` in Berlin (0 if past). */
  untilDay(day: string): number;
  note(kind: string): void;
  addFlag(flag: string): void;
  removeFlag(flag: string): void;
  evaluate(): Promise<void>;
  project(): Promise<void>;
  sendToPerson(letter: ResidencePersonLetter, sequence: string): Promise<void>;
  sendToStaff(notice: ResidenceStaffNotice, sequence: string, recipient?: 'staff' | 'team'): Promise<void>;
}

export function initialCheckState(input: ResidenceCheckInput): ResidenceCheckState {
  return {
    checkId: input.checkId,
    kind: input.kind,
    stage: 'evaluation',
    version: 1,
    flags: [],
    waitingFor: 'authority',
    assignee: null,
    evaluation: null,
    evaluations: 0,
    findings: {},
    evidence: null,
    notYet: null,
    decision: null,
    followOnFiledOn: null,
    handoff: null,
    events: [],
    deadlines: {},
  };
}

/** `relay`: the history runs under `residence-letters-relay` — letters go through the outbox relay. */
export function createCheckContext(input: ResidenceCheckInput, state: ResidenceCheckState, relay = false): CheckContext {
  const settings = { ...defaultResidenceCheckSettings, ...input.settings };
  const nextDueAt = (): string | null => {
    const due: number[] = [];
    if (state.stage === 'awaiting_evidence' && state.evidence) due.push(startOfDayInBerlin(firstDayAfter(state.evidence.dueOn)));
    if (state.stage === 'not_yet' && state.notYet) due.push(startOfDayInBerlin(state.notYet.until));
    const transition = state.evaluation?.transition;
    if (transition && !state.followOnFiledOn && !state.decision) due.push(startOfDayInBerlin(transition.escalationOn));
    return due.length ? new Date(Math.min(...due)).toISOString() : null;
  };
  const ctx: CheckContext = {
    input,
    state,
    settings,
    today: () => toBerlinLocalDate(Date.now()),
    untilDay: (day) => Math.max(0, startOfDayInBerlin(day) - Date.now()),
    note(kind) {
      state.events.push({ kind, at: new Date(Date.now()).toISOString() });
    },
    addFlag(flag) {
      if (!state.flags.includes(flag)) state.flags.push(flag);
    },
    removeFlag(flag) {
      state.flags = state.flags.filter((f) => f !== flag);
    },
    async evaluate() {
      state.evaluation = await evaluateResidenceCheckForPerson({
        personId: input.personId,
        authorityId: input.authorityId,
        asOf: ctx.today(),
        findings: state.findings,
        followOnFiledOn: state.followOnFiledOn,
      });
      state.evaluations += 1;
      const transition = state.evaluation?.transition;
      state.deadlines = {
        ...(state.evidence ? { evidenceDueOn: state.evidence.dueOn } : {}),
        ...(state.notYet ? { notYetUntil: state.notYet.until } : {}),
        ...(transition ? { permitExpiresOn: transition.expiresOn, transitionCheckStartsOn: transition.checkStartsOn, escalationOn: transition.escalationOn } : {}),
        ...Object.fromEntries(
          (state.evaluation?.dates ?? []).flatMap((d) => [
            ...(d.eligibleFrom ? [[`eligibleFrom ${d.rule}`, d.eligibleFrom]] : []),
            ...(d.eligibleUntil ? [[`eligibleUntil ${d.rule}`, d.eligibleUntil]] : []),
          ]),
        ),
      };
    },
    async project() {
      await recordCaseProjection({
        caseId: input.checkId,
        caseType: residenceCaseType,
        authorityId: input.authorityId,
        workflowId: residenceWorkflowId(input.checkId),
        version: state.version,
        stage: state.stage,
        waitingFor: state.waitingFor,
        flags: state.flags,
        deadlines: { ...state.deadlines },
        decision: state.decision ? { ...state.decision } : null,
        assignee: state.assignee,
        nextDueAt: nextDueAt(),
        reference: input.reference,
        personId: input.personId,
        details: {
          kind: input.kind,
          evaluation: state.evaluation,
          evidence: state.evidence,
          notYet: state.notYet,
          followOnFiledOn: state.followOnFiledOn,
          handoffProposal: state.handoff,
          findings: state.findings,
          contactConsent: input.contactConsent,
        },
      });
    },
    async sendToPerson(letter, sequence) {
      const key = `${input.checkId}/person/${letter.kind}/${sequence}`;
      const request: MessageRequest = { messageKey: key, caseType: residenceCaseType, caseId: input.checkId, recipient: 'person', printIfNoEmail: true, letter: { ...letter } };
      if (relay) {
        await enqueueForRelay(request);
        return;
      }
      await enqueueMessage(request);
      await deliverMessage(key);
    },
    async sendToStaff(notice, sequence, recipient = 'staff') {
      const key = `${input.checkId}/${recipient}/${notice.kind}/${sequence}`;
      const request: MessageRequest = { messageKey: key, caseType: residenceCaseType, caseId: input.checkId, recipient, assignee: state.assignee, letter: { ...notice } };
      if (relay) {
        await enqueueForRelay(request);
        return;
      }
      await enqueueMessage(request);
      await deliverMessage(key);
    },
  };
  return ctx;
}
