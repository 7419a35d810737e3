import type { Browser } from 'playwright-core';
import { subjectOf } from '../support/smtp';
import { startSystem, validApplicationBody } from '../support/system';
import { checkPage, launchBrowser, signIn } from './browser';

/**
 * The naturalisation console in a real browser (Debian's chromium, headless) against the whole
 * system on real parts (PostgreSQL, the Temporal dev server, the workers, a real SMTP listener):
 * clerks sign in through the loopback OIDC provider, work a case from the queue to a decision
 * confirmed by a second person, the applicant's letter arrives, and the applicant's page shows
 * the new stage. axe-core checks every page visited.
 */
describe('naturalisation console in a browser', () => {
  let system: Awaited<ReturnType<typeof startSystem>>;
  let browser: Browser;
  beforeAll(async () => {
    system = await startSystem({ console: true });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });

  test('queue → case → checklist → agency answers → proposal → second clerk confirms → letter → applicant page', async () => {
    // Intake (as from the counter): an application registered through the API.
    const created = await system.request('POST', '/api/v1/naturalisation/applications', validApplicationBody({
      applicant: { ...validApplicationBody().applicant, email: 'lina.kaya@example.org', givenNames: 'Lina', familyName: 'Kaya' },
    }));
    expect(created.status).toBe(201);
    const { id, reference, accessCode } = created.body as { id: string; reference: string; accessCode: string };
    for (let i = 0; i < 100 && (await system.request('GET', `/api/v1/naturalisation/applications/${id}`)).body.stage !== 'completeness_check'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    // Anna: signs in, finds the case in her queue, records the checklist and both agency answers.
    const anna = await (await browser.newContext()).newPage();
    await signIn(anna, system.baseUrl, 'ebh-anna', 'dev-sign-in');
    await checkPage(anna, 'queue');
    await anna.click(`a:text-is("${reference}")`);
    await anna.waitForURL(`**/console/naturalisation/${id}`);
    await checkPage(anna, 'case-completeness-check');
    await anna.click('button:text-is("Prüfung speichern")');
    await anna.waitForURL(`**/console/naturalisation/${id}?done=1`);
    expect(await anna.textContent('main')).toContain('Anfragen bei anderen Stellen');
    await checkPage(anna, 'case-inquiries');
    await anna.selectOption('#inquiry-answers-inquiry', 'regelanfrage');
    await anna.selectOption('#inquiry-answers-result', 'no_findings');
    await anna.click('button:text-is("Antwort speichern")');
    await anna.waitForURL('**?done=1');
    await anna.selectOption('#inquiry-answers-inquiry', 'register_extract');
    await anna.click('button:text-is("Antwort speichern")');
    await anna.waitForURL('**?done=1');
    expect(await anna.textContent('.facts')).toContain('Entscheidung');

    // Jonas: a decision without a reason is refused, the message sits next to the field.
    const jonas = await (await browser.newContext()).newPage();
    await signIn(jonas, system.baseUrl, 'ebh-jonas');
    await jonas.goto(`${system.baseUrl}/console/naturalisation/${id}`);
    await jonas.selectOption('#decision-outcome', 'refused');
    await jonas.fill('#decision-refusalFeeEuro', '255');
    await jonas.click('button:text-is("Zur Bestätigung vorlegen")');
    await jonas.waitForSelector('#decision-reason-error');
    expect(await jonas.getAttribute('#decision-reason', 'aria-describedby')).toContain('decision-reason-error');
    expect(await jonas.getAttribute('#decision-reason', 'aria-invalid')).toBe('true');
    expect(await jonas.textContent('.error-summary a[href="#decision-reason"]')).toBe('Begründung: Bitte ausfüllen.');
    expect(await jonas.inputValue('#decision-refusalFeeEuro')).toBe('255');
    await checkPage(jonas, 'case-decision-validation');
    await jonas.fill('#decision-reason', 'Die Voraussetzungen des § 10 Abs. 1 StAG sind nicht nachgewiesen.');
    await jonas.click('button:text-is("Zur Bestätigung vorlegen")');
    await jonas.waitForURL('**?done=1');
    expect(await jonas.textContent('main')).toContain('vorgeschlagen von ebh-jonas');
    // The proposer cannot confirm: four eyes.
    await jonas.click('button:text-is("Entscheidung bestätigen")');
    await jonas.waitForSelector('.error-summary');
    expect(await jonas.textContent('.error-summary')).toContain('Vier-Augen-Prinzip');
    await checkPage(jonas, 'case-four-eyes-refused');

    // Sabine, the team lead, confirms: the decision takes effect and the applicant is written to.
    const sabine = await (await browser.newContext()).newPage();
    await signIn(sabine, system.baseUrl, 'ebh-lead-sabine');
    await sabine.goto(`${system.baseUrl}/console/naturalisation/${id}`);
    await sabine.click('button:text-is("Entscheidung bestätigen")');
    await sabine.waitForURL('**?done=1');
    expect(await sabine.textContent('main')).toContain('bestätigt von ebh-lead-sabine');
    await checkPage(sabine, 'case-decided');
    const [letter] = await system.smtp.waitFor((mail) => mail.recipients.includes('lina.kaya@example.org') && /Entscheidung/.test(subjectOf(mail)));
    expect(subjectOf(letter)).toContain(reference);

    // The applicant, without login, on a phone-sized screen: the new stage, in German and English.
    // A German browser (the status page follows Accept-Language on a first visit).
    const applicant = await (await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'de-DE' })).newPage();
    await applicant.goto(`${system.baseUrl}/status`);
    await checkPage(applicant, 'applicant-lookup');
    await applicant.fill('#status-reference', reference);
    await applicant.fill('#status-accessCode', 'WRONG-CODE-123');
    await applicant.click('button[type="submit"]');
    await applicant.waitForSelector('.error-summary');
    await checkPage(applicant, 'applicant-not-found');
    await applicant.fill('#status-accessCode', accessCode);
    await applicant.click('button[type="submit"]');
    await applicant.waitForSelector('.facts');
    // A confirmed refusal ends the procedure: the case is closed (`decided` is the first workflow version's stage only).
    expect((await system.request('GET', `/api/v1/naturalisation/applications/${id}`)).body.stage).toBe('closed');
    expect(await applicant.textContent('.facts')).toContain('Abgeschlossen');
    await checkPage(applicant, 'applicant-status-de');
    await applicant.click('a[hreflang="en"]');
    await applicant.fill('#status-reference', reference);
    await applicant.fill('#status-accessCode', accessCode);
    await applicant.click('button[type="submit"]');
    await applicant.waitForSelector('.facts');
    expect(await applicant.getAttribute('html', 'lang')).toBe('en');
    expect(await applicant.textContent('.facts')).toContain('Closed');
    await checkPage(applicant, 'applicant-status-en');

    // Sign-out ends the session: the console asks for a sign-in again.
    await anna.click('button:text-is("Abmelden")');
    await anna.waitForSelector('text=Sie sind abgemeldet.');
    await anna.goto(`${system.baseUrl}/console`);
    await anna.waitForURL(/\/dev-oidc\/authorize\?/);
  });
});

