import { condition, getExternalWorkflowHandle, patched, setHandler, allHandlersFinished } from '@temporalio/workflow';
import { enqueueForRelay } from '../shared/outboxRelay';
import { toBerlinLocalDate } from '../../domain/calendar/berlinTime';
import { isValidLocalDate } from '../../domain/calendar/localDate';
import { determineAcknowledgementDeadlines, isAnsweredInTime } from '../../domain/handoff/acknowledgementDeadline';
import { caseManagementPhases, handoffOutcomeKinds } from '../../domain/handoff/progress';
import type { RecipientKind } from '../../processes/contract';
import {
  acceptHandoffUpdate,
  closeHandoffUpdate,
  consentWithdrawnSignal,
  declineHandoffUpdate,
  getHandoffStateQuery,
  handoffWorkflowId,
  recordOutcomeUpdate,
  recordPhaseUpdate,
  type HandoffClosing,
  type HandoffFlag,
  type HandoffState,
  type HandoffWorkflowInput,
} from '../handoffDefinitions';
import { handoffStatusChangedSignal, type HandoffStatusChanged } from '../shared/handoffs';
import { deliverMessage, enqueueMessage, recordCaseProjection, recordHandoffProgress, refuse } from './activities';

type Effect =
  | { type: 'message'; recipient: RecipientKind; kind: string; sequence: string; letter?: Record<string, unknown> }
  | { type: 'origin'; change: Omit<HandoffStatusChanged, 'handoffId'> };

/**
 * Letters through the outbox relay: one local activity each, delivered by the relay, instead of
 * an enqueue and a `deliverMessage` activity.
 */
export const handoffLettersRelayPatch = 'handoff-letters-relay';

/**
 * One handoff to case management: the team is told, a case manager accepts or declines within
 * the working-day period (else a reminder, then the KIM coordinator, then it expires and goes
 * back), then records phases and outcomes until it closes. A withdrawn consent ends it at once.
 * Handlers change the state and write the projection; messages and signals to the originating
 * case go out in order from one queue.
 */
