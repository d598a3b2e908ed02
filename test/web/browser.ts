import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/**
 * Debian's chromium driven by playwright-core (Playwright's own browser download cannot work
 * here). `.ci/run` installs it; without it the browser suites print SKIPPED and skip.
 */
export const CHROMIUM = '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const VIEWPORTS = {
  phone: { width: 390, height: 844 },
  desktop: { width: 1280, height: 900 },
} as const;
export type ViewportName = keyof typeof VIEWPORTS;

export function hasChromium(): boolean {
  return existsSync(CHROMIUM);
}

/** `describe` when chromium is installed; otherwise one SKIPPED line and `describe.skip`. */
export function describeWithChromium(name: string, body: () => void): void {
  if (hasChromium()) {
    describe(name, body);
    return;
  }
  // eslint-disable-next-line no-console
  console.log(`SKIPPED: "${name}" needs ${CHROMIUM} (apt-get install -y chromium); it is missing, so this suite did not run.`);
  describe.skip(name, body);
}

export interface BrowserSession {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Uncaught errors in the page, console errors and answers of 400 and above, in order. */
  readonly errors: string[];
  close(): Promise<void>;
}

/** A fresh browser with its own new --user-data-dir (nothing remembered from another run), at a viewport. */
export async function openBrowser(viewport: ViewportName): Promise<BrowserSession> {
  const userDataDir = await mkdtemp(join(tmpdir(), 'asiointitili-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    headless: true,
    viewport: VIEWPORTS[viewport],
    deviceScaleFactor: 1,
    isMobile: false,
    locale: 'fi-FI',
    timezoneId: 'Europe/Helsinki',
    // axe-core is injected as an inline script, which the pages' own policy rightly refuses.
    bypassCSP: true,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  // Generous: a busy CI machine renders slowly; a real failure still fails, only later.
  page.setDefaultTimeout(30_000);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 400) errors.push(`HTTP ${response.status()} ${response.request().method()} ${new URL(response.url()).pathname}`);
  });
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  return {
    context,
    page,
    errors,
    async close() {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

export interface AxeViolation {
  readonly id: string;
  readonly impact: 'minor' | 'moderate' | 'serious' | 'critical' | null;
  readonly help: string;
  readonly nodes: readonly { readonly target: readonly string[]; readonly failureSummary?: string }[];
}

/** axe-core on the page as it is now (WCAG 2.0/2.1 A and AA rules): the violations of impact serious or critical, and the count of all. */
export async function axeSeriousViolations(page: Page): Promise<{ serious: AxeViolation[]; all: number; passes: number }> {
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  // Runs in the page (a string: this program is typed for Node, not the DOM).
  const result = (await page.evaluate(`(async () => {
    const outcome = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return {
      violations: outcome.violations.map(({ id, impact, help, nodes }) => ({ id, impact, help, nodes: nodes.map(({ target, failureSummary }) => ({ target, failureSummary })) })),
      passes: outcome.passes.length,
    };
  })()`)) as { violations: AxeViolation[]; passes: number };
  return { serious: result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical'), all: result.violations.length, passes: result.passes };
}

/** Presses Tab until the focused element matches, at most `limit` times; fails naming what had focus. */
export async function tabTo(page: Page, selector: string, limit = 40): Promise<void> {
  const seen: string[] = [];
  for (let i = 0; i < limit; i += 1) {
    await page.keyboard.press('Tab');
    const here = (await page.evaluate(`(() => {
      const element = document.activeElement;
      const what = element ? element.tagName.toLowerCase() + (element.id ? '#' + element.id : '') + ' "' + (element.textContent || '').trim().slice(0, 30) + '"' : 'nothing';
      return { matches: !!element && element.matches(${JSON.stringify(selector)}), what };
    })()`)) as { matches: boolean; what: string };
    seen.push(here.what);
    if (here.matches) return;
  }
  throw new Error(`Tab never reached ${selector} in ${limit} presses; focus went through: ${seen.join(' → ')}`);
}

/** Whether the focused element shows a visible focus indicator (an outline or a box shadow). */
export async function focusIsVisible(page: Page): Promise<boolean> {
  return (await page.evaluate(`(() => {
    const element = document.activeElement;
    if (!element || element === document.body) return false;
    const style = getComputedStyle(element);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
    const shadow = style.boxShadow !== 'none' && style.boxShadow !== '';
    return outline || shadow;
  })()`)) as boolean;
}
