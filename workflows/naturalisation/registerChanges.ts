import { condition, setHandler } from '@temporalio/workflow';
import { handoffStatusChangedSignal, type HandoffStatusChanged } from '../shared/handoffs';
import { personFactsChangedSignal, type PersonFactsChanged } from '../shared/personSignals';
import { reevaluateNaturalisationEligibility } from './activities';
import type { ProcedureContext } from './context';

/**
 * What reaches a case from outside its procedure: a change of its person's register facts (the
 * register signals every open case of the person) and reports of case management on a handoff.
 * A fact change re-evaluates § 10 StAG on the register and shows the clerk which criteria
 * changed (projection, flag, notice); a handoff report is recorded and told to the clerk.
 *
 * Histories recorded before these signals existed never received them, so handling them changes
 * nothing in their replay.
 */
export function registerOutsideEvents(ctx: ProcedureContext): { supervise: () => Promise<void> } {
  const { state } = ctx;
  const factChanges: PersonFactsChanged[] = [];
  const handoffReports: HandoffStatusChanged[] = [];
  setHandler(personFactsChangedSignal, (change) => {
    if (state.stage !== 'closed') factChanges.push(change);
  });
  setHandler(handoffStatusChangedSignal, (report) => {
    if (state.stage !== 'closed') handoffReports.push(report);
  });
  const closed = () => state.stage === 'closed';

  async function supervise(): Promise<void> {
    for (;;) {
      await condition(() => factChanges.length > 0 || handoffReports.length > 0 || closed());
      if (closed()) return;
      if (handoffReports.length > 0) {
        const report = handoffReports.shift()!;
        state.handoffReports = [...(state.handoffReports ?? []), { ...report, at: new Date(Date.now()).toISOString() }];
        ctx.addFlag('handoff_reported');
        state.version += 1;
        await ctx.sendToStaff({ kind: 'handoff_update', status: report.status, reason: report.reason, outcome: report.outcome }, `${report.handoffId}-${report.status}-${state.version}`);
        await ctx.project();
        continue;
      }
      // Several changes that arrived together are one evaluation.
      const batch = factChanges.splice(0, factChanges.length);
      const evaluatedOn = ctx.today();
      const result = await reevaluateNaturalisationEligibility({ caseId: ctx.input.applicationId, asOf: evaluatedOn });
      if (!result.evaluated) continue;
      state.eligibility = { overall: result.overall!, checkId: result.checkId!, evaluatedOn, changed: result.changed };
      ctx.addFlag('facts_changed');
      state.version += 1;
      await ctx.sendToStaff({ kind: 'facts_changed', overall: result.overall!, changed: result.changed }, `${batch[batch.length - 1].version}`);
      await ctx.project();
    }
  }
  return { supervise };
}
