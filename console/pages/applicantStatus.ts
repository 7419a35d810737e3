import type { Request, Response } from 'express';
import type { ApiDependencies } from '../../api/deps';
import { callApi } from '../apiClient';
import { errorSummary, facts, field, formatDate, type FormState } from '../components';
import { sendPage } from '../context';
import { toFieldErrors } from '../forms';
import { html } from '../html';
import { renderPage } from '../layout';
import { requestLanguage, type PageContext } from '../request';

interface ApplicantRoute {
  method: 'get' | 'post';
  path: string;
  handler: (req: Request, res: Response, deps: ApiDependencies) => Promise<void>;
}

function lookupForm(page: PageContext, state?: FormState) {
  const { t } = page;
  return html`<p>${t('applicant.intro')}</p>
    ${errorSummary(page, state, 'status')}
    <form method="post" action="/status" class="stack narrow" novalidate>
      ${field({ form: 'status', name: 'reference', label: t('applicant.reference'), hint: t('applicant.referenceHint'), required: true, state, attributes: html`autocomplete="off" autocapitalize="characters" spellcheck="false"` })}
      ${field({ form: 'status', name: 'accessCode', label: t('applicant.accessCode'), required: true, state, attributes: html`autocomplete="off"` })}
      <button type="submit">${t('applicant.submit')}</button>
    </form>`;
}

/**
 * The applicants' status page, without login: reference and access code (in a POST body, never
 * in the URL) → stage, what is awaited from them and the next step, in German or English. It
 * asks the public API route `POST /api/v1/status/naturalisation` (wrong codes counted and locked
 * out there).
 */
export const applicantRoutes: ApplicantRoute[] = [
  {
    method: 'get',
    path: '/status',
    async handler(req, res) {
      const page = requestLanguage(req);
      sendPage(res, renderPage(page, { title: page.t('applicant.title'), body: lookupForm(page) }));
    },
  },
  {
    method: 'post',
    path: '/status',
    async handler(req, res) {
      const page = requestLanguage(req);
      const { t } = page;
      const form = (req.body ?? {}) as Record<string, unknown>;
      const reference = typeof form.reference === 'string' ? form.reference.trim() : '';
      const accessCode = typeof form.accessCode === 'string' ? form.accessCode.trim() : '';
      const answer = await callApi(req, { method: 'POST', path: '/api/v1/status/naturalisation', body: { reference, accessCode } });
      if (answer.status !== 200) {
        const errors =
          answer.status === 404 ? { '': [t('applicant.notFound')] }
          : answer.status === 429 ? { '': [t('applicant.locked')] }
          : toFieldErrors(page, answer.body ?? {}, ['reference', 'accessCode']);
        const state: FormState = { form: 'status', errors, values: { reference } };
        sendPage(res, renderPage(page, { title: t('applicant.title'), body: lookupForm(page, state) }), answer.status === 429 ? 429 : answer.status === 404 ? 404 : 400);
        return;
      }
      const status = answer.body as { reference: string; stage: Record<string, string>; awaitedFromYou: Record<string, string> | null; nextStep: Record<string, string>; updatedAt: string };
      const body = html`
        <section aria-labelledby="h-status" class="card">
          <h2 id="h-status">${status.reference}</h2>
          ${facts([
            [t('applicant.stage'), html`<strong>${status.stage[page.lang]}</strong>`],
            [t('applicant.awaited'), status.awaitedFromYou ? status.awaitedFromYou[page.lang] : t('applicant.nothingAwaited')],
            [t('applicant.next'), status.nextStep[page.lang]],
          ])}
          <p class="muted">${t('applicant.updated', { at: formatDate(page, status.updatedAt, true) })}</p>
        </section>
        <p><a href="/status">${t('applicant.again')}</a></p>`;
      sendPage(res, renderPage(page, { title: t('applicant.title'), body }));
    },
  },
];
