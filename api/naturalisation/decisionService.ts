import { createApplicationQueries } from '../../db/queries/applications';
import { createAuditQueries } from '../../db/queries/audit';
import { createCaseProjectionQueries } from '../../db/queries/caseProjections';
import { createEligibilityCheckQueries, type EligibilityCheckRow } from '../../db/queries/eligibilityChecks';
import { toBerlinLocalDate } from '../../domain/calendar/berlinTime';
import {
  confirmDecisionUpdate,
  proposeDecisionUpdate,
  type DecisionProposal,
  type RecordDecisionRequest,
} from '../../workflows/naturalisationDefinitions';
import type { Principal } from '../../security/roles';
import type { ApiDependencies } from '../deps';
import { AppError } from '../errors';
import { digestDecisionProposal, performClerkAction } from './applicationService';
import { confirmFirstVersionDecision, isFirstVersionStage, proposeFirstVersionDecision } from './firstVersionDecisions';
import type { ApplicationView } from './schemas';

/** The audit action of recording an agency answer: whoever did it may not decide the case. */
const inquiryAnswerOperation = 'naturalisation.inquiry.answer';

/**
 * Proposes a decision; the proposing clerk is the caller. It takes effect only when a second clerk
 * confirms it (`confirmDecision`). An approval rests on an eligibility evaluation of the case made
 * on the decision day (§ 10 StAG: the law and the facts at the time of the decision): its overall
 * result `eligible`, or `discretion` with the clerk's decision and reason on every criterion left
 * to discretion. Otherwise it is refused (409) before the workflow is asked.
 */
export async function recordDecision(
  deps: ApiDependencies,
  principal: Principal,
  id: string,
  body: Omit<RecordDecisionRequest, 'decidedBy' | 'eligibilityCheckId'>,
): Promise<ApplicationView> {
  const operation = 'naturalisation.decision.propose';
  await refuseAnswerRecorder(deps, principal, id, operation);
  const projection = await findOwnProjection(deps, principal, id);
  if (projection && isFirstVersionStage(projection.stage)) {
    return proposeFirstVersionDecision(deps, principal, id, projection, body, (decisions) => requireApprovalEvaluation(deps, principal, id, operation, decisions));
  }
  const eligibilityCheckId = body.outcome === 'approved' ? await findApprovalEvaluation(deps, principal, id, operation, body.discretionDecisions ?? []) : undefined;
  return performClerkAction(deps, principal, id, operation, proposeDecisionUpdate, {
    ...body,
    decidedBy: principal.subject,
    ...(eligibilityCheckId ? { eligibilityCheckId } : {}),
  });
}

/**
 * Confirms the proposed decision: the caller must be a clerk other than the proposer and other
 * than whoever recorded an agency answer (four eyes; the workflow's validator checks it too). An
 * approval needs the evaluation of the confirmation day, as at the proposal.
 */
export async function confirmDecision(
  deps: ApiDependencies,
  principal: Principal,
  id: string,
  body: { expectedVersion: number; proposalId: string },
): Promise<ApplicationView> {
  const operation = 'naturalisation.decision.confirm';
  await refuseAnswerRecorder(deps, principal, id, operation);
  const projection = await findOwnProjection(deps, principal, id);
  if (projection && isFirstVersionStage(projection.stage)) {
    return confirmFirstVersionDecision(deps, principal, id, body, (decisions) => requireApprovalEvaluation(deps, principal, id, operation, decisions));
  }
  const proposal = projection?.details?.decisionProposal as DecisionProposal | null | undefined;
  // Version 2 keeps the proposal in the workflow, and a new one raises the case's version: the
  // confirmation names the proposal the clerk saw in the version they saw, and the workflow
  // refuses any other version, so the proposal sent is the one named.
  if (projection && proposal && (projection.version !== body.expectedVersion || digestDecisionProposal(proposal) !== body.proposalId)) {
    const error = projection.version !== body.expectedVersion
      ? new AppError('naturalisation.version_conflict', 409, `the case changed since it was read (version ${body.expectedVersion} was seen, it is now ${projection.version})`)
      : new AppError('naturalisation.proposal_superseded', 409, `the proposal ${body.proposalId} has been replaced by a newer one (${proposal.outcome}, proposed by ${proposal.proposedBy}); open the case again and confirm the proposal it shows`);
    await createAuditQueries(deps.pool).insertAuditEntry({
      actor: principal.subject, action: operation, authorityId: principal.authorityId, caseId: id, outcome: 'refused', detail: { reason: error.code, proposalId: body.proposalId },
    });
    throw error;
  }
  const eligibilityCheckId =
    proposal?.outcome === 'approved' ? await findApprovalEvaluation(deps, principal, id, operation, proposal.discretionDecisions ?? []) : undefined;
  return performClerkAction(deps, principal, id, operation, confirmDecisionUpdate, {
    expectedVersion: body.expectedVersion,
    actor: principal.subject,
    ...(eligibilityCheckId ? { eligibilityCheckId } : {}),
  });
}

