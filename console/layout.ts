import { applicantLanguageDirection } from './i18n';
import { html, type Html, type Renderable } from './html';
import type { PageContext } from './request';

/**
 * The frame of every page: language, skip link, banner with the navigation and the sign-out
 * form, one <main> landmark with the page's heading, and a footer. The stylesheet and the small
 * script come from this server (dist/console/static), never from a CDN.
 */
export function renderPage(page: PageContext, content: {
  title: string; body: Renderable; flash?: string; wide?: boolean; brand?: string;
  /** In the banner instead of the German/English switch (the status page's choice of its languages). */
  languageChoice?: Renderable;
}): Html {
  const { t } = page;
  const rightToLeft = applicantLanguageDirection(page.lang) === 'rtl';
  const other = page.lang === 'de' ? 'en' : 'de';
  const switchHref = `/console/lang?to=${other}&back=${encodeURIComponent(page.here)}`;
  return html`<!doctype html>
<html lang="${page.lang}"${rightToLeft ? html` dir="rtl"` : ''}>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${content.title} – ${content.brand ?? t('app.title')}</title>
<link rel="stylesheet" href="/console/static/console.css">
<script src="/console/static/console.js" defer></script>
</head>
<body>
<a class="skip-link" href="#main">${t('app.skip')}</a>
<header class="banner">
  <div class="banner-inner">
    <span class="brand">${content.brand ?? t('app.title')}</span>
    ${page.user
      ? html`<nav aria-label="${t('nav.label')}"><ul>
          ${page.user.roles.some((role) => ['ebh_clerk', 'abh_clerk', 'admin'].includes(role)) ? html`<li><a href="/console">${t('nav.queue')}</a></li>` : ''}
          ${page.user.roles.some((role) => ['ebh_clerk', 'abh_clerk', 'admin'].includes(role)) ? html`<li><a href="/console/persons">${t('nav.persons')}</a></li>` : ''}
          ${page.user.roles.some((role) => ['coordinator', 'admin'].includes(role)) ? html`<li><a href="/console/figures">${t('nav.figures')}</a></li>` : ''}
          ${page.user.roles.includes('case_manager') ? html`<li><a href="/console/handoffs">${t('nav.handoffs')}</a></li>` : ''}
        </ul></nav>`
      : ''}
    <div class="banner-tools">
      ${content.languageChoice ?? html`<a href="${switchHref}" lang="${other}" hreflang="${other}" aria-label="${t('lang.switchLabel')}">${t('lang.switch')}</a>`}
      ${page.user
        ? html`<span class="who">${t('nav.signedInAs', { name: page.user.name })}</span>
          <form method="post" action="/console/logout" class="inline">
            <input type="hidden" name="_csrf" value="${page.csrf ?? ''}">
            <button type="submit" class="link-button">${t('nav.signOut')}</button>
          </form>`
        : ''}
    </div>
  </div>
</header>
<main id="main" tabindex="-1" class="${content.wide ? 'wide' : ''}">
<h1>${content.title}</h1>
${content.flash ? html`<p class="flash" role="status">${content.flash}</p>` : ''}
${content.body}
</main>
<footer class="footer"><p>KIM – Kommunales Integrationsmanagement NRW</p></footer>
</body>
</html>`;
}
