import { allHandlersFinished, ApplicationFailure, condition, proxyActivities, setHandler } from '@temporalio/workflow';
import type * as activityTypes from '../activities';
import { determineInactionDeadline, determineWarningInstants } from '../domain/naturalisation/inactionDeadline';
import { naturalisationDecisions } from '../domain/naturalisation/stages';
import {
  getNaturalisationStateQuery,
  naturalisationWorkflowId,
  recordDecisionUpdate,
  taskQueues,
  type NaturalisationState,
  type NaturalisationWorkflowInput,
  type RecordDecisionRequest,
} from './naturalisationDefinitions';

type Activities = ReturnType<typeof activityTypes.createActivities>;

// Short database work: quick retries.
const { recordCaseProjection, enqueueApplicantMessage, enqueueTeamMessage } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

// SMTP delivery: its own task queue; heartbeats so a dead worker is noticed within seconds; retried
// with backoff for as long as the mail server is down.
const { deliverMessage } = proxyActivities<Activities>({
  taskQueue: taskQueues.messages,
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '10 seconds',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

/**
 * One naturalisation application (EBH), from intake to decision: records the case, acknowledges
 * receipt to the applicant, and runs the § 75 Satz 2 VwGO clock — warnings to the team at the
 * configured lead times, then the "lawsuit possible" flag — unless a decision is recorded first.
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
  setHandler(
    recordDecisionUpdate,
    async (request: RecordDecisionRequest) => {
      state.decision = { ...request, decidedAt: new Date(Date.now()).toISOString() };
      delete (state.decision as Partial<RecordDecisionRequest>).expectedVersion;
      state.stage = 'decided';
      state.version += 1;
      await project();
      return state;
    },
    { validator: (request: RecordDecisionRequest) => validateDecision(state, request) },
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

  const decidedInTime = await condition(
    () => state.decision !== undefined,
    Math.max(0, deadline.lawsuitPossibleAt - Date.now()),
  );
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

function validateDecision(state: NaturalisationState, request: RecordDecisionRequest): void {
  if (state.decision !== undefined) {
    throw ApplicationFailure.create({ type: 'naturalisation.already_decided', message: 'a decision has already been recorded', nonRetryable: true });
  }
  if (request.expectedVersion !== state.version) {
    throw ApplicationFailure.create({
      type: 'naturalisation.version_conflict',
      message: `the case changed since it was read (version ${request.expectedVersion} was seen, it is now ${state.version})`,
      nonRetryable: true,
    });
  }
  if (!(naturalisationDecisions as readonly string[]).includes(request.outcome)) {
    throw ApplicationFailure.create({ type: 'naturalisation.invalid_decision', message: `unknown outcome ${request.outcome}`, nonRetryable: true });
  }
}
