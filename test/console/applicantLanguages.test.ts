import type { Request } from 'express';
import { applicantTranslations } from '../../domain/naturalisation/applicantTranslations';
import { naturalisationDocumentTypes } from '../../domain/naturalisation/completeness';
import { en } from '../../console/i18n/en';
import { translator } from '../../console/i18n';
import { html } from '../../console/html';
import { renderPage } from '../../console/layout';
import { acceptedApplicantLanguage, applicantRequestLanguage, requestLanguage } from '../../console/request';

const request = (headers: Record<string, string>) => ({ headers, originalUrl: '/status' }) as unknown as Request;

describe('the status page in the outreach languages', () => {
  test('each file has every text the status page shows: its own, the document names, and the layout, errors and validation texts it uses', () => {
    const shown = [
      ...Object.keys(en).filter((key) => key.startsWith('applicant.')),
      ...[...naturalisationDocumentTypes, 'other'].map((type) => `doc.${type}`),
      'app.skip', 'error.title', 'error.summary', 'error.unexpected', 'issue.too_small', 'issue.invalid_type', 'issue.invalid_value',
    ];
    for (const file of Object.values(applicantTranslations)) {
      expect(Object.keys(file.page).sort()).toEqual([...new Set(shown)].sort());
    }
  });

  test('a key a file lacks is shown in English, never as the key', () => {
    const t = translator('ar');
    expect(t('applicant.stage')).toBe(applicantTranslations.ar.page['applicant.stage']);
    expect(t('nav.queue')).toBe(en['nav.queue']);
    expect(t('applicant.updated', { at: '1' })).toBe(applicantTranslations.ar.page['applicant.updated'].replace('{at}', '1'));
  });

  test('the language: the cookie, else Accept-Language on a first visit, else German; the staff console stays German or English', () => {
    expect(applicantRequestLanguage(request({ cookie: 'kim_lang=fa', 'accept-language': 'tr' })).lang).toBe('fa');
    expect(applicantRequestLanguage(request({ 'accept-language': 'fr-FR, uk;q=0.8, de;q=0.7' })).lang).toBe('uk');
    expect(applicantRequestLanguage(request({ 'accept-language': 'fr-FR' })).lang).toBe('de');
    expect(applicantRequestLanguage(request({})).lang).toBe('de');
    expect(requestLanguage(request({ cookie: 'kim_lang=ar' })).lang).toBe('de');
    expect(requestLanguage(request({ cookie: 'kim_lang=en', 'accept-language': 'ar' })).lang).toBe('en');
    expect(acceptedApplicantLanguage('ar-SY;q=0.4, en;q=0.9')).toBe('en');
    expect(acceptedApplicantLanguage('ar-SY, ru;q=0')).toBe('ar');
  });

  test('Arabic and Farsi pages read right to left; the others, and the staff console, do not say so', () => {
    const page = (lang: 'ar' | 'fa' | 'tr' | 'de') => renderPage({ lang, t: translator(lang), here: '/status' }, { title: 'x', body: html`` }).value;
    expect(page('ar')).toContain('<html lang="ar" dir="rtl">');
    expect(page('fa')).toContain('<html lang="fa" dir="rtl">');
    expect(page('tr')).toContain('<html lang="tr">');
    expect(page('de')).toContain('<html lang="de">');
  });
});
