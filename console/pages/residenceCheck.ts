import { toBerlinLocalDate } from '../../domain/calendar/berlinTime';
import { facts, formatDate, trafficLightBadge, type FormState } from '../components';
import { flashOf, sendApiFailure, sendPage, type ConsoleRequest } from '../context';
import { toFieldErrors } from '../forms';
import { html } from '../html';
import { renderPage } from '../layout';
import type { PageContext } from '../request';
import type { ConsoleRoute } from '../router';
import { classifyUrgency } from '../trafficLight';
import { criteriaTable } from './eligibility';
import { listOfferedResidenceActions, residenceActions } from './residenceForms';

type View = Record<string, any>;
const apiBase = '/api/v1/residence/checks';
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The check's business events, from its projected state, oldest first. */
function listResidenceEvents(page: PageContext, view: View): Array<{ at: string; text: string }> {
  const { t } = page;
  const d = view.details ?? {};
  const events: Array<{ at: string; text: string }> = [];
  if (view.evaluation) events.push({ at: view.evaluation.asOf, text: t('timeline.evaluated2', { overall: t(`status.${view.evaluation.overall}`) }) });
  if (d.evidence) {
    events.push({ at: d.evidence.requestedOn, text: t('timeline.evidenceRequested', { date: formatDate(page, d.evidence.dueOn) }) });
    if (d.evidence.received?.length) events.push({ at: d.evidence.requestedOn, text: t('timeline.evidenceReceived', { list: d.evidence.received.map((k: string) => t(`evidence.${k}`)).join(', ') }) });
  }
  if (d.notYet) events.push({ at: d.notYet.since, text: t('timeline.notYet', { date: formatDate(page, d.notYet.until) }) });
  if (d.handoffProposal) events.push({ at: d.handoffProposal.proposedAt, text: t('timeline.handoffProposed') });
  if (view.decision) events.push({ at: view.decision.decidedAt, text: t('timeline.rdecided', { outcome: t(`rdecision.${view.decision.outcome}`), title: view.decision.title ?? '', by: view.decision.decidedBy }) });
  return events.filter((event) => Boolean(event.at)).sort((a, b) => a.at.localeCompare(b.at));
}

async function renderCheck(ctx: ConsoleRequest, id: string, state?: FormState, status = 200): Promise<void> {
  const { t } = ctx.page;
  const answer = await ctx.api<View>({ path: `${apiBase}/${id}` });
  if (answer.status !== 200) return sendApiFailure(ctx, answer);
  const view = answer.body;
  const now = ctx.deps.clock();
  const today = toBerlinLocalDate(now.getTime());
  const offered = listOfferedResidenceActions(view);
  const evaluation = view.evaluation;
  const body = html`
    <div class="columns">
      <div>
        ${facts([
          [t('residence.kind'), t(`residence.kind.${view.kind}`)],
          [t('case.stage'), html`<strong>${t(`stage.${view.stage}`)}</strong>`],
          [t('queue.waitingFor'), view.waitingFor ? t(`waiting.${view.waitingFor}`) : t('waiting.none')],
          [t('case.nextDueAt'), html`${formatDate(ctx.page, view.nextDueAt, true)} ${trafficLightBadge(ctx.page, classifyUrgency(view.nextDueAt, view.flags, now))}`],
          [t('case.assignee'), view.assignee ?? '—'],
          [t('case.flags'), view.flags.join(', ') || '—'],
          [t('case.version'), String(view.version)],
          [t('case.person'), html`<a href="/console/persons/${view.personId}">${t('case.person')}</a>`],
        ])}
        <section aria-labelledby="h-actions"><h2 id="h-actions">${t('case.actions')}</h2>
          ${view.decision ? html`<section class="card" aria-labelledby="h-rdecided"><h3 id="h-rdecided">${t('rdecision.title')}</h3><p>${t('rdecided.text', {
            outcome: t(`rdecision.${view.decision.outcome}`), title: view.decision.title ?? '', by: view.decision.decidedBy, at: formatDate(ctx.page, view.decision.decidedAt),
          })}</p><blockquote>${view.decision.reason}</blockquote></section>` : ''}
          ${offered.length > 0 ? residenceActions.filter((a) => offered.includes(a.name)).map((a) => a.render(ctx.page, view, state, today)) : html`<p>${t('case.noActions')}</p>`}
        </section>
      </div>
      <div>
        <section aria-labelledby="h-timeline"><h2 id="h-timeline">${t('case.timeline')}</h2>
          <ol class="timeline">${listResidenceEvents(ctx.page, view).map((event) => html`<li><time datetime="${event.at}">${formatDate(ctx.page, event.at)}</time> ${event.text}</li>`)}</ol>
        </section>
      </div>
    </div>
        ${evaluation ? html`<section aria-labelledby="h-evaluation"><h2 id="h-evaluation">${t('residence.evaluation')}</h2>
          ${facts([
            [t('residence.evidenceNeeded'), evaluation.evidenceNeeded.map((k: string) => t(`evidence.${k}`)).join(', ') || t('residence.none')],
            [t('residence.deficits'), evaluation.deficits.join(', ') || t('residence.none')],
          ])}
          ${evaluation.titles.map((title: any) => criteriaTable(
            ctx.page, title.criteria,
            `${t('residence.titleOverall', { rule: title.rule, overall: t(`status.${title.overall}`) })}${title.eligibleFrom ? ` (${t('residence.eligibleFrom', { date: formatDate(ctx.page, title.eligibleFrom) })})` : ''}`,
          ))}
        </section>` : ''}
    `;
  sendPage(ctx.res, renderPage(ctx.page, { title: `${t('caseType.residence')} ${view.reference}`, body, flash: flashOf(ctx), wide: true }), status);
}

/** The residence check page: state, evaluation per title and criterion with its paragraph, and the clerk's actions through to the decision. */
export const residencePages: ConsoleRoute[] = [
  { method: 'get', path: '/console/residence/:id', handler: (ctx) => renderCheck(ctx, String(ctx.req.params.id)) },
  {
    method: 'post',
    path: /^\/console\/residence\/([^/]+)\/actions\/(.+)$/ as unknown as string,
    async handler(ctx) {
      const id = String(ctx.req.params[0]);
      const name = String(ctx.req.params[1]);
      const action = residenceActions.find((candidate) => candidate.name === name);
      if (!uuidPattern.test(id) || !action) return sendApiFailure(ctx, { status: 404, body: undefined });
      const form = (ctx.req.body ?? {}) as Record<string, unknown>;
      const seen = Number(form._version);
      const answer = await ctx.api({ method: 'POST', path: `${apiBase}/${id}/${name}`, body: action.toBody(form, { id, version: Number.isInteger(seen) && seen > 0 ? seen : 0 }) });
      if (answer.status >= 400 && answer.status < 500 && answer.status !== 404) {
        const values = Object.fromEntries(Object.entries(form).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
        return renderCheck(ctx, id, { form: name, errors: toFieldErrors(ctx.page, answer.body ?? {}, action.fields), values }, answer.status);
      }
      if (answer.status >= 300) return sendApiFailure(ctx, answer);
      ctx.res.redirect(303, `/console/residence/${id}?done=1`);
    },
  },
];
