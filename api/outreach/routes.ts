import { z } from 'zod';
import { campaignContentSchema, cohortSchema } from '../../domain/outreach/cohort';
import type { Role } from '../../security/roles';
import { cancelCampaignUpdate, pauseCampaignUpdate, resumeCampaignUpdate } from '../../workflows/outreachDefinitions';
import { calendarDate, instant } from '../fields';
import { defineRoute } from '../route';
import { optOutPageHeaders } from './optOutPage';
import {
  changeCampaign,
  createCampaign,
  optOut,
  optOutWithPage,
  showOptOutPage,
  previewCohort,
  readCampaign,
  readOutreachDate,
  readOutreachStatistics,
  recordConsent,
} from './service';

const base = '/api/v1/outreach';
const tags = ['outreach'];
const coordinators: readonly Role[] = ['coordinator', 'admin'];
const clerks: readonly Role[] = ['abh_clerk', 'ebh_clerk'];

const campaignIdParams = z.strictObject({ id: z.uuid({ message: 'must be a campaign id (UUID)' }) });
const personIdParams = z.strictObject({ id: z.uuid({ message: 'must be a person id (UUID)' }) });
const tokenQuery = z.strictObject({ token: z.string().min(1).max(200) });

const progressSchema = z.object({
  queued: z.number().int(),
  sent: z.number().int(),
  failed: z.number().int(),
  bounced: z.number().int(),
  optedOut: z.number().int(),
  applied: z.number().int(),
  letters: z.number().int(),
  cancelled: z.number().int(),
});
const campaignViewSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  status: z.string(),
  startsAt: z.string(),
  ratePerSecond: z.number().int(),
  cohort: cohortSchema,
  recipients: z.number().int().nullable(),
  progress: progressSchema,
});
const campaignStateSchema = z.object({ phase: z.string(), pauseRequested: z.boolean(), cancelRequested: z.boolean(), sent: z.number().int() }).passthrough();

const campaignBodySchema = z.strictObject({
  name: z.string().min(1).max(200),
  cohort: cohortSchema,
  content: campaignContentSchema,
  /** Messages per second (the relay's limit); default from OUTREACH_RATE_PER_SECOND. */
  ratePerSecond: z.number().int().min(1).max(10_000).optional(),
  startsAt: instant.optional(),
});

const change = (action: 'pause' | 'resume' | 'cancel', update: typeof pauseCampaignUpdate) =>
  defineRoute({
    method: 'post',
    path: `${base}/campaigns/:id/${action}`,
    operation: `outreach.campaign.${action}`,
    access: coordinators,
    summary: `${action[0]!.toUpperCase()}${action.slice(1)} a campaign (takes effect after the running batch)`,
    tags,
    request: { params: campaignIdParams },
    responses: {
      200: { description: "The campaign workflow's state after the change", schema: campaignStateSchema },
      404: { description: "No such campaign in the caller's authority" },
      409: { description: 'Not allowed in the campaign\'s phase (e.g. resume when not paused)' },
    },
    handler: async ({ params }, deps, { principal }) => ({ status: 200, body: await changeCampaign(deps, principal, params.id, update, `outreach.campaign.${action}`) }),
  });

/**
 * The opt-out link. GET shows a confirmation page and changes nothing, so a mail scanner or link
 * preview that follows the link cannot opt anyone out; POST opts out at once: the page's form,
 * and RFC 8058 one-click (the mails' `List-Unsubscribe-Post: List-Unsubscribe=One-Click`, whose
 * POST goes to the same URL with the token in the query).
 */
const optOutPageRoute = defineRoute({
  method: 'get',
  path: `${base}/opt-out`,
  operation: 'outreach.opt_out.page',
  access: 'public',
  summary: 'The confirmation page of an opt-out link (German, then the person\'s language): changes nothing',
  tags,
  request: { query: tokenQuery },
  responses: {
    200: { description: 'HTML page with a form that POSTs the signed token', contentType: 'text/html' },
    400: { description: 'No token' },
    403: { description: 'HTML page: the link is not valid', contentType: 'text/html' },
  },
  handler: async ({ query }, deps) => {
    const page = await showOptOutPage(deps, query.token, `${base}/opt-out?token=${encodeURIComponent(query.token)}`);
    return { status: page.status, body: page.html, headers: optOutPageHeaders };
  },
});

const optOutRoute = defineRoute({
  method: 'post',
  path: `${base}/opt-out`,
  operation: 'outreach.opt_out',
  access: 'public',
  summary: 'Opt out with the signed link (no login; the page\'s form and RFC 8058 one-click); takes effect at once',
  tags,
  request: { query: tokenQuery },
  responses: {
    200: { description: 'Opted out; no further outreach message is sent (an HTML page where the client accepts text/html)', schema: z.object({ optedOut: z.literal(true) }) },
    400: { description: 'No token' },
    403: { description: 'The token is not genuine (an HTML page where the client accepts text/html)' },
  },
  handler: async ({ query }, deps, { req }) => {
    if (req.accepts(['application/json', 'text/html']) === 'text/html') {
      const page = await optOutWithPage(deps, query.token);
      return { status: page.status, body: page.html, headers: optOutPageHeaders };
    }
    return { status: 200, body: await optOut(deps, query.token) };
  },
});

