import { allHandlersFinished, condition, patched, setHandler } from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import { startOfDayInBerlin, toBerlinLocalDate } from '../../domain/calendar/berlinTime';
import { addDays, compareLocalDates } from '../../domain/calendar/localDate';
import { renewalDocuments, type ResidencePersonLetter, type ResidenceStaffNotice } from '../../domain/letters/residenceLetters';
import { evaluatePermitContinuation } from '../../domain/residence/permitContinuation';
import { determinePermitExpiryWatch } from '../../domain/residence/permitExpiryWatch';
import {
  closeExpiryWatchUpdate,
  defaultExpiryWatchSettings,
  getExpiryWatchStateQuery,
  recordFiktionsbescheinigungUpdate,
  recordRenewalFiledUpdate,
  residenceCaseType,
  residenceWorkflowId,
  type ExpiryWatchInput,
  type ExpiryWatchState,
} from '../residenceDefinitions';
import { personFactsChangedSignal } from '../shared/personSignals';
import { deliverMessage, enqueueMessage, loadWatchedPermit, recordCaseProjection, refuse } from './activities';
import { waitUntil } from './waiting';
import { residenceLettersRelayPatch } from './check';
import { enqueueForRelay } from '../shared/outboxRelay';

const isoDate = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The watch over one permit's expiry (§ 81 Abs. 4 AufenthG): a letter to the holder some weeks
 * before expiry (German first, then their language; e-mail, or kept "to print") with the
 * documents to bring and an appointment offer; a clerk task when nothing is filed by the
 * configured day; the renewal's filing day with whether the permit continues (Satz 1) or the
 * continuation is at discretion (Satz 3); the Fiktionsbescheinigung with its own validity.
 * A change of the permit in the register (a corrected expiry) re-arms the dates.
 */
