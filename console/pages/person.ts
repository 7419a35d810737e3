import { facts, formatDate, postForm, trafficLightBadge } from '../components';
import { flashOf, sendApiFailure, sendPage, type ConsoleRequest } from '../context';
import { html } from '../html';
import { renderPage } from '../layout';
import type { ConsoleRoute } from '../router';
import { classifyUrgency } from '../trafficLight';
import { casePath } from './queue';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A fact of the register in one line: its kind and its dated values. */
function describeFact(fact: { kind: string; data: Record<string, unknown> }): string {
  const values = Object.entries(fact.data).filter(([, value]) => value !== null && value !== undefined && typeof value !== 'object').map(([key, value]) => `${key}: ${String(value)}`);
  return `${fact.kind.replace(/_/g, ' ')} (${values.join(', ')})`;
}

async function renderPerson(ctx: ConsoleRequest, id: string, status = 200): Promise<void> {
  const { t } = ctx.page;
  const answer = await ctx.api<{ person: Record<string, any>; residencePeriods: Array<Record<string, any>>; facts: Array<Record<string, any>> }>({ path: `/api/v1/persons/${id}` });
  if (answer.status !== 200) return sendApiFailure(ctx, answer);
  const cases = await ctx.api<{ items: Array<Record<string, any>> }>({ path: `/api/v1/persons/${id}/cases` });
  const { person, residencePeriods } = answer.body;
  const now = ctx.deps.clock();
  const periods = [...residencePeriods].sort((a, b) => a.from.localeCompare(b.from));
  const contact = [person.contact.email, person.contact.phone, person.contact.postalAddress && `${person.contact.postalAddress.street}, ${person.contact.postalAddress.postalCode} ${person.contact.postalAddress.city}`].filter(Boolean).join(' · ');
  const body = html`
    <div class="columns">
      <div>
        <section aria-labelledby="h-person"><h2 id="h-person">${person.givenNames} ${person.familyName}</h2>
          ${facts([
            [t('person.fileNumber'), person.fileNumber],
            [t('person.dateOfBirth'), formatDate(ctx.page, person.dateOfBirth)],
            [t('person.nationalities'), person.nationalities.join(', ') || '—'],
            [t('person.contact'), contact || '—'],
            [t('person.language'), person.preferredLanguage],
            [t('case.version'), String(person.version)],
          ])}
        </section>
        <section aria-labelledby="h-cases"><h2 id="h-cases">${t('person.cases')}</h2>
          ${cases.status === 200 && cases.body.items.length > 0
            ? html`<ul class="cases">${cases.body.items.map((item) => html`<li>
                <a href="${casePath(item.caseType, item.id)}">${t(`caseType.${item.caseType}`)} ${item.reference ?? ''}</a>:
                ${t(`stage.${item.stage}`)} — ${trafficLightBadge(ctx.page, classifyUrgency(item.due, item.flags, now))}</li>`)}</ul>`
            : html`<p>${t('person.noCases')}</p>`}
          ${ctx.session.roles.includes('abh_clerk')
            ? html`<section class="card" aria-labelledby="h-start"><h3 id="h-start">${t('person.startCheck')}</h3>
                ${postForm(ctx.page, `/console/persons/${id}/residence-check`, html`
                  <div class="choice"><input type="checkbox" id="start-contactConsent" name="contactConsent" value="true"><label for="start-contactConsent">${t('person.contactConsent')}</label></div>
                  <button type="submit">${t('person.startCheck')}</button>`)}</section>`
            : ''}
        </section>
      </div>
      <div>
        <section aria-labelledby="h-history"><h2 id="h-history">${t('person.history')}</h2>
          <ol class="timeline">${periods.map((period) => html`<li>
            <time datetime="${period.from}">${t('person.period', { from: formatDate(ctx.page, period.from), to: period.to ? formatDate(ctx.page, period.to) : t('person.ongoing') })}</time>
            ${t(`residenceStatus.${period.status}`)}${period.permitBasis ? ` (${period.permitBasis})` : ''}${period.duldungGround ? ` (${period.duldungGround})` : ''}
            ${period.documentExpiry ? html`<span class="muted">— ${formatDate(ctx.page, period.documentExpiry)}</span>` : ''}
          </li>`)}</ol>
        </section>
        <section aria-labelledby="h-facts"><h2 id="h-facts">${t('person.facts')}</h2>
          <ul>${answer.body.facts.map((fact) => html`<li>${describeFact(fact as never)}</li>`)}</ul>
        </section>
      </div>
    </div>`;
  sendPage(ctx.res, renderPage(ctx.page, { title: t('person.title'), body, flash: flashOf(ctx), wide: true }), status);
}

/** The person page: register data, the residence history as a timeline, open processes; an ABH clerk starts a residence check here. */
export const personPages: ConsoleRoute[] = [
  {
    method: 'get',
    path: '/console/persons',
    async handler(ctx) {
      const { t } = ctx.page;
      const q = ctx.req.query as Record<string, string | undefined>;
      const searched = Boolean(q.name || q.fileNumber);
      const answer = searched ? await ctx.api<{ items: Array<Record<string, any>> }>({ path: '/api/v1/persons', query: { name: q.name, fileNumber: q.fileNumber, limit: '50' } }) : undefined;
      if (answer && answer.status !== 200 && answer.status !== 400) return sendApiFailure(ctx, answer);
      const body = html`
        <form method="get" action="/console/persons" class="filters" role="search" aria-label="${t('persons.title')}">
          <div class="field"><label for="persons-name">${t('persons.name')}</label><input id="persons-name" name="name" value="${q.name ?? ''}"></div>
          <div class="field"><label for="persons-fileNumber">${t('persons.fileNumber')}</label><input id="persons-fileNumber" name="fileNumber" value="${q.fileNumber ?? ''}"></div>
          <button type="submit">${t('persons.search')}</button>
        </form>
        ${answer?.status === 200
          ? answer.body.items.length > 0
            ? html`<ul>${answer.body.items.map((p) => html`<li><a href="/console/persons/${p.id}">${p.familyName}, ${p.givenNames}</a> — ${p.fileNumber}, ${formatDate(ctx.page, p.dateOfBirth)}</li>`)}</ul>`
            : html`<p role="status">${t('persons.empty')}</p>`
          : ''}`;
      sendPage(ctx.res, renderPage(ctx.page, { title: t('persons.title'), body }));
    },
  },
  { method: 'get', path: '/console/persons/:id', handler: (ctx) => renderPerson(ctx, String(ctx.req.params.id)) },
  {
    method: 'post',
    path: '/console/persons/:id/residence-check',
    async handler(ctx) {
      const id = String(ctx.req.params.id);
      if (!uuidPattern.test(id)) return sendApiFailure(ctx, { status: 404, body: undefined });
      const answer = await ctx.api<{ id: string }>({ method: 'POST', path: '/api/v1/residence/checks', body: { personId: id, contactConsent: ctx.req.body?.contactConsent === 'true' } });
      if (answer.status !== 201 && answer.status !== 200) return sendApiFailure(ctx, answer);
      ctx.res.redirect(303, `/console/residence/${answer.body.id}?done=1`);
    },
  },
];

