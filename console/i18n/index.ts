import { de } from './de';
import { en } from './en';

/** The interface languages: German by default, English as the switch. */
export const languages = ['de', 'en'] as const;
export type Language = (typeof languages)[number];
export type MessageKey = keyof typeof de;
export type Translate = (key: MessageKey | string, params?: Record<string, string | number>) => string;

const catalogues: Record<Language, Record<string, string>> = { de, en };

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (languages as readonly string[]).includes(value);
}

/**
 * The translation function of a language. A key may be built at run time (`stage.${stage}`);
 * an unknown one is shown as the last part of the key itself (a stage the catalogue lacks
 * shows its identifier rather than nothing).
 */
export function translator(language: Language): Translate {
  const catalogue = catalogues[language];
  return (key, params = {}) => {
    const text = catalogue[key] ?? key.slice(key.lastIndexOf('.') + 1).replace(/_/g, ' ');
    return text.replace(/\{(\w+)\}/g, (match, name: string) => (name in params ? String(params[name]) : match));
  };
}
