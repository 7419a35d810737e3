import { createOutreachActivities } from '../activities/outreach';
import { ensureOutreachDailyStarted, startCampaignWorkflow } from '../api/outreach/service';
import { outreachRoutes } from '../api/outreach/routes';
import { createOutreachCampaignQueries } from '../db/queries/outreachCampaigns';
import { outreachLetters } from '../activities/outreach/letters';
import { outreachRecordRetention } from '../activities/outreach/retention';
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
    // What outreach keeps, and for how long (Art. 5 Abs. 1 Buchst. e DSGVO: no longer than the
    // purpose needs; Art. 17 Abs. 1 Buchst. a DSGVO: erased once it is not needed). Outreach has
    // no cases, so the sweep takes its records per authority (`records`, activities/outreach/retention.ts):
    // - The e-mail of each message (the outbox row: address, names, text, the opt-out link) serves
    //   delivery and questions about it; after the period (from the day it was queued and sent) it is
    //   deleted, whatever the action — nothing else needs it, and its key names the person.
    // - Campaign recipient rows: after the period, 'anonymise' unlinks them from the person (the
    //   campaign's progress figures stay), 'delete' removes them. The conversion figures count
    //   only messages still linked, i.e. those of the period.
    // - Kept while the person is in the register: the opt-out — the objection must be honoured
    //   for every later message (Art. 21 Abs. 1 DSGVO against processing under Art. 6 Abs. 1
    //   Buchst. e DSGVO, Art. 21 Abs. 3 DSGVO where a campaign is promotion; erasing it would let
    //   outreach write again, the very processing the person objected to); the consent, as proof for messages
    //   sent on it (Art. 7 Abs. 1 DSGVO); and the eligibility message's row (date and status, its
    //   e-mail gone), because it is what makes that message once per person (the issue's "never
    //   twice": without it a later correction of the history could bring the date back).
    // - Once the person is erased from the register (Art. 17 DSGVO, persons.erased_at) none of
    //   these purposes remains: every outreach record of the person goes at the next sweep, and
    //   an erased person is never selected (cohorts and daily run require erased_at IS NULL).
    defaultPolicy: {
      retainDays: 730,
      action: 'anonymise',
      basis: 'Art. 5 Abs. 1 Buchst. e DSGVO; Art. 17 Abs. 1 Buchst. a DSGVO; opt-outs kept while registered: Art. 21 Abs. 1 und 3 DSGVO',
      note: 'Default (verify): two years after sending, the e-mails are deleted and campaign recipients unlinked; opt-outs, consents and the once-only eligibility record stay until the person is erased from the register.',
    },
    listClosedCasesWithPersonalData: async () => [],
    anonymise: async () => undefined,
    delete: async () => undefined,
    records: outreachRecordRetention,
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
