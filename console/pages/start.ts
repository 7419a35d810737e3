import type { Request, Response } from 'express';
import { sendPage } from '../context';
import { html } from '../html';
import { renderPage } from '../layout';
import { pageContentSecurityPolicy, requestLanguage } from '../request';

/** The parts of an OpenAPI 3.1 document the documentation page shows. */
export interface ApiDocument {
  info: { title: string; description?: string };
  paths?: Record<string, Record<string, {
    summary?: string;
    description?: string;
    tags?: string[];
    parameters?: Array<{ name: string; in: string; required?: boolean; description?: string }>;
    requestBody?: { content?: Record<string, unknown>; description?: string };
    responses?: Record<string, { description?: string }>;
  }>>;
}

const methods = ['get', 'post', 'put', 'patch', 'delete'] as const;

/**
 * `/`: where a newcomer starts — the staff console, the applicants' status page, the API
 * documentation and the health check, each with a sentence on who it is for.
 */
export function renderStartPage(req: Request, res: Response): void {
  const page = requestLanguage(req);
  const { t } = page;
  const entry = (href: string, title: string, hint: string) => html`<li><a href="${href}">${title}</a><p>${hint}</p></li>`;
  res.set('Content-Security-Policy', pageContentSecurityPolicy);
  sendPage(res, renderPage(page, {
    title: t('start.title'),
    body: html`<p>${t('start.intro')}</p>
<ul class="start-links">
  ${entry('/console', t('start.console'), t('start.consoleHint'))}
  ${entry('/status', t('start.status'), t('start.statusHint'))}
  ${entry('/docs/api', t('start.api'), t('start.apiHint'))}
  ${entry('/health', t('start.health'), t('start.healthHint'))}
</ul>`,
  }));
}

/**
 * `/docs/api`: the JSON API's operations read from the OpenAPI document the API serves at
 * `/openapi.json` (generated from the routes' own schemas), grouped by tag: method, path, what
 * it does, who may call it, its parameters and its answers.
 */
export function renderApiDocumentation(document: ApiDocument) {
  return (req: Request, res: Response): void => {
    const page = requestLanguage(req);
    const { t } = page;
    const operations = Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
      methods.filter((method) => item[method]).map((method) => ({ path, method, operation: item[method]! })),
    );
    const tags = [...new Set(operations.map((o) => o.operation.tags?.[0] ?? t('docs.other')))].sort((a, b) => a.localeCompare(b));
    const anchor = (tag: string) => `tag-${tag.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
    res.set('Content-Security-Policy', pageContentSecurityPolicy);
    sendPage(res, renderPage(page, {
      title: t('docs.title'),
      wide: true,
      body: html`<p>${t('docs.intro')} <a href="/openapi.json">/openapi.json</a></p>
<nav aria-label="${t('docs.contents')}"><ul>${tags.map((tag) => html`<li><a href="#${anchor(tag)}">${tag}</a></li>`)}</ul></nav>
${tags.map((tag) => html`<section aria-labelledby="${anchor(tag)}">
<h2 id="${anchor(tag)}">${tag}</h2>
${operations.filter((o) => (o.operation.tags?.[0] ?? t('docs.other')) === tag).map(({ path, method, operation }) => html`<details class="operation">
  <summary><code>${method.toUpperCase()} ${path}</code> — ${operation.summary ?? ''}</summary>
  ${operation.description ? html`<p>${operation.description}</p>` : ''}
  ${operation.parameters?.length
    ? html`<h3>${t('docs.parameters')}</h3><ul>${operation.parameters.map((p) => html`<li><code>${p.name}</code> (${p.in}${p.required ? `, ${t('docs.required')}` : ''})${p.description ? html` — ${p.description}` : ''}</li>`)}</ul>`
    : ''}
  ${operation.requestBody ? html`<h3>${t('docs.body')}</h3><p>${Object.keys(operation.requestBody.content ?? {}).join(', ')}${operation.requestBody.description ? html` — ${operation.requestBody.description}` : ''}</p>` : ''}
  <h3>${t('docs.responses')}</h3>
  <ul>${Object.entries(operation.responses ?? {}).map(([status, response]) => html`<li><code>${status}</code> ${response.description ?? ''}</li>`)}</ul>
</details>`)}
</section>`)}`,
    }));
  };
}
