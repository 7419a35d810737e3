import { allHandlersFinished, condition, continueAsNew, patched, setHandler, workflowInfo } from '@temporalio/workflow';
import { loadResidenceContactConsent } from './activities';
import { waitUntil } from './waiting';
import { startOfDayInBerlin } from '../../domain/calendar/berlinTime';
import { addDays, compareLocalDates } from '../../domain/calendar/localDate';
import { firstDayAfter } from '../../domain/calendar/periods';
import { determineDocumentDeadline, determineReminderDay } from '../../domain/naturalisation/completeness';
import { getResidenceCheckStateQuery, type ResidenceCheckInput, type ResidenceCheckState } from '../residenceDefinitions';
import { createCheckContext, initialCheckState, type CheckContext } from './checkContext';
import { registerCheckHandlers, type CheckSignals } from './checkActions';

/**
 * Letters (of checks and expiry watches) through the outbox relay: one local activity each,
 * delivered by the relay, instead of an enqueue and a `deliverMessage` activity.
 */
export const residenceLettersRelayPatch = 'residence-letters-relay';

/**
 * One residence-law check of a person (ABH): § 25a AufenthG or § 25b AufenthG, or the
 * transition from a § 104c AufenthG permit. Evaluation on the register's data → evidence
 * requested with a deadline (reminder before it, a clerk task at expiry) → the clerk's decision:
 * grant, refuse or "not yet". "Not yet" waits on a durable timer for the day the time criteria
 * are met, re-evaluates, tells the clerk and, with consent, the person. A change of the
 * person's facts re-evaluates at once and re-arms the timer. Beside the procedure: the watch of
 * the § 25a age limit, and for a § 104c holder the escalation to the team lead.
 * A check that waits for years continues as new before its history grows large.
 */
export async function residenceCheck(input: ResidenceCheckInput): Promise<ResidenceCheckState> {
  const state = input.carried ?? initialCheckState(input);
  const ctx = createCheckContext(input, state, patched(residenceLettersRelayPatch));
  const signals: CheckSignals = { reevaluate: false };
  setHandler(getResidenceCheckStateQuery, () => state);
  registerCheckHandlers(ctx, signals);

  if (!input.carried) {
    await ctx.evaluate();
    ctx.note('evaluated');
    if (!state.evaluation) {
      // The person is no longer in the register of this authority: nothing to check.
      state.stage = 'decided';
      state.waitingFor = null;
      ctx.addFlag('person_not_found');
      await ctx.project();
      return state;
    }
    await ctx.project();
    if (input.kind === 'transition') await waitForTransitionStart(ctx, signals);
    await requestEvidenceOrDecide(ctx);
  }

  const watchers = [watchAgeLimit(ctx), ...(input.kind === 'transition' ? [watchTransitionEscalation(ctx)] : [])];
  while (state.stage !== 'decided') {
    if (workflowInfo().historyLength > ctx.settings.continueAsNewAfterEvents || workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof residenceCheck>({ ...input, carried: state });
    }
    const stage = state.stage;
    const changed = () => state.stage !== stage || signals.reevaluate;
    if (stage === 'awaiting_evidence' && state.evidence) {
      await runEvidenceWait(ctx, signals);
    } else if (stage === 'not_yet' && state.notYet) {
      const until = state.notYet.until;
      const woke = await waitUntil(() => changed() || state.notYet?.until !== until, ctx.untilDay(until));
      if (!woke) await reachEligibilityDate(ctx);
    } else {
      await condition(changed);
    }
    if (signals.reevaluate && (state.stage as string) !== 'decided') {
      signals.reevaluate = false;
      await reevaluateOnChange(ctx);
    }
  }
  await Promise.all(watchers);
  // The decision's update returns its result before the workflow completes.
  await condition(allHandlersFinished);
  return state;
}

