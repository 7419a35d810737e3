import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createAccessCodeQueries } from '../../db/queries/accessCodes';
import { generateAccessCode, hashAccessCode } from '../../security/accessCodes';
import { accessCodeSettings } from './applicantAccess';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import {
  createApplicationQueries,
  type NaturalisationApplicationRow,
  type NewNaturalisationApplication,
} from '../../db/queries/applications';
import { createAuditQueries } from '../../db/queries/audit';
import { createCaseProjectionQueries } from '../../db/queries/caseProjections';
import { createFirstVersionDecisionQueries } from '../../db/queries/firstVersionDecisions';
import { createPersonQueries } from '../../db/queries/persons';
import { withTransaction } from '../../db/transaction';
import { toBerlinLocalDate } from '../../domain/calendar/berlinTime';
import type { naturalisationApplication } from '../../workflows/naturalisation';
import {
  defaultProcedureSettings,
  naturalisationWorkflowId,
  confirmDecisionUpdate,
  proposeDecisionUpdate,
  recordDecisionUpdate,
  taskQueues,
  type DecisionProposal,
  type NaturalisationState,
} from '../../workflows/naturalisationDefinitions';
import type { UpdateDefinition } from '@temporalio/common';
import type { ApiDependencies } from '../deps';
import { AppError, assertThat } from '../errors';
import { assertDatesOfBirthNotAfter } from '../fields';
import type { Principal } from '../../security/roles';
import type { ApplicationView, CreateApplicationBody } from './schemas';

/** A reference staff and applicants can quote: EBH-<year>-<10 base32 characters>. */
export function generateReference(year: string): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(10);
  return `EBH-${year}-${Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('')}`;
}

/** How long a code's clear text waits for the letter that tells it, at most. */
export const messageSecretLifetimeMs = 14 * 86_400_000;

function hashRequest(body: unknown): string {
  return createHash('sha256').update(JSON.stringify(body)).digest('hex');
}

/**
 * Registers a naturalisation application and starts its workflow. With an idempotency key, a
 * repeated request returns the case the first one created (and makes sure its workflow runs).
 */
export async function registerApplication(
  deps: ApiDependencies,
  principal: Principal,
  body: CreateApplicationBody,
  idempotencyKey: string | undefined,
): Promise<{ created: boolean; view: ApplicationView & { accessCode?: string } }> {
  const today = toBerlinLocalDate(deps.clock().getTime());
  const filedOn = body.filedOn ?? today;
  assertDatesOfBirthNotAfter(deps.clock, [{ path: 'body.applicant.dateOfBirth', value: body.applicant.dateOfBirth }]);
  assertThat(
    filedOn <= today,
    new AppError('request.invalid', 400, 'the request is invalid', [{ path: 'body.filedOn', message: `must not lie after today (${today})` }]),
  );

  if (body.personId) {
    const person = await createPersonQueries(deps.pool).findPersonByIdAndAuthority(body.personId, principal.authorityId);
    assertThat(
      person,
      new AppError('request.invalid', 422, 'the request is invalid', [{ path: 'body.personId', message: "no such person in the register of the caller's authority" }]),
    );
  }
  const id = randomUUID();
  let created = false;
  const { pepper } = accessCodeSettings(deps);
  const accessCode = generateAccessCode();
  const application = await withTransaction(deps.pool, async (client) => {
    const applications = createApplicationQueries(client);
    let application: NaturalisationApplicationRow | undefined;
    let existingId: string | undefined;
    if (idempotencyKey) {
      const claim = await applications.claimIdempotencyKey(principal.authorityId, idempotencyKey, hashRequest(body), id);
      if (claim.caseId !== id) {
        assertThat(
          claim.requestHash === hashRequest(body),
          new AppError('idempotency_key.reused', 422, 'this Idempotency-Key was already used for a different request'),
        );
        existingId = claim.caseId;
      }
    }
    if (existingId) {
      application = await applications.findApplicationByIdAndAuthority(existingId, principal.authorityId);
    } else {
      const fresh: NewNaturalisationApplication = {
        id,
        authority_id: principal.authorityId,
        reference: generateReference(filedOn.slice(0, 4)),
        given_names: body.applicant.givenNames,
        family_name: body.applicant.familyName,
        date_of_birth: body.applicant.dateOfBirth,
        email: body.applicant.email,
        preferred_language: body.applicant.preferredLanguage,
        filed_on: filedOn,
        person_id: body.personId ?? null,
      };
      await applications.insertApplication(fresh);
      // The keyed hash for the lookup; the clear code only until the acknowledgement is delivered.
      const codes = createAccessCodeQueries(client);
      await codes.setAccessCodeHash(fresh.id, hashAccessCode(accessCode, pepper));
      await codes.putMessageSecret(fresh.id, accessCode, new Date(deps.clock().getTime() + messageSecretLifetimeMs));
      application = { ...fresh, person_id: fresh.person_id ?? null, created_at: new Date(), anonymised_at: null };
      created = true;
    }
    await createAuditQueries(client).insertAuditEntry({
      actor: principal.subject,
      action: created ? 'naturalisation.application.create' : 'naturalisation.application.replay',
      authorityId: principal.authorityId,
      caseId: application!.id,
    });
    return application;
  });
  assertThat(application, new AppError('internal', 500, 'internal error'));
  await ensureWorkflowStarted(deps, application, created);
  const view = await readApplicationView(deps, principal, application.id, false);
  // The access code is shown once, to the clerk who registers the application.
  return { created, view: created ? { ...view, accessCode } : view };
}