describe('applicant upload in a browser', () => {
  let system: Awaited<ReturnType<typeof startSystem>>;
  let browser: Browser;
  beforeAll(async () => {
    system = await startSystem({ console: true });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });

  test('documents requested → the applicant uploads one on the status page → the clerk sees it and records it received', async () => {
    const created = await system.request('POST', '/api/v1/naturalisation/applications', validApplicationBody({
      applicant: { ...validApplicationBody().applicant, email: 'yusuf.demir@example.org', givenNames: 'Yusuf', familyName: 'Demir' },
    }));
    const { id, reference, accessCode } = created.body as { id: string; reference: string; accessCode: string };
    for (let i = 0; i < 100 && (await system.request('GET', `/api/v1/naturalisation/applications/${id}`)).body.stage !== 'completeness_check'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const clerk = await (await browser.newContext()).newPage();
    await signIn(clerk, system.baseUrl, 'ebh-anna');
    await clerk.goto(`${system.baseUrl}/console/naturalisation/${id}`);
    await clerk.selectOption('#completeness-check-doc_passport', 'missing');
    await clerk.click('button:text-is("Prüfung speichern")');
    await clerk.waitForURL('**?done=1');
    expect(await clerk.textContent('.facts')).toContain('wartet auf Unterlagen');
    await system.smtp.waitFor((mail) => mail.recipients.includes('yusuf.demir@example.org') && /Unterlagen/.test(subjectOf(mail)));

    // A German browser (the status page follows Accept-Language on a first visit).
    const applicant = await (await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'de-DE' })).newPage();
    await applicant.goto(`${system.baseUrl}/status`);
    await applicant.fill('#status-reference', reference);
    await applicant.fill('#status-accessCode', accessCode);
    await applicant.click('button[type="submit"]');
    await applicant.waitForSelector('#upload-file');
    await checkPage(applicant, 'applicant-upload-form');
    // Without a file: the message next to the file field.
    await applicant.click('button:text-is("Hochladen")');
    await applicant.waitForSelector('#upload-file-error');
    expect(await applicant.getAttribute('#upload-file', 'aria-describedby')).toContain('upload-file-error');
    await applicant.selectOption('#upload-type', 'passport');
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
    await applicant.setInputFiles('#upload-file', { name: 'pass.pdf', mimeType: 'application/pdf', buffer: pdf });
    await applicant.click('button:text-is("Hochladen")');
    await applicant.waitForSelector('.flash');
    expect(await applicant.textContent('.flash')).toContain('Ihr Dokument ist eingegangen.');
    await checkPage(applicant, 'applicant-uploaded');

    await clerk.reload();
    expect(await clerk.textContent('.documents')).toContain(`Pass — application/pdf`);
    await clerk.check('#documents-passport');
    await clerk.click('button:text-is("Eingang speichern")');
    await clerk.waitForURL('**?done=1');
    expect(await clerk.textContent('.facts')).toContain('Anfragen bei anderen Stellen');
    await checkPage(clerk, 'case-documents-received');
  });
});
