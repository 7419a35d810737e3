import type { Browser } from 'playwright-core';
import { findSeriousAxeViolations, launchBrowser } from './browser';

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
});
