import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure, type UpdateDefinition } from '@temporalio/common';
import { loadOutreachSettings, type OutreachSettings } from '../../activities/outreach/settings';
import { loadOutreachTemplates } from '../../activities/outreach/templates';
import { createAuditQueries } from '../../db/queries/audit';
import { createOutreachCampaignQueries, type CampaignRow } from '../../db/queries/outreachCampaigns';
import { createOutreachPersonQueries } from '../../db/queries/outreachPersons';
import { createPersonQueries } from '../../db/queries/persons';
import type { CampaignContent, Cohort } from '../../domain/outreach/cohort';
import { suppressSmallCells } from '../../domain/outreach/statisticsCells';
import { verifyOptOutToken } from '../../security/optOutTokens';
import type { Principal } from '../../security/roles';
import type { outreachCampaign, outreachDailyMessages } from '../../workflows/outreach';
import {
  outreachCampaignWorkflowId,
  outreachDailyWorkflowId,
  outreachTaskQueue,
  type OutreachCampaignState,
} from '../../workflows/outreachDefinitions';
import { determineCohortPreview } from '../../domain/outreach/smallCounts';
import type { ApiDependencies } from '../deps';
import { AppError, assertThat } from '../errors';
import { renderOptOutPage } from './optOutPage';

let cachedSettings: OutreachSettings | undefined;
/** The outreach settings of this process (read once from the environment). */
export function outreachSettings(): OutreachSettings {
  cachedSettings ??= loadOutreachSettings();
  return cachedSettings;
}

type Deps = Pick<ApiDependencies, 'pool' | 'temporal' | 'clock'>;

function audit(deps: Pick<Deps, 'pool'>, principal: Principal, action: string, outcome: 'allowed' | 'refused', detail: Record<string, unknown>) {
  return createAuditQueries(deps.pool).insertAuditEntry({ actor: principal.subject, action, authorityId: principal.authorityId || null, outcome, detail });
}

const requireConsent = () => outreachSettings().contactBasis.kind === 'consent';

/**
 * Size and an attribute-only sample of a cohort of the caller's authority, without counts below
 * the minimum cell size (domain/outreach/smallCounts.ts). The audit entry keeps the filters and the true size.
 */
export async function previewCohort(deps: Deps, principal: Principal, cohort: Cohort) {
  const queries = createOutreachCampaignQueries(deps.pool);
  const [size, sample] = await Promise.all([
    queries.countCohort(principal.authorityId, cohort, requireConsent()),
    queries.sampleCohort(principal.authorityId, cohort, requireConsent(), 10),
  ]);
  const preview = determineCohortPreview(size, sample, outreachSettings().minimumCellSize);
  await audit(deps, principal, 'outreach.cohort.preview', 'allowed', { cohort, total: size.total, suppressed: preview.withEmail === null });
  return { ...preview, contactBasis: outreachSettings().contactBasis };
}

/** Creates a campaign of the caller's authority and starts its workflow. */
export async function createCampaign(
  deps: Deps,
  principal: Principal,
  body: { name: string; cohort: Cohort; content: CampaignContent; ratePerSecond?: number | undefined; startsAt?: string | undefined },
) {
  const id = randomUUID();
  const ratePerSecond = body.ratePerSecond ?? outreachSettings().defaultRatePerSecond;
  const startsAt = body.startsAt ? new Date(body.startsAt) : deps.clock();
  const campaign = await createOutreachCampaignQueries(deps.pool).insertCampaign({
    id,
    authorityId: principal.authorityId,
    name: body.name,
    cohort: body.cohort,
    content: body.content,
    ratePerSecond,
    startsAt,
    createdBy: principal.subject,
  });
  await startCampaignWorkflow(deps, campaign);
  await audit(deps, principal, 'outreach.campaign.create', 'allowed', { campaignId: id });
  return campaign;
}

/** Starts a campaign's workflow unless it runs (or ran) already. */
export async function startCampaignWorkflow(deps: Pick<Deps, 'temporal'>, campaign: CampaignRow): Promise<void> {
  await deps.temporal.workflow.start<typeof outreachCampaign>('outreachCampaign', {
    taskQueue: outreachTaskQueue,
    workflowId: outreachCampaignWorkflowId(campaign.id),
    workflowIdConflictPolicy: 'USE_EXISTING',
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
    args: [
      {
        campaignId: campaign.id,
        startsAt: campaign.startsAt.toISOString(),
        ratePerSecond: campaign.ratePerSecond,
        // A pause takes effect within about five seconds of sending.
        batchSize: Math.max(10, Math.min(1000, campaign.ratePerSecond * 5)),
      },
    ],
  });
}

