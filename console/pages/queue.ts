import { naturalisationStages } from '../../domain/naturalisation/stages';
import { residenceCheckStages } from '../../domain/residence/checkProcedure';
import { formatDate, trafficLightBadge } from '../components';
import { flashOf, sendApiFailure, sendPage, type ConsoleRequest } from '../context';
import { html } from '../html';
import { renderPage } from '../layout';
import type { ConsoleRoute } from '../router';
import { classifyUrgency } from '../trafficLight';

/** The processes whose queue a role sees (the API decides again: GET /api/v1/queue). */
function queueTypesOf(roles: readonly string[]): Array<'naturalisation' | 'residence'> {
  const types: Array<'naturalisation' | 'residence'> = [];
  if (roles.includes('ebh_clerk') || roles.includes('admin')) types.push('naturalisation');
  if (roles.includes('abh_clerk') || roles.includes('admin')) types.push('residence');
  return types;
}

const stagesOf = { naturalisation: naturalisationStages.filter((s) => !['closed', 'in_progress', 'decided'].includes(s)), residence: residenceCheckStages.filter((s) => s !== 'decided') };
const waitingParties = ['authority', 'applicant', 'other_agency', 'person', 'case_management'];

/** Where a case of the queue opens. */
export function casePath(caseType: string, id: string): string {
  return caseType === 'residence' ? `/console/residence/${id}` : `/console/naturalisation/${id}`;
}

/**
 * The work queue of the staff member's process (GET /api/v1/queue): filters by stage, party
 * awaited, assignee and flag; nearest due first, with the § 75 VwGO clock and the other
 * deadlines as a traffic light; page by page.
 */
export const queuePage: ConsoleRoute = {
  method: 'get',
  path: '/console',
  async handler(ctx: ConsoleRequest) {
    const { t } = ctx.page;
    const types = queueTypesOf(ctx.session.roles);
    if (types.length === 0) {
      // Case managers work from their handoffs; others have no queue.
      if (ctx.session.roles.includes('case_manager')) return ctx.res.redirect(303, '/console/handoffs');
      if (ctx.session.roles.includes('coordinator')) return ctx.res.redirect(303, '/console/figures');
      return sendPage(ctx.res, renderPage(ctx.page, { title: t('queue.title'), body: html`<p>${t('queue.empty')}</p>` }));
    }
    const q = ctx.req.query as Record<string, string | undefined>;
    const caseType = types.includes(q.caseType as never) ? (q.caseType as 'naturalisation' | 'residence') : types[0];
    const filter = { caseType, stage: q.stage, waitingFor: q.waitingFor, assignee: q.assignee, flag: q.flag, after: q.after, limit: '50' };
    const answer = await ctx.api<{ items: Array<Record<string, any>>; next: string | null }>({ path: '/api/v1/queue', query: filter });
    if (answer.status !== 200) return sendApiFailure(ctx, answer);
    const now = ctx.deps.clock();
    const select = (name: string, label: string, values: readonly string[], prefix: string) => html`<div class="field">
        <label for="filter-${name}">${label}</label>
        <select id="filter-${name}" name="${name}">
          <option value="">${t('queue.any')}</option>
          ${values.map((value) => html`<option value="${value}" ${q[name] === value ? html`selected` : ''}>${t(`${prefix}.${value}`)}</option>`)}
        </select></div>`;
    const nextQuery = answer.body.next ? new URLSearchParams(Object.entries({ ...filter, after: answer.body.next }).filter((e): e is [string, string] => Boolean(e[1]))).toString() : undefined;
    const body = html`
      <form method="get" action="/console" class="filters" aria-label="${t('queue.filter')}">
        ${types.length > 1 ? select('caseType', t('queue.caseType'), types, 'caseType') : html`<input type="hidden" name="caseType" value="${caseType}">`}
        ${select('stage', t('queue.stage'), stagesOf[caseType], 'stage')}
        ${select('waitingFor', t('queue.waitingFor'), waitingParties, 'waiting')}
        <div class="field"><label for="filter-assignee">${t('queue.assignee')}</label><input id="filter-assignee" name="assignee" value="${q.assignee ?? ''}"></div>
        <div class="field"><label for="filter-flag">${t('queue.flag')}</label><input id="filter-flag" name="flag" value="${q.flag ?? ''}"></div>
        <button type="submit">${t('queue.filter')}</button>
      </form>
      ${answer.body.items.length === 0
        ? html`<p>${t('queue.empty')}</p>`
        : html`<p class="muted" role="status">${t('queue.count', { count: answer.body.items.length })}</p>
        <div class="table-wrap" tabindex="0" role="region" aria-label="${t(`caseType.${caseType}`)} – ${t('queue.title')}"><table class="queue">
          <caption class="visually-hidden">${t(`caseType.${caseType}`)} – ${t('queue.title')}</caption>
          <thead><tr><th scope="col">${t('queue.reference')}</th><th scope="col">${t('queue.stage')}</th><th scope="col">${t('queue.waitingFor')}</th><th scope="col">${t('queue.due')}</th><th scope="col">${t('queue.clock')}</th><th scope="col">${t('queue.assignee')}</th><th scope="col">${t('queue.flag')}</th></tr></thead>
          <tbody>
          ${answer.body.items.map((item) => html`<tr>
            <th scope="row"><a href="${casePath(caseType, item.id)}">${item.reference ?? item.id}</a></th>
            <td>${t(`stage.${item.stage}`)}</td>
            <td>${item.waitingFor ? t(`waiting.${item.waitingFor}`) : t('waiting.none')}</td>
            <td>${formatDate(ctx.page, item.due, true)}</td>
            <td>${trafficLightBadge(ctx.page, classifyUrgency(item.due, item.flags, now))}</td>
            <td>${item.assignee ?? '—'}</td>
            <td>${item.flags.join(', ') || '—'}</td>
          </tr>`)}
          </tbody>
        </table></div>`}
      ${nextQuery ? html`<p><a href="/console?${nextQuery}">${t('queue.next')}</a></p>` : ''}`;
    sendPage(ctx.res, renderPage(ctx.page, { title: `${t('queue.title')}: ${t(`caseType.${caseType}`)}`, body, flash: flashOf(ctx), wide: true }));
  },
};
