import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import {
  createApplicationQueries,
  type NaturalisationApplicationRow,
  type NewNaturalisationApplication,
} from '../../db/queries/applications';
import { createAuditQueries } from '../../db/queries/audit';
import { createCaseProjectionQueries } from '../../db/queries/caseProjections';
import { toBerlinLocalDate } from '../../domain/calendar/berlinTime';
import type { naturalisationApplication } from '../../workflows/naturalisation';
import {
  naturalisationWorkflowId,
  recordDecisionUpdate,
  taskQueues,
  type RecordDecisionRequest,
} from '../../workflows/naturalisationDefinitions';
import type { ApiDependencies } from '../deps';
import { AppError, assertThat } from '../errors';
import type { Principal } from '../../security/roles';
import type { ApplicationView, CreateApplicationBody } from './schemas';

/** A reference staff and applicants can quote: EBH-<year>-<10 base32 characters>. */
function generateReference(year: string): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(10);
  return `EBH-${year}-${Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('')}`;
}

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
): Promise<{ created: boolean; view: ApplicationView }> {
  const today = toBerlinLocalDate(deps.clock().getTime());
  const filedOn = body.filedOn ?? today;
  assertThat(
    filedOn <= today,
    new AppError('request.invalid', 400, 'the request is invalid', [{ path: 'body.filedOn', message: `must not lie after today (${today})` }]),
  );

  const id = randomUUID();
  const client = await deps.pool.connect();
  let application: NaturalisationApplicationRow | undefined;
  let created = false;
  try {
    await client.query('BEGIN');
    const applications = createApplicationQueries(client);
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
      };
      await applications.insertApplication(fresh);
      application = { ...fresh, created_at: new Date(), anonymised_at: null };
      created = true;
    }
    await createAuditQueries(client).insertAuditEntry({
      actor: principal.subject,
      action: created ? 'naturalisation.application.create' : 'naturalisation.application.replay',
      authorityId: principal.authorityId,
      caseId: application!.id,
    });
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
  assertThat(application, new AppError('internal', 500, 'internal error'));
  await ensureWorkflowStarted(deps, application);
  return { created, view: await readApplicationView(deps, principal, application.id, false) };
}

/**
 * Starts the application's workflow unless it runs already. Safe to repeat: the workflow id
 * derives from the application id, and an existing run is used.
 */
export async function ensureWorkflowStarted(deps: ApiDependencies, application: NaturalisationApplicationRow): Promise<void> {
  await deps.temporal.workflow.start<typeof naturalisationApplication>('naturalisationApplication', {
    taskQueue: taskQueues.naturalisation,
    workflowId: naturalisationWorkflowId(application.id),
    workflowIdConflictPolicy: 'USE_EXISTING',
    args: [
      {
        applicationId: application.id,
        authorityId: application.authority_id,
        filedOn: application.filed_on,
        inactionWarningLeadTimesMs: deps.settings.inactionWarningLeadTimesMs,
      },
    ],
  });
}

/**
 * Starts the workflows of applications that were stored but whose start did not happen (the
 * API stopped, or Temporal was unreachable, between the two). Run at API start.
 */
export async function startMissingWorkflows(deps: ApiDependencies): Promise<number> {
  const { rows } = await deps.pool.query<NaturalisationApplicationRow>(
    `SELECT a.* FROM naturalisation_applications a
     LEFT JOIN case_projections p ON p.case_id = a.id
     WHERE p.case_id IS NULL`,
  );
  for (const application of rows) await ensureWorkflowStarted(deps, application);
  return rows.length;
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
    waitingFor: projection?.waitingFor ?? 'authority',
    flags: projection?.flags ?? [],
    deadlines: projection?.deadlines ?? {},
    decision: projection?.decision ?? null,
  };
}

/** Records a decision through the workflow's update; the workflow's validator has the last word. */
export async function recordDecision(
  deps: ApiDependencies,
  principal: Principal,
  id: string,
  body: Omit<RecordDecisionRequest, 'decidedBy'>,
): Promise<ApplicationView> {
  const request: RecordDecisionRequest = { ...body, decidedBy: principal.subject };
  const application = await createApplicationQueries(deps.pool).findApplicationByIdAndAuthority(id, principal.authorityId);
  if (!application) {
    await createAuditQueries(deps.pool).insertAuditEntry({
      actor: principal.subject,
      action: 'naturalisation.decision.record',
      authorityId: principal.authorityId,
      caseId: id,
      outcome: 'refused',
      detail: { reason: 'no such case in the caller\'s authority' },
    });
  }
  assertThat(application, new AppError('application.not_found', 404, `no naturalisation application ${id}`));
  // A closed case has no running workflow to ask; its projection says why.
  const projection = await createCaseProjectionQueries(deps.pool).findProjectionByCaseId(id);
  assertThat(!projection?.decision, new AppError('naturalisation.already_decided', 409, 'a decision has already been recorded'));
  const handle = deps.temporal.workflow.getHandle(naturalisationWorkflowId(id));
  try {
    await handle.executeUpdate(recordDecisionUpdate, { args: [request] });
  } catch (error) {
    const cause = error instanceof WorkflowUpdateFailedError ? error.cause : undefined;
    if (cause instanceof ApplicationFailure) {
      const status = cause.type === 'naturalisation.invalid_decision' ? 422 : 409;
      throw new AppError(cause.type ?? 'naturalisation.update_refused', status, cause.message);
    }
    if (error instanceof WorkflowNotFoundError) {
      throw new AppError('naturalisation.case_closed', 409, 'the case is closed; it takes no more decisions');
    }
    throw error;
  }
  await createAuditQueries(deps.pool).insertAuditEntry({
    actor: principal.subject,
    action: 'naturalisation.decision.record',
    authorityId: principal.authorityId,
    caseId: id,
    detail: { outcome: request.outcome },
  });
  return readApplicationView(deps, principal, id, false);
}
