import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure, type UpdateDefinition } from '@temporalio/common';
import { createAuditQueries } from '../../db/queries/audit';
import { createCaseProjectionQueries } from '../../db/queries/caseProjections';
import { createHandoffQueries, type HandoffRecord } from '../../db/queries/handoffs';
import { suppressSmallCell } from '../../domain/handoff/smallCells';
import type { Principal } from '../../security/roles';
import { handoffWorkflowId, type HandoffState } from '../../workflows/handoffDefinitions';
import type { HandoffNeed } from '../../workflows/shared/handoffs';
import type { ApiDependencies } from '../deps';
import { AppError, assertThat } from '../errors';
import { PersonNotFoundError, requestHandoffFor } from './handoffService';
import { caseManagementTeam } from './settings';

const notFound = (id: string) => new AppError('handoff.not_found', 404, `no handoff ${id}`);

function audit(deps: ApiDependencies, principal: Principal, action: string, caseId: string | null, outcome: 'allowed' | 'refused', detail: Record<string, unknown> = {}) {
  return createAuditQueries(deps.pool).insertAuditEntry({ actor: principal.subject, action, authorityId: principal.authorityId, caseId, outcome, detail });
}

const isCaseManager = (principal: Principal) => principal.roles.includes('case_manager');
/** A case manager's team: the token's team claim, else the authority's one case-management team. */
const teamOf = (principal: Principal) => principal.team ?? caseManagementTeam;

/**
 * The handoff as the caller may see it: case managers only the handoffs of their authority's
 * case-management team; the sending authority's clerks only the same authority's handoffs. Any
 * other is not found (and the refusal audited).
 */
async function findVisibleHandoff(deps: ApiDependencies, principal: Principal, id: string, action: string): Promise<HandoffRecord> {
  const handoff = await createHandoffQueries(deps.pool).findHandoffByIdAndAuthority(id, principal.authorityId);
  const visible = handoff && (!isCaseManager(principal) || handoff.team === teamOf(principal));
  if (!visible) await audit(deps, principal, action, null, 'refused', { handoffId: id, reason: "no such handoff for the caller's team" });
  assertThat(visible, notFound(id));
  return handoff!;
}

/** A clerk hands a person to case management directly, or for one of their cases. */
export async function createHandoffByClerk(
  deps: ApiDependencies,
  principal: Principal,
  body: { personId: string; needs: HandoffNeed[]; urgency: 'normal' | 'urgent'; relevantDeadline?: string; origin?: { caseId: string }; requestKey?: string; team?: string },
): Promise<{ handoffId: string }> {
  let origin: { caseType: string; caseId: string; workflowId: string } | null = null;
  if (body.origin) {
    const projection = await createCaseProjectionQueries(deps.pool).findProjectionByCaseId(body.origin.caseId);
    assertThat(projection && projection.authorityId === principal.authorityId, new AppError('handoff.origin_not_found', 422, `no case ${body.origin.caseId} in the caller's authority`));
    origin = { caseType: projection!.caseType, caseId: projection!.caseId, workflowId: projection!.workflowId };
  }
  const result = await requestHandoffFor(
    deps,
    {
      requestKey: body.requestKey ? `clerk:${principal.authorityId}:${body.requestKey}` : `clerk:${principal.subject}:${randomUUID()}`,
      authorityId: principal.authorityId,
      personId: body.personId,
      origin: origin ?? { caseType: 'none', caseId: '', workflowId: '' },
      needs: body.needs,
      urgency: body.urgency,
      relevantDeadline: body.relevantDeadline,
      requestedBy: principal.subject,
    },
    origin,
    body.team,
  ).catch((error: unknown) => {
    if (error instanceof PersonNotFoundError) throw new AppError('person.not_found', 404, `no person ${body.personId}`);
    throw error;
  });
  if (!result.started) {
    throw new AppError('handoff.no_consent', 422, 'no valid consent of the person for a handoff to case management (purpose, recipients, data categories, validity): record the signed consent first');
  }
  return { handoffId: result.handoffId };
}