export async function permitExpiryWatch(input: ExpiryWatchInput): Promise<ExpiryWatchState> {
  const relay = patched(residenceLettersRelayPatch);
  const settings = { ...defaultExpiryWatchSettings, ...input.settings };
  const state: ExpiryWatchState = {
    checkId: input.checkId,
    stage: 'watching',
    version: 1,
    flags: [],
    assignee: null,
    permit: null,
    reminderOn: null,
    clerkTaskOn: null,
    reminder: null,
    clerkTaskAt: null,
    renewal: null,
    fiktionsbescheinigung: null,
    outcome: null,
    deadlines: {},
  };
  let permitChanged = false;
  const today = () => toBerlinLocalDate(Date.now());
  const untilDay = (day: string) => Math.max(0, startOfDayInBerlin(day) - Date.now());
  const addFlag = (flag: string) => void (state.flags.includes(flag) || state.flags.push(flag));
  const removeFlag = (flag: string) => void (state.flags = state.flags.filter((f) => f !== flag));

  const project = () =>
    recordCaseProjection({
      caseId: input.checkId,
      caseType: residenceCaseType,
      authorityId: input.authorityId,
      workflowId: residenceWorkflowId(input.checkId),
      version: state.version,
      stage: state.stage,
      waitingFor: state.stage === 'completed' ? null : state.stage === 'renewal_filed' || state.stage === 'renewal_overdue' ? 'authority' : 'person',
      flags: state.flags,
      deadlines: { ...state.deadlines },
      decision: state.outcome ? { ...state.outcome } : null,
      assignee: state.assignee,
      nextDueAt: nextDueAt(),
      reference: input.reference,
      personId: input.personId,
      details: { kind: 'permit_expiry', permit: state.permit, reminder: state.reminder, clerkTaskAt: state.clerkTaskAt, renewal: state.renewal, fiktionsbescheinigung: state.fiktionsbescheinigung },
    });
  function nextDueAt(): string | null {
    const day = !state.renewal ? (state.clerkTaskAt ? state.permit?.expiresOn : state.clerkTaskOn) : state.fiktionsbescheinigung?.validUntil;
    return day ? new Date(startOfDayInBerlin(day)).toISOString() : null;
  }
  const send = async (recipient: 'person' | 'staff', letter: ResidencePersonLetter | ResidenceStaffNotice, sequence: string) => {
    const key = `${input.checkId}/${recipient}/${letter.kind}/${sequence}`;
    const request = { messageKey: key, caseType: residenceCaseType, caseId: input.checkId, recipient, assignee: state.assignee, printIfNoEmail: true, letter: { ...letter } };
    if (relay) return enqueueForRelay(request);
    await enqueueMessage(request);
    return deliverMessage(key);
  };

  setHandler(getExpiryWatchStateQuery, () => state);
  setHandler(personFactsChangedSignal, () => void (permitChanged = true));
  function registerAction<R extends { expectedVersion: number; actor: string }>(
    definition: UpdateDefinition<ExpiryWatchState, [R]>,
    validate: (request: R) => void,
    apply: (request: R) => void,
  ) {
    setHandler(
      definition,
      async (request: R) => {
        state.version += 1;
        state.assignee ??= request.actor;
        apply(request);
        await project();
        return state;
      },
      {
        validator: (request: R) => {
          if (request.expectedVersion !== state.version) refuse('residence.version_conflict', `the watch changed since it was read (version ${request.expectedVersion} was seen, it is now ${state.version})`);
          if (state.stage === 'completed') refuse('residence.case_closed', 'the watch is closed');
          if (!state.permit) refuse('residence.wrong_stage', 'the watch has not read its permit yet');
          validate(request);
        },
      },
    );
  }
  registerAction(
    recordRenewalFiledUpdate,
    (r) => {
      if (!isoDate.test(r.filedOn) || compareLocalDates(r.filedOn, today()) > 0) refuse('residence.invalid_filing_date', `filedOn must be a day not after today (${today()})`);
      if (state.renewal) refuse('residence.already_filed', `a renewal filed on ${state.renewal.filedOn} is recorded`);
    },
    (r) => {
      const continuation = evaluatePermitContinuation({ expiresOn: state.permit!.expiresOn, filedOn: r.filedOn, ...(state.permit!.permitBasis ? { permitBasis: state.permit!.permitBasis } : {}) }, today());
      state.renewal = {
        filedOn: r.filedOn,
        effect: continuation.effect,
        basis: continuation.criterion.basis,
        daysLate: continuation.daysLate,
        continuesFrom: continuation.continuesFrom,
        recordedBy: r.actor,
      };
      state.stage = 'renewal_filed';
      removeFlag('renewal_not_filed');
      addFlag(continuation.effect === 'continued' ? 'continued_by_law' : continuation.effect === 'discretion' ? 'continuation_discretion' : 'no_continuation');
      state.deadlines.renewalFiledOn = r.filedOn;
    },
  );
  registerAction(
    recordFiktionsbescheinigungUpdate,
    (r) => {
      if (!state.renewal || (state.renewal.effect !== 'continued' && state.renewal.effect !== 'discretion')) {
        refuse('residence.wrong_stage', 'a Fiktionsbescheinigung follows a renewal that continues the permit (§ 81 Abs. 4 AufenthG)');
      }
      if (!isoDate.test(r.issuedOn) || !isoDate.test(r.validUntil) || compareLocalDates(r.validUntil, r.issuedOn) <= 0) {
        refuse('residence.invalid_validity', 'validUntil must be a day after issuedOn');
      }
    },
    (r) => {
      state.fiktionsbescheinigung = { issuedOn: r.issuedOn, validUntil: r.validUntil };
      state.deadlines.fiktionsbescheinigungValidUntil = r.validUntil;
      removeFlag('fiktionsbescheinigung_expiring');
    },
  );
  registerAction(
    closeExpiryWatchUpdate,
    () => undefined,
    (r) => {
      state.outcome = { result: r.result, note: r.note, decidedBy: r.actor };
      state.stage = 'completed';
    },
  );

  const readPermit = async (): Promise<boolean> => {
    const permit = await loadWatchedPermit({ personId: input.personId, periodId: input.periodId });
    if (!permit) return false;
    const watch = determinePermitExpiryWatch({ expiresOn: permit.expiresOn, ...(permit.permitBasis ? { permitBasis: permit.permitBasis } : {}) }, today());
    state.permit = permit;
    state.reminderOn = watch.reminderOn;
    state.clerkTaskOn = watch.clerkTaskOn;
    state.deadlines = { ...state.deadlines, expiresOn: permit.expiresOn, reminderOn: watch.reminderOn, clerkTaskOn: watch.clerkTaskOn, lastDayInTime: watch.continuation.lastDayInTime };
    return true;
  };

  if (!(await readPermit())) {
    state.stage = 'completed';
    addFlag('permit_gone');
    await project();
    return state;
  }
  await project();

  while (state.stage !== 'completed') {
    const version = state.version;
    const changed = () => permitChanged || state.version !== version;
    if (!state.renewal && !state.reminder) {
      if (!(await waitUntil(changed, untilDay(state.reminderOn!)))) {
        const sentAt = new Date(Date.now()).toISOString();
        const letter: ResidencePersonLetter = { kind: 'expiry_reminder', expiresOn: state.permit!.expiresOn, lastDayInTime: state.deadlines.lastDayInTime, documents: renewalDocuments };
        state.version += 1;
        state.stage = 'reminded';
        state.reminder = { at: sentAt, channel: 'email' };
        const result = await send('person', letter, state.permit!.expiresOn);
        state.reminder.channel = result === 'to_print' ? 'print' : 'email';
        if (result === 'to_print') addFlag('letter_to_print');
        await project();
      }
    } else if (!state.renewal && !state.clerkTaskAt) {
      if (!(await waitUntil(changed, untilDay(state.clerkTaskOn!)))) {
        state.clerkTaskAt = new Date(Date.now()).toISOString();
        state.version += 1;
        state.stage = 'renewal_overdue';
        addFlag('renewal_not_filed');
        await project();
        await send('staff', { kind: 'renewal_not_filed', expiresOn: state.permit!.expiresOn }, state.permit!.expiresOn);
      }
    } else if (state.fiktionsbescheinigung && !state.fiktionsbescheinigung.noticeSentAt) {
      const noticeOn = addDays(state.fiktionsbescheinigung.validUntil, -settings.fiktionsbescheinigungNoticeDaysBefore);
      if (!(await waitUntil(changed, untilDay(noticeOn)))) {
        state.fiktionsbescheinigung.noticeSentAt = new Date(Date.now()).toISOString();
        state.version += 1;
        addFlag('fiktionsbescheinigung_expiring');
        await project();
        await send('staff', { kind: 'fiktionsbescheinigung_expiring', validUntil: state.fiktionsbescheinigung.validUntil }, state.fiktionsbescheinigung.validUntil);
      }
    } else {
      await condition(changed);
    }
    if (permitChanged && (state.stage as string) !== 'completed') {
      permitChanged = false;
      // A corrected expiry re-arms the dates not yet reached; a retracted permit ends the watch.
      state.version += 1;
      if (!(await readPermit())) {
        state.stage = 'completed';
        addFlag('permit_gone');
      }
      await project();
    }
  }
  // The closing update returns its result before the workflow completes.
  await condition(allHandlersFinished);
  return state;
}
