import { condition } from '@temporalio/workflow';
import { startOfDayInBerlin } from '../../domain/calendar/berlinTime';
import { addDays } from '../../domain/calendar/localDate';
import { firstDayAfter } from '../../domain/calendar/periods';
import { determineWarningInstants } from '../../domain/naturalisation/inactionDeadline';
import { hour } from './activities';
import type { ProcedureContext } from './context';

/** The § 75 Satz 2 VwGO clock, beside the procedure, until a decision is recorded. */
export async function runInactionClock(ctx: ProcedureContext) {
  const { state, deadline, input } = ctx;
  const decided = () => state.decision !== undefined || state.stage === 'closed';
  const warnings = determineWarningInstants(deadline, input.inactionWarningLeadTimesMs);
  for (const [index, warningAt] of warnings.entries()) {
    state.deadlines.nextWarningAt = new Date(warningAt).toISOString();
    if (await condition(decided, ctx.untilInstant(warningAt))) break;
    await ctx.sendToStaff({ kind: 'inaction_warning', lawsuitPossibleFrom: deadline.lawsuitPossibleFrom }, String(index + 1));
    ctx.addFlag('inaction_warning_sent');
    state.version += 1;
    await ctx.project();
  }
  delete state.deadlines.nextWarningAt;
  if (await condition(decided, ctx.untilInstant(deadline.lawsuitPossibleAt))) return;
  ctx.addFlag('lawsuit_possible');
  state.version += 1;
  await ctx.project();
}

/** Reminder before the document deadline; at expiry a clerk task (extend, or decide on the record). */
export async function superviseDocumentRequest(ctx: ProcedureContext) {
  const { state } = ctx;
  const request = state.documentRequest!;
  const changed = () => state.stage !== 'waiting_for_documents' || state.documentRequest?.dueOn !== request.dueOn;
  if (!request.reminderSent) {
    if (await condition(changed, ctx.untilInstant(startOfDayInBerlin(request.reminderOn) + 8 * hour))) return;
    if (!state.suspended) {
      state.documentRequest = { ...state.documentRequest!, reminderSent: true };
      state.version += 1;
      const current = state.documentRequest;
      await ctx.sendToApplicant({ kind: 'documents_reminder', missing: current.missing, outdated: current.outdated, deadline: current.dueOn });
      await ctx.project();
    }
  }
  if (await condition(changed, ctx.untilInstant(startOfDayInBerlin(firstDayAfter(request.dueOn))))) return;
  ctx.addFlag('document_deadline_expired');
  state.waitingFor = 'authority';
  state.version += 1;
  await ctx.sendToStaff({ kind: 'document_deadline_expired', deadline: request.dueOn }, request.dueOn);
  await ctx.project();
  await condition(changed);
}

/** Follows up inquiries to other agencies left unanswered for the configured time. */
export async function superviseInquiries(ctx: ProcedureContext) {
  const { state } = ctx;
  const sentOn = state.inquiries![0].sentOn;
  const followUpAt = startOfDayInBerlin(addDays(sentOn, ctx.settings.inquiryFollowUpDays)) + 8 * hour;
  if (await condition(() => state.stage !== 'inquiries', ctx.untilInstant(followUpAt))) return;
  const open = state.inquiries!.filter((i) => !i.answeredOn && !i.followedUp);
  if (open.length) {
    for (const inquiry of open) inquiry.followedUp = true;
    ctx.addFlag('inquiry_overdue');
    state.version += 1;
    for (const inquiry of open) await ctx.sendToStaff({ kind: 'inquiry_overdue', inquiry: inquiry.kind, sentOn: inquiry.sentOn }, `${inquiry.kind}-${sentOn}`);
    await ctx.project();
  }
  await condition(() => state.stage !== 'inquiries');
}