/** The view of a handoff: case managers see the minimal data and progress; clerks only what case management reports back. */
export async function readHandoff(deps: ApiDependencies, principal: Principal, id: string) {
  const handoff = await findVisibleHandoff(deps, principal, id, 'handoff.view');
  const [projection, progress] = await Promise.all([
    createCaseProjectionQueries(deps.pool).findProjectionByCaseId(id),
    createHandoffQueries(deps.pool).listProgressByHandoff(id),
  ]);
  await audit(deps, principal, 'handoff.view', id, 'allowed', { as: isCaseManager(principal) ? 'case_manager' : 'sender' });
  const outcomes = progress.filter((e) => e.kind === 'outcome').map((e) => ({ kind: String(e.outcome?.kind), on: e.on, factRecorded: e.factId !== null }));
  const common = {
    id: handoff.id,
    reference: handoff.reference,
    needs: handoff.needs,
    urgency: handoff.urgency,
    stage: projection?.stage ?? 'awaiting_acceptance',
    flags: projection?.flags ?? [],
    closing: (projection?.decision?.closing as string | undefined) ?? null,
    reason: (projection?.decision?.reason as string | undefined) ?? null,
    outcomes,
  };
  if (!isCaseManager(principal)) return common;
  return {
    ...common,
    person: { name: [handoff.givenNames, handoff.familyName].filter(Boolean).join(' ') || null, email: handoff.contact?.email ?? null, phone: handoff.contact?.phone ?? null, language: handoff.language },
    relevantDeadline: handoff.relevantDeadline,
    deadlines: projection?.deadlines ?? {},
    acceptedBy: projection?.assignee ?? null,
    phases: progress.filter((e) => e.kind === 'phase').map((e) => ({ phase: e.phase, on: e.on, note: e.note })),
  };
}

/** The handoffs addressed to the caller's case-management team, newest first. */
export async function listTeamHandoffs(deps: ApiDependencies, principal: Principal, limit: number) {
  const rows = await createHandoffQueries(deps.pool).listHandoffsByTeam(principal.authorityId, teamOf(principal), limit);
  await audit(deps, principal, 'handoff.list', null, 'allowed', { handoffIds: rows.map((r) => r.id) });
  return rows.map((r) => ({ id: r.id, reference: r.reference, needs: r.needs, urgency: r.urgency, stage: r.stage ?? 'awaiting_acceptance', requestedAt: r.requestedAt }));
}

/** A case manager's action on a handoff, through its workflow's update (refused there before anything changes). */
export async function actOnHandoff<A>(deps: ApiDependencies, principal: Principal, id: string, action: string, update: UpdateDefinition<HandoffState, [A]>, request: A) {
  await findVisibleHandoff(deps, principal, id, action);
  try {
    await deps.temporal.workflow.getHandle(handoffWorkflowId(id)).executeUpdate(update, { args: [request] });
  } catch (error) {
    const cause = error instanceof WorkflowUpdateFailedError ? error.cause : undefined;
    if (cause instanceof ApplicationFailure) {
      await audit(deps, principal, action, id, 'refused', { reason: cause.message });
      throw new AppError(cause.type ?? 'handoff.update_refused', /\.(unknown|invalid|missing)/.test(cause.type ?? '') ? 422 : 409, cause.message);
    }
    if (error instanceof WorkflowNotFoundError) {
      await audit(deps, principal, action, id, 'refused', { reason: 'handoff closed' });
      throw new AppError('handoff.closed', 409, 'the handoff is closed; it takes no more actions');
    }
    throw error;
  }
  await audit(deps, principal, action, id, 'allowed');
  return readHandoff(deps, principal, id);
}

/** A system gap: a need for which no service exists at a place, for a target group (anonymous: no person data). */
export async function recordGap(deps: ApiDependencies, principal: Principal, id: string, body: { need: HandoffNeed; place: string; targetGroup: string }) {
  const handoff = await findVisibleHandoff(deps, principal, id, 'handoff.gap.record');
  const gapId = randomUUID();
  await createHandoffQueries(deps.pool).insertGap({ id: gapId, authorityId: handoff.authorityId, handoffId: handoff.id, personId: handoff.personId, ...body, recordedBy: principal.subject, recordedAt: deps.clock() });
  await audit(deps, principal, 'handoff.gap.record', id, 'allowed', { gapId, need: body.need });
  return { id: gapId, ...body };
}

/** The steering group's figures of the caller's authority: persons per cell, cells below five suppressed. */
export async function readHandoffFigures(deps: ApiDependencies, principal: Principal, from: string, to: string) {
  const figures = await createHandoffQueries(deps.pool).countHandoffFigures(principal.authorityId, from, to);
  const flag = (name: string) => suppressSmallCell(figures.flagged.find((f) => f.key === name)?.persons ?? 0);
  await audit(deps, principal, 'statistics.handoffs', null, 'allowed', { from, to });
  return {
    authorityId: principal.authorityId,
    from,
    to,
    unit: 'persons',
    sent: suppressSmallCell(figures.sent),
    acceptedInTime: flag('accepted_in_time'),
    escalated: flag('escalated'),
    declined: flag('declined'),
    expired: flag('expired'),
    outcomesByNeed: figures.outcomes.map((o) => ({ need: o.key, persons: suppressSmallCell(o.persons) })),
    gaps: figures.gaps.map((g) => ({ need: g.key, place: g.key2, persons: suppressSmallCell(g.persons) })),
  };
}
