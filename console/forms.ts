import { computeBerlinUtcOffset } from '../domain/calendar/berlinTime';
import type { Problem } from './apiClient';
import type { FieldErrors } from './components';
import { consoleLanguage } from './i18n';
import type { PageContext } from './request';

/** A form field as text; absent or blank: undefined (the API then names it as missing). */
export function textValue(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/** A whole number, or the text as typed when it is not one (the API then refuses it for that field). */
export function integerValue(body: Record<string, unknown>, name: string): number | string | undefined {
  const value = textValue(body, name);
  if (value === undefined) return undefined;
  return /^-?\d{1,9}$/.test(value.trim()) ? Number(value.trim()) : value;
}

/** `<input type="datetime-local">` is German local time: to an instant with its offset. */
export function localDateTimeValue(body: Record<string, unknown>, name: string): string | undefined {
  const value = textValue(body, name);
  if (value === undefined) return undefined;
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})$/.exec(value);
  if (!match) return value;
  const asUtc = Date.parse(`${match[1]}T${match[2]}:00Z`);
  const offset = computeBerlinUtcOffset(asUtc - 3_600_000);
  return new Date(asUtc - offset).toISOString();
}

/** The API's validation codes with a message of their own in the catalogues (`issue.<code>`; the API's own text is English). */
const issueCodes = new Set(['too_small', 'invalid_type', 'invalid_value']);

/** The API's own messages of cross-field rules, in the interface language (others are shown as the API words them). */
const customTexts: Record<string, { de: string; en: string }> = {
  'a grant names the title granted': { de: 'Bei einer Erteilung ist der Titel anzugeben.', en: 'A grant names the title granted.' },
  'only a grant names a title': { de: 'Einen Titel nennt nur eine Erteilung.', en: 'Only a grant names a title.' },
  'only "not_yet" takes a review date': { de: 'Eine Wiedervorlage gibt es nur bei „noch nicht“.', en: 'Only "not yet" takes a review date.' },
};

/** Problem codes of the API, in the interface language; others show the API's title. */
const problemTexts: Record<string, { de: string; en: string }> = {
  'naturalisation.four_eyes': {
    de: 'Vier-Augen-Prinzip: Wer eine Antwort einer Stelle erfasst oder die Entscheidung vorgeschlagen hat, darf sie nicht vorschlagen oder bestätigen.',
    en: 'Four eyes: whoever recorded an agency answer or proposed the decision may not propose or confirm it.',
  },
  'naturalisation.version_conflict': {
    de: 'Der Fall wurde inzwischen geändert. Bitte prüfen Sie den neuen Stand und versuchen Sie es erneut.',
    en: 'The case has changed in the meantime. Please check its new state and try again.',
  },
  'residence.version_conflict': {
    de: 'Der Fall wurde inzwischen geändert. Bitte prüfen Sie den neuen Stand und versuchen Sie es erneut.',
    en: 'The case has changed in the meantime. Please check its new state and try again.',
  },
  'naturalisation.proposal_superseded': {
    de: 'Der Vorschlag, den Sie bestätigen wollten, wurde inzwischen durch einen neuen ersetzt. Bitte prüfen Sie den neuen Vorschlag.',
    en: 'The proposal you meant to confirm has since been replaced by a new one. Please check the new proposal.',
  },
  'naturalisation.eligibility_missing': {
    de: 'Für eine Einbürgerung muss eine Prüfung der Voraussetzungen vom heutigen Tag vorliegen.',
    en: 'An approval needs an evaluation of the requirements made today.',
  },
  'naturalisation.not_eligible': { de: 'Die heutige Prüfung ergibt: Voraussetzungen nicht erfüllt.', en: "Today's evaluation: requirements not met." },
};

/** A German/English text of the console in the page's language (English on the status page's other languages). */
function inPageLanguage(page: PageContext, texts: { de: string; en: string } | undefined): string | undefined {
  return texts?.[consoleLanguage(page.lang)];
}

/**
 * The API's problem as messages per form field: `body.answeredOn` belongs to the field
 * `answeredOn`; what names no field of the form goes above it.
 */
export function toFieldErrors(page: PageContext, problem: Problem, fieldNames: readonly string[]): FieldErrors {
  const errors: FieldErrors = {};
  const add = (name: string, message: string) => {
    (errors[name] ??= []).push(message);
  };
  for (const issue of problem.errors ?? []) {
    const name = issue.path.replace(/^body\./, '');
    const code = (issue as { code?: string }).code;
    const text = inPageLanguage(page, customTexts[issue.message])
      ?? (code && issueCodes.has(code) && !(code === 'too_small' && /least [2-9]|\d{2,}/.test(issue.message)) ? page.t(`issue.${code}`) : issue.message);
    const target = fieldNames.includes(name) ? name : fieldNames.find((candidate) => name.startsWith(`${candidate}.`));
    if (target) add(target, text);
    else add('', `${name}: ${issue.message}`);
  }
  if (!problem.errors?.length) {
    const known = problem.code ? problemTexts[problem.code] : undefined;
    add('', inPageLanguage(page, known) ?? problem.title ?? page.t('error.unexpected'));
  }
  return errors;
}
