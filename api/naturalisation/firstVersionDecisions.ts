import { randomUUID } from 'node:crypto';
import { createAuditQueries } from '../../db/queries/audit';
import type { CaseProjection } from '../../db/queries/caseProjections';
import { createFirstVersionDecisionQueries } from '../../db/queries/firstVersionDecisions';
import { withTransaction } from '../../db/transaction';
import { recordDecisionUpdate, type RecordDecisionRequest } from '../../workflows/naturalisationDefinitions';
import type { Principal } from '../../security/roles';
import type { ApiDependencies } from '../deps';
import { AppError } from '../errors';
import { performClerkAction, readApplicationView } from './applicationService';
import type { ApplicationView } from './schemas';

/**
 * Decisions on cases still running workflow version 1 (workflows/naturalisation/firstVersion.ts).
 *
 * Version 1 has one `recordDecision` update and no proposal or confirmation, and its code stays
 * unchanged so its recorded histories replay. The four-eyes rule is therefore kept by the API:
 * the proposal is stored in PostgreSQL (`naturalisation_v1_decision_proposals`) and audited; a
 * second clerk — not the proposer, not whoever recorded an agency answer (checked by the caller,
 * decisionService.ts) — confirms it, and only then the v1 workflow receives its own decision
 * update (its validator still checks the version and that nothing was decided). An approval rests
 * on an eligibility evaluation of the day, at the proposal and at the confirmation, as in v2.
 * A new proposal replaces the pending one without changing the case's version, so every proposal
 * has its own id, shown with it in the case view, and the confirmation names the id it confirms:
 * a replaced proposal is never confirmed (409 `naturalisation.proposal_superseded`).
 * Migrating running v1 workflows was not chosen: their § 75 VwGO timers and projection would
 * have to be rebuilt in a new run, for a few old cases that end with this decision anyway.
 */

/** Only workflow version 1 reports the stage `in_progress` (domain/naturalisation/stages.ts). */
export function isFirstVersionStage(stage: string): boolean {
  return stage === 'in_progress';
}

type ApprovalCheck = (discretionDecisions: NonNullable<RecordDecisionRequest['discretionDecisions']>) => Promise<string>;
type DecisionBody = Omit<RecordDecisionRequest, 'decidedBy' | 'eligibilityCheckId'>;

async function refuse(deps: ApiDependencies, principal: Principal, id: string, operation: string, error: AppError, detail: Record<string, unknown> = {}): Promise<never> {
  await createAuditQueries(deps.pool).insertAuditEntry({
    actor: principal.subject, action: operation, authorityId: principal.authorityId, caseId: id, outcome: 'refused', detail: { reason: error.code, workflowVersion: 1, ...detail },
  });
  throw error;
}

function superseded(named: string, pending: { proposal_id: string; outcome: string; proposed_by: string }): AppError {
  return new AppError(
    'naturalisation.proposal_superseded',
    409,
    `the proposal ${named} has been replaced by a newer one (${pending.proposal_id}: ${pending.outcome}, proposed by ${pending.proposed_by}); open the case again and confirm the proposal it shows`,
  );
}

/** Stores and audits the proposal of a v1 case's decision; nothing is sent to the workflow yet. */
export async function proposeFirstVersionDecision(
  deps: ApiDependencies,
  principal: Principal,
  id: string,
  projection: CaseProjection,
  body: DecisionBody,
  checkApproval: ApprovalCheck,
): Promise<ApplicationView> {
  const operation = 'naturalisation.decision.propose';
  if (projection.decision) await refuse(deps, principal, id, operation, new AppError('naturalisation.already_decided', 409, 'a decision has already been recorded'));
  if (body.expectedVersion !== projection.version) {
    await refuse(deps, principal, id, operation, new AppError('naturalisation.version_conflict', 409, `the case changed since it was read (version ${body.expectedVersion} was seen, it is now ${projection.version})`));
  }
  if (body.outcome === 'approved') await checkApproval(body.discretionDecisions ?? []);
  const { outcome, reason, expectedVersion, ...request } = body;
  const proposalId = randomUUID();
  await withTransaction(deps.pool, async (client) => {
    const stored = await createFirstVersionDecisionQueries(client).upsertPendingProposal({
      caseId: id, proposalId, authorityId: principal.authorityId, outcome, reason, request, seenVersion: expectedVersion, proposedBy: principal.subject,
    });
    if (!stored) throw new AppError('naturalisation.already_decided', 409, 'a decision has already been confirmed');
    await createAuditQueries(client).insertAuditEntry({
      actor: principal.subject, action: operation, authorityId: principal.authorityId, caseId: id, detail: { outcome, proposalId, workflowVersion: 1 },
    });
  });
  return readApplicationView(deps, principal, id, false);
}