/**
 * Starts the application's workflow unless it runs already. Safe to repeat: the workflow id
 * derives from the application id, and an existing run is used.
 */
export async function ensureWorkflowStarted(
  deps: Pick<ApiDependencies, 'temporal' | 'settings'>,
  application: Pick<NaturalisationApplicationRow, 'id' | 'authority_id' | 'filed_on'> & { reference?: string; person_id?: string | null },
  accessCodeByLetter = false,
): Promise<void> {
  await deps.temporal.workflow.start<typeof naturalisationApplication>('naturalisationApplication', {
    taskQueue: taskQueues.naturalisation,
    workflowId: naturalisationWorkflowId(application.id),
    workflowIdConflictPolicy: 'USE_EXISTING',
    args: [
      {
        applicationId: application.id,
        authorityId: application.authority_id,
        filedOn: application.filed_on,
        ...(application.reference ? { reference: application.reference } : {}),
        ...(application.person_id ? { personId: application.person_id } : {}),
        inactionWarningLeadTimesMs: deps.settings.inactionWarningLeadTimesMs,
        procedure: defaultProcedureSettings,
        // The code itself never enters the workflow: its letter carries a placeholder.
        ...(accessCodeByLetter ? { accessCodeByLetter: true } : {}),
      },
    ],
  });
}

/**
 * Starts the workflows of applications that were stored but whose start did not happen (the
 * API stopped, or Temporal was unreachable, between the two). Run at API start.
 */
export async function startMissingWorkflows(deps: ApiDependencies): Promise<number> {
  const rows = await createApplicationQueries(deps.pool).listApplicationsWithoutProjection();
  for (const application of rows) await ensureWorkflowStarted(deps, application);
  return rows.length;
}

/**
 * The id by which a confirmation names a version-2 case's pending proposal (kept in the workflow,
 * which gives it none): a SHA-256 digest of everything the proposal says, who made it and when.
 * A new proposal, even with the same content, has another time and so another id.
 */
export function digestDecisionProposal(proposal: DecisionProposal): string {
  const { outcome, reason, proposedBy, proposedAt, minorChildren, refusalFeeEuro, eligibilityCheckId, discretionDecisions } = proposal;
  const content = [outcome, reason, proposedBy, proposedAt, minorChildren ?? null, refusalFeeEuro ?? null, eligibilityCheckId ?? null, discretionDecisions ?? null];
  return createHash('sha256').update(JSON.stringify(content)).digest('hex');
}

/**
 * The pending decision proposal as the case view shows it, with the id its confirmation names
 * (`details.decisionProposal.id`). A case on workflow version 1 (stage `in_progress`) keeps its
 * proposal in PostgreSQL, not in the workflow (firstVersionDecisions.ts), with its own id: the
 * view shows it where a version 2 case shows its own, so the second clerk sees what to confirm.
 */
async function proposalDetails(
  deps: ApiDependencies,
  principal: Principal,
  caseId: string,
  stage: string | undefined,
  details: Record<string, unknown> | undefined,
): Promise<Record<string, unknown>> {
  if (stage !== 'in_progress') {
    const proposal = details?.decisionProposal as DecisionProposal | null | undefined;
    return proposal ? { decisionProposal: { ...proposal, id: digestDecisionProposal(proposal) } } : {};
  }
  const pending = await createFirstVersionDecisionQueries(deps.pool).findPendingProposalByCaseAndAuthority(caseId, principal.authorityId);
  if (!pending) return { decisionProposal: null };
  const { minorChildren, refusalFeeEuro, discretionDecisions } = pending.request as Pick<DecisionProposal, 'minorChildren' | 'refusalFeeEuro' | 'discretionDecisions'>;
  const proposal: DecisionProposal & { id: string } = {
    id: pending.proposal_id,
    outcome: pending.outcome as DecisionProposal['outcome'],
    reason: pending.reason,
    proposedBy: pending.proposed_by,
    proposedAt: pending.proposed_at.toISOString(),
    ...(minorChildren !== undefined ? { minorChildren } : {}),
    ...(refusalFeeEuro !== undefined ? { refusalFeeEuro } : {}),
    ...(discretionDecisions ? { discretionDecisions } : {}),
  };
  return { decisionProposal: proposal };
}

