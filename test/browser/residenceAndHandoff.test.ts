import type { Browser, Page } from 'playwright-core';
import { startNpmStart } from '../support/npmStart';
import { startSystem } from '../support/system';
import { checkPage, launchBrowser, signIn } from './browser';

/**
 * The residence check and the handoff pages in a real browser against the whole system as
 * `npm start` runs it on its embedded defaults (its own PostgreSQL server, the Temporal dev
 * server, the workers, the SMTP sink): an ABH clerk finds a person, starts a
 * check, works it from the queue to a grant; a case manager accepts a handoff and records an
 * outcome, which reaches the person's register. axe-core checks every page visited.
 */
describe('residence and handoff consoles in a browser, on `npm start`\'s embedded defaults', () => {
  let system: Awaited<ReturnType<typeof startNpmStart>>;
  let browser: Browser;
  let abh: string;
  beforeAll(async () => {
    system = await startNpmStart({ env: { CLAMD_BINARY: 'none' } });
    browser = await launchBrowser();
    abh = `Bearer ${await system.tokenFor(['abh_clerk'], 'koeln', 'abh-intake')}`;
  });
  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });

  const asAbh = (method: string, path: string, body?: unknown) => system.request(method, path, body, { authorization: abh });
  const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);

  /** A person through the register's API, as the ABH's existing system would have them. */
  async function registerPerson(fileNumber: string, givenNames: string, familyName: string, facts: Array<Record<string, unknown>>, periods: Array<Record<string, unknown>>) {
    const created = await asAbh('POST', '/api/v1/persons', {
      fileNumber, givenNames, familyName, dateOfBirth: '1990-06-01', nationalities: ['AF'],
      contact: { email: `${fileNumber.toLowerCase()}@example.org`, phone: '+49 221 555' }, preferredLanguage: 'fa', source: 'clerk',
    });
    expect(created.status).toBe(201);
    const id: string = created.body.person.id;
    let version: number = created.body.person.version;
    for (const period of periods) {
      const added = await asAbh('POST', `/api/v1/persons/${id}/residence-periods`, { expectedVersion: version, source: 'document', period });
      expect(added.status).toBe(200);
      version = added.body.person.version;
    }
    for (const fact of facts) {
      const added = await asAbh('POST', `/api/v1/persons/${id}/facts`, { expectedVersion: version, source: 'document', fact });
      expect(added.status).toBe(200);
      version = added.body.person.version;
    }
    return id;
  }

  /** Reloads until the page shows the text (the workflow moves on its own). */
  async function reloadUntil(page: Page, text: string) {
    for (let i = 0; i < 60; i++) {
      if ((await page.textContent('main'))?.includes(text)) return;
      await new Promise((resolve) => setTimeout(resolve, 500));
      await page.reload();
    }
    throw new Error(`"${text}" never appeared on ${page.url()}`);
  }

  test('an ABH clerk finds the person, starts a check and works it from the queue to a grant of § 25b', async () => {
    const since = daysAgo(40);
    await registerPerson('ABH-BR-1', 'Amal', 'Rahimi', [
      { kind: 'language_certificate', data: { level: 'A2', issuedOn: since } },
      { kind: 'employment', data: { from: since, hoursPerWeek: 39, fullTime: true } },
      { kind: 'benefits', data: { scheme: 'none', from: since } },
      { kind: 'orientation_course', data: { completedOn: since, testPassed: true } },
    ], [{ status: 'duldung', from: daysAgo(7 * 366), duldungGround: '§ 60a Abs. 2 Satz 1 AufenthG' }]);

    const page = await (await browser.newContext()).newPage();
    await signIn(page, system.baseUrl, 'abh-mehmet');
    expect(await page.textContent('h1')).toContain('Aufenthaltsrecht');
    await checkPage(page, 'residence-queue-empty');
    await page.click('nav a:text-is("Personen")');
    await page.fill('#persons-name', 'Rahimi');
    await page.click('button:text-is("Suchen")');
    await checkPage(page, 'person-search');
    await page.click('a:has-text("Rahimi, Amal")');
    await page.waitForURL('**/console/persons/*');
    expect(await page.textContent('main')).toContain('Duldung');
    await checkPage(page, 'person');
    await page.check('#start-contactConsent');
    await page.click('button:text-is("Bleiberechtsprüfung starten")');
    await page.waitForURL('**/console/residence/*');
    const checkUrl = page.url().replace(/\?.*$/, '');
    await reloadUntil(page, 'wartet auf Nachweise');

    // From the queue, as every day.
    await page.click('nav a:text-is("Arbeitsliste")');
    await page.click('table.queue tbody a');
    await page.waitForURL(`${checkUrl}`);
    await checkPage(page, 'residence-awaiting-evidence');
    for (const [name, value] of [['passportHeld', 'yes'], ['identityClarified', 'yes'], ['declaredCommitmentToBasicOrder', 'yes'], ['indicationsAgainstDemocraticOrder', 'no'],
      ['ownDeceptionAboutIdentity', 'no'], ['nonCooperation', 'no'], ['seriousExpulsionInterest', 'no']]) {
      await page.selectOption(`#evidence-finding_${name}`, value);
    }
    await page.click('button:text-is("Nachweise speichern")');
    await page.waitForURL('**?done=1');
    expect(await page.textContent('.facts')).toContain('Entscheidung');

    // A grant without the title: the message sits next to the title field; nothing changes.
    await page.selectOption('#decision-outcome', 'grant');
    await page.fill('#decision-reason', 'Nachhaltige Integration');
    await page.click('button:text-is("Entscheidung speichern")');
    await page.waitForSelector('#decision-title-error');
    expect(await page.getAttribute('#decision-title', 'aria-describedby')).toContain('decision-title-error');
    expect(await page.inputValue('#decision-reason')).toBe('Nachhaltige Integration');
    await checkPage(page, 'residence-decision-validation');
    await page.selectOption('#decision-title', '§ 25b AufenthG');
    await page.click('button:text-is("Entscheidung speichern")');
    await page.waitForURL('**?done=1');
    expect(await page.textContent('.facts')).toContain('entschieden');
    expect(await page.textContent('main')).toContain('Erteilung § 25b AufenthG — entschieden von abh-mehmet');
    await checkPage(page, 'residence-decided');
  });

  test('a case manager accepts a handoff and records an outcome, which becomes a fact in the register', async () => {
    const personId = await registerPerson('ABH-HO-BR', 'Omar', 'Saleh', [], []);
    const consent = await asAbh('POST', `/api/v1/persons/${personId}/consents`, {
      purpose: 'case_management_handoff', recipients: ['case_management', 'originating_authority'],
      dataCategories: ['name', 'contact', 'language', 'needs', 'case_deadline', 'outcomes'], validFrom: daysAgo(30), validUntil: daysAgo(-730), formReference: 'EW-BR-1',
    });
    expect(consent.status).toBe(201);
    const sent = await asAbh('POST', '/api/v1/handoffs', { personId, needs: ['language'], urgency: 'normal' });
    expect(sent.status).toBe(201);
    const { reference } = (await asAbh('GET', `/api/v1/handoffs/${sent.body.handoffId}`)).body as { reference: string };

    const page = await (await browser.newContext()).newPage();
    await signIn(page, system.baseUrl, 'cm-lena');
    await page.waitForURL('**/console/handoffs');
    await checkPage(page, 'handoffs');
    await page.click(`a:text-is("${reference}")`);
    await reloadUntil(page, 'wartet auf Annahme');
    expect(await page.textContent('main')).toContain('Omar Saleh');
    await checkPage(page, 'handoff-awaiting-acceptance');
    await page.click('button:text-is("Übergabe annehmen")');
    await page.waitForURL('**?done=1');
    expect(await page.textContent('.facts')).toContain('in Begleitung');

    // A language certificate without its level: the message next to the level field.
    await page.selectOption('#outcomes-kind', 'language_certificate_obtained');
    await page.click('button:text-is("Ergebnis speichern")');
    await page.waitForSelector('#outcomes-level-error');
    await checkPage(page, 'handoff-outcome-validation');
    await page.selectOption('#outcomes-level', 'B1');
    await page.click('button:text-is("Ergebnis speichern")');
    await page.waitForURL('**?done=1');
    expect(await page.textContent('main')).toContain('Sprachzertifikat erworben');
    await checkPage(page, 'handoff-outcome-recorded');

    const record = await asAbh('GET', `/api/v1/persons/${personId}`);
    expect(record.body.facts).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'language_certificate', source: 'case_management', recordedBy: 'cm-lena' })]));
  });
});