/** § 104c AufenthG: the transition check waits until its configured start, re-reading on changes. */
async function waitForTransitionStart(ctx: CheckContext, signals: CheckSignals): Promise<void> {
  const { state } = ctx;
  for (;;) {
    const startsOn = state.evaluation?.transition?.checkStartsOn;
    if (!startsOn || compareLocalDates(startsOn, ctx.today()) <= 0) break;
    state.stage = 'scheduled';
    state.waitingFor = 'date';
    await ctx.project();
    const woke = await waitUntil(() => signals.reevaluate, ctx.untilDay(startsOn));
    signals.reevaluate = false;
    await ctx.evaluate();
    if (!woke) break;
  }
  ctx.note('transition_check_started');
  state.stage = 'evaluation';
  state.waitingFor = 'authority';
  await ctx.project();
  if (state.evaluation?.transition) {
    await ctx.sendToStaff({ kind: 'transition_check_started', expiresOn: state.evaluation.transition.expiresOn }, 'start');
  }
}

/** Requests the evidence the evaluation lacks (with a deadline), or goes to the decision. */
async function requestEvidenceOrDecide(ctx: CheckContext): Promise<void> {
  const { state } = ctx;
  const needed = state.evaluation?.evidenceNeeded ?? [];
  if (needed.length === 0) {
    state.stage = 'decision';
    state.waitingFor = 'authority';
    await ctx.project();
    return;
  }
  const requestedOn = ctx.today();
  const dueOn = determineDocumentDeadline(requestedOn, ctx.settings.evidenceDeadlineDays);
  state.evidence = {
    requestedOn,
    dueOn,
    reminderOn: determineReminderDay(requestedOn, dueOn, ctx.settings.evidenceReminderDaysBefore),
    requested: needed,
    received: [],
    reminderSent: false,
  };
  state.deadlines.evidenceDueOn = dueOn;
  state.stage = 'awaiting_evidence';
  state.waitingFor = 'person';
  state.version += 1;
  await ctx.project();
  await ctx.sendToPerson({ kind: 'evidence_requested', documents: needed, deadline: dueOn }, String(state.version));
}

/** Waits for the evidence: a reminder before the deadline, a clerk task (notice and flag) at expiry. */
async function runEvidenceWait(ctx: CheckContext, signals: CheckSignals): Promise<void> {
  const { state } = ctx;
  const evidence = state.evidence!;
  const changed = () => state.stage !== 'awaiting_evidence' || signals.reevaluate;
  if (!evidence.reminderSent) {
    if (await waitUntil(changed, ctx.untilDay(evidence.reminderOn))) return;
    evidence.reminderSent = true;
    ctx.note('evidence_reminder');
    const missing = evidence.requested.filter((kind) => !evidence.received.includes(kind));
    await ctx.sendToPerson({ kind: 'evidence_reminder', documents: missing, deadline: evidence.dueOn }, 'reminder');
    return;
  }
  if (await waitUntil(changed, ctx.untilDay(firstDayAfter(evidence.dueOn)))) return;
  ctx.note('evidence_overdue');
  state.version += 1;
  state.stage = 'decision';
  state.waitingFor = 'authority';
  ctx.addFlag('evidence_overdue');
  await ctx.project();
  await ctx.sendToStaff({ kind: 'evidence_overdue', deadline: evidence.dueOn }, 'overdue');
}

/** Histories from before the register's consent to be contacted send on the check's `contactConsent` alone. */
export const registerContactConsentPatch = 'residence-register-contact-consent';

/** The "not yet" date has come: re-evaluate, give the clerk a task and, with consent, write to the person. */
async function reachEligibilityDate(ctx: CheckContext): Promise<void> {
  const { state } = ctx;
  const on = state.notYet!.until;
  ctx.note('eligibility_date_reached');
  await ctx.evaluate();
  state.version += 1;
  state.stage = 'decision';
  state.waitingFor = 'authority';
  ctx.addFlag('eligibility_date_reached');
  await ctx.project();
  await ctx.sendToStaff({ kind: 'eligibility_date_reached', on, overall: state.evaluation?.overall ?? 'unknown' }, on);
  const title = state.evaluation?.dates.find((d) => d.eligibleFrom !== null && compareLocalDates(d.eligibleFrom, on) <= 0)?.rule;
  let consent = ctx.input.contactConsent;
  if (patched(registerContactConsentPatch)) {
    // The register's dated consent decides (a withdrawal too); the check's own `contactConsent`
    // (the start request's) counts only where the register records nothing for the purpose.
    const registered = await loadResidenceContactConsent({ personId: ctx.input.personId, authorityId: ctx.input.authorityId, asOf: ctx.today() });
    consent = registered === 'none' ? ctx.input.contactConsent : registered === 'given';
  }
  if (consent && title) {
    await ctx.sendToPerson({ kind: 'eligibility_date_reached', title, on }, on);
  }
}