async function findOwnProjection(deps: ApiDependencies, principal: Principal, id: string) {
  const application = await createApplicationQueries(deps.pool).findApplicationByIdAndAuthority(id, principal.authorityId);
  return application ? createCaseProjectionQueries(deps.pool).findProjectionByCaseId(id) : undefined;
}

/**
 * Four eyes, from the audit trail: a clerk who recorded an agency answer on the case neither
 * proposes nor confirms its decision (also for answers recorded before the workflow kept who).
 */
async function refuseAnswerRecorder(deps: ApiDependencies, principal: Principal, id: string, operation: string): Promise<void> {
  const audit = createAuditQueries(deps.pool);
  if (!(await audit.hasActorDoneOnCase(id, principal.subject, inquiryAnswerOperation))) return;
  await audit.insertAuditEntry({
    actor: principal.subject, action: operation, authorityId: principal.authorityId, caseId: id, outcome: 'refused', detail: { reason: 'naturalisation.four_eyes' },
  });
  throw new AppError('naturalisation.four_eyes', 403, 'the clerk who recorded an agency answer may not decide the case');
}

/** The evaluation of today an approval rests on, or a refusal (409, audited) where there is none that allows it. */
async function findApprovalEvaluation(
  deps: ApiDependencies,
  principal: Principal,
  id: string,
  operation: string,
  discretionDecisions: NonNullable<RecordDecisionRequest['discretionDecisions']>,
): Promise<string | undefined> {
  const projection = await findOwnProjection(deps, principal, id);
  // Only where an approval is possible at all: elsewhere the workflow refuses it for its stage.
  if (projection?.stage !== 'decision' || projection.suspended) return undefined;
  return requireApprovalEvaluation(deps, principal, id, operation, discretionDecisions);
}

/** The evaluation of today an approval rests on, whatever the stage; a refusal (409, audited) where there is none that allows it. */
async function requireApprovalEvaluation(
  deps: ApiDependencies,
  principal: Principal,
  id: string,
  operation: string,
  discretionDecisions: NonNullable<RecordDecisionRequest['discretionDecisions']>,
): Promise<string> {
  const today = toBerlinLocalDate(deps.clock().getTime());
  const check = await createEligibilityCheckQueries(deps.pool).findLatestEligibilityCheckOnDay(id, today);
  const refusal = findApprovalObstacle(check, discretionDecisions, today);
  if (refusal) {
    await createAuditQueries(deps.pool).insertAuditEntry({
      actor: principal.subject, action: operation, authorityId: principal.authorityId, caseId: id, outcome: 'refused', detail: { reason: refusal.code },
    });
    throw new AppError(refusal.code, 409, refusal.message);
  }
  return check!.id;
}

function findApprovalObstacle(
  check: EligibilityCheckRow | undefined,
  decisions: NonNullable<RecordDecisionRequest['discretionDecisions']>,
  today: string,
): { code: string; message: string } | undefined {
  if (!check) {
    return { code: 'naturalisation.eligibility_missing', message: `an approval needs an eligibility evaluation of the decision day (${today}) on record: run an eligibility check first` };
  }
  if (check.overall === 'eligible') return undefined;
  if (check.overall !== 'discretion') {
    return { code: 'naturalisation.not_eligible', message: `the eligibility evaluation of ${today} is ${check.overall}, not eligible` };
  }
  const open = check.result.criteria
    .filter((criterion) => criterion.status === 'discretion')
    .filter((criterion) => !decisions.some((d) => d.criterion === criterion.id && d.decision === 'met'));
  if (open.length > 0) {
    return {
      code: 'naturalisation.discretion_undecided',
      message: `criteria left to discretion need the clerk's decision (met) with a reason: ${open.map((c) => c.id).join(', ')}`,
    };
  }
  return undefined;
}