describe('steering figures in a browser', () => {
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

  test('the coordinator sees the anonymised figures of the naturalisation cases, counted per stage', async () => {
    const created = await system.request('POST', '/api/v1/naturalisation/applications', {
      applicant: { givenNames: 'Mira', familyName: 'Novak', dateOfBirth: '1988-03-03', email: 'mira.novak@example.org', preferredLanguage: 'en' },
    });
    expect(created.status).toBe(201);
    for (let i = 0; i < 100 && (await system.request('GET', `/api/v1/naturalisation/applications/${created.body.id}`)).body.stage !== 'completeness_check'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const page = await (await browser.newContext()).newPage();
    await signIn(page, system.baseUrl, 'kim-coordinator');
    await page.waitForURL('**/console/figures');
    expect(await page.textContent('.facts')).toMatch(/Fälle insgesamt\s*1/);
    const row = await page.textContent('table.figures tbody tr:has(th:text-is("Vollständigkeitsprüfung"))');
    expect(row).toContain('1');
    expect(await page.textContent('main')).not.toContain('Novak');
    await checkPage(page, 'figures');
  });

  test('the coordinator follows a campaign to its end on a live progress bar, without reloading', async () => {
    const clerk = `Bearer ${await system.tokenFor(['abh_clerk'], 'koeln', 'abh-import')}`;
    const coordinator = `Bearer ${await system.tokenFor(['coordinator'], 'koeln', 'kim-coordinator')}`;
    // Ten persons in the register, each with a recorded consent to be written to (OUTREACH_CONTACT_BASIS=consent).
    for (let i = 0; i < 10; i++) {
      const person = await system.request('POST', '/api/v1/persons', {
        fileNumber: `C-${i}`, givenNames: `Given${i}`, familyName: `Family${i}`, dateOfBirth: '1985-03-04', nationalities: ['SY'], contact: { email: `c${i}@example.org` }, preferredLanguage: 'ar',
      }, { authorization: clerk });
      expect(person.status).toBe(201);
      const consent = await system.request('POST', `/api/v1/outreach/persons/${person.body.person.id}/consent`, { givenOn: '2026-11-01' }, { authorization: clerk });
      expect(consent.status).toBe(200);
    }
    const created = await system.request('POST', '/api/v1/outreach/campaigns', {
      name: 'Infoabend Einbürgerung', cohort: { nationalities: ['SY'] }, ratePerSecond: 1,
      content: { topic: 'information_event', title: { de: 'Infoabend Einbürgerung' }, details: { de: 'Wir laden Sie ein.' }, eventOn: '2027-01-20', place: 'Köln' },
    }, { authorization: coordinator });
    expect(created.status).toBe(201);

    const page = await (await browser.newContext()).newPage();
    await signIn(page, system.baseUrl, 'kim-coordinator');
    await page.fill('#campaign-id', created.body.id);
    await page.click('button:text-is("Kampagne öffnen")');
    await page.waitForURL(`**/console/campaigns/${created.body.id}`);
    // Still sending (one message a second): the progress section is live.
    expect(await page.getAttribute('#campaign-progress', 'data-live')).toBe('5000');
    await checkPage(page, 'campaign-running');
    const firstUrl = page.url();
    // The page's script refreshes the progress section: the campaign's end arrives without a reload.
    await page.waitForFunction(() => (globalThis as unknown as { document: { getElementById: (id: string) => { textContent: string } | null } }).document.getElementById('campaign-status')?.textContent === 'abgeschlossen', undefined, { timeout: 90_000, polling: 500 });
    expect(page.url()).toBe(firstUrl);
    expect(await page.getAttribute('#campaign-bar', 'value')).toBe('10');
    expect(await page.getAttribute('#campaign-bar', 'max')).toBe('10');
    expect(await page.textContent('main')).toContain('10 von 10 erledigt (100 %)');
    expect(await page.textContent('main')).not.toMatch(/Family\d|c\d@example/);
    await checkPage(page, 'campaign-completed');
    expect(system.smtp.received.filter((mail) => mail.recipients.some((r) => /^c\d+@example\.org$/.test(r)))).toHaveLength(10);
  });
});
