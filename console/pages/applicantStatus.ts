import type { Request, Response } from 'express';
import type { ApiDependencies } from '../../api/deps';
import { naturalisationDocumentTypes } from '../../domain/naturalisation/completeness';
import { callApi, postStreamToApi } from '../apiClient';
import { streamMultipartUpload } from '../multipart';
import { errorSummary, facts, field, formatDate, type FormState } from '../components';
import { sendPage } from '../context';
import { toFieldErrors } from '../forms';
import { html, type Html, type Renderable } from '../html';
import { applicantLanguageDirection, applicantLanguages, isApplicantLanguage, isMachineTranslated, languageName } from '../i18n';
import { renderPage } from '../layout';
import { applicantRequestLanguage, languageCookie, safeReturnPath, setCookie, type PageContext } from '../request';

interface ApplicantRoute {
  method: 'get' | 'post';
  path: string;
  handler: (req: Request, res: Response, deps: ApiDependencies) => Promise<void>;
}

/** The upload of a requested document: reference and code travel with it (the API admits the file by them before reading it). */
function uploadForm(page: PageContext, reference: string, accessCode: string, state?: FormState) {
  const { t } = page;
  const fields = html`
      ${field({ form: 'upload', name: 'type', label: t('applicant.documentType'), type: 'select', required: true, state,
        options: [...naturalisationDocumentTypes, 'other'].map((type) => ({ value: type, label: t(`doc.${type}`) })) })}
      ${field({ form: 'upload', name: 'file', label: t('applicant.file'), type: 'file', required: true, state, attributes: html`accept="application/pdf,image/png,image/jpeg"` })}`;
  return html`<section class="card" aria-labelledby="h-upload"><h2 id="h-upload">${t('applicant.upload')}</h2>
    ${errorSummary(page, state, 'upload')}
    <form method="post" action="/status/documents" enctype="multipart/form-data" class="stack" novalidate>
      <input type="hidden" name="reference" value="${reference}">
      <input type="hidden" name="accessCode" value="${accessCode}">
      ${fields}
      <button type="submit">${t('applicant.uploadSubmit')}</button>
    </form></section>`;
}

/**
 * The choice of the status page's languages, each named in its own language (and marked as
 * such, so a screen reader reads it in that language); the current one is `aria-current`.
 * It comes back to the lookup: reference and code are never in a URL to return to.
 */
function languageChoice(page: PageContext): Html {
  return html`<nav class="language-choice" aria-label="${page.t('applicant.languages')}"><ul>${applicantLanguages.map((language) =>
    html`<li><a href="/status/lang?to=${language}" lang="${language}" hreflang="${language}" dir="${applicantLanguageDirection(language)}"${language === page.lang ? html` aria-current="true"` : ''}>${languageName(language)}</a></li>`)}</ul></nav>`;
}

/** A page of the applicants: their brand, the language choice, and the note on a machine translation. */
function applicantPage(page: PageContext, title: string, body: Renderable): Html {
  const note = isMachineTranslated(page.lang) ? html`<p class="notice">${page.t('applicant.machineTranslated')}</p>` : '';
  return renderPage(page, { title, brand: page.t('applicant.brand'), languageChoice: languageChoice(page), body: html`${note}${body}` });
}

function lookupForm(page: PageContext, state?: FormState) {
  const { t } = page;
  const fields = html`
      ${field({ form: 'status', name: 'reference', label: t('applicant.reference'), hint: t('applicant.referenceHint'), required: true, state, attributes: html`autocomplete="off" autocapitalize="characters" spellcheck="false"` })}
      ${field({ form: 'status', name: 'accessCode', label: t('applicant.accessCode'), required: true, state, attributes: html`autocomplete="off"` })}`;
  return html`<p>${t('applicant.intro')}</p>
    ${errorSummary(page, state, 'status')}
    <form method="post" action="/status" class="stack narrow" novalidate>
      ${fields}
      <button type="submit">${t('applicant.submit')}</button>
    </form>`;
}

/**
 * The applicants' status page, without login: reference and access code (in a POST body, never
 * in the URL) → stage, what is awaited from them and the next step, in German, English or one of the outreach languages (Arabic, Turkish, Ukrainian, Russian,
 * Farsi: machine translations, `templates/applicant/<language>.json`). It
 * asks the public API route `POST /api/v1/status/naturalisation` (wrong codes counted and locked
 * out there).
 */
