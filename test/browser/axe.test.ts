import type { Browser } from 'playwright-core';
import { findAxeViolations, findSeriousAxeViolations, launchBrowser } from './browser';

/** The accessibility check the browser tests rely on finds what it should: it is not a check that cannot fail. */
describe('the axe-core check of the browser tests', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  test('an input without a label and an image without alt text are serious or critical violations; the labelled version has none', async () => {
    const page = await browser.newPage();
    await page.setContent('<!doctype html><html lang="de"><head><title>x</title></head><body><main><h1>x</h1><input type="text"><img src="data:image/png;base64,iVBORw0KGgo="></main></body></html>');
    const ids = (await findSeriousAxeViolations(page)).map((violation) => violation.id).sort();
    expect(ids).toEqual(expect.arrayContaining(['image-alt', 'label']));
    await page.setContent('<!doctype html><html lang="de"><head><title>x</title></head><body><main><h1>x</h1><label for="a">Name</label><input id="a" type="text"><img alt="Logo" src="data:image/png;base64,iVBORw0KGgo="></main></body></html>');
    expect(await findSeriousAxeViolations(page)).toEqual([]);
  });

  test('the check of every page also fails on a moderate violation: two regions named by one id, a page without a main landmark', async () => {
    const page = await browser.newPage();
    await page.setContent('<!doctype html><html lang="de"><head><title>x</title></head><body><main><h1>x</h1>'
      + '<section aria-labelledby="h-a"><h2 id="h-a">A</h2></section><section aria-labelledby="h-a"><h3 id="h-a">A</h3></section></main></body></html>');
    const moderate = await findAxeViolations(page);
    expect(moderate.map((violation) => [violation.id, violation.impact])).toContainEqual(['landmark-unique', 'moderate']);
    expect(await findSeriousAxeViolations(page)).not.toContainEqual(expect.objectContaining({ id: 'landmark-unique' }));
    await page.setContent('<!doctype html><html lang="de"><head><title>x</title></head><body><div><h1>x</h1><p>Text</p></div></body></html>');
    expect((await findAxeViolations(page)).map((violation) => violation.id)).toEqual(expect.arrayContaining(['landmark-one-main', 'region']));
    await page.setContent('<!doctype html><html lang="de"><head><title>x</title></head><body><main><h1>x</h1>'
      + '<section aria-labelledby="h-a"><h2 id="h-a">A</h2></section><section aria-labelledby="h-b"><h2 id="h-b">B</h2></section></main></body></html>');
    expect(await findAxeViolations(page)).toEqual([]);
  });
});