/** Starts the daily run of eligibility messages unless it runs. */
export async function ensureOutreachDailyStarted(deps: Pick<Deps, 'temporal'>, runHour = 6): Promise<boolean> {
  try {
    const { status } = await deps.temporal.workflow.getHandle(outreachDailyWorkflowId).describe();
    if (status.name === 'RUNNING') return false;
  } catch (error) {
    if (!(error instanceof WorkflowNotFoundError)) throw error;
  }
  try {
    await deps.temporal.workflow.start<typeof outreachDailyMessages>('outreachDailyMessages', {
      taskQueue: outreachTaskQueue,
      workflowId: outreachDailyWorkflowId,
      workflowIdConflictPolicy: 'USE_EXISTING',
      args: [{ runHour, ratePerSecond: outreachSettings().defaultRatePerSecond }],
    });
    return true;
  } catch (error) {
    if ((error as Error).name === 'WorkflowExecutionAlreadyStartedError') return false;
    throw error;
  }
}

async function findCampaign(deps: Deps, principal: Principal, id: string, action: string): Promise<CampaignRow> {
  const campaign = await createOutreachCampaignQueries(deps.pool).findCampaignByIdAndAuthority(id, principal.authorityId);
  if (!campaign) await audit(deps, principal, action, 'refused', { campaignId: id, reason: "no such campaign in the caller's authority" });
  assertThat(campaign, new AppError('outreach.campaign_not_found', 404, `no campaign ${id}`));
  return campaign;
}

/** A campaign with its progress: counts by outcome, no personal data. */
export async function readCampaign(deps: Deps, principal: Principal, id: string) {
  const campaign = await findCampaign(deps, principal, id, 'outreach.campaign.view');
  const counts = await createOutreachCampaignQueries(deps.pool).countMessagesByStatus(id);
  const n = (status: string) => counts[status] ?? 0;
  return {
    id: campaign.id,
    name: campaign.name,
    status: campaign.status,
    startsAt: campaign.startsAt.toISOString(),
    ratePerSecond: campaign.ratePerSecond,
    cohort: campaign.cohort,
    recipients: campaign.recipients,
    progress: {
      queued: n('queued') + n('sending'),
      sent: n('sent'),
      failed: n('failed'),
      bounced: n('bounced'),
      optedOut: n('skipped_opted_out'),
      applied: n('skipped_applied'),
      letters: n('printable'),
      cancelled: n('cancelled'),
    },
  };
}

/** Pauses, resumes or cancels a campaign through its workflow; a refusal is a 409. */
export async function changeCampaign(deps: Deps, principal: Principal, id: string, update: UpdateDefinition<OutreachCampaignState>, action: string) {
  await findCampaign(deps, principal, id, action);
  try {
    const state = await deps.temporal.workflow.getHandle(outreachCampaignWorkflowId(id)).executeUpdate(update);
    await audit(deps, principal, action, 'allowed', { campaignId: id });
    return state;
  } catch (error) {
    const cause = error instanceof WorkflowUpdateFailedError ? error.cause : undefined;
    if (cause instanceof ApplicationFailure || error instanceof WorkflowNotFoundError) {
      const message = cause instanceof ApplicationFailure ? cause.message : 'the campaign is over';
      await audit(deps, principal, action, 'refused', { campaignId: id, reason: message });
      throw new AppError((cause instanceof ApplicationFailure && cause.type) || 'outreach.campaign_over', 409, message);
    }
    throw error;
  }
}

/** The person of a genuine token who is still in the register, with their language; audited either way. */
async function findOptOutSubject(deps: Pick<Deps, 'pool'>, token: string, action: string): Promise<{ personId: string; language: string }> {
  const personId = verifyOptOutToken(token, outreachSettings().optOutSecret);
  const language = personId ? await createOutreachPersonQueries(deps.pool).findLanguageOfRegisteredPerson(personId) : undefined;
  if (!personId || language === undefined) {
    await createAuditQueries(deps.pool).insertAuditEntry({ actor: 'opt-out-link', action, outcome: 'refused', detail: { reason: 'invalid token' } });
    throw new AppError('outreach.invalid_token', 403, 'this opt-out link is not valid');
  }
  return { personId, language };
}