/**
 * Confirms the named pending proposal of a v1 case as a second clerk, then sends the v1 workflow
 * its decision update (the proposer is the deciding clerk; who confirmed is kept with the
 * proposal and in the audit trail). The proposal is marked confirmed first, only if it is still
 * the pending one, so a proposal made meanwhile can neither replace it nor be sent in its place;
 * a refused update takes the mark back and leaves the proposal pending.
 */
export async function confirmFirstVersionDecision(
  deps: ApiDependencies,
  principal: Principal,
  id: string,
  body: { expectedVersion: number; proposalId: string },
  checkApproval: ApprovalCheck,
): Promise<ApplicationView> {
  const operation = 'naturalisation.decision.confirm';
  const named = { proposalId: body.proposalId };
  const proposals = createFirstVersionDecisionQueries(deps.pool);
  const pending = await proposals.findPendingProposalByCaseAndAuthority(id, principal.authorityId);
  if (!pending) await refuse(deps, principal, id, operation, new AppError('naturalisation.no_proposal', 409, 'no decision has been proposed'), named);
  // Compared here, before the id reaches SQL: a value that is no UUID is simply not this proposal.
  if (pending!.proposal_id !== body.proposalId) await refuse(deps, principal, id, operation, superseded(body.proposalId, pending!), named);
  if (pending!.proposed_by === principal.subject) {
    await refuse(deps, principal, id, operation, new AppError('naturalisation.four_eyes', 403, 'the clerk who proposed the decision may not confirm it'), named);
  }
  const request = pending!.request as Partial<RecordDecisionRequest>;
  const eligibilityCheckId = pending!.outcome === 'approved' ? await checkApproval(request.discretionDecisions ?? []) : undefined;
  const proposal = await proposals.confirmPendingProposalById(id, pending!.proposal_id, principal.subject);
  if (!proposal) {
    const now = await proposals.findPendingProposalByCaseAndAuthority(id, principal.authorityId);
    await refuse(deps, principal, id, operation, now ? superseded(body.proposalId, now) : new AppError('naturalisation.already_decided', 409, 'a decision has already been confirmed'), named);
  }
  let view: ApplicationView;
  try {
    view = await performClerkAction(deps, principal, id, operation, recordDecisionUpdate, {
      ...(proposal!.request as Partial<RecordDecisionRequest>),
      outcome: proposal!.outcome as RecordDecisionRequest['outcome'],
      reason: proposal!.reason,
      decidedBy: proposal!.proposed_by,
      expectedVersion: body.expectedVersion,
      ...(eligibilityCheckId ? { eligibilityCheckId } : {}),
    });
  } catch (error) {
    await proposals.releaseConfirmation(id, proposal!.proposal_id, principal.subject);
    throw error;
  }
  await createAuditQueries(deps.pool).insertAuditEntry({
    actor: principal.subject, action: 'naturalisation.decision.decide', authorityId: principal.authorityId, caseId: id,
    detail: { outcome: proposal!.outcome, proposalId: proposal!.proposal_id, proposedBy: proposal!.proposed_by, confirmedBy: principal.subject, workflowVersion: 1 },
  });
  return view;
}