export async function handoff(input: HandoffWorkflowInput): Promise<HandoffState> {
  const relay = patched(handoffLettersRelayPatch);
  const sentAt = Date.now();
  const times = determineAcknowledgementDeadlines(sentAt, input.acknowledgement);
  const state: HandoffState = {
    version: 1,
    stage: 'awaiting_acceptance',
    flags: input.urgency === 'urgent' ? ['urgent'] : [],
    sentAt: new Date(sentAt).toISOString(),
    deadlines: {
      acceptBy: times.acceptBy,
      escalateBy: times.escalateBy,
      expireBy: times.expireBy,
      ...(input.relevantDeadline ? { relevantDeadline: input.relevantDeadline } : {}),
    },
    instants: {
      reminderAt: new Date(times.reminderAt).toISOString(),
      escalationAt: new Date(times.escalationAt).toISOString(),
      expiryAt: new Date(times.expiryAt).toISOString(),
    },
    happened: {},
    phases: [],
    outcomes: [],
  };
  const effects: Effect[] = [];
  let sequence = 0;

  const addFlag = (flag: HandoffFlag) => {
    if (!state.flags.includes(flag)) state.flags.push(flag);
  };
  const project = () =>
    recordCaseProjection({
      caseId: input.handoffId,
      caseType: 'handoff',
      authorityId: input.authorityId,
      workflowId: handoffWorkflowId(input.handoffId),
      version: state.version,
      stage: state.stage,
      waitingFor: state.stage === 'awaiting_acceptance' ? 'case_manager' : null,
      flags: [...state.flags],
      deadlines: { ...state.deadlines },
      decision: state.closing ? { closing: state.closing, ...(state.reason ? { reason: state.reason } : {}) } : null,
      team: input.team,
      assignee: state.acceptedBy ?? null,
      filedOn: toBerlinLocalDate(sentAt),
      nextDueAt: state.stage === 'awaiting_acceptance' ? nextDue() : null,
      details: { needs: input.needs, urgency: input.urgency, phases: state.phases.map((p) => p.phase), outcomes: state.outcomes.map((o) => o.kind) },
      reference: input.reference,
    });
  const nextDue = () => {
    if (!state.flags.includes('reminded')) return state.instants.reminderAt;
    if (!state.flags.includes('escalated')) return state.instants.escalationAt;
    return state.instants.expiryAt;
  };
  const change = async (apply: () => void) => {
    apply();
    state.version++;
    await project();
  };
  const close = (closing: HandoffClosing, reason?: string) => {
    state.stage = 'closed';
    state.closing = closing;
    if (reason) state.reason = reason;
  };
  const message = (recipient: RecipientKind, kind: string, letter: Record<string, unknown> = {}) =>
    effects.push({ type: 'message', recipient, kind, sequence: `${kind}/${++sequence}`, letter });
  const tellOrigin = (changeToOrigin: Omit<HandoffStatusChanged, 'handoffId'>) => effects.push({ type: 'origin', change: changeToOrigin });
  const isOpen = () => state.stage !== 'closed';
  const assertCaseManager = (caseManager: string) => {
    if (!caseManager?.trim()) refuse('handoff.case_manager_missing', 'the case manager is required');
  };

  setHandler(getHandoffStateQuery, () => state);

  setHandler(
    acceptHandoffUpdate,
    async ({ caseManager }) => {
      await change(() => {
        state.stage = 'in_progress';
        state.acceptedBy = caseManager;
        state.acceptedAt = new Date().toISOString();
        addFlag(isAnsweredInTime(Date.now(), times) ? 'accepted_in_time' : 'accepted_late');
      });
      message('staff', 'accepted');
      tellOrigin({ status: 'accepted' });
      return state;
    },
    {
      validator: ({ caseManager }) => {
        assertCaseManager(caseManager);
        if (state.stage !== 'awaiting_acceptance') refuse('handoff.not_awaiting_acceptance', `the handoff is ${state.stage}: it cannot be accepted`);
      },
    },
  );

  setHandler(
    declineHandoffUpdate,
    async ({ caseManager, reason }) => {
      await change(() => {
        close('declined', reason.trim());
        addFlag('declined');
        state.acceptedBy = caseManager;
      });
      message('staff', 'returned', { closing: 'declined', reason: reason.trim() });
      tellOrigin({ status: 'declined', reason: reason.trim() });
      return state;
    },
    {
      validator: ({ caseManager, reason }) => {
        assertCaseManager(caseManager);
        if (state.stage !== 'awaiting_acceptance') refuse('handoff.not_awaiting_acceptance', `the handoff is ${state.stage}: it cannot be declined`);
        if (typeof reason !== 'string' || reason.trim().length < 3) refuse('handoff.reason_missing', 'a decline needs a reason (at least 3 characters)');
      },
    },
  );

  setHandler(
    recordPhaseUpdate,
    async ({ caseManager, phase, on, note }) => {
      const key = `phase/${state.phases.length + 1}`;
      await recordHandoffProgress({ handoffId: input.handoffId, entryKey: key, kind: 'phase', phase, on, note: note ?? null, recordedBy: caseManager });
      await change(() => state.phases.push({ phase, on, by: caseManager, ...(note ? { note } : {}) }));
      return state;
    },
    {
      validator: ({ caseManager, phase, on }) => {
        assertCaseManager(caseManager);
        if (state.stage !== 'in_progress') refuse('handoff.not_in_progress', `the handoff is ${state.stage}: phases are recorded after acceptance`);
        if (!(caseManagementPhases as readonly string[]).includes(phase)) refuse('handoff.phase_unknown', `phase must be one of: ${caseManagementPhases.join(', ')}`);
        if (!isValidLocalDate(on) || on > toBerlinLocalDate(Date.now())) refuse('handoff.date_invalid', 'on must be a date (YYYY-MM-DD) not in the future');
      },
    },
  );

  setHandler(
    recordOutcomeUpdate,
    async ({ caseManager, outcome }) => {
      const key = `outcome/${state.outcomes.length + 1}`;
      const recorded = await recordHandoffProgress({ handoffId: input.handoffId, entryKey: key, kind: 'outcome', outcome, on: outcome.on, note: outcome.note ?? null, recordedBy: caseManager });
      await change(() => state.outcomes.push({ ...outcome, by: caseManager, factRecorded: recorded.factId !== null }));
      message('staff', 'outcome', { outcome: outcome.kind, on: outcome.on });
      tellOrigin({ status: 'outcome', outcome: { kind: outcome.kind, on: outcome.on, ...(outcome.note ? { note: outcome.note } : {}) } });
      return state;
    },
    {
      validator: ({ caseManager, outcome }) => {
        assertCaseManager(caseManager);
        if (state.stage !== 'in_progress') refuse('handoff.not_in_progress', `the handoff is ${state.stage}: outcomes are recorded after acceptance`);
        if (!outcome || !(handoffOutcomeKinds as readonly string[]).includes(outcome.kind)) refuse('handoff.outcome_unknown', `outcome.kind must be one of: ${handoffOutcomeKinds.join(', ')}`);
        if (!isValidLocalDate(outcome.on) || outcome.on > toBerlinLocalDate(Date.now())) refuse('handoff.date_invalid', 'outcome.on must be a date (YYYY-MM-DD) not in the future');
      },
    },
  );

  setHandler(
    closeHandoffUpdate,
    async ({ note }) => {
      await change(() => close('completed', note?.trim() || undefined));
      message('staff', 'closed');
      tellOrigin({ status: 'closed' });
      return state;
    },
    {
      validator: ({ caseManager }) => {
        assertCaseManager(caseManager);
        if (state.stage !== 'in_progress') refuse('handoff.not_in_progress', `the handoff is ${state.stage}: only an accepted handoff is closed`);
      },
    },
  );

  // A withdrawn consent (Art. 7 Abs. 3 DSGVO) stops every further flow: case management and the
  // sender are told that it ended, and no more data goes anywhere.
  setHandler(consentWithdrawnSignal, () => {
    if (!isOpen()) return;
    close('consent_withdrawn', 'consent withdrawn');
    addFlag('consent_withdrawn');
    state.version++;
    effects.push({ type: 'message', recipient: 'case_management', kind: 'consent_withdrawn', sequence: 'consent_withdrawn', letter: {} });
    message('staff', 'consent_withdrawn');
    tellOrigin({ status: 'consent_withdrawn', reason: 'consent withdrawn' });
  });

  const runEffect = async (effect: Effect) => {
    if (effect.type === 'message') {
      const request = {
        messageKey: `${input.handoffId}/${effect.sequence}`,
        caseType: 'handoff',
        caseId: input.handoffId,
        recipient: effect.recipient,
        assignee: effect.recipient === 'staff' ? input.requestedBy : null,
        letter: { kind: effect.kind, ...effect.letter },
      };
      if (relay) {
        await enqueueForRelay(request);
        return;
      }
      await enqueueMessage(request);
      await deliverMessage(request.messageKey);
      return;
    }
    if (!input.origin) return;
    try {
      await getExternalWorkflowHandle(input.origin.workflowId).signal(handoffStatusChangedSignal, { handoffId: input.handoffId, ...effect.change });
    } catch {
      // The originating case is over: nothing to tell it.
    }
  };
  let done = 0;
  const drain = async () => {
    for (;;) {
      await condition(() => effects.length > done);
      // A withdrawal drops every message not yet sent, except the notices of the withdrawal itself.
      const effect = effects[done];
      const withdrawn = state.closing === 'consent_withdrawn';
      const dropped = withdrawn && (effect.type === 'message' ? effect.kind !== 'consent_withdrawn' : effect.change.status !== 'consent_withdrawn');
      if (!dropped) await runEffect(effect);
      done++;
    }
  };
  void drain();

  await project();
  message('case_management', 'handoff_notice', { acceptBy: times.acceptBy });

  const until = (iso: string) => Math.max(0, Date.parse(iso) - Date.now());
  const answered = () => state.stage !== 'awaiting_acceptance';
  if (!(await condition(answered, until(state.instants.reminderAt)))) {
    await change(() => {
      addFlag('reminded');
      state.happened.reminded = new Date().toISOString();
    });
    message('case_management', 'reminder', { acceptBy: times.acceptBy, escalateBy: times.escalateBy });
    if (!(await condition(answered, until(state.instants.escalationAt)))) {
      await change(() => {
        addFlag('escalated');
        state.happened.escalated = new Date().toISOString();
      });
      message('kim_coordinator', 'escalation', { acceptBy: times.acceptBy, expireBy: times.expireBy });
      if (!(await condition(answered, until(state.instants.expiryAt)))) {
        await change(() => {
          close('expired', 'not accepted within the period');
          addFlag('expired');
          state.happened.expired = new Date().toISOString();
        });
        message('staff', 'returned', { closing: 'expired', reason: 'not accepted within the period' });
        message('case_management', 'expired');
        tellOrigin({ status: 'expired', reason: 'not accepted within the period' });
      }
    }
  }
  await condition(() => !isOpen());
  if (state.closing === 'consent_withdrawn') await project();
  await condition(() => done >= effects.length && allHandlersFinished());
  return state;
}
