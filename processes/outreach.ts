import { createOutreachActivities } from '../activities/outreach';
import { ensureOutreachDailyStarted, startCampaignWorkflow } from '../api/outreach/service';
import { outreachRoutes } from '../api/outreach/routes';
import { createOutreachCampaignQueries } from '../db/queries/outreachCampaigns';
import { outreachLetters } from '../activities/outreach/letters';
import { outreachTaskQueue } from '../workflows/outreachDefinitions';
import type { AnyRoute, ProcessModule } from './contract';

/**
 * Information outreach (issue 10): the eligibility-date message of each contactable person on the
 * day they meet the residence period of § 10 Abs. 1 Satz 1 StAG, and campaigns of coordinators.
 * Messages are rows of `outreach_messages` with their e-mail in the outbox under the same key;
 * no case projection (a message is not a case with stages).
 */
export const outreachProcess: ProcessModule = {
  caseType: 'outreach',
  taskQueue: outreachTaskQueue,
  workflowTypes: ['outreachDailyMessages', 'outreachCampaign'],
  createActivities: (deps) => createOutreachActivities({ pool: deps.pool, mail: deps.mail, ...(deps.mailer ? { mailer: deps.mailer } : {}) }),
  routes: outreachRoutes as AnyRoute[],
  letters: outreachLetters,
  finalStages: ['completed', 'cancelled'],
  retention: {
    // Outreach keeps no case projection; its messages follow the outbox's retention (README "Outreach").
    defaultPolicy: { retainDays: 730, action: 'anonymise', basis: 'Art. 5 Abs. 1 Buchst. e DSGVO', note: 'outreach messages: no case projection to sweep' },
    listClosedCasesWithPersonalData: async () => [],
    anonymise: async () => undefined,
    delete: async () => undefined,
  },
  async recover(deps) {
    let started = (await ensureOutreachDailyStarted(deps)) ? 1 : 0;
    const open = await createOutreachCampaignQueries(deps.pool).listUnfinishedCampaigns();
    for (const campaign of open) {
      try {
        await startCampaignWorkflow(deps, campaign);
        started++;
      } catch (error) {
        // Its workflow already ended (the status row lags behind): nothing to restart.
        if ((error as Error).name !== 'WorkflowExecutionAlreadyStartedError') throw error;
      }
    }
    return started;
  },
};
