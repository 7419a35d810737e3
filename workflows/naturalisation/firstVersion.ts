import { allHandlersFinished, condition, setHandler } from '@temporalio/workflow';
import { determineWarningInstants, type InactionDeadline } from '../../domain/naturalisation/inactionDeadline';
import { naturalisationDecisions } from '../../domain/naturalisation/stages';
import {
  naturalisationWorkflowId,
  recordDecisionUpdate,
  type NaturalisationState,
  type NaturalisationWorkflowInput,
  type RecordDecisionRequest,
} from '../naturalisationDefinitions';
import { deliverMessage, enqueueApplicantMessage, enqueueTeamMessage, recordCaseProjection, refuse } from './activities';

// Version 1: intake, acknowledgement, the § 75 clock and a decision. Kept unchanged for the
// applications that started with it (proved by the replay test over recorded histories).

export async function runFirstVersion(input: NaturalisationWorkflowInput, state: NaturalisationState, deadline: InactionDeadline) {
  setHandler(
    recordDecisionUpdate,
    async (request: RecordDecisionRequest) => {
      state.decision = { outcome: request.outcome, reason: request.reason, decidedBy: request.decidedBy, decidedAt: new Date(Date.now()).toISOString() };
      state.stage = 'decided';
      state.version += 1;
      await project();
      return state;
    },
    { validator: (request: RecordDecisionRequest) => validateFirstVersionDecision(state, request) },
  );

  const project = () =>
    recordCaseProjection({
      caseId: input.applicationId,
      caseType: 'naturalisation',
      authorityId: input.authorityId,
      workflowId: naturalisationWorkflowId(input.applicationId),
      version: state.version,
      stage: state.stage,
      waitingFor: state.stage === 'decided' ? null : 'authority',
      flags: state.flags,
      deadlines: { ...state.deadlines },
      decision: state.decision ? { ...state.decision } : null,
    });

  await project();

  const acknowledgementKey = `${input.applicationId}/acknowledgement/1`;
  await enqueueApplicantMessage({ messageKey: acknowledgementKey, applicationId: input.applicationId, kind: 'naturalisation.acknowledgement' });
  await deliverMessage(acknowledgementKey);
  if (state.stage === 'received') {
    state.stage = 'in_progress';
    state.version += 1;
    await project();
  }

  const warnings = determineWarningInstants(deadline, input.inactionWarningLeadTimesMs);
  for (const [index, warningAt] of warnings.entries()) {
    state.deadlines.nextWarningAt = new Date(warningAt).toISOString();
    const decided = await condition(() => state.decision !== undefined, Math.max(0, warningAt - Date.now()));
    if (decided) break;
    const key = `${input.applicationId}/inaction-warning/${index + 1}`;
    await enqueueTeamMessage({
      messageKey: key,
      applicationId: input.applicationId,
      kind: 'naturalisation.inaction_warning',
      lawsuitPossibleFrom: deadline.lawsuitPossibleFrom,
    });
    await deliverMessage(key);
    if (!state.flags.includes('inaction_warning_sent')) state.flags.push('inaction_warning_sent');
    state.version += 1;
    await project();
  }
  delete state.deadlines.nextWarningAt;

  const decidedInTime = await condition(() => state.decision !== undefined, Math.max(0, deadline.lawsuitPossibleAt - Date.now()));
  if (!decidedInTime) {
    state.flags.push('lawsuit_possible');
    state.version += 1;
    await project();
    await condition(() => state.decision !== undefined);
  }
  // The update handler may still be projecting the decision; finish only after it has.
  await condition(allHandlersFinished);
  return state;
}

function validateFirstVersionDecision(state: NaturalisationState, request: RecordDecisionRequest): void {
  if (state.decision !== undefined) refuse('naturalisation.already_decided', 'a decision has already been recorded');
  if (request.expectedVersion !== state.version) {
    refuse('naturalisation.version_conflict', `the case changed since it was read (version ${request.expectedVersion} was seen, it is now ${state.version})`);
  }
  if (!(naturalisationDecisions as readonly string[]).includes(request.outcome)) {
    refuse('naturalisation.invalid_decision', `unknown outcome ${request.outcome}`);
  }
}

