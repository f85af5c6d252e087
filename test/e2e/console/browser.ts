/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// listedTraceIds' callback runs in the browser.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { DEFAULT_CONSOLE_DIR } from '../../../src/xray/service.ts';

export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/** Where screenshots are kept as test artifacts. */
export const ARTIFACTS = path.resolve('test-results/console');

/** npm install builds the console; a checkout that has not gets it built here. */
export function ensureConsoleBuilt(): void {
  if (!existsSync(path.join(DEFAULT_CONSOLE_DIR, 'index.html'))) execFileSync('npm', ['run', 'build:console'], { stdio: 'inherit' });
}

/** Debian's Chromium, headless, nothing fetched from the network. */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: install Debian's chromium (.ci/run does) or set CHROMIUM_PATH`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/**
 * A page that fails the test on any script error or console error it shows. `bypassCSP` lets a test
 * add a script of its own (axe-core) to a page whose policy allows none.
 */
export async function openPage(browser: Browser, width = 1440, height = 900, options: { readonly bypassCSP?: boolean } = {}): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage({ viewport: { width, height }, bypassCSP: options.bypassCSP ?? false });
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    // The browser logs every 400 the API answers; a bad filter is meant to get one, and the page shows it.
    if (message.type() !== 'error' || /status of 400/.test(message.text())) return;
    problems.push(`console error: ${message.text()}`);
  });
  page.on('dialog', (dialog) => {
    problems.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  return { page, problems };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/**
 * Every row of the list in its order: the table renders only the rows in view, so the box is
 * scrolled from top to bottom and each row read once, by its index.
 */
export async function listedTraceIds(page: Page): Promise<string[]> {
  return page.locator('.summaries-scroll').evaluate(async (box) => {
    const ids: string[] = [];
    for (let top = 0; ; top += box.clientHeight) {
      box.scrollTop = top;
      await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
      for (const row of box.querySelectorAll('tr[data-trace-id]')) ids[Number(row.getAttribute('aria-rowindex')) - 2] = row.getAttribute('data-trace-id') ?? '';
      if (top + box.clientHeight >= box.scrollHeight) break;
    }
    box.scrollTop = 0;
    return ids;
  });
}

/**
 * Scrolls the trace list from top to bottom a box's height at a time and calls `visit` at each
 * place, then scrolls back to the top: what a check of every row's cells needs, when only the rows
 * in view are rendered.
 */
export async function atEachListPlace(page: Page, visit: () => Promise<void>): Promise<void> {
  const box = page.locator('.summaries-scroll');
  for (let topPx = 0; ;) {
    const place = await box.evaluate(async (element, to) => {
      element.scrollTop = to;
      await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
      return { heightPx: element.clientHeight, last: to + element.clientHeight >= element.scrollHeight };
    }, topPx);
    await visit();
    if (place.last) break;
    topPx += place.heightPx;
  }
  await box.evaluate((element) => { element.scrollTop = 0; });
}

/** Scrolls the trace list until the trace's row is rendered; false when no place in the list holds it. */
export async function scrollListTo(page: Page, traceId: string): Promise<boolean> {
  return page.locator('.summaries-scroll').evaluate(async (box, id) => {
    const selector = `tr[data-trace-id="${CSS.escape(id)}"]`;
    for (let top = 0; ; top += box.clientHeight) {
      box.scrollTop = top;
      await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
      if (box.querySelector(selector) !== null) return true;
      if (top + box.clientHeight >= box.scrollHeight) return false;
    }
  }, traceId);
}

/** What a console test's fixtures run in: an X-Ray service whose console it opens. */
export interface ConsoleFixtures {
  readonly service: { readonly api: { readonly url: string }; stop(): Promise<void> };
}

export interface PageOptions {
  readonly width?: number;
  readonly height?: number;
  readonly bypassCSP?: boolean;
}

export interface ConsoleSession<Fixtures extends ConsoleFixtures> {
  /** What `start` returned; read it in the tests, after beforeAll. */
  readonly fixtures: Fixtures;
  readonly browser: Browser;
  /** A new page (see openPage), checked and closed after the test unless a later one replaces it. */
  newPage(options?: PageOptions): Promise<{ page: Page; problems: string[] }>;
  /** A new page at the console's `hash`, as newPage. */
  open(hash: string, options?: PageOptions): Promise<{ page: Page; problems: string[] }>;
}

/**
 * The hooks of a console test file: beforeAll builds the console when needed, starts the service
 * with the fixtures `start` stores and launches Chromium; afterAll closes both. After each test
 * the page it opened last must have shown no problem (script error, console error, dialog) and,
 * with `checkXss`, must not have run a hostile value's script (`window.__xss`); then it is closed.
 */
export function consoleSession<Fixtures extends ConsoleFixtures>(start: () => Promise<Fixtures>, options: { readonly checkXss?: boolean } = {}): ConsoleSession<Fixtures> {
  let fixtures: Fixtures | undefined;
  let browser: Browser | undefined;
  let current: { page: Page; problems: string[] } | undefined;

  beforeAll(async () => {
    ensureConsoleBuilt();
    fixtures = await start();
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await fixtures?.service.stop();
  });

  afterEach(async () => {
    const last = current;
    current = undefined;
    if (last === undefined) return;
    expect(last.problems).toEqual([]);
    if (options.checkXss === true) expect(await last.page.evaluate('window.__xss')).toBeUndefined();
    await last.page.close();
  });

  const session: ConsoleSession<Fixtures> = {
    get fixtures(): Fixtures {
      if (fixtures === undefined) throw new Error('the console fixtures are read before beforeAll started them');
      return fixtures;
    },
    get browser(): Browser {
      if (browser === undefined) throw new Error('the browser is used before beforeAll launched it');
      return browser;
    },
    async newPage(pageOptions: PageOptions = {}) {
      current = await openPage(session.browser, pageOptions.width, pageOptions.height, { bypassCSP: pageOptions.bypassCSP ?? false });
      return current;
    },
    async open(hash: string, pageOptions: PageOptions = {}) {
      const opened = await session.newPage(pageOptions);
      await opened.page.goto(`${session.fixtures.service.api.url}/${hash}`);
      return opened;
    },
  };
  return session;
}
