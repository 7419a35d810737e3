import { setHandler } from '@temporalio/workflow';
import { determineInactionDeadline } from '../../domain/naturalisation/inactionDeadline';
import { getNaturalisationStateQuery, type NaturalisationState, type NaturalisationWorkflowInput } from '../../workflows/naturalisationDefinitions';
import { runFirstVersion } from '../../workflows/naturalisation/firstVersion';

/**
 * The naturalisation workflow as deployed before the procedure stages (workflow version 1): the
 * same entry as workflows/naturalisation/index.ts without the `patched()` call, so a run started
 * with this bundle records a version-1 history — as the applications started before version 2
 * did. A worker with today's bundle then takes the run over and replays it as version 1.
 */
export async function naturalisationApplication(input: NaturalisationWorkflowInput): Promise<NaturalisationState> {
  const deadline = determineInactionDeadline(input.filedOn);
  const state: NaturalisationState = {
    applicationId: input.applicationId,
    stage: 'received',
    version: 1,
    flags: [],
    deadlines: { inactionPeriodEndsOn: deadline.periodEndsOn, lawsuitPossibleFrom: deadline.lawsuitPossibleFrom },
  };
  setHandler(getNaturalisationStateQuery, () => state);
  return runFirstVersion(input, state, deadline);
}
