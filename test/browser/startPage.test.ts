import { findAxeViolations, checkPage, useSystemAndBrowser } from './browser';

/**
 * A newcomer opens the server's address: a start page leads to the console, the applicants'
 * status page, the API documentation (read from the OpenAPI document the API serves) and health.
 */
describe('the start page and the API documentation in a browser', () => {
  const running = useSystemAndBrowser();

  test('a newcomer finds the console, the status page and the API documentation from /', async () => {
    const page = await (await running.browser.newContext()).newPage();
    await page.goto(`${running.system.baseUrl}/`);
    expect(await page.textContent('h1')).toBe('KIM – Aufenthalt und Einbürgerung');
    const links = await page.$$eval('main a', (anchors) => anchors.map((a) => [a.textContent, a.getAttribute('href')]));
    expect(links).toEqual([
      ['Konsole für Mitarbeitende', '/console'],
      ['Stand meines Antrags', '/status'],
      ['API-Dokumentation', '/docs/api'],
      ['Betriebszustand', '/health'],
    ]);
    expect(await findAxeViolations(page)).toEqual([]);
    await checkPage(page, 'start-page');

    await page.click('a:text-is("API-Dokumentation")');
    await page.waitForURL('**/docs/api');
    expect(await page.textContent('h1')).toBe('API-Dokumentation');
    // An operation as the OpenAPI document describes it: method, path, summary, roles, answers.
    const operation = (summary: RegExp) => page.locator('details.operation').filter({ has: page.locator('summary', { hasText: summary }) });
    const lookup = operation(/^POST \/api\/v1\/status\/naturalisation — /);
    await lookup.locator('summary').click();
    expect(await lookup.textContent()).toContain('No token needed.');
    expect(await lookup.textContent()).toMatch(/429/);
    const persons = operation(/^POST \/api\/v1\/persons — /);
    await persons.locator('summary').click();
    expect(await persons.textContent()).toContain('Roles:');
    expect(await persons.textContent()).toContain('application/json');
    expect(await findAxeViolations(page)).toEqual([]);
    await checkPage(page, 'api-documentation');

    await page.click('a:text-is("English")');
    await page.waitForURL('**/docs/api');
    expect(await page.textContent('h1')).toBe('API documentation');
    await page.goto(`${running.system.baseUrl}/`);
    await page.click('a:text-is("Staff console")');
    await page.waitForURL(/\/dev-oidc\/authorize\?/);
  });
});
