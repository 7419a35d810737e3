import { toBerlinLocalDate } from '../../domain/calendar/berlinTime';
import { caseManagementPhases } from '../../domain/handoff/progress';
import { actionCard, facts, field, formatDate, postForm, trafficLightBadge, type FormState } from '../components';
import { flashOf, sendApiFailure, sendPage, type ConsoleRequest } from '../context';
import { textValue, toFieldErrors } from '../forms';
import { html, type Html } from '../html';
import { renderPage } from '../layout';
import type { PageContext } from '../request';
import type { ConsoleRoute } from '../router';
import { classifyUrgency } from '../trafficLight';

type View = Record<string, any>;
type Body = Record<string, unknown>;
const apiBase = '/api/v1/handoffs';
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const outcomeKinds = ['language_certificate_obtained', 'employment_started', 'school_place_found', 'other'] as const;

/** The outcome form as the API's body: each kind takes its own fields (a discriminated union there). */
function toOutcomeBody(form: Body): Record<string, unknown> {
  const kind = textValue(form, 'kind');
  const common = { kind, on: textValue(form, 'on'), note: textValue(form, 'note') };
  if (kind === 'language_certificate_obtained') return { ...common, level: textValue(form, 'level') };
  if (kind === 'employment_started') {
    const hours = textValue(form, 'hoursPerWeek');
    return { ...common, hoursPerWeek: hours !== undefined && /^\d+(\.\d+)?$/.test(hours) ? Number(hours) : hours, fullTime: form.fullTime === 'true' };
  }
  return common;
}

const actions: Array<{ name: string; fields: readonly string[]; toBody: (form: Body) => Record<string, unknown> }> = [
  { name: 'acceptance', fields: [], toBody: () => ({}) },
  { name: 'decline', fields: ['reason'], toBody: (form) => ({ reason: textValue(form, 'reason') ?? '' }) },
  { name: 'phases', fields: ['phase', 'on', 'note'], toBody: (form) => ({ phase: textValue(form, 'phase'), on: textValue(form, 'on'), note: textValue(form, 'note') }) },
  { name: 'outcomes', fields: ['kind', 'on', 'level', 'hoursPerWeek', 'fullTime', 'note'], toBody: toOutcomeBody },
  { name: 'closure', fields: ['note'], toBody: (form) => ({ note: textValue(form, 'note') }) },
];

const card = actionCard;

function renderActions(page: PageContext, view: View, state: FormState | undefined, today: string): Html[] {
  const { t } = page;
  const form = (name: string, content: Html) => postForm(page, `/console/handoffs/${view.id}/actions/${name}`, content);
  if (view.stage === 'awaiting_acceptance') {
    return [
      card(page, state, 'acceptance', t('handoff.accept'), form('acceptance', html`<button type="submit">${t('handoff.accept')}</button>`)),
      card(page, state, 'decline', t('handoff.decline'), form('decline', html`
        ${field({ form: 'decline', name: 'reason', label: t('handoff.declineReason'), type: 'textarea', required: true, state })}
        <button type="submit" class="secondary">${t('handoff.decline')}</button>`)),
    ];
  }
  if (view.stage !== 'in_progress') return [];
  return [
    card(page, state, 'outcomes', t('handoff.outcome'), form('outcomes', html`
      ${field({ form: 'outcomes', name: 'kind', label: t('handoff.outcomeKind'), type: 'select', required: true, state, options: outcomeKinds.map((kind) => ({ value: kind, label: t(`outcome.${kind}`) })) })}
      ${field({ form: 'outcomes', name: 'on', label: t('handoff.outcomeOn'), type: 'date', required: true, value: today, state })}
      ${field({ form: 'outcomes', name: 'level', label: t('handoff.level'), type: 'select', state, options: [{ value: '', label: '—' }, ...['A1', 'A2', 'B1', 'B2', 'C1', 'C2'].map((level) => ({ value: level, label: level }))] })}
      ${field({ form: 'outcomes', name: 'hoursPerWeek', label: t('handoff.hoursPerWeek'), type: 'number', state, attributes: html`min="0" max="80" inputmode="decimal"` })}
      <div class="choice"><input type="checkbox" id="outcomes-fullTime" name="fullTime" value="true"><label for="outcomes-fullTime">${t('handoff.fullTime')}</label></div>
      ${field({ form: 'outcomes', name: 'note', label: t('handoff.outcomeNote'), type: 'textarea', state })}
      <button type="submit">${t('handoff.outcomeSubmit')}</button>`)),
    card(page, state, 'phases', t('handoff.phaseTitle'), form('phases', html`
      ${field({ form: 'phases', name: 'phase', label: t('handoff.phase'), type: 'select', required: true, state, options: caseManagementPhases.map((phase) => ({ value: phase, label: t(`phase.${phase}`) })) })}
      ${field({ form: 'phases', name: 'on', label: t('handoff.outcomeOn'), type: 'date', required: true, value: today, state })}
      ${field({ form: 'phases', name: 'note', label: t('handoff.outcomeNote'), type: 'textarea', state })}
      <button type="submit">${t('handoff.phaseSubmit')}</button>`)),
    card(page, state, 'closure', t('handoff.close'), form('closure', html`
      ${field({ form: 'closure', name: 'note', label: t('handoff.closeNote'), type: 'textarea', state })}
      <button type="submit" class="secondary">${t('handoff.close')}</button>`)),
  ];
}

