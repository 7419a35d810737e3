import { setHandler } from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import { compareLocalDates } from '../../domain/calendar/localDate';
import { evidenceKinds, grantableTitles, residenceDecisionOutcomes } from '../../domain/residence/checkProcedure';
import {
  assignResidenceCheckUpdate,
  confirmHandoffProposalUpdate,
  decideResidenceCheckUpdate,
  recordEvidenceUpdate,
  recordFollowOnApplicationUpdate,
  type ResidenceCheckState,
} from '../residenceDefinitions';
import { handoffStatusChangedSignal } from '../shared/handoffs';
import { personFactsChangedSignal } from '../shared/personSignals';
import { refuse, requestHandoff } from './activities';
import type { CheckContext } from './checkContext';

/** What the main loop is told by the handlers: something changed that needs a new evaluation. */
export interface CheckSignals {
  reevaluate: boolean;
}

const isoDate = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The clerk actions (updates with validators that refuse before anything changes) and the
 * signals of a residence check. Registered before the first await.
 */
export function registerCheckHandlers(ctx: CheckContext, signals: CheckSignals): void {
  const { state } = ctx;

  function registerAction<R extends { expectedVersion: number }>(
    definition: UpdateDefinition<ResidenceCheckState, [R]>,
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
            refuse('residence.version_conflict', `the check changed since it was read (version ${request.expectedVersion} was seen, it is now ${state.version})`);
          }
          if (state.stage === 'decided') refuse('residence.case_closed', 'the check is decided');
          validate(request);
        },
      },
    );
  }

  registerAction(
    recordEvidenceUpdate,
    (r) => {
      if (state.stage === 'scheduled' || state.stage === 'evaluation') refuse('residence.wrong_stage', `no evidence is requested in stage ${state.stage}`);
      const unknown = r.received.filter((kind) => !(evidenceKinds as readonly string[]).includes(kind));
      if (unknown.length) refuse('residence.invalid_evidence', `unknown evidence ${unknown.join(', ')}; accepted: ${evidenceKinds.join(', ')}`);
    },
    async (r) => {
      state.findings = { ...state.findings, ...r.findings };
      state.assignee ??= r.actor;
      if (state.evidence) state.evidence.received = [...new Set([...state.evidence.received, ...r.received])];
      await ctx.evaluate();
      ctx.note('evidence_recorded');
      if (state.stage === 'awaiting_evidence' && state.evidence && state.evidence.requested.every((kind) => state.evidence!.received.includes(kind))) {
        state.stage = 'decision';
        state.waitingFor = 'authority';
        ctx.removeFlag('evidence_overdue');
      }
    },
  );

  registerAction(
    decideResidenceCheckUpdate,
    (r) => {
      if (!(residenceDecisionOutcomes as readonly string[]).includes(r.outcome)) refuse('residence.invalid_outcome', `outcome must be one of ${residenceDecisionOutcomes.join(', ')}`);
      if (state.stage === 'scheduled' || state.stage === 'evaluation') refuse('residence.wrong_stage', `no decision in stage ${state.stage}`);
      if (!r.reason?.trim()) refuse('residence.invalid_reason', 'a decision needs a reason');
      if (r.outcome === 'grant') {
        if (!r.title || !(grantableTitles as readonly string[]).includes(r.title)) refuse('residence.invalid_title', `a grant names the title: ${grantableTitles.join(' or ')}`);
        const evaluation = state.evaluation?.evaluations.find((e) => e.rule === r.title);
        if (!evaluation || evaluation.overall === 'not_met') {
          refuse('residence.invalid_grant', `${r.title} is not met on ${state.evaluation?.asOf ?? 'the last evaluation'}: ${evaluation?.criteria.filter((c) => c.status === 'not_met').map((c) => c.id).join(', ') ?? 'not evaluated'}`);
        }
      }
      if (r.outcome === 'not_yet') {
        if (r.reviewOn !== undefined && (!isoDate.test(r.reviewOn) || compareLocalDates(r.reviewOn, ctx.today()) <= 0)) {
          refuse('residence.invalid_review_date', `reviewOn must be a day after today (${ctx.today()})`);
        }
        if (r.reviewOn === undefined && !state.evaluation?.nextEligibleOn) {
          refuse('residence.invalid_not_yet', 'no date on which the time criteria will be met is computed: give reviewOn');
        }
      }
    },
    (r) => {
      state.assignee ??= r.actor;
      if (r.outcome === 'not_yet') {
        const until = r.reviewOn ?? state.evaluation!.nextEligibleOn!;
        state.notYet = { since: ctx.today(), until, reason: r.reason };
        state.stage = 'not_yet';
        state.waitingFor = 'date';
        state.deadlines.notYetUntil = until;
        ctx.removeFlag('eligibility_date_reached');
        ctx.note('not_yet');
        const deficits = state.evaluation?.deficits ?? [];
        if (deficits.length && (!state.handoff || state.handoff.status === 'not_started')) {
          state.handoff = { needs: [...deficits], proposedAt: new Date(Date.now()).toISOString(), status: 'proposed', events: [] };
          ctx.addFlag('handoff_proposed');
        }
        return;
      }
      state.decision = { outcome: r.outcome, ...(r.title ? { title: r.title } : {}), reason: r.reason, decidedBy: r.actor, decidedAt: new Date(Date.now()).toISOString() };
      state.stage = 'decided';
      state.waitingFor = null;
      ctx.note(`decided_${r.outcome}`);
    },
  );

  registerAction(
    recordFollowOnApplicationUpdate,
    (r) => {
      if (!isoDate.test(r.filedOn) || compareLocalDates(r.filedOn, ctx.today()) > 0) refuse('residence.invalid_filing_date', `filedOn must be a day not after today (${ctx.today()})`);
    },
    async (r) => {
      state.followOnFiledOn = r.filedOn;
      ctx.removeFlag('escalated_to_team_lead');
      await ctx.evaluate();
      ctx.note('follow_on_application');
    },
  );

  registerAction(
    confirmHandoffProposalUpdate,
    () => {
      if (state.handoff?.status !== 'proposed') refuse('residence.no_handoff_proposal', 'there is no handoff proposal to confirm');
    },
    async (r) => {
      const proposal = state.handoff!;
      proposal.status = 'confirmed';
      proposal.confirmedBy = r.actor;
      try {
        const result = await requestHandoff({
          requestKey: `${ctx.input.checkId}/handoff/${proposal.proposedAt}`,
          authorityId: ctx.input.authorityId,
          personId: ctx.input.personId,
          origin: { caseType: 'residence', caseId: ctx.input.checkId, workflowId: `residence/${ctx.input.checkId}` },
          needs: proposal.needs,
          urgency: 'normal',
          ...(state.notYet ? { relevantDeadline: state.notYet.until } : {}),
          requestedBy: r.actor,
        });
        if (result.started) {
          proposal.status = 'requested';
          proposal.handoffId = result.handoffId;
        } else {
          proposal.status = 'not_started';
          proposal.reason = result.reason;
          if (result.handoffId) proposal.handoffId = result.handoffId;
        }
      } catch {
        proposal.status = 'not_started';
        proposal.reason = 'handoff_unavailable';
      }
      ctx.removeFlag('handoff_proposed');
      if (proposal.status === 'requested') ctx.addFlag('handoff_requested');
    },
  );

  registerAction(
    assignResidenceCheckUpdate,
    () => undefined,
    (r) => {
      state.assignee = r.assignee;
    },
  );

  setHandler(personFactsChangedSignal, () => {
    ctx.note('facts_changed');
    signals.reevaluate = true;
  });
  setHandler(handoffStatusChangedSignal, (change) => {
    if (!state.handoff) return;
    state.handoff.events.push({ ...change, at: new Date(Date.now()).toISOString() });
    // Recorded (and projected) on every change; an outcome may change the facts, so the check
    // re-evaluates on every signal — the evaluation reads the register anew.
    signals.reevaluate = true;
  });
}