export const outreachRoutes = [
  defineRoute({
    method: 'post',
    path: `${base}/campaigns/preview`,
    operation: 'outreach.cohort.preview',
    access: coordinators,
    summary: "Size of a cohort of the caller's authority and a sample without names or addresses",
    tags,
    request: { body: z.strictObject({ cohort: cohortSchema }) },
    responses: {
      200: {
        description:
          'How many may be contacted now, how many by e-mail, and a sample of attributes — no count below 5: a smaller cohort has `total: null` and ' +
          '`fewerThan: 5`; the e-mail figure is null unless at least 5 have e-mail and 5 have none, and the sample is empty then',
        schema: z.object({
          total: z.number().int().nullable(),
          withEmail: z.number().int().nullable(),
          fewerThan: z.number().int().nullable(),
          contactBasis: z.object({ kind: z.string(), reference: z.string() }),
          sample: z.array(z.object({ language: z.string(), nationalities: z.array(z.string()), birthYear: z.number().int(), hasEmail: z.boolean() })),
        }),
      },
      400: { description: 'Invalid filters, each named' },
    },
    handler: async ({ body }, deps, { principal }) => ({ status: 200, body: await previewCohort(deps, principal, body.cohort) }),
  }),
  defineRoute({
    method: 'post',
    path: `${base}/campaigns`,
    operation: 'outreach.campaign.create',
    access: coordinators,
    summary: 'Schedule a campaign: its cohort is fixed when it starts, then it sends at its rate',
    tags,
    request: { body: campaignBodySchema },
    responses: {
      201: { description: 'Scheduled', schema: z.object({ id: z.uuid(), status: z.string(), startsAt: z.string() }) },
      400: { description: 'Invalid input, each field named; nothing stored' },
    },
    handler: async ({ body }, deps, { principal }) => {
      const campaign = await createCampaign(deps, principal, body);
      return { status: 201, body: { id: campaign.id, status: campaign.status, startsAt: campaign.startsAt.toISOString() } };
    },
  }),
  defineRoute({
    method: 'get',
    path: `${base}/campaigns/:id`,
    operation: 'outreach.campaign.view',
    access: coordinators,
    summary: 'A campaign and its progress (sent, failed, bounced, opted out): counts only',
    tags,
    request: { params: campaignIdParams },
    responses: {
      200: { description: 'The campaign', schema: campaignViewSchema },
      404: { description: "No such campaign in the caller's authority" },
    },
    handler: async ({ params }, deps, { principal }) => ({ status: 200, body: await readCampaign(deps, principal, params.id) }),
  }),
  change('pause', pauseCampaignUpdate),
  change('resume', resumeCampaignUpdate),
  change('cancel', cancelCampaignUpdate),
  optOutPageRoute,
  optOutRoute,
  defineRoute({
    method: 'post',
    path: `${base}/persons/:id/consent`,
    operation: 'outreach.consent.record',
    access: clerks,
    summary: 'Record that a person consented to information messages',
    tags,
    request: { params: personIdParams, body: z.strictObject({ givenOn: calendarDate }) },
    responses: {
      200: { description: 'Recorded', schema: z.object({ personId: z.uuid(), givenOn: z.string() }) },
      404: { description: "No such person in the caller's authority" },
    },
    handler: async ({ params, body }, deps, { principal }) => ({ status: 200, body: await recordConsent(deps, principal, params.id, body.givenOn) }),
  }),
  defineRoute({
    method: 'get',
    path: `${base}/persons/:id/eligibility-date`,
    operation: 'outreach.date.view',
    access: clerks,
    summary: 'The day the person meets the residence period of § 10 Abs. 1 Satz 1 StAG, as last computed',
    tags,
    request: { params: personIdParams },
    responses: {
      200: {
        description: 'The date (null: not reachable under the current status) and the register version it was computed at',
        schema: z.object({ personId: z.uuid(), residenceMetOn: z.string().nullable(), personVersion: z.number().int(), computedOn: z.string() }),
      },
      404: { description: 'Not computed yet, or no such person in the caller\'s authority' },
    },
    handler: async ({ params }, deps, { principal }) => ({ status: 200, body: await readOutreachDate(deps, principal, params.id) }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/statistics/outreach',
    operation: 'statistics.outreach',
    access: coordinators,
    summary: 'Outreach-to-application conversion of the caller\'s authority: anonymised, cells below the minimum suppressed',
    tags: ['statistics'],
    request: { query: z.strictObject({}) },
    responses: {
      200: {
        description: 'Per month of the message and kind: persons contacted, of whom applied, and the rate (null: suppressed)',
        schema: z.object({
          authorityId: z.string(),
          minimumCellSize: z.number().int(),
          cells: z.array(z.object({ month: z.string(), kind: z.string(), contacted: z.number().int().nullable(), applied: z.number().int().nullable(), conversion: z.number().nullable() })),
        }),
      },
    },
    handler: async (_input, deps, { principal }) => ({ status: 200, body: await readOutreachStatistics(deps, principal) }),
  }),
];
