import { patched, setHandler } from '@temporalio/workflow';
import { determineInactionDeadline } from '../../domain/naturalisation/inactionDeadline';
import { getNaturalisationStateQuery, type NaturalisationState, type NaturalisationWorkflowInput } from '../naturalisationDefinitions';
import { runFirstVersion } from './firstVersion';
import { runProcedure } from './procedure';

/**
 * Version 2 of the workflow's logic: the procedure stages (completeness check, document
 * requests, inquiries, decision, certificate). Applications started before it keep running the
 * first version to their end; `patched` tells which one a history belongs to.
 */
export const procedureStagesPatch = 'naturalisation-procedure-stages';

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
