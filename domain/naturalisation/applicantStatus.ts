import { applicantTranslations, type ApplicantStatusTexts } from './applicantTranslations';
import type { NaturalisationStage, WaitingFor } from './stages';

/**
 * The languages of the applicants' status page: German (the original), English, and the
 * languages of the outreach programme (whose texts are machine translations, not yet reviewed:
 * `templates/applicant/<language>.json`).
 */
export const applicantLanguages = ['de', 'en', 'ar', 'tr', 'uk', 'ru', 'fa'] as const;
export type ApplicantLanguage = (typeof applicantLanguages)[number];
/** One text in every language of the status page. */
export type ApplicantText = Record<ApplicantLanguage, string>;

export function isApplicantLanguage(value: unknown): value is ApplicantLanguage {
  return typeof value === 'string' && (applicantLanguages as readonly string[]).includes(value);
}

/** Arabic and Farsi read right to left. */
export function applicantLanguageDirection(language: ApplicantLanguage): 'ltr' | 'rtl' {
  return language === 'ar' || language === 'fa' ? 'rtl' : 'ltr';
}

/**
 * A date (`YYYY-MM-DD`) or instant as the language writes it, in German time and always in the
 * Gregorian calendar (the Farsi locale would otherwise use the Solar Hijri one). A date alone is
 * written out (`long`) but in German, which keeps the numeric form of the letters (23.12.2026).
 */
export function formatApplicantDate(language: ApplicantLanguage, value: string, options: { withTime?: boolean; dateStyle?: 'medium' | 'long' } = {}): string {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const date = dateOnly ? new Date(`${value}T12:00:00Z`) : new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return new Intl.DateTimeFormat(language === 'de' ? 'de-DE' : language === 'en' ? 'en-GB' : language, {
    timeZone: 'Europe/Berlin', calendar: 'gregory',
    dateStyle: options.dateStyle ?? (language === 'de' ? 'medium' : 'long'), ...(options.withTime ? { timeStyle: 'short' } : {}),
  }).format(date);
}

/**
 * What an applicant sees of their case (the status lookup without login): the stage, what is
 * awaited from them, and the next expected step — in every language of the status page. No rule
 * of law; plain language for the applicant, from the projection alone.
 */
export interface ApplicantStatus {
  stage: ApplicantText;
  awaitedFromYou: ApplicantText | null;
  nextStep: ApplicantText;
}

/** The German original and the English texts; the other languages' are in their translation files. */
const sourceTexts: Record<'de' | 'en', ApplicantStatusTexts> = {
  de: {
    stage: {
      received: 'Antrag eingegangen',
      in_progress: 'In Bearbeitung',
      completeness_check: 'Prüfung der Unterlagen',
      waiting_for_documents: 'Unterlagen angefordert',
      inquiries: 'Anfragen an andere Behörden',
      decision: 'Entscheidung wird vorbereitet',
      certificate: 'Einbürgerungsurkunde',
      decided: 'Entschieden',
      closed: 'Abgeschlossen',
    },
    awaitedDocuments: 'Bitte reichen Sie die angeforderten Unterlagen ein. Die Liste steht in unserem Schreiben.',
    awaitedDocumentsBy: 'Bitte reichen Sie die angeforderten Unterlagen ein (bis {date}). Die Liste steht in unserem Schreiben.',
    nextStep: {
      suspended: 'Das Verfahren ruht derzeit. Wir melden uns, sobald es weitergeht.',
      checking: 'Wir prüfen Ihre Unterlagen auf Vollständigkeit.',
      afterDocuments: 'Nach Eingang der Unterlagen prüfen wir sie.',
      inquiries: 'Wir warten auf Antworten anderer Behörden (Sicherheitsanfrage, Bundeszentralregister). Das dauert meist einige Wochen.',
      decision: 'Wir bereiten die Entscheidung vor.',
      certificate: 'Wir laden Sie zur Aushändigung der Einbürgerungsurkunde ein; mit der Aushändigung werden Sie deutsche Staatsangehörige oder deutscher Staatsangehöriger.',
      complete: 'Das Verfahren ist abgeschlossen.',
    },
  },
  en: {
    stage: {
      received: 'Application received',
      in_progress: 'Being processed',
      completeness_check: 'Checking your documents',
      waiting_for_documents: 'Documents requested',
      inquiries: 'Inquiries to other agencies',
      decision: 'Decision being prepared',
      certificate: 'Naturalisation certificate',
      decided: 'Decided',
      closed: 'Closed',
    },
    awaitedDocuments: 'Please send the documents we requested. The list is in our letter.',
    awaitedDocumentsBy: 'Please send the documents we requested (by {date}). The list is in our letter.',
    nextStep: {
      suspended: 'The procedure is on hold. We will contact you when it continues.',
      checking: 'We are checking whether your documents are complete.',
      afterDocuments: 'Once your documents arrive, we will check them.',
      inquiries: 'We are waiting for answers from other agencies (security inquiry, federal register). This usually takes a few weeks.',
      decision: 'We are preparing the decision.',
      certificate: 'We will invite you to receive your naturalisation certificate; you become a German citizen when it is handed to you.',
      complete: 'The procedure is complete.',
    },
  },
};

/** The status texts of every language of the status page. */
const { ar, tr, uk, ru, fa } = applicantTranslations;
export const applicantStatusTexts: Record<ApplicantLanguage, ApplicantStatusTexts> = {
  ...sourceTexts, ar: ar.status, tr: tr.status, uk: uk.status, ru: ru.status, fa: fa.status,
};

function inEveryLanguage(text: (texts: ApplicantStatusTexts, language: ApplicantLanguage) => string): ApplicantText {
  return Object.fromEntries(applicantLanguages.map((language) => [language, text(applicantStatusTexts[language], language)])) as ApplicantText;
}

function nextStepOf(stage: NaturalisationStage, suspended: boolean): keyof ApplicantStatusTexts['nextStep'] {
  if (suspended) return 'suspended';
  switch (stage) {
    case 'received':
    case 'completeness_check':
    case 'in_progress':
      return 'checking';
    case 'waiting_for_documents':
      return 'afterDocuments';
    case 'inquiries':
      return 'inquiries';
    case 'decision':
      return 'decision';
    case 'certificate':
      return 'certificate';
    default:
      return 'complete';
  }
}

export function describeStatusForApplicant(projection: {
  stage: NaturalisationStage;
  waitingFor: WaitingFor;
  suspended: boolean;
  deadlines: Record<string, string | undefined>;
  decision: { outcome?: string } | null;
}): ApplicantStatus {
  const stage: NaturalisationStage = projection.stage in sourceTexts.en.stage ? projection.stage : 'in_progress';
  const deadline = projection.deadlines.documentsDueOn;
  const awaitedFromYou =
    projection.waitingFor === 'applicant'
      ? inEveryLanguage((texts, language) =>
          deadline ? texts.awaitedDocumentsBy.replace('{date}', formatApplicantDate(language, deadline)) : texts.awaitedDocuments)
      : null;
  const next = nextStepOf(projection.stage, projection.suspended);
  return {
    stage: inEveryLanguage((texts) => texts.stage[stage]),
    awaitedFromYou,
    nextStep: inEveryLanguage((texts) => texts.nextStep[next]),
  };
}
