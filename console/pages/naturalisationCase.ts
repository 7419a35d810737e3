import { toBerlinLocalDate } from '../../domain/calendar/berlinTime';
import { facts, formatDate, postForm, trafficLightBadge, type FormState } from '../components';
import { flashOf, sendApiFailure, sendPage, type ConsoleRequest } from '../context';
import { toFieldErrors } from '../forms';
import { html, type Html } from '../html';
import { renderPage } from '../layout';
import type { PageContext } from '../request';
import type { ConsoleRoute } from '../router';
import { classifyUrgency } from '../trafficLight';
import { eligibilityTable } from './eligibility';
import { listOfferedActions, naturalisationActions } from './naturalisationForms';

type View = Record<string, any>;
const apiBase = '/api/v1/naturalisation/applications';

/** The case's business events, from its state and the register's evaluation (not Temporal internals), oldest first. */
export function listTimelineEvents(page: PageContext, view: View): Array<{ at: string; text: string }> {
  const { t } = page;
  const d = view.details ?? {};
  const events: Array<{ at: string; text: string }> = [{ at: view.filedOn, text: t('timeline.filed') }];
  if (d.documentRequest) events.push({ at: d.documentRequest.requestedOn, text: t('timeline.documentsRequested', { date: formatDate(page, d.documentRequest.dueOn) }) });
  for (const inquiry of d.inquiries ?? []) {
    events.push({ at: inquiry.sentOn, text: t('timeline.inquirySent', { kind: t(`inquiry.${inquiry.kind}`) }) });
    if (inquiry.answeredOn) events.push({ at: inquiry.answeredOn, text: t('timeline.inquiryAnswered', { kind: t(`inquiry.${inquiry.kind}`), result: t(`inquiry.${inquiry.result}`) }) });
  }
  if (d.eligibility) events.push({ at: d.eligibility.evaluatedOn, text: t('timeline.evaluated', { overall: t(`overall.${d.eligibility.overall}`) }) });
  if (d.suspension) events.push({ at: d.suspension.since, text: t('timeline.suspended', { reason: d.suspension.reason }) });
  if (d.decisionProposal) events.push({ at: d.decisionProposal.proposedAt, text: t('timeline.proposed', { outcome: t(`decision.${d.decisionProposal.outcome}`), by: d.decisionProposal.proposedBy }) });
  if (view.decision) {
    events.push({ at: view.decision.decidedAt, text: t('timeline.decided', { outcome: t(`decision.${view.decision.outcome}`), by: view.decision.decidedBy, confirmedBy: view.decision.confirmedBy ?? '—' }) });
  }
  if (d.appointment) events.push({ at: d.appointment.at, text: t('timeline.appointment', { place: d.appointment.place }) });
  if (d.naturalisedOn) events.push({ at: d.naturalisedOn, text: t('timeline.naturalised') });
  return events.filter((event) => Boolean(event.at)).sort((a, b) => a.at.localeCompare(b.at));
}

