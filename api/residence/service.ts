import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure, type UpdateDefinition } from '@temporalio/common';
import { ensureResidenceWorkflowStarted, generateResidenceReference } from '../../activities/residence';
import { createAuditQueries } from '../../db/queries/audit';
import { createCaseProjectionQueries } from '../../db/queries/caseProjections';
import { createPersonQueries } from '../../db/queries/persons';
import { createResidenceCheckQueries, type ResidenceCheckKind, type ResidenceCheckRow } from '../../db/queries/residenceChecks';
import { toBerlinLocalDate } from '../../domain/calendar/berlinTime';
import type { CheckEvaluation } from '../../domain/residence/checkProcedure';
import type { Principal } from '../../security/roles';
import { defaultResidenceCheckSettings, residenceWorkflowId } from '../../workflows/residenceDefinitions';
import type { ApiDependencies } from '../deps';
import { AppError, assertThat } from '../errors';
import type { CheckView } from './schemas';

/**
 * Residence checks through the API: every read and write scoped to the caller's authority in
 * SQL and audited (refusals too); a check changes only through its workflow's updates.
 */

const notFound = (id: string) => new AppError('residence.check_not_found', 404, `no residence check ${id}`);

function audit(deps: Pick<ApiDependencies, 'pool'>, principal: Principal, action: string, caseId: string | null, outcome: 'allowed' | 'refused', detail: Record<string, unknown> = {}) {
  return createAuditQueries(deps.pool).insertAuditEntry({ actor: principal.subject, action, authorityId: principal.authorityId, ...(caseId ? { caseId } : {}), outcome, detail });
}

/** Starts an eligibility check (§ 25a/§ 25b AufenthG) of a person of the caller's authority. */
export async function startResidenceCheck(deps: ApiDependencies, principal: Principal, body: { personId: string; contactConsent: boolean }): Promise<CheckView> {
  const person = await createPersonQueries(deps.pool).findPersonByIdAndAuthority(body.personId, principal.authorityId);
  if (!person) {
    await audit(deps, principal, 'residence.check.start', null, 'refused', { personId: body.personId, reason: "no such person in the caller's authority" });
    throw new AppError('person.not_found', 404, `no person ${body.personId}`);
  }
  const check = await createResidenceCheckQueries(deps.pool).insertCheck({
    id: randomUUID(),
    authorityId: principal.authorityId,
    personId: person.id,
    kind: 'eligibility',
    periodId: null,
    reference: generateResidenceReference(toBerlinLocalDate(deps.clock().getTime()).slice(0, 4)),
    contactConsent: body.contactConsent,
    requestedBy: principal.subject,
  });
  await audit(deps, principal, 'residence.check.start', check.id, 'allowed', { personId: person.id });
  await startCheckWorkflow(deps, check);
  return viewOf(deps, check);
}

/** Starts (or finds running) the workflow of a stored check; safe to repeat. */
export async function startCheckWorkflow(deps: Pick<ApiDependencies, 'temporal'>, check: ResidenceCheckRow): Promise<void> {
  const base = { checkId: check.id, authorityId: check.authorityId, personId: check.personId, reference: check.reference };
  if (check.kind === 'permit_expiry') {
    await ensureResidenceWorkflowStarted(deps.temporal, 'permitExpiryWatch', { ...base, periodId: check.periodId! });
  } else {
    await ensureResidenceWorkflowStarted(deps.temporal, 'residenceCheck', { ...base, kind: check.kind, contactConsent: check.contactConsent, settings: defaultResidenceCheckSettings });
  }
}

async function findCheck(deps: ApiDependencies, principal: Principal, id: string, operation: string): Promise<ResidenceCheckRow> {
  const check = await createResidenceCheckQueries(deps.pool).findCheckByIdAndAuthority(id, principal.authorityId);
  if (!check) await audit(deps, principal, operation, id, 'refused', { reason: "no such check in the caller's authority" });
  assertThat(check, notFound(id));
  return check;
}