export const applicantRoutes: ApplicantRoute[] = [
  {
    method: 'get',
    path: '/status',
    async handler(req, res) {
      const page = applicantRequestLanguage(req);
      sendPage(res, applicantPage(page, page.t('applicant.title'), lookupForm(page)));
    },
  },
  {
    // The language choice: remembered in the console's language cookie (whose staff pages keep
    // to German and English: any other value there is German).
    method: 'get',
    path: '/status/lang',
    async handler(req, res) {
      const to = req.query.to;
      if (isApplicantLanguage(to)) setCookie(req, res, languageCookie, to, { path: '/', maxAgeSeconds: 365 * 86_400, httpOnly: false });
      res.redirect(303, safeReturnPath(req.query.back, '/status'));
    },
  },
  {
    method: 'post',
    path: '/status',
    async handler(req, res) {
      const page = applicantRequestLanguage(req);
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
        // A reference that is there but not of the form: the example, in the page's language (the API words it in English).
        if (errors.reference && reference !== '') errors.reference = [t('applicant.referenceInvalid')];
        const state: FormState = { form: 'status', errors, values: { reference } };
        sendPage(res, applicantPage(page, t('applicant.title'), lookupForm(page, state)), answer.status === 429 ? 429 : answer.status === 404 ? 404 : 400);
        return;
      }
      const status = answer.body as { reference: string; stage: Record<string, string>; awaitedFromYou: Record<string, string> | null; nextStep: Record<string, string>; updatedAt: string };
      const body = html`
        <section aria-labelledby="h-status" class="card">
          <h2 id="h-status">${status.reference}</h2>
          ${facts([
            [t('applicant.stage'), html`<strong>${status.stage[page.lang] ?? status.stage.en}</strong>`],
            [t('applicant.awaited'), status.awaitedFromYou ? status.awaitedFromYou[page.lang] ?? status.awaitedFromYou.en : t('applicant.nothingAwaited')],
            [t('applicant.next'), status.nextStep[page.lang] ?? status.nextStep.en],
          ])}
          <p class="muted">${t('applicant.updated', { at: formatDate(page, status.updatedAt, true) })}</p>
        </section>
        ${status.awaitedFromYou ? uploadForm(page, reference, accessCode) : ''}
        <p><a href="/status">${t('applicant.again')}</a></p>`;
      sendPage(res, applicantPage(page, t('applicant.title'), body));
    },
  },
  {
    method: 'post',
    path: '/status/documents',
    async handler(req, res) {
      const page = applicantRequestLanguage(req);
      const { t } = page;
      // The file goes on to the API as it arrives; the API admits it by reference and code first.
      const upload = await streamMultipartUpload(req, {
        maxFileBytes: 11 * 1024 * 1024,
        forward: (fields, file) => postStreamToApi(req, {
          path: `/api/v1/status/naturalisation/documents?${new URLSearchParams({ type: fields.type ?? '' })}`,
          contentType: file.contentType,
          body: file.stream,
          headers: { 'x-reference': (fields.reference ?? '').trim(), 'x-access-code': (fields.accessCode ?? '').trim() },
        }),
      });
      const reference = (upload.fields.reference ?? '').trim();
      const accessCode = (upload.fields.accessCode ?? '').trim();
      const type = upload.fields.type ?? '';
      let errors: Record<string, string[]> | undefined;
      let status = 201;
      if ('error' in upload) {
        res.set('Connection', 'close');
        status = upload.error === 'too_large' ? 413 : 400;
        errors = { file: [t(upload.error === 'too_large' ? 'applicant.tooLarge' : upload.error === 'no_file' ? 'applicant.noFile' : 'error.unexpected')] };
      } else {
        const answer = upload.result;
        status = answer.status;
        if (answer.status !== 201) {
          res.set('Connection', 'close');
          const problem = (answer.body ?? {}) as { code?: string };
          errors =
            answer.status === 404 ? { '': [t('applicant.notFound')] }
            : answer.status === 415 ? { file: [t('applicant.wrongType')] }
            : answer.status === 413 ? { file: [t('applicant.tooLarge')] }
            : answer.status === 409 ? { '': [t('applicant.notRequested')] }
            : answer.status === 429 ? { '': [t('applicant.locked')] }
            : problem.code === 'request.invalid' ? toFieldErrors(page, answer.body ?? {}, ['type'])
            : { '': [t('applicant.uploadFailed')] };
        }
      }
      const body = errors
        ? html`${uploadForm(page, reference, accessCode, { form: 'upload', errors, values: { type } })}<p><a href="/status">${t('applicant.again')}</a></p>`
        : html`<p class="flash" role="status">${t('applicant.uploaded')}</p>${uploadForm(page, reference, accessCode)}<p><a href="/status">${t('applicant.again')}</a></p>`;
      sendPage(res, applicantPage(page, t('applicant.upload'), body), errors ? (status >= 400 ? status : 400) : 200);
    },
  },
];