async function renderCase(ctx: ConsoleRequest, id: string, state?: FormState, status = 200): Promise<void> {
  const { t } = ctx.page;
  const answer = await ctx.api<View>({ path: `${apiBase}/${id}` });
  if (answer.status !== 200) return sendApiFailure(ctx, answer);
  const view = answer.body;
  const checks = await ctx.api<{ checks: Array<Record<string, any>> }>({ path: `${apiBase}/${id}/eligibility-checks`, query: { limit: '1' } });
  const documents = await ctx.api<{ documents: Array<Record<string, any>> }>({ path: `${apiBase}/${id}/documents` });
  const now = ctx.deps.clock();
  const today = toBerlinLocalDate(now.getTime());
  const light = classifyUrgency(view.nextDueAt, view.flags, now);
  const offered = listOfferedActions(view);
  const actionsHtml: Html[] = naturalisationActions.filter((a) => offered.includes(a.name)).map((a) => a.render(ctx.page, view, state, today));
  const summary = facts([
    [t('case.applicant'), `${view.applicant.givenNames} ${view.applicant.familyName} (${formatDate(ctx.page, view.applicant.dateOfBirth)})`],
    [t('case.filedOn'), formatDate(ctx.page, view.filedOn)],
    [t('case.stage'), html`<strong>${t(`stage.${view.stage}`)}</strong>`],
    [t('queue.waitingFor'), view.waitingFor ? t(`waiting.${view.waitingFor}`) : t('waiting.none')],
    [t('case.nextDueAt'), html`${formatDate(ctx.page, view.nextDueAt, true)} ${trafficLightBadge(ctx.page, light)}`],
    [t('case.lawsuitPossibleFrom'), formatDate(ctx.page, view.deadlines.lawsuitPossibleFrom)],
    ...(view.deadlines.documentsDueOn ? [[t('case.documentsDueOn'), formatDate(ctx.page, view.deadlines.documentsDueOn)] as [string, string]] : []),
    [t('case.assignee'), view.assignee ?? '—'],
    [t('case.flags'), view.flags.join(', ') || '—'],
    [t('case.version'), String(view.version)],
    ...(view.personId ? [[t('case.person'), html`<a href="/console/persons/${view.personId}">${t('case.person')}</a>`] as [string, Html]] : []),
  ]);
  const decision = view.decision
    ? html`<section class="card" aria-labelledby="h-decided"><h3 id="h-decided">${t('decided.title')}</h3>
        <p>${t('decided.text', { outcome: t(`decision.${view.decision.outcome}`), by: view.decision.decidedBy, confirmedBy: view.decision.confirmedBy ?? '—' })}</p></section>`
    : '';
  const latest = checks.status === 200 ? checks.body.checks[0] : undefined;
  const body = html`
    ${view.suspended ? html`<p class="notice" role="note">${t('case.suspended', { reason: view.details.suspension?.reason ?? '' })}</p>` : ''}
    <div class="columns">
      <div>
        <section aria-labelledby="h-summary"><h2 id="h-summary" class="visually-hidden">${t('case.stage')}</h2>${summary}</section>
        <section aria-labelledby="h-actions"><h2 id="h-actions">${t('case.actions')}</h2>
          ${decision}
          ${actionsHtml.length > 0 ? actionsHtml : html`<p>${t('case.noActions')}</p>`}
        </section>
      </div>
      <div>
        <section aria-labelledby="h-documents"><h2 id="h-documents">${t('case.documents')}</h2>
          ${documents.status === 200 && documents.body.documents.length > 0
            ? html`<ul class="documents">${documents.body.documents.map((d) => html`<li>${t(`doc.${d.type}`)} — ${d.contentType}, ${Math.ceil(d.sizeBytes / 1024)} KB, ${formatDate(ctx.page, d.uploadedAt, true)} (${t(`doc.scan.${d.scanVerdict}`)})</li>`)}</ul>`
            : html`<p>${t('case.noDocuments')}</p>`}
        </section>
        <section aria-labelledby="h-timeline"><h2 id="h-timeline">${t('case.timeline')}</h2>
          <ol class="timeline">${listTimelineEvents(ctx.page, view).map((event) => html`<li><time datetime="${event.at}">${formatDate(ctx.page, event.at)}</time> ${event.text}</li>`)}</ol>
        </section>
      </div>
    </div>
        <section aria-labelledby="h-eligibility"><h2 id="h-eligibility">${t('eligibility.title')}</h2>
          ${latest ? eligibilityTable(ctx.page, latest as never) : html`<p>${t('eligibility.none')}</p>`}
          ${view.personId ? postForm(ctx.page, `/console/naturalisation/${id}/actions/eligibility`, html`<button type="submit" class="secondary">${t('eligibility.run')}</button>`) : ''}
        </section>
    `;
  sendPage(ctx.res, renderPage(ctx.page, { title: `${t('caseType.naturalisation')} ${view.reference}`, body, flash: flashOf(ctx), wide: true }), status);
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const naturalisationPages: ConsoleRoute[] = [
  {
    method: 'get',
    path: '/console/naturalisation/:id',
    handler: (ctx) => renderCase(ctx, String(ctx.req.params.id)),
  },
  {
    method: 'post',
    path: '/console/naturalisation/:id/actions/:action',
    async handler(ctx) {
      const id = String(ctx.req.params.id);
      const name = String(ctx.req.params.action);
      if (!uuidPattern.test(id)) return sendApiFailure(ctx, { status: 404, body: undefined });
      const form = (ctx.req.body ?? {}) as Record<string, unknown>;
      let answer;
      if (name === 'eligibility') {
        answer = await ctx.api({ method: 'POST', path: `${apiBase}/${id}/eligibility-checks`, body: {} });
      } else {
        const action = naturalisationActions.find((candidate) => candidate.name === name);
        if (!action) return sendApiFailure(ctx, { status: 404, body: undefined });
        // The version the clerk saw is the one the form was rendered with: the page re-reads it here
        // only to build the body; the workflow refuses a stale one (409).
        const current = await ctx.api<View>({ path: `${apiBase}/${id}` });
        if (current.status !== 200) return sendApiFailure(ctx, current);
        const seen = Number(form._version);
        const view = Number.isInteger(seen) && seen > 0 ? { ...current.body, version: seen } : current.body;
        answer = await ctx.api({ method: 'POST', path: `${apiBase}/${id}/${action.apiPath}`, body: action.toBody(form, view) });
        if (answer.status >= 400 && answer.status < 500 && answer.status !== 404) {
          const values = Object.fromEntries(Object.entries(form).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
          return renderCase(ctx, id, { form: name, errors: toFieldErrors(ctx.page, answer.body ?? {}, action.fields), values }, answer.status);
        }
      }
      if (answer.status >= 300) return sendApiFailure(ctx, answer);
      ctx.res.redirect(303, `/console/naturalisation/${id}?done=1`);
    },
  },
];