/**
 * A fact or a handoff changed: evaluate again. Waiting for "not yet", the timer follows the new
 * date (a date set by the clerk stays); reached already, the clerk gets the task at once.
 */
async function reevaluateOnChange(ctx: CheckContext): Promise<void> {
  const { state } = ctx;
  await ctx.evaluate();
  ctx.note('reevaluated');
  state.version += 1;
  if (state.stage === 'not_yet' && state.notYet && state.evaluation) {
    const next = state.evaluation.nextEligibleOn;
    if (next && next !== state.notYet.until) {
      state.notYet = { ...state.notYet, until: next };
      state.deadlines.notYetUntil = next;
    } else if (!next && state.evaluation.overall !== 'not_met') {
      state.notYet = { ...state.notYet, until: ctx.today() };
    }
  }
  await ctx.project();
}

/** § 25a Abs. 1 Satz 1 Nr. 3 AufenthG: the clerk is told some weeks before the last day to apply. */
async function watchAgeLimit(ctx: CheckContext): Promise<void> {
  const { state } = ctx;
  let told = state.flags.includes('age_limit_approaching');
  while (!told && state.stage !== 'decided') {
    const lastDay = state.evaluation?.dates.find((d) => d.rule === '§ 25a AufenthG')?.eligibleUntil ?? null;
    const evaluations = state.evaluations;
    if (!lastDay || compareLocalDates(lastDay, ctx.today()) < 0) {
      await condition(() => state.stage === 'decided' || state.evaluations !== evaluations);
      continue;
    }
    const noticeOn = addDays(lastDay, -ctx.settings.ageLimitNoticeDaysBefore);
    if (await waitUntil(() => state.stage === 'decided' || state.evaluations !== evaluations, ctx.untilDay(noticeOn))) continue;
    told = true;
    ctx.note('age_limit_approaching');
    state.version += 1;
    ctx.addFlag('age_limit_approaching');
    state.deadlines.lastDayToApply25a = lastDay;
    await ctx.project();
    await ctx.sendToStaff({ kind: 'age_limit_approaching', lastDayToApply: lastDay }, lastDay);
  }
}

/** § 104c AufenthG: no follow-on application some weeks before expiry → the team lead is told, the check flagged. */
async function watchTransitionEscalation(ctx: CheckContext): Promise<void> {
  const { state } = ctx;
  while (state.stage !== 'decided' && !state.flags.includes('escalated_to_team_lead')) {
    const escalationOn = state.evaluation?.transition?.escalationOn;
    const evaluations = state.evaluations;
    if (!escalationOn) {
      await condition(() => state.stage === 'decided' || state.evaluations !== evaluations);
      continue;
    }
    const wait = Math.max(0, startOfDayInBerlin(escalationOn) - Date.now());
    if (await waitUntil(() => state.stage === 'decided' || state.evaluations !== evaluations, wait)) continue;
    if (state.followOnFiledOn) {
      await condition(() => state.stage === 'decided' || !state.followOnFiledOn);
      continue;
    }
    ctx.note('transition_escalation');
    state.version += 1;
    ctx.addFlag('escalated_to_team_lead');
    await ctx.project();
    await ctx.sendToStaff({ kind: 'transition_escalation', expiresOn: state.evaluation!.transition!.expiresOn, escalationOn }, escalationOn, 'team');
  }
}
