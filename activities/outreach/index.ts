import { Context } from '@temporalio/activity';
import type { Transporter } from 'nodemailer';
import type { Pool } from 'pg';
import { createPooledMailer } from '../relay/smtp';
import { createOutreachCampaignQueries, type CampaignStatus } from '../../db/queries/outreachCampaigns';
import { createOutreachPersonQueries } from '../../db/queries/outreachPersons';
import { addDays } from '../../domain/calendar/localDate';
import { determineOutreachDate } from '../../domain/outreach/eligibilityDate';
import type { MailSettings } from '../../processes/contract';
import { sendOutreachBatch, type BatchResult } from './relay';
import { loadOutreachSettings, type OutreachSettings } from './settings';
import { loadOutreachTemplates } from './templates';

export interface OutreachActivityDependencies {
  pool: Pool;
  mail: MailSettings;
  /** The worker's SMTP transport; outreach sends through a pooled copy of it. */
  mailer?: Transporter;
  settings?: OutreachSettings;
}


/**
 * Recomputes the outreach date of every person whose register version moved since (or who has
 * none), in chunks. @returns how many persons were computed
 */
export async function refreshOutreachDates(pool: Pool, day: string, chunk = 2000, heartbeat: (n: number) => void = () => undefined): Promise<number> {
  const queries = createOutreachPersonQueries(pool);
  let afterId: string | null = null;
  let computed = 0;
  for (;;) {
    const { lastId, stale } = await queries.listPersonsNeedingDate(afterId, chunk);
    if (lastId === null) return computed;
    await queries.upsertEligibilityDates(
      stale.map((p) => ({ personId: p.personId, authorityId: p.authorityId, version: p.version, residenceMetOn: determineOutreachDate(p.periods, day) })),
      day,
    );
    computed += stale.length;
    afterId = lastId;
    heartbeat(computed);
  }
}

/** The activities of the outreach process. Each is idempotent: Temporal retries them. */
export function createOutreachActivities(deps: OutreachActivityDependencies) {
  const settings = deps.settings ?? loadOutreachSettings();
  let pooled: Transporter | undefined;
  const mailer = () => {
    if (!deps.mailer) throw new Error('outreach needs the worker mailer');
    pooled ??= createPooledMailer(deps.mailer);
    return pooled;
  };
  const heartbeat = (progress: number) => {
    try {
      Context.current().heartbeat(progress);
    } catch {
      // not inside an activity (a direct call)
    }
  };

  return {
    /** The daily run's first step: dates of persons whose history changed. @returns how many */
    async refreshOutreachDates(request: { day: string }): Promise<number> {
      return refreshOutreachDates(deps.pool, request.day, 2000, heartbeat);
    },

    /** Queues the eligibility messages due on `day` (once per person, ever). @returns how many */
    async queueDueEligibilityMessages(request: { day: string }): Promise<number> {
      return createOutreachPersonQueries(deps.pool).insertDueEligibilityMessages(
        request.day,
        addDays(request.day, -settings.catchUpDays),
        settings.contactBasis.kind === 'consent',
      );
    },

    /** Sends one batch of a campaign's (or, with null, the eligibility) messages. */
    async sendOutreachBatch(request: { campaignId: string | null; limit: number; ratePerSecond: number }): Promise<BatchResult> {
      const info = Context.current().info;
      return sendOutreachBatch(
        { pool: deps.pool, mailer: mailer(), mail: deps.mail, settings, templates: loadOutreachTemplates(settings.templatesDir) },
        { ...request, claimant: `${info.workflowExecution?.workflowId ?? "direct"}/${info.activityId}/${info.attempt}` },
        heartbeat,
      );
    },

    /** Queues the campaign's cohort as it stands on `day`. @returns the number of recipients */
    async prepareCampaign(request: { campaignId: string; day: string }): Promise<number> {
      const queries = createOutreachCampaignQueries(deps.pool);
      const campaign = await queries.findCampaignById(request.campaignId);
      if (!campaign) throw new Error(`no campaign ${request.campaignId}`);
      return queries.insertCampaignMessages(campaign, request.day, settings.contactBasis.kind === 'consent');
    },

    /** Records the campaign's status (written only by its workflow). */
    async recordCampaignStatus(request: { campaignId: string; status: CampaignStatus }): Promise<void> {
      await createOutreachCampaignQueries(deps.pool).updateCampaignStatusById(request.campaignId, request.status);
    },

    /** Withdraws what a cancelled campaign has not sent. @returns how many */
    async cancelCampaignMessages(request: { campaignId: string }): Promise<number> {
      return createOutreachCampaignQueries(deps.pool).cancelQueuedMessages(request.campaignId);
    },
  };
}

export type OutreachActivities = ReturnType<typeof createOutreachActivities>;
