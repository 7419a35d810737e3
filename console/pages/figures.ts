import { facts } from '../components';
import { sendApiFailure, sendPage } from '../context';
import { html, type Html } from '../html';
import { renderPage } from '../layout';
import type { PageContext } from '../request';
import type { ConsoleRoute } from '../router';

const caseTypes = ['naturalisation', 'residence', 'handoff'] as const;

/** Counts as a table with a bar per row (a <meter>, so no inline style is needed); the number is always written out. */
function barTable(page: PageContext, caption: string, counts: Record<string, number>, label: (key: string) => string): Html {
  const entries = Object.entries(counts).sort(([a], [b]) => a.localeCompare(b));
  const max = Math.max(1, ...entries.map(([, n]) => n));
  if (entries.length === 0) return html`<p>${caption}: —</p>`;
  return html`<div class="table-wrap" tabindex="0" role="region" aria-label="${caption}"><table class="figures">
    <caption>${caption}</caption>
    <thead><tr><th scope="col">${page.t('figures.key')}</th><th scope="col">${page.t('figures.count')}</th><th scope="col"><span class="visually-hidden">${page.t('figures.bar')}</span></th></tr></thead>
    <tbody>${entries.map(([key, n]) => html`<tr><th scope="row">${label(key)}</th><td>${n}</td><td><meter min="0" max="${max}" value="${n}" aria-hidden="true"></meter></td></tr>`)}</tbody>
  </table></div>`;
}

/**
 * The steering figures (coordinators, admins): anonymised counts of one process of the
 * caller's authority — by stage, month of filing and flag — from `GET /api/v1/statistics/:caseType`.
 */
export const openCampaignPage: ConsoleRoute = {
  method: 'get',
  path: '/console/campaigns/open',
  async handler(ctx) {
    const id = String(ctx.req.query.id ?? '').trim();
    ctx.res.redirect(303, /^[0-9a-f-]{36}$/i.test(id) ? `/console/campaigns/${id}` : '/console/figures');
  },
};

export const figuresPage: ConsoleRoute = {
  method: 'get',
  path: '/console/figures',
  async handler(ctx) {
    const { t } = ctx.page;
    const requested = String(ctx.req.query.caseType ?? 'naturalisation');
    const caseType = (caseTypes as readonly string[]).includes(requested) ? requested : 'naturalisation';
    const answer = await ctx.api<{ total: number; lawsuitPossible: number; byStage: Record<string, number>; byFilingMonth: Record<string, number>; byFlag: Record<string, number> }>({
      path: `/api/v1/statistics/${caseType}`,
    });
    if (answer.status !== 200) return sendApiFailure(ctx, answer);
    const figures = answer.body;
    const body = html`
      <form method="get" action="/console/figures" class="filters" aria-label="${t('queue.caseType')}">
        <div class="field"><label for="figures-caseType">${t('queue.caseType')}</label>
          <select id="figures-caseType" name="caseType">${caseTypes.map((type) => html`<option value="${type}" ${type === caseType ? html`selected` : ''}>${t(`caseType.${type}`)}</option>`)}</select></div>
        <button type="submit">${t('queue.filter')}</button>
      </form>
      ${facts([[t('figures.total'), String(figures.total)], [t('figures.lawsuitPossible'), String(figures.lawsuitPossible)]])}
      <div class="columns">
        <div>${barTable(ctx.page, t('figures.byStage'), figures.byStage, (stage) => t(`stage.${stage}`))}</div>
        <div>${barTable(ctx.page, t('figures.byFilingMonth'), figures.byFilingMonth, (month) => month)}</div>
      </div>
      ${barTable(ctx.page, t('figures.byFlag'), figures.byFlag, (flag) => flag.replace(/_/g, ' '))}
      <p class="muted">${t('figures.note')}</p>
      ${ctx.session.roles.includes('coordinator') ? html`<form method="get" action="/console/campaigns/open" class="filters" aria-label="${t('campaign.open')}">
        <div class="field"><label for="campaign-id">${t('campaign.id')}</label><input id="campaign-id" name="id" autocomplete="off"></div>
        <button type="submit">${t('campaign.open')}</button></form>` : ''}`;
    sendPage(ctx.res, renderPage(ctx.page, { title: `${t('figures.title')}: ${t(`caseType.${caseType}`)}`, body, wide: true }));
  },
};
