/// <reference lib="dom" />
// Callbacks passed to evaluate and evaluateAll run in the browser.
import type { Locator, Page, Route } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { MAX_BATCH_PAGES } from '../../../src/console/api/client.ts';
import { consoleSession, screenshot } from './browser.ts';
import { HOSTILE, startWithPatternWorkload } from './workload.ts';
import type { StoredWorkload } from './workload.ts';

const REQUESTS = 30;
const TRACES = REQUESTS + 1;
const REMOTE = 'jsonplaceholder.typicode.com';
const REMOTE_CLAUSE = `rootcause.fault.service { last AND name = "${REMOTE}" AND type = "remote" }`;
// Only the requests that faulted have a faulting HTTP flow function; the others, and the hostile trace, are ok there.
const FAULTED = 'service("http-flow") { fault }';
const OK = 'service(id(name: "http-flow", type: "AWS::Lambda::Function")) { ok }';

let workload: StoredWorkload;
let page: Page;
let problems: string[];
  // A summary a page: a call of the console reads MAX_BATCH_PAGES pages, so the 31 traces take two calls.
const session = consoleSession(async () => (workload = await startWithPatternWorkload(REQUESTS, Date.now() / 1000, { summariesPageSize: 1 })), { checkXss: true });

/** Tall enough that a screenshot shows the breakdowns too. */
async function open(hash: string, height = 1500): Promise<Page> {
  ({ page, problems } = await session.open(hash, { width: 1440, height }));
  return page;
}

const sampleLine = (set: 'a' | 'b'): Locator => page.locator(`.sample-line[data-set="${set}"] .count`);
const breakdown = (id: string): Locator => page.locator(`[data-breakdown="${id}"]`);

/** A breakdown row's counts in sets A and B (B undefined when not comparing). */
async function counts(row: Locator): Promise<[number, number | undefined]> {
  const b = await row.getAttribute('data-count-b');
  return [Number(await row.getAttribute('data-count-a')), b === null ? undefined : Number(b)];
}

/** The sum of an attribute over the elements `selector` finds. */
async function total(selector: string, attribute: string): Promise<number> {
  return page.locator(selector).evaluateAll((all, name) => all.reduce((sum, element) => sum + Number(element.getAttribute(name)), 0), attribute);
}

/** The newest `count` traces: the hostile one, then the workload's newest requests. */
function newest(count: number): string[] {
  return [workload.hostileTraceId, ...workload.traceIds.slice(-(count - 1))];
}

