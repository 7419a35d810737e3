import { html, type Html } from '../html';
import { consoleLanguage } from '../i18n';
import type { PageContext } from '../request';

interface CriterionView {
  id: string;
  status: 'met' | 'not_met' | 'unknown' | 'discretion';
  basis: string;
  reason: { de: string; en: string };
}

/** A criterion's result with a symbol and a word, never colour alone. */
export function statusBadge(page: PageContext, status: string): Html {
  const symbol = { met: '✓', not_met: '✗', unknown: '?', discretion: '±' }[status] ?? '';
  return html`<span class="status status-${status}"><span aria-hidden="true">${symbol}</span> ${page.t(`status.${status}`)}</span>`;
}

/** Every criterion with its result, its paragraph and its reason in the page's language. */
export function criteriaTable(page: PageContext, criteria: readonly CriterionView[], caption: string): Html {
  const { t } = page;
  return html`<div class="table-wrap" tabindex="0" role="region" aria-label="${caption}"><table class="criteria">
    <caption>${caption}</caption>
    <thead><tr><th scope="col">${t('eligibility.criterion')}</th><th scope="col">${t('eligibility.status')}</th><th scope="col">${t('eligibility.basis')}</th><th scope="col">${t('eligibility.reason')}</th></tr></thead>
    <tbody>${criteria.map((criterion) => html`<tr>
      <th scope="row">${t(`criterion.${criterion.id}`)}</th>
      <td>${statusBadge(page, criterion.status)}</td>
      <td class="nowrap">${criterion.basis}</td>
      <td>${criterion.reason[consoleLanguage(page.lang)]}</td>
    </tr>`)}</tbody>
  </table></div>`;
}

/** The stored naturalisation eligibility check (§ 10 StAG). */
export function eligibilityTable(page: PageContext, check: { overall: string; asOf: string; ruleSetVersion: string; criteria: CriterionView[] }): Html {
  const caption = page.t('eligibility.overall', { overall: page.t(`overall.${check.overall}`), asOf: check.asOf, version: check.ruleSetVersion });
  return criteriaTable(page, check.criteria, caption);
}
