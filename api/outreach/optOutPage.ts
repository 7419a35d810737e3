import { selectLetterLanguages, type OutreachTemplate } from '../../domain/outreach/messageTemplates';

/**
 * The small HTML pages behind the opt-out link. A GET shows the question and a form; only its
 * POST opts out (a mail scanner that follows links changes nothing). German first, then the
 * person's language; nothing about the person (no name, no address) — only the signed token in
 * the form's action.
 */

export type OptOutPageKind = 'confirm' | 'done' | 'invalid';

/** Headers of every opt-out page: nothing cached, nothing loaded, the token never sent on as a referrer. */
export const optOutPageHeaders: Record<string, string> = {
  'Content-Type': 'text/html; charset=utf-8',
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
  'X-Robots-Tag': 'noindex',
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
};

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/**
 * Renders one opt-out page. `preferredLanguage` is the person's (undefined for a refused link:
 * then German and English); `action` is the form's target with the token (only for `confirm`).
 */
export function renderOptOutPage(
  templates: ReadonlyMap<string, OutreachTemplate>,
  kind: OptOutPageKind,
  preferredLanguage: string | undefined,
  action?: string,
): string {
  const languages = selectLetterLanguages(preferredLanguage ?? 'en', new Set(templates.keys())).map((l) => templates.get(l)!);
  const sections = languages.map((t) => {
    const text = kind === 'confirm' ? t.optOutPage.question : kind === 'done' ? t.optOutPage.done : t.optOutPage.invalid;
    return `<section lang="${t.language}" dir="${t.direction}"><h1>${escapeHtml(t.optOutPage.title)}</h1><p>${escapeHtml(text)}</p></section>`;
  });
  const form =
    kind === 'confirm' && action
      ? `<form method="post" action="${escapeHtml(action)}"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">${languages.map((t) => `<span lang="${t.language}" dir="${t.direction}">${escapeHtml(t.optOutPage.button)}</span>`).join(' / ')}</button></form>`
      : '';
  const title = languages.map((t) => t.optOutPage.title).join(' / ');
  return `<!doctype html>
<html lang="de"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${escapeHtml(title)}</title>
<style>body{font-family:sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;line-height:1.5}section{margin-bottom:1.5rem}button{font-size:1.1rem;padding:.5rem 1rem}</style></head>
<body>${sections.join('')}${form}</body></html>
`;
}
