import { facts, postForm } from '../components';
import { flashOf, sendApiFailure, sendPage } from '../context';
import { toFieldErrors } from '../forms';
import { html } from '../html';
import { renderPage } from '../layout';
import type { ConsoleRoute } from '../router';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const counters = ['sent', 'letters', 'queued', 'failed', 'bounced', 'optedOut', 'applied', 'cancelled'] as const;

/**
 * A campaign's progress for the coordinator (`GET /api/v1/outreach/campaigns/:id`: counts only):
 * a progress bar of what is done out of the recipients, the counts, and pause/resume/cancel.
 * The progress section carries `data-live`: the page's script fetches the page again every few
 * seconds while the campaign runs and swaps the section in (without the script: reload).
 */
export const campaignPages: ConsoleRoute[] = [
  {
    method: 'get',
    path: '/console/campaigns/:id',
    async handler(ctx) {
      const { t } = ctx.page;
      const id = String(ctx.req.params.id);
      if (!uuidPattern.test(id)) return sendApiFailure(ctx, { status: 404, body: undefined });
      const answer = await ctx.api<{ name: string; status: string; startsAt: string; recipients: number | null; progress: Record<(typeof counters)[number], number> }>({ path: `/api/v1/outreach/campaigns/${id}` });
      if (answer.status !== 200) return sendApiFailure(ctx, answer);
      const campaign = answer.body;
      const done = campaign.progress.sent + campaign.progress.letters + campaign.progress.failed + campaign.progress.bounced + campaign.progress.optedOut + campaign.progress.applied + campaign.progress.cancelled;
      const total = campaign.recipients ?? 0;
      const running = !['completed', 'cancelled'].includes(campaign.status);
      const percent = total > 0 ? Math.round((done / total) * 100) : 0;
      const body = html`
        <section id="campaign-progress" aria-labelledby="h-progress" ${running ? html`data-live="5000"` : ''}>
          <h2 id="h-progress">${t('campaign.progress')}</h2>
          <p><label for="campaign-bar">${t('campaign.done', { done, total, percent })}</label></p>
          <progress id="campaign-bar" max="${Math.max(total, 1)}" value="${done}">${percent} %</progress>
          ${facts([
            [t('campaign.status'), html`<strong id="campaign-status">${t(`campaignStatus.${campaign.status}`)}</strong>`],
            ...counters.map((counter) => [t(`campaign.${counter}`), String(campaign.progress[counter])] as [string, string]),
          ])}
        </section>
        <section aria-labelledby="h-campaign-actions"><h2 id="h-campaign-actions">${t('case.actions')}</h2>
          <div class="button-row">
            ${(['pause', 'resume', 'cancel'] as const).map((action) => postForm(ctx.page, `/console/campaigns/${id}/${action}`, html`<button type="submit" class="secondary">${t(`campaign.${action}`)}</button>`))}
          </div>
        </section>`;
      sendPage(ctx.res, renderPage(ctx.page, { title: `${t('campaign.title')}: ${campaign.name}`, body, flash: flashOf(ctx) }));
    },
  },
  {
    method: 'post',
    path: '/console/campaigns/:id/:action',
    async handler(ctx) {
      const id = String(ctx.req.params.id);
      const action = String(ctx.req.params.action);
      if (!uuidPattern.test(id) || !['pause', 'resume', 'cancel'].includes(action)) return sendApiFailure(ctx, { status: 404, body: undefined });
      const answer = await ctx.api({ method: 'POST', path: `/api/v1/outreach/campaigns/${id}/${action}` });
      if (answer.status === 409) {
        const [message] = toFieldErrors(ctx.page, answer.body ?? {}, [])[''] ?? [];
        return sendPage(ctx.res, renderPage(ctx.page, { title: ctx.page.t('campaign.title'), body: html`<p role="alert">${message}</p><p><a href="/console/campaigns/${id}">${ctx.page.t('campaign.back')}</a></p>` }), 409);
      }
      if (answer.status >= 300) return sendApiFailure(ctx, answer);
      ctx.res.redirect(303, `/console/campaigns/${id}?done=1`);
    },
  },
];
