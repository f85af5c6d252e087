/// <reference lib="dom" />
// Callbacks passed to evaluateAll run in the browser.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { MAX_BATCH_PAGES } from '../../../src/console/api/client.ts';
import { SUMMARY_BATCH } from '../../../src/console/traces/use-summary-list.ts';
import { consoleSession, listedTraceIds as rowIds, openPage, screenshot } from './browser.ts';
import { startWithPatternWorkload } from './workload.ts';
import type { StoredWorkload } from './workload.ts';

// Pages of five summaries: a batch of the console (at most MAX_BATCH_PAGES pages) holds far fewer
// traces than the workload stores, so the list needs several batches, as a busy store's does.
const REQUESTS = 250;
const PAGE_SIZE = 5;
const BATCH = Math.min(SUMMARY_BATCH, MAX_BATCH_PAGES * PAGE_SIZE);

let workload: StoredWorkload;
const session = consoleSession(async () => (workload = await startWithPatternWorkload(REQUESTS, Date.now() / 1000, { summariesPageSize: PAGE_SIZE })));

/** Waits for the worker's order of every loaded row (the table is busy until then). */
async function sorted(page: Page): Promise<void> {
  await expect.poll(() => page.locator('.summaries-scroll').getAttribute('aria-busy')).toBe('false');
}

/** What the histogram's bars count, from their titles (`from – to: count`). */
async function histogramTotal(page: Page): Promise<number> {
  const titles = await page.getByRole('img', { name: 'Response time distribution' }).locator('rect.bar title').allTextContents();
  return titles.reduce((total, title) => total + Number(title.split(': ').pop()), 0);
}

describe('traces beyond the first batch', () => {
  it('says the list is not complete, loads more on request, and counts, sorts and charts everything loaded', async () => {
    const stored = [...workload.responseTimes.keys()];
    expect(stored.length).toBeGreaterThan(2 * BATCH);
    const { page, problems } = await openPage(session.browser);
    await page.goto(`${workload.service.api.url}/#/traces`);
    const count = page.locator('.count');

    await expect.poll(() => rowIds(page).then((ids) => ids.length)).toBe(BATCH);
    // The service counts them all (a local extension): the line says of how many.
    await expect.poll(() => count.textContent()).toBe(`${BATCH} of ${stored.length} traces loaded, newest first; older ones in this range are not loaded yet, and the histogram and sorting cover only these`);
    expect(await histogramTotal(page)).toBe(BATCH);
    // Sorting covers what is loaded: the fastest loaded, not the fastest stored.
    await page.getByRole('button', { name: 'Response time' }).click();
    await sorted(page);
    const loaded = await rowIds(page);
    expect(loaded.map((id) => workload.responseTimes.get(id))).toEqual(loaded.map((id) => workload.responseTimes.get(id) ?? 0).sort((a, b) => a - b));
    await screenshot(page, 'traces-partial');

    await page.getByRole('button', { name: 'Load more' }).click();
    await expect.poll(() => rowIds(page).then((ids) => ids.length)).toBe(2 * BATCH);
    expect(await count.textContent()).toContain(`${2 * BATCH} of ${stored.length} traces loaded`);
    expect(await histogramTotal(page)).toBe(2 * BATCH);

    await page.getByRole('button', { name: 'Load all' }).click();
    await expect.poll(() => count.textContent()).toBe(`${stored.length} traces, all loaded`);
    await sorted(page);
    const all = await rowIds(page);
    expect([...all].sort()).toEqual([...stored].sort());
    expect(all.map((id) => workload.responseTimes.get(id))).toEqual([...workload.responseTimes.values()].sort((a, b) => a - b));
    expect(await histogramTotal(page)).toBe(stored.length);
    expect(await page.getByRole('button', { name: 'Load more' }).count()).toBe(0);
    await screenshot(page, 'traces-all-loaded');

    // A new view starts again from its first batch, and its later batches keep its filter.
    const slow = [...workload.responseTimes].filter(([, time]) => time >= 0.3).map(([id]) => id);
    expect(slow.length).toBeGreaterThan(BATCH);
    await page.getByLabel('Filter expression').fill('responsetime >= 0.3');
    await page.getByLabel('Filter expression').press('Enter');
    await expect.poll(() => count.textContent()).toContain(`${BATCH} of ${slow.length} traces loaded, newest first`);
    await page.getByRole('button', { name: 'Load all' }).click();
    await expect.poll(() => count.textContent()).toBe(`${slow.length} traces, all loaded`);
    expect((await rowIds(page)).sort()).toEqual(slow.sort());

    expect(problems).toEqual([]);
    await page.close();
  });
});