/** One check of the caller's authority, with every criterion, its paragraph and its reason. */
export async function readResidenceCheck(deps: ApiDependencies, principal: Principal, id: string): Promise<CheckView> {
  const check = await findCheck(deps, principal, id, 'residence.check.view');
  await audit(deps, principal, 'residence.check.view', id, 'allowed');
  return viewOf(deps, check);
}

async function viewOf(deps: Pick<ApiDependencies, 'pool'>, check: ResidenceCheckRow): Promise<CheckView> {
  const projection = await createCaseProjectionQueries(deps.pool).findProjectionByCaseId(check.id);
  const details = projection?.details ?? {};
  const evaluation = (details.evaluation ?? null) as CheckEvaluation | null;
  return {
    id: check.id,
    reference: check.reference,
    kind: check.kind,
    personId: check.personId,
    workflowId: residenceWorkflowId(check.id),
    stage: projection?.stage ?? 'starting',
    version: projection?.version ?? 0,
    waitingFor: projection ? projection.waitingFor : 'authority',
    flags: projection?.flags ?? [],
    deadlines: projection?.deadlines ?? {},
    decision: projection?.decision ?? null,
    assignee: projection?.assignee ?? null,
    nextDueAt: projection?.nextDueAt ?? null,
    contactConsent: check.contactConsent,
    evaluation: evaluation
      ? {
          asOf: evaluation.asOf,
          ruleSetVersion: evaluation.ruleSetVersion,
          overall: evaluation.overall,
          nextEligibleOn: evaluation.nextEligibleOn,
          titles: evaluation.evaluations.map((e) => ({
            rule: e.rule,
            overall: e.overall,
            eligibleFrom: e.eligibleFrom,
            eligibleUntil: e.eligibleUntil,
            criteria: e.criteria.map((c) => ({ id: c.id, status: c.status, basis: c.basis, reason: c.reason, ...(c.becomesMetOn === undefined ? {} : { becomesMetOn: c.becomesMetOn }) })),
          })),
          evidenceNeeded: evaluation.evidenceNeeded,
          deficits: evaluation.deficits,
          transition: evaluation.transition ? { ...evaluation.transition } : null,
        }
      : null,
    details: Object.fromEntries(Object.entries(details).filter(([key]) => key !== 'evaluation')),
  };
}

/**
 * A clerk action through the check's workflow update. The workflow's validator has the last
 * word (409 for a stage or version conflict, 422 for an invalid value) before anything changes.
 */
export async function performResidenceAction<R extends { expectedVersion: number }>(
  deps: ApiDependencies,
  principal: Principal,
  id: string,
  operation: string,
  kinds: readonly ResidenceCheckKind[],
  update: UpdateDefinition<unknown, [R]>,
  request: R,
): Promise<CheckView> {
  const check = await findCheck(deps, principal, id, operation);
  if (!kinds.includes(check.kind)) {
    await audit(deps, principal, operation, id, 'refused', { reason: `not an action of a ${check.kind} check` });
    throw new AppError('residence.wrong_kind', 409, `this action belongs to ${kinds.join(' or ')} checks, not to a ${check.kind} check`);
  }
  try {
    await deps.temporal.workflow.getHandle(residenceWorkflowId(id)).executeUpdate(update, { args: [request] });
  } catch (error) {
    const cause = error instanceof WorkflowUpdateFailedError ? error.cause : undefined;
    if (cause instanceof ApplicationFailure) {
      const status = /\.invalid_/.test(cause.type ?? '') ? 422 : 409;
      await audit(deps, principal, operation, id, 'refused', { reason: cause.message });
      throw new AppError(cause.type ?? 'residence.update_refused', status, cause.message);
    }
    if (error instanceof WorkflowNotFoundError) {
      await audit(deps, principal, operation, id, 'refused', { reason: 'check closed' });
      throw new AppError('residence.case_closed', 409, 'the check is closed; it takes no more actions');
    }
    throw error;
  }
  await audit(deps, principal, operation, id, 'allowed', 'outcome' in request ? { outcome: request.outcome } : {});
  return viewOf(deps, check);
}