/**
 * Reads one application of the caller's authority. Another authority's case is not found (the
 * query is scoped in SQL) and the attempt is audited as refused.
 */
export async function readApplicationView(deps: ApiDependencies, principal: Principal, id: string, audit = true): Promise<ApplicationView> {
  const application = await createApplicationQueries(deps.pool).findApplicationByIdAndAuthority(id, principal.authorityId);
  if (audit) {
    await createAuditQueries(deps.pool).insertAuditEntry({
      actor: principal.subject,
      action: 'naturalisation.application.view',
      authorityId: principal.authorityId,
      caseId: id,
      outcome: application ? 'allowed' : 'refused',
      ...(application ? {} : { detail: { reason: 'no such case in the caller\'s authority' } }),
    });
  }
  assertThat(application, new AppError('application.not_found', 404, `no naturalisation application ${id}`));
  const projection = await createCaseProjectionQueries(deps.pool).findProjectionByCaseId(id);
  return {
    id: application.id,
    reference: application.reference,
    authorityId: application.authority_id,
    filedOn: application.filed_on,
    personId: application.person_id ?? null,
    applicant: {
      givenNames: application.given_names,
      familyName: application.family_name,
      dateOfBirth: application.date_of_birth,
      email: application.email,
      preferredLanguage: application.preferred_language,
    },
    workflowId: naturalisationWorkflowId(application.id),
    stage: (projection?.stage as ApplicationView['stage']) ?? 'registering',
    version: projection?.version ?? 0,
    // A closed case waits for nobody (null); a case not projected yet waits for the authority.
    waitingFor: projection ? projection.waitingFor : 'authority',
    flags: projection?.flags ?? [],
    deadlines: projection?.deadlines ?? {},
    decision: projection?.decision ?? null,
    team: projection?.team ?? 'default',
    assignee: projection?.assignee ?? null,
    suspended: projection?.suspended ?? false,
    nextDueAt: projection?.nextDueAt ?? null,
    details: { ...(projection?.details ?? {}), ...(await proposalDetails(deps, principal, id, projection?.stage, projection?.details)) },
  };
}

/**
 * Performs a clerk action on a case through its workflow's update. The workflow's validator has
 * the last word: what the stage does not allow is refused (409, or 422 for an invalid value)
 * before anything changes. Refusals and successes are audited.
 */
export async function performClerkAction<Request extends { expectedVersion: number }>(
  deps: ApiDependencies,
  principal: Principal,
  id: string,
  operation: string,
  update: UpdateDefinition<NaturalisationState, [Request]>,
  request: Request,
): Promise<ApplicationView> {
  const audit = (outcome: 'allowed' | 'refused', detail: Record<string, unknown>) =>
    createAuditQueries(deps.pool).insertAuditEntry({ actor: principal.subject, action: operation, authorityId: principal.authorityId, caseId: id, outcome, detail });
  const application = await createApplicationQueries(deps.pool).findApplicationByIdAndAuthority(id, principal.authorityId);
  if (!application) await audit('refused', { reason: "no such case in the caller's authority" });
  assertThat(application, new AppError('application.not_found', 404, `no naturalisation application ${id}`));
  const projection = await createCaseProjectionQueries(deps.pool).findProjectionByCaseId(id);
  const decisionUpdates: string[] = [recordDecisionUpdate.name, proposeDecisionUpdate.name, confirmDecisionUpdate.name];
  if (decisionUpdates.includes(update.name) && projection?.decision) {
    await audit('refused', { reason: 'already decided' });
    throw new AppError('naturalisation.already_decided', 409, 'a decision has already been recorded');
  }
  try {
    await deps.temporal.workflow.getHandle(naturalisationWorkflowId(id)).executeUpdate(update, { args: [request] });
  } catch (error) {
    const cause = error instanceof WorkflowUpdateFailedError ? error.cause : undefined;
    if (cause instanceof ApplicationFailure) {
      // Four eyes: the caller is the wrong person for this action (403); an invalid value 422; else the stage 409.
      const status = cause.type === 'naturalisation.four_eyes' ? 403 : /\.(invalid|unknown)_/.test(cause.type ?? '') ? 422 : 409;
      await audit('refused', { reason: cause.message });
      throw new AppError(cause.type ?? 'naturalisation.update_refused', status, cause.message);
    }
    if (error instanceof WorkflowNotFoundError) {
      await audit('refused', { reason: 'case closed' });
      throw new AppError('naturalisation.case_closed', 409, 'the case is closed; it takes no more actions');
    }
    throw error;
  }
  await audit('allowed', { ...('outcome' in request ? { outcome: request.outcome } : {}) });
  return readApplicationView(deps, principal, id, false);
}
