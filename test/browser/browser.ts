import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startSystem } from '../support/system';

/** Debian's chromium, headless (CHROMIUM_PATH to use another). */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const artifactsDir = path.resolve(__dirname, '..', '..', '..', 'test-artifacts', 'browser');
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export async function launchBrowser(): Promise<Browser> {
  fs.mkdirSync(artifactsDir, { recursive: true });
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage', '--lang=de-DE'] });
}

/**
 * The whole system with the console, and chromium, for the tests of a `describe` block: started
 * before them, stopped after them. Read `system` and `browser` inside the tests.
 */
export function useSystemAndBrowser(): { system: Awaited<ReturnType<typeof startSystem>>; browser: Browser } {
  const running = {} as { system: Awaited<ReturnType<typeof startSystem>>; browser: Browser };
  beforeAll(async () => {
    running.system = await startSystem({ console: true });
    running.browser = await launchBrowser();
  });
  afterAll(async () => {
    await running.browser?.close();
    await running.system?.stop();
  });
  return running;
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: unknown; html: string }>;
}

/**
 * Runs axe-core in the page (WCAG 2.0/2.1 A and AA, and best practices) and returns the
 * serious and critical violations. The script is evaluated through the DevTools protocol, so the
 * page's Content-Security-Policy (no inline scripts) stays as it is.
 */
export async function findSeriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  return (await findAxeViolations(page)).filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
}

/** Every axe-core violation in the page, whatever its impact (the rules as in findSeriousAxeViolations). */
export async function findAxeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const scope = globalThis as unknown as { axe: { run: (context: unknown, options: unknown) => Promise<{ violations: AxeViolation[] }> }; document: unknown };
    const result = await scope.axe.run(scope.document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target, html: n.html })) }));
  });
  return violations;
}

/** Every page visited: no axe violation of any impact, and a screenshot kept as a test artefact. */
export async function checkPage(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(artifactsDir, `${name}.png`), fullPage: true });
  const violations = await findAxeViolations(page);
  if (violations.length > 0) throw new Error(`axe on ${name} (${page.url()}):\n${JSON.stringify(violations, null, 2)}`);
}

/** Signs a development staff member in through the loopback OIDC provider, as a person would: the console sends the browser there and back. */
export async function signIn(page: Page, baseUrl: string, subject: string, screenshotName?: string): Promise<void> {
  await page.goto(`${baseUrl}/console`);
  await page.waitForURL(/\/dev-oidc\/authorize\?/);
  if (screenshotName) await checkPage(page, screenshotName);
  await page.check(`#staff-${subject}`);
  await page.click('button[type="submit"]');
  await page.waitForURL((url) => url.pathname.startsWith('/console') && !url.pathname.startsWith('/console/auth'));
}