describe('analytics', () => {
  it('names the HTTP flow\'s remote call as the fault root cause of exactly the faulted traces, and narrows to it when clicked', async () => {
    await open('#/analytics');
    await expect.poll(() => sampleLine('a').textContent()).toBe(`All ${TRACES} traces in this range`);
    const remote = breakdown('fault-root-cause').locator(`tr[data-value="${REMOTE}"]`);
    expect(await counts(remote)).toEqual([workload.faultedTraceIds.length, undefined]);
    expect(await remote.textContent()).toContain('remote · Error: Bad Gateway');
    expect(await counts(breakdown('fault-root-cause').locator('tr[data-none]'))).toEqual([TRACES - workload.faultedTraceIds.length, undefined]);
    expect(await counts(breakdown('http-method').locator('tr[data-value="GET"]'))).toEqual([TRACES, undefined]);
    expect(await counts(breakdown('services').locator('tr[data-value="http-flow"]').first())).toEqual([TRACES, undefined]);
    // The histogram and the time series each count every trace once.
    expect(await total('.histogram rect.bar', 'data-count')).toBe(TRACES);
    expect(await total('.trace-series g.period', 'data-total')).toBe(TRACES);
    await screenshot(page, 'analytics');

    await remote.getByRole('button').click();
    await expect.poll(() => page.getByLabel('Filter expression', { exact: true }).inputValue()).toBe(REMOTE_CLAUSE);
    await expect.poll(() => sampleLine('a').textContent()).toBe(`All ${workload.faultedTraceIds.length} traces in this range`);
    expect(await counts(remote)).toEqual([workload.faultedTraceIds.length, undefined]);
    expect(await remote.textContent()).toContain('100%');
    expect(await breakdown('fault-root-cause').locator('tr[data-none]').count()).toBe(0);
    expect(await counts(breakdown('http-method').locator('tr[data-value="GET"]'))).toEqual([workload.faultedTraceIds.length, undefined]);
    expect(await total('.trace-series g.period', 'data-total')).toBe(workload.faultedTraceIds.length);

    // The traces page shows the same traces.
    await page.getByRole('link', { name: 'Show traces' }).click();
    await expect.poll(async () => (await page.locator('tr[data-trace-id]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-trace-id')))).sort())
      .toEqual([...workload.faultedTraceIds].sort());
    expect(await page.getByLabel('Filter expression').inputValue()).toBe(REMOTE_CLAUSE);
  });

  it('compares the faulted traces with the ok ones side by side, and a value clicked narrows both', async () => {
    await open(`#/analytics?filter=${encodeURIComponent(FAULTED)}`);
    await expect.poll(() => sampleLine('a').textContent()).toBe(`All ${workload.faultedTraceIds.length} traces in this range`);
    await page.getByLabel('Compare with a second filter (B)').check();
    await page.getByLabel('Filter expression B').fill(OK);
    await page.getByLabel('Filter expression B').press('Enter');
    const faulted = workload.faultedTraceIds.length;
    const ok = TRACES - faulted;
    await expect.poll(() => sampleLine('b').textContent()).toBe(`All ${ok} traces in this range`);
    expect(await sampleLine('a').textContent()).toBe(`All ${faulted} traces in this range`);

    const remote = breakdown('fault-root-cause').locator(`tr[data-value="${REMOTE}"]`);
    expect(await counts(remote)).toEqual([faulted, 0]);
    expect(await counts(breakdown('fault-root-cause').locator('tr[data-none]'))).toEqual([0, ok]);
    expect(await remote.locator('td.difference').textContent()).toBe('−100 pp');
    expect(await total('.histogram rect.bar[data-set="a"]', 'data-count')).toBe(faulted);
    expect(await total('.histogram rect.bar[data-set="b"]', 'data-count')).toBe(ok);
    expect(await total('[aria-label="Traces per period, A"] g.period', 'data-total')).toBe(faulted);
    expect(await total('[aria-label="Traces per period, B"] g.period', 'data-total')).toBe(ok);

    // Annotation values of a key: the hostile one is text, in B only.
    await breakdown('annotation').getByLabel('Annotation key').selectOption('note');
    const note = breakdown('annotation').locator('tbody tr').first();
    expect(await note.getAttribute('data-value')).toBe(HOSTILE);
    expect(await note.locator('button').textContent()).toBe(HOSTILE);
    expect(await counts(note)).toEqual([0, 1]);
    expect(await page.locator('img').count()).toBe(0);
    await breakdown('annotation').getByLabel('Annotation key').selectOption('path');
    const hostilePath = breakdown('annotation').locator('tbody tr', { hasText: '<script>' });
    expect(await counts(hostilePath)).toEqual([0, 1]);
    expect(await counts(breakdown('annotation').locator('tr[data-value="/prod/foo"]'))).toEqual([faulted, ok]);
    await screenshot(page, 'analytics-compare');

    // Clicking the hostile path narrows both filters to it, quoted so that it reads back as it is.
    await hostilePath.getByRole('button').click();
    const clause = `annotation.path = ${JSON.stringify('/prod/<script>window.__xss=2</script>')}`;
    await expect.poll(() => page.getByLabel('Filter expression', { exact: true }).inputValue()).toBe(`${FAULTED} AND ${clause}`);
    expect(await page.getByLabel('Filter expression B').inputValue()).toBe(`${OK} AND ${clause}`);
    await expect.poll(() => sampleLine('b').textContent()).toBe('All 1 trace in this range');
    await expect.poll(() => sampleLine('a').textContent()).toBe('No traces in this range');
    const href = await page.getByRole('link', { name: 'Show B\'s traces' }).getAttribute('href') ?? '';
    expect(new URLSearchParams(href.split('?')[1]).get('filter')).toBe(`${OK} AND ${clause}`);
  });

  it('shows a bad filter\'s error under the column it names, for either set', async () => {
    const bad = 'service("http-flow") { fault AND }';
    await open(`#/analytics?compare=1&filterB=${encodeURIComponent(bad)}`);
    const alert = page.locator('.filter-set.set-b').getByRole('alert');
    await expect.poll(() => alert.textContent()).toContain(`column ${bad.indexOf('}') + 1}`);
    expect((await alert.locator('pre').textContent())?.split('\n')[1]).toBe(`${' '.repeat(bad.indexOf('}'))}^`);
    await expect.poll(() => sampleLine('a').textContent()).toBe(`All ${TRACES} traces in this range`);
    expect(await page.locator('.filter-set.set-a').getByRole('alert').count()).toBe(0);
    // A fixed filter clears it; turning the comparison off and on again keeps B.
    await page.getByLabel('Filter expression B').fill('ok');
    await page.getByLabel('Filter expression B').press('Enter');
    await expect.poll(() => sampleLine('b').textContent()).toBe(`All ${TRACES} traces in this range`);
    expect(await alert.count()).toBe(0);
    await page.getByLabel('Compare with a second filter (B)').uncheck();
    await expect.poll(() => page.getByLabel('Filter expression B').count()).toBe(0);
    await page.getByLabel('Compare with a second filter (B)').check();
    expect(await page.getByLabel('Filter expression B').inputValue()).toBe('ok');
  });

  it('narrows the filter to a response-time range dragged across the histogram', async () => {
    await open('#/analytics');
    await expect.poll(() => sampleLine('a').textContent()).toBe(`All ${TRACES} traces in this range`);
    const chart = page.getByRole('img', { name: 'Response time distribution' });
    const box = await chart.boundingBox();
    if (box === null) throw new Error('the histogram is not on the page');
    await page.mouse.move(box.x + 2, box.y + box.height / 3);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.45, box.y + box.height / 3, { steps: 5 });
    await page.mouse.up();
    const input = page.getByLabel('Filter expression', { exact: true });
    await expect.poll(() => input.inputValue()).toMatch(/^responsetime >= [\d.]+ AND responsetime <= [\d.]+$/);
    const [, low, high] = /responsetime >= ([\d.]+) AND responsetime <= ([\d.]+)/.exec(await input.inputValue()) ?? [];
    const expected = [...workload.responseTimes.values()].filter((time) => time >= Number(low) && time <= Number(high)).length;
    expect(expected).toBeGreaterThan(0);
    expect(expected).toBeLessThan(TRACES);
    await expect.poll(() => sampleLine('a').textContent()).toBe(`All ${expected} traces in this range`);
    expect(await total('.histogram rect.bar', 'data-count')).toBe(expected);
  });

  it('says when the numbers cover only the newest traces, and stops reading at once when asked', async () => {
    const limit = 12;
    await open(`#/analytics?limit=${limit}`);
    await expect.poll(() => sampleLine('a').textContent()).toMatch(new RegExp(`^The ${limit} newest traces, back to \\d\\d:\\d\\d:\\d\\d: the range has more, which the numbers leave out \\(at most ${limit} are read\\)$`));
    const faultedNewest = newest(limit).filter((id) => workload.faultedTraceIds.includes(id)).length;
    expect(await counts(breakdown('fault-root-cause').locator(`tr[data-value="${REMOTE}"]`))).toEqual([faultedNewest, undefined]);
    expect(await total('.trace-series g.period', 'data-total')).toBe(limit);
    // The periods before the oldest trace read are marked as not read, not drawn as quiet ones.
    const coverage = await page.locator('.trace-series g.period').evaluateAll((all) => all.map((period) => period.getAttribute('data-coverage')));
    expect(coverage[0]).toBe('none');
    expect(coverage[coverage.length - 1]).toBe('all');
    expect(problems).toEqual([]);
    await page.close();

    // Hold the first page of the second call, then stop.
    ({ page, problems } = await session.newPage());
    let requests = 0;
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => { release = resolve; });
    let held: () => void = () => undefined;
    const holding = new Promise<void>((resolve) => { held = resolve; });
    await page.route('**/TraceSummaries', async (route: Route) => {
      requests += 1;
      if (requests === MAX_BATCH_PAGES + 1) {
        held();
        await released;
      }
      await route.continue();
    });
    await page.goto(`${workload.service.api.url}/#/analytics`);
    await holding;
    await expect.poll(() => sampleLine('a').textContent()).toBe(`Reading traces… ${MAX_BATCH_PAGES} read (at most 5,000)`);
    await page.getByRole('button', { name: 'Stop' }).click();
    const stopped = new RegExp(`^Stopped at the ${MAX_BATCH_PAGES} newest traces, back to \\d\\d:\\d\\d:\\d\\d: the numbers cover only these, not the whole range$`);
    await expect.poll(() => sampleLine('a').textContent()).toMatch(stopped);
    expect(await page.getByRole('button', { name: 'Stop' }).count()).toBe(0);
    const faultedRead = newest(MAX_BATCH_PAGES).filter((id) => workload.faultedTraceIds.includes(id)).length;
    expect(await counts(breakdown('fault-root-cause').locator(`tr[data-value="${REMOTE}"]`))).toEqual([faultedRead, undefined]);
    // The call under way finishes; its answer is dropped.
    const answered = page.waitForResponse((response) => response.url().endsWith('/TraceSummaries'));
    release();
    await answered;
    await page.waitForTimeout(300);
    expect(await sampleLine('a').textContent()).toMatch(stopped);
    expect(await total('.trace-series g.period', 'data-total')).toBe(MAX_BATCH_PAGES);
    await page.unrouteAll({ behavior: 'ignoreErrors' });
  });
});
