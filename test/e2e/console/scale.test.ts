/// <reference lib="dom" />
// Callbacks passed to evaluate run in the browser.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { consoleSession, openPage, screenshot } from './browser.ts';
import { startWithManyTraces } from './many-traces.ts';
import type { ManyTraces } from './many-traces.ts';

// Enough that a table of every row would be thousands of elements; the pages answer in three batches.
const TRACES = 3000;

let stored: ManyTraces;
const session = consoleSession(async () => (stored = await startWithManyTraces(TRACES, Date.now() / 1000)));

const box = (page: Page) => page.locator('.summaries-scroll');
const renderedIds = (page: Page): Promise<string[]> =>
  page.locator('tr[data-trace-id]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-trace-id') ?? ''));

async function sortedBy(page: Page, column: string): Promise<void> {
  await page.getByRole('button', { name: column }).click();
  await expect.poll(() => box(page).getAttribute('aria-busy')).toBe('false');
}

describe('a trace list of thousands', () => {
  it('renders only the rows in view, scrolls to the oldest, and sorts every row loaded', async () => {
    const { page, problems } = await openPage(session.browser, 1280, 720);
    await page.goto(`${stored.service.api.url}/#/traces`);
    // The first batch, with the service's count of them all.
    await expect.poll(() => page.locator('.count').textContent()).toBe('1,000 of 3,000 traces loaded, newest first; older ones in this range are not loaded yet, and the histogram and sorting cover only these');
    await page.getByRole('button', { name: 'Load all' }).click();
    await expect.poll(() => page.locator('.count').textContent()).toBe(`${TRACES.toLocaleString('en-US')} traces, all loaded`);
    expect(await box(page).getAttribute('data-row-count')).toBe(String(TRACES));
    expect(await page.locator('table.summaries').getAttribute('aria-rowcount')).toBe(String(TRACES + 1));

    // A window of rows, not the list: the newest first, a hundred at most.
    const top = await renderedIds(page);
    expect(top.length).toBeLessThanOrEqual(100);
    expect(top).toEqual(stored.newestFirst.slice(0, top.length));

    // The scroll bar measures the whole list: at the bottom are the oldest, in order.
    await box(page).evaluate((element) => { element.scrollTop = element.scrollHeight; });
    await expect.poll(async () => (await renderedIds(page)).at(-1)).toBe(stored.newestFirst.at(-1));
    const bottom = await renderedIds(page);
    expect(bottom.length).toBeLessThanOrEqual(100);
    expect(bottom).toEqual(stored.newestFirst.slice(-bottom.length));
    await screenshot(page, 'traces-3000-bottom');

    // Sorting orders all 3,000, not the rows in view: the fastest and the slowest come first in turn.
    const bySpeed = [...stored.responseTimes].sort((a, b) => a[1] - b[1]).map(([id]) => id);
    await box(page).evaluate((element) => { element.scrollTop = 0; });
    await sortedBy(page, 'Response time');
    await expect.poll(async () => (await renderedIds(page)).slice(0, 5)).toEqual(bySpeed.slice(0, 5));
    await sortedBy(page, 'Response time ▲');
    await expect.poll(async () => (await renderedIds(page)).slice(0, 5)).toEqual(bySpeed.slice(-5).reverse());
    expect(problems).toEqual([]);
    await page.close();
  });
});

describe('a list whose sort worker cannot load', () => {
  it('sorts on the page instead', async () => {
    const { page, problems } = await openPage(session.browser, 1280, 720);
    // The worker's script is refused, as a stricter policy or a broken proxy would.
    await page.route('**/sort-worker-*.js', (route) => route.abort());
    await page.goto(`${stored.service.api.url}/#/traces`);
    await expect.poll(() => page.locator('.count').textContent()).toContain('1,000 of 3,000 traces loaded');
    const loaded = stored.newestFirst.slice(0, 1000);
    const fastest = [...loaded].sort((a, b) => (stored.responseTimes.get(a) ?? 0) - (stored.responseTimes.get(b) ?? 0));
    await sortedBy(page, 'Response time');
    await expect.poll(async () => (await renderedIds(page)).slice(0, 5)).toEqual(fastest.slice(0, 5));
    // The refused script is the only complaint.
    expect(problems.filter((problem) => !/sort-worker|Failed to load|ERR_FAILED/.test(problem))).toEqual([]);
    await page.close();
  });
});

describe('Analytics over thousands of traces', () => {
  it('counts every trace read once, batch after batch, as a count of the whole set does', async () => {
    const { page, problems } = await openPage(session.browser, 1280, 1500);
    await page.goto(`${stored.service.api.url}/#/analytics?limit=20000`);
    await expect.poll(() => page.locator('.sample-line[data-set="a"] .count').textContent()).toBe(`All ${TRACES.toLocaleString('en-US')} traces in this range`);
    const count = (breakdown: string, value: string) => page.locator(`[data-breakdown="${breakdown}"] tr[data-value="${value}"]`).getAttribute('data-count-a');
    // Every third trace faults with a 502, at the stage: read in three batches, counted once each.
    expect(await count('http-status', '502')).toBe(String(TRACES / 3));
    expect(await count('http-status', '200')).toBe(String((2 * TRACES) / 3));
    expect(await count('fault-root-cause', 'api/prod')).toBe(String(TRACES / 3));
    expect(await count('http-method', 'GET')).toBe(String(TRACES));
    await screenshot(page, 'analytics-3000');
    expect(problems).toEqual([]);
    await page.close();
  });
});

