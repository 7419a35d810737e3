import type { TranslationStatus } from '../outreach/messageTemplates';
import ar from '../../templates/applicant/ar.json';
import fa from '../../templates/applicant/fa.json';
import ru from '../../templates/applicant/ru.json';
import tr from '../../templates/applicant/tr.json';
import uk from '../../templates/applicant/uk.json';
import type { NaturalisationStage } from './stages';

/** The texts of the status lookup's answer in one language (`{date}`: the deadline as the language writes it). */
export interface ApplicantStatusTexts {
  stage: Record<NaturalisationStage, string>;
  awaitedDocuments: string;
  awaitedDocumentsBy: string;
  nextStep: Record<'suspended' | 'checking' | 'afterDocuments' | 'inquiries' | 'decision' | 'certificate' | 'complete', string>;
}

/**
 * One outreach language's file of the applicants' status page (`templates/applicant/<language>.json`),
 * as a translator edits it: the answer of the status lookup (`status`) and the page's own texts
 * (`page`, by the console's message keys; a key missing there is shown in English). Its
 * `translation` record is the one of the outreach templates: `machine_translated` until a
 * qualified translator has checked it, then `reviewed` with by whom and when.
 */
export interface ApplicantTranslationFile {
  language: string;
  languageName: string;
  version: string;
  direction: string;
  translation: { status: TranslationStatus | string; reviewedBy: string | null; reviewedOn: string | null; note?: string };
  status: ApplicantStatusTexts;
  page: Record<string, string>;
}

/** The outreach languages' files (German and English live in the code and in `console/i18n`). */
export const applicantTranslations: Record<'ar' | 'tr' | 'uk' | 'ru' | 'fa', ApplicantTranslationFile> = { ar, tr, uk, ru, fa };
