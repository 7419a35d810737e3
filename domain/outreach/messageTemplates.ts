import type { CriterionId } from '../naturalisation/criterion';
import type { OutreachRequirement } from './eligibilityDate';

/** One language's template file (`templates/outreach/<language>.json`), as a translator edits it. */
export interface OutreachTemplate {
  language: string;
  languageName: string;
  version: string;
  direction: 'ltr' | 'rtl';
  /**
   * Whether a qualified translator has checked the file: `source` (the German original),
   * `machine_translated` (not yet checked), `reviewed` (checked, by whom and when).
   */
  translation: { status: TranslationStatus; reviewedBy: string | null; reviewedOn: string | null; note?: string };
  greeting: string;
  eligibility: { subject: string; intro: string; metHeading: string; neededHeading: string; howToApply: string };
  requirements: Record<'residence_period' | 'german_language' | 'civic_knowledge' | 'livelihood', string>;
  campaign: { subject: string; eventLine: string };
  closing: string;
  optOut: string;
  /** The page behind the opt-out link: the question, its button, the answer, a refused link. */
  optOutPage: { title: string; question: string; button: string; done: string; invalid: string };
}

export const translationStatuses = ['source', 'machine_translated', 'reviewed'] as const;
export type TranslationStatus = (typeof translationStatuses)[number];

/** What is wrong with a template's translation record; empty when it is sound. */
export function findTranslationRecordProblems(template: Pick<OutreachTemplate, 'language' | 'translation'>): string[] {
  const t = template.translation;
  if (!t || !(translationStatuses as readonly string[]).includes(t.status)) return [`translation.status must be one of ${translationStatuses.join(', ')}`];
  if (t.status === 'source' && template.language !== 'de') return ['only the German file is the source'];
  if (t.status === 'reviewed' && !(t.reviewedBy && /^\d{4}-\d{2}-\d{2}$/.test(t.reviewedOn ?? ''))) return ['a reviewed translation names reviewedBy and reviewedOn (YYYY-MM-DD)'];
  return [];
}

/** The languages the templates must cover: German and the languages of the outreach programme. */
export const requiredTemplateLanguages = ['de', 'en', 'ar', 'tr', 'uk', 'ru', 'fa'] as const;

/**
 * The languages of a letter, in order: German first, then the person's language; where there is
 * no template in that language, German then English. A German speaker gets German only.
 */
export function selectLetterLanguages(preferred: string, available: ReadonlySet<string>): string[] {
  if (preferred === 'de') return ['de'];
  return ['de', available.has(preferred) ? preferred : 'en'];
}

export type OutreachLetterInput =
  | {
      kind: 'eligibility';
      name: string;
      /** The day the residence period is met, `YYYY-MM-DD`. */
      date: string;
      requirements: readonly OutreachRequirement[];
      applyUrl: string;
      optOutUrl: string;
    }
  | {
      kind: 'campaign';
      name: string;
      title: Record<string, string>;
      details: Record<string, string>;
      eventOn?: string;
      place?: string;
      optOutUrl: string;
    };

export interface RenderedOutreachLetter {
  subject: string;
  text: string;
  html: string;
  languages: string[];
  /** Each language's template version, e.g. `de@2026-11-26.1+ar@2026-11-26.1`. */
  templateVersion: string;
  /** The blocks in order, for the printed letter. */
  blocks: { language: string; direction: 'ltr' | 'rtl'; paragraphs: string[] }[];
}

function fill(text: string, values: Record<string, string>): string {
  return text.replace(/\{\{(\w+)\}\}/g, (_match, key: string) => values[key] ?? '');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Formats `YYYY-MM-DD` as the language writes a date (day.month.year for all but English). */
function formatDate(date: string, language: string): string {
  const [y, m, d] = date.split('-');
  return language === 'en' ? `${Number(d)} ${['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'][Number(m) - 1]} ${y}` : `${d}.${m}.${y}`;
}

function renderBlock(template: OutreachTemplate, input: OutreachLetterInput): { subject: string; paragraphs: string[] } {
  const lang = template.language;
  if (input.kind === 'eligibility') {
    const values = { name: input.name, date: formatDate(input.date, lang), applyUrl: input.applyUrl, optOutUrl: input.optOutUrl };
    const line = (id: CriterionId) => `- ${template.requirements[id as keyof OutreachTemplate['requirements']]}`;
    const met = input.requirements.filter((r) => r.status === 'met').map((r) => line(r.id));
    const needed = input.requirements.filter((r) => r.status !== 'met').map((r) => line(r.id));
    return {
      subject: template.eligibility.subject,
      paragraphs: [
        fill(template.greeting, values),
        fill(template.eligibility.intro, values),
        ...(met.length > 0 ? [[template.eligibility.metHeading, ...met].join('\n')] : []),
        ...(needed.length > 0 ? [[template.eligibility.neededHeading, ...needed].join('\n')] : []),
        fill(template.eligibility.howToApply, values),
        template.closing,
        fill(template.optOut, values),
      ],
    };
  }
  const title = input.title[lang] ?? input.title.en ?? input.title.de!;
  const details = input.details[lang] ?? input.details.en ?? input.details.de!;
  const values = { name: input.name, title, eventOn: input.eventOn ? formatDate(input.eventOn, lang) : '', place: input.place ?? '', optOutUrl: input.optOutUrl };
  return {
    subject: fill(template.campaign.subject, values),
    paragraphs: [
      fill(template.greeting, values),
      title,
      details,
      ...(input.eventOn ? [fill(template.campaign.eventLine, values)] : []),
      template.closing,
      fill(template.optOut, values),
    ],
  };
}

/**
 * Renders an outreach letter: one block per language (German first), as plain text, as HTML
 * (each block with its `lang` and `dir`, so Arabic and Farsi read right to left) and as blocks
 * for the printed letter. Pure: the templates are passed in.
 */
export function renderOutreachLetter(
  templates: ReadonlyMap<string, OutreachTemplate>,
  preferredLanguage: string,
  input: OutreachLetterInput,
): RenderedOutreachLetter {
  const languages = selectLetterLanguages(preferredLanguage, new Set(templates.keys()));
  const rendered = languages.map((language) => {
    const template = templates.get(language);
    if (!template) throw new Error(`no outreach template for ${language}`);
    return { template, ...renderBlock(template, input) };
  });
  const subject = [...new Set(rendered.map((r) => r.subject))].join(' / ');
  const text = rendered.map((r) => r.paragraphs.join('\n\n')).join('\n\n----------\n\n');
  const html = [
    '<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"></head><body>',
    ...rendered.map(
      (r) =>
        `<div lang="${r.template.language}" dir="${r.template.direction}" style="text-align:${r.template.direction === 'rtl' ? 'right' : 'left'}">` +
        r.paragraphs.map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`).join('') +
        '</div>',
    ),
    '</body></html>',
  ].join('\n');
  return {
    subject,
    text,
    html,
    languages,
    templateVersion: rendered.map((r) => `${r.template.language}@${r.template.version}`).join('+'),
    blocks: rendered.map((r) => ({ language: r.template.language, direction: r.template.direction, paragraphs: r.paragraphs })),
  };
}