/**
 * The confirmation page of an opt-out link (GET): asks, changes nothing. Reads only the person's
 * language. A forged link (or one of a person erased from the register) gets the refusal page, 403.
 */
export async function showOptOutPage(deps: Pick<Deps, 'pool'>, token: string, action: string): Promise<{ status: number; html: string }> {
  const templates = loadOutreachTemplates(outreachSettings().templatesDir);
  try {
    const { personId, language } = await findOptOutSubject(deps, token, 'outreach.opt_out.page');
    await createAuditQueries(deps.pool).insertAuditEntry({ actor: 'opt-out-link', action: 'outreach.opt_out.page', outcome: 'allowed', detail: { personId } });
    return { status: 200, html: renderOptOutPage(templates, 'confirm', language, action) };
  } catch (error) {
    if (error instanceof AppError && error.code === 'outreach.invalid_token') return { status: 403, html: renderOptOutPage(templates, 'invalid', undefined) };
    throw error;
  }
}

/** Opts out the person of a genuine token, at once (POST, also RFC 8058 one-click); a forged token changes nothing (403). */
export async function optOutByToken(deps: Pick<Deps, 'pool'>, token: string): Promise<{ language: string }> {
  const { personId, language } = await findOptOutSubject(deps, token, 'outreach.opt_out');
  const { cancelled } = await createOutreachPersonQueries(deps.pool).insertOptOut(personId, 'link');
  await createAuditQueries(deps.pool).insertAuditEntry({ actor: 'opt-out-link', action: 'outreach.opt_out', outcome: 'allowed', detail: { personId, cancelled } });
  return { language };
}

/** Opts out the person of a genuine token (the JSON answer). */
export async function optOut(deps: Pick<Deps, 'pool'>, token: string) {
  await optOutByToken(deps, token);
  return { optedOut: true as const };
}

/** The page after a POST from the confirmation form, or the refusal page. */
export async function optOutWithPage(deps: Pick<Deps, 'pool'>, token: string): Promise<{ status: number; html: string }> {
  const templates = loadOutreachTemplates(outreachSettings().templatesDir);
  try {
    const { language } = await optOutByToken(deps, token);
    return { status: 200, html: renderOptOutPage(templates, 'done', language) };
  } catch (error) {
    if (error instanceof AppError && error.code === 'outreach.invalid_token') return { status: 403, html: renderOptOutPage(templates, 'invalid', undefined) };
    throw error;
  }
}

/** Records a person's consent to information messages (a clerk of the person's authority). */
export async function recordConsent(deps: Deps, principal: Principal, personId: string, givenOn: string) {
  const person = await createPersonQueries(deps.pool).findPersonByIdAndAuthority(personId, principal.authorityId);
  await audit(deps, principal, 'outreach.consent.record', person ? 'allowed' : 'refused', { personId });
  assertThat(person, new AppError('register.person_not_found', 404, `no person ${personId}`));
  await createOutreachPersonQueries(deps.pool).insertConsent(personId, givenOn, principal.subject);
  return { personId, givenOn };
}

/** The stored outreach date of a person of the caller's authority. */
export async function readOutreachDate(deps: Deps, principal: Principal, personId: string) {
  const date = await createOutreachPersonQueries(deps.pool).findEligibilityDateByPerson(personId, principal.authorityId);
  await audit(deps, principal, 'outreach.date.view', date ? 'allowed' : 'refused', { personId });
  assertThat(date, new AppError('outreach.date_not_found', 404, `no outreach date for ${personId} (yet)`));
  return { personId, ...date };
}

/** Outreach-to-application conversion of the caller's authority, small cells suppressed. */
export async function readOutreachStatistics(deps: Deps, principal: Principal) {
  const cells = await createOutreachCampaignQueries(deps.pool).countConversion(principal.authorityId);
  const minimumCellSize = outreachSettings().minimumCellSize;
  return { authorityId: principal.authorityId, minimumCellSize, cells: suppressSmallCells(cells, minimumCellSize) };
}
