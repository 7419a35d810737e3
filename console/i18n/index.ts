import { applicantLanguageDirection, applicantLanguages, isApplicantLanguage, type ApplicantLanguage } from '../../domain/naturalisation/applicantStatus';
import { applicantTranslations } from '../../domain/naturalisation/applicantTranslations';
import { de } from './de';
import { en } from './en';

/** The staff console's languages: German by default, English as the switch. */
export const languages = ['de', 'en'] as const;
export type Language = (typeof languages)[number];
/**
 * The language of a page: one of the console's, or on the applicants' status page one of the
 * outreach languages too (their texts: `templates/applicant/<language>.json`).
 */
export type PageLanguage = ApplicantLanguage;
export type MessageKey = keyof typeof de;
export type Translate = (key: MessageKey | string, params?: Record<string, string | number>) => string;

export { applicantLanguageDirection, applicantLanguages, isApplicantLanguage };

const { ar, tr, uk, ru, fa } = applicantTranslations;
const catalogues: Record<PageLanguage, Partial<Record<string, string>>> = { de, en, ar: ar.page, tr: tr.page, uk: uk.page, ru: ru.page, fa: fa.page };

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (languages as readonly string[]).includes(value);
}

/** The one of German and English a text of the staff console only has is shown in (English for the outreach languages). */
export function consoleLanguage(language: PageLanguage): Language {
  return language === 'de' ? 'de' : 'en';
}

/** A language's own name ("Deutsch", "العربية"), for the language choice. */
export function languageName(language: PageLanguage): string {
  return language === 'de' || language === 'en' ? catalogues[language]['lang.name']! : applicantTranslations[language].languageName;
}

/** Whether the page's texts in a language are a machine translation a translator has not checked yet. */
export function isMachineTranslated(language: PageLanguage): boolean {
  return language !== 'de' && language !== 'en' && applicantTranslations[language].translation.status !== 'reviewed';
}

/**
 * The translation function of a language. A key may be built at run time (`stage.${stage}`);
 * one an outreach language's file lacks is shown in English; an unknown one is shown as the last
 * part of the key itself (a stage the catalogue lacks shows its identifier rather than nothing).
 */
export function translator(language: PageLanguage): Translate {
  const catalogue = catalogues[language];
  return (key, params = {}) => {
    const text = catalogue[key] || en[key as MessageKey] || key.slice(key.lastIndexOf('.') + 1).replace(/_/g, ' ');
    return text.replace(/\{(\w+)\}/g, (match, name: string) => (name in params ? String(params[name]) : match));
  };
}
