import type { Page } from 'playwright-core';
import { applicantStatusTexts } from '../../domain/naturalisation/applicantStatus';
import { applicantTranslations } from '../../domain/naturalisation/applicantTranslations';
import { validApplicationBody } from '../support/system';
import { checkPage, useSystemAndBrowser } from './browser';

/**
 * The applicants' status page in the outreach languages, in a real browser against the whole
 * system: a case registered through the API, looked up in Arabic (right to left) and in Turkish
 * after choosing the language on the page; a first visit follows the browser's language. axe-core
 * checks every page, screenshots are kept.
 */
describe('applicant status page in Arabic and Turkish in a browser', () => {
  const running = useSystemAndBrowser();

  async function lookUp(page: Page, reference: string, accessCode: string) {
    await page.fill('#status-reference', reference);
    await page.fill('#status-accessCode', accessCode);
    await page.click('main button[type="submit"]');
  }

  test('choose Arabic → dir=rtl and the Arabic stage after a real lookup; choose Turkish → the Turkish stage', async () => {
    const { system, browser } = running;
    const created = await system.request('POST', '/api/v1/naturalisation/applications', validApplicationBody({
      applicant: { ...validApplicationBody().applicant, email: 'rania.saleh@example.org', givenNames: 'Rania', familyName: 'Saleh' },
    }));
    expect(created.status).toBe(201);
    const { id, reference, accessCode } = created.body as { id: string; reference: string; accessCode: string };
    let stage = '';
    for (let i = 0; i < 100 && stage !== 'completeness_check'; i++) {
      if (i > 0) await new Promise((resolve) => setTimeout(resolve, 100));
      stage = (await system.request('GET', `/api/v1/naturalisation/applications/${id}`)).body.stage;
    }
    expect(stage).toBe('completeness_check');

    const applicant = await (await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'de-DE' })).newPage();
    await applicant.goto(`${system.baseUrl}/status`);
    expect(await applicant.getAttribute('html', 'lang')).toBe('de');
    // The choice offers all seven languages, each named in its own language.
    const choice = await applicant.$$eval('.language-choice a', (links) => links.map((link) => [link.getAttribute('hreflang'), link.getAttribute('lang'), link.textContent]));
    expect(choice).toEqual([['de', 'de', 'Deutsch'], ['en', 'en', 'English'], ...(['ar', 'tr', 'uk', 'ru', 'fa'] as const).map((language) => [language, language, applicantTranslations[language].languageName])]);

    // Arabic: right to left, its texts, the note on the machine translation; a wrong code is refused in Arabic.
    await applicant.click('a[hreflang="ar"]');
    await applicant.waitForSelector('html[lang="ar"]');
    expect(await applicant.getAttribute('html', 'dir')).toBe('rtl');
    expect(await applicant.evaluate('getComputedStyle(document.body).direction')).toBe('rtl');
    expect(await applicant.textContent('h1')).toBe(applicantTranslations.ar.page['applicant.title']);
    expect(await applicant.textContent('.notice')).toBe(applicantTranslations.ar.page['applicant.machineTranslated']);
    await checkPage(applicant, 'applicant-lookup-ar');
    await lookUp(applicant, reference, 'WRONG-CODE-123');
    await applicant.waitForSelector('.error-summary');
    expect(await applicant.textContent('.error-summary')).toContain(applicantTranslations.ar.page['applicant.notFound']);
    await checkPage(applicant, 'applicant-not-found-ar');
    await lookUp(applicant, reference, accessCode);
    await applicant.waitForSelector('.facts');
    expect(await applicant.getAttribute('html', 'dir')).toBe('rtl');
    const arabicFacts = await applicant.textContent('.facts');
    expect(arabicFacts).toContain(applicantStatusTexts.ar.stage.completeness_check);
    expect(arabicFacts).toContain(applicantStatusTexts.ar.nextStep.checking);
    expect(arabicFacts).toContain(applicantTranslations.ar.page['applicant.stage']);
    await checkPage(applicant, 'applicant-status-ar');

    // Turkish, chosen on the page and remembered: left to right again.
    await applicant.click('a[hreflang="tr"]');
    await applicant.waitForSelector('html[lang="tr"]');
    expect(await applicant.getAttribute('html', 'dir')).toBeNull();
    await lookUp(applicant, reference, accessCode);
    await applicant.waitForSelector('.facts');
    const turkishFacts = await applicant.textContent('.facts');
    expect(turkishFacts).toContain(applicantStatusTexts.tr.stage.completeness_check);
    expect(turkishFacts).toContain(applicantStatusTexts.tr.nextStep.checking);
    await checkPage(applicant, 'applicant-status-tr');
    await applicant.goto(`${system.baseUrl}/status`);
    expect(await applicant.getAttribute('html', 'lang')).toBe('tr');
  });

  test('a first visit follows the browser language (Accept-Language); without a language of the page, German', async () => {
    const { system, browser } = running;
    const farsi = await (await browser.newContext({ locale: 'fa-IR' })).newPage();
    await farsi.goto(`${system.baseUrl}/status`);
    expect(await farsi.getAttribute('html', 'lang')).toBe('fa');
    expect(await farsi.getAttribute('html', 'dir')).toBe('rtl');
    await checkPage(farsi, 'applicant-lookup-fa');
    const french = await (await browser.newContext({ locale: 'fr-FR' })).newPage();
    await french.goto(`${system.baseUrl}/status`);
    expect(await french.getAttribute('html', 'lang')).toBe('de');
  });
});