async function renderHandoff(ctx: ConsoleRequest, id: string, state?: FormState, status = 200): Promise<void> {
  const { t } = ctx.page;
  const answer = await ctx.api<View>({ path: `${apiBase}/${id}` });
  if (answer.status !== 200) return sendApiFailure(ctx, answer);
  const view = answer.body;
  const now = ctx.deps.clock();
  const acceptBy = view.stage === 'awaiting_acceptance' ? view.deadlines?.acceptBy : undefined;
  const body = html`<div class="columns">
    <div>
      ${facts([
        [t('handoffs.person'), view.person?.name ?? '—'],
        [t('handoff.contact'), [view.person?.email, view.person?.phone].filter(Boolean).join(' · ') || '—'],
        [t('person.language'), view.person?.language ?? '—'],
        [t('handoffs.needs'), view.needs.map((need: string) => t(`need.${need}`)).join(', ')],
        [t('handoff.urgency'), t(`urgency.${view.urgency}`)],
        [t('handoffs.status'), html`<strong>${t(`stage.${view.stage}`)}</strong>`],
        ...(acceptBy ? [[t('handoffs.acceptBy'), html`${formatDate(ctx.page, acceptBy, true)} ${trafficLightBadge(ctx.page, classifyUrgency(acceptBy, view.flags, now, 2))}`] as [string, Html]] : []),
        ...(view.relevantDeadline ? [[t('case.deadlines'), formatDate(ctx.page, view.relevantDeadline)] as [string, string]] : []),
        [t('handoff.acceptedBy'), view.acceptedBy ?? '—'],
        ...(view.closing ? [[t('handoff.closing'), `${view.closing}${view.reason ? `: ${view.reason}` : ''}`] as [string, string]] : []),
      ])}
      <section aria-labelledby="h-actions"><h2 id="h-actions">${t('case.actions')}</h2>
        ${renderActions(ctx.page, view, state, toBerlinLocalDate(now.getTime()))}
      </section>
    </div>
    <div>
      <section aria-labelledby="h-outcomes"><h2 id="h-outcomes">${t('handoff.outcomes')}</h2>
        ${view.outcomes.length > 0 ? html`<ul>${view.outcomes.map((o: any) => html`<li>${formatDate(ctx.page, o.on)}: ${t(`outcome.${o.kind}`)}</li>`)}</ul>` : html`<p>—</p>`}
      </section>
      <section aria-labelledby="h-phases"><h2 id="h-phases">${t('handoff.phases')}</h2>
        ${(view.phases ?? []).length > 0 ? html`<ol class="timeline">${view.phases.map((p: any) => html`<li><time datetime="${p.on}">${formatDate(ctx.page, p.on)}</time> ${t(`phase.${p.phase}`)}${p.note ? ` — ${p.note}` : ''}</li>`)}</ol>` : html`<p>—</p>`}
      </section>
    </div>
  </div>`;
  sendPage(ctx.res, renderPage(ctx.page, { title: `${t('handoff.title')} ${view.reference}`, body, flash: flashOf(ctx), wide: true }), status);
}

/** The case managers' handoffs: their team's list, and a handoff page to accept or decline, record phases and outcomes, and close. */
export const handoffPages: ConsoleRoute[] = [
  {
    method: 'get',
    path: '/console/handoffs',
    async handler(ctx) {
      const { t } = ctx.page;
      const answer = await ctx.api<{ items: Array<Record<string, any>> }>({ path: apiBase, query: { limit: '100' } });
      if (answer.status !== 200) return sendApiFailure(ctx, answer);
      const body = answer.body.items.length === 0 ? html`<p>${t('handoffs.empty')}</p>` : html`<div class="table-wrap" tabindex="0" role="region" aria-label="${t('handoffs.title')}"><table>
        <caption class="visually-hidden">${t('handoffs.title')}</caption>
        <thead><tr><th scope="col">${t('queue.reference')}</th><th scope="col">${t('handoffs.needs')}</th><th scope="col">${t('handoff.urgency')}</th><th scope="col">${t('handoffs.status')}</th><th scope="col">${t('handoffs.sentAt')}</th></tr></thead>
        <tbody>${answer.body.items.map((item) => html`<tr>
          <th scope="row"><a href="/console/handoffs/${item.id}">${item.reference}</a></th>
          <td>${item.needs.map((need: string) => t(`need.${need}`)).join(', ')}</td>
          <td>${t(`urgency.${item.urgency}`)}</td>
          <td>${t(`stage.${item.stage}`)}</td>
          <td>${formatDate(ctx.page, item.requestedAt, true)}</td>
        </tr>`)}</tbody></table></div>`;
      sendPage(ctx.res, renderPage(ctx.page, { title: t('handoffs.title'), body, flash: flashOf(ctx), wide: true }));
    },
  },
  { method: 'get', path: '/console/handoffs/:id', handler: (ctx) => renderHandoff(ctx, String(ctx.req.params.id)) },
  {
    method: 'post',
    path: '/console/handoffs/:id/actions/:action',
    async handler(ctx) {
      const id = String(ctx.req.params.id);
      const action = actions.find((candidate) => candidate.name === String(ctx.req.params.action));
      if (!uuidPattern.test(id) || !action) return sendApiFailure(ctx, { status: 404, body: undefined });
      const form = (ctx.req.body ?? {}) as Body;
      const answer = await ctx.api({ method: 'POST', path: `${apiBase}/${id}/${action.name}`, body: action.toBody(form) });
      if (answer.status >= 400 && answer.status < 500 && answer.status !== 404) {
        const values = Object.fromEntries(Object.entries(form).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
        return renderHandoff(ctx, id, { form: action.name, errors: toFieldErrors(ctx.page, answer.body ?? {}, action.fields), values }, answer.status);
      }
      if (answer.status >= 300) return sendApiFailure(ctx, answer);
      ctx.res.redirect(303, `/console/handoffs/${id}?done=1`);
    },
  },
];
