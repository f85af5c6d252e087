/// <reference lib="dom" />
// Callbacks passed to evaluate and evaluateAll run in the browser.
// Where a trace failed, shown wherever it failed: the pattern's gateway answers 200 while its HTTP
// flow faults behind SNS, and the console must not show those traces as healthy. Each check runs
// at 1280x720 and at 900 px wide.
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FAULTS_FILTER } from '../../../src/pattern/infra/pattern-groups.ts';
import { ensureConsoleBuilt, launchBrowser, openPage } from './browser.ts';
import { startWithPatternWorkload } from './workload.ts';
import type { StoredWorkload } from './workload.ts';

const REQUESTS = 30;
const TRACES = REQUESTS + 1;
/** Screenshots to look at, kept out of the repository. */
const SHOTS = process.env['CONSOLE_SHOTS'];
const VIEWPORTS = [{ width: 1280, height: 720 }, { width: 900, height: 720 }] as const;

let workload: StoredWorkload;
let browser: Browser;
let page: Page;
let problems: string[];

beforeAll(async () => {
  ensureConsoleBuilt();
  workload = await startWithPatternWorkload(REQUESTS);
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await workload?.service.stop();
});

afterEach(async () => {
  expect(problems).toEqual([]);
  await page.close();
});

async function open(hash: string, viewport: { width: number; height: number }): Promise<Page> {
  ({ page, problems } = await openPage(browser, viewport.width, viewport.height));
  await page.goto(`${workload.service.api.url}/${hash}`);
  return page;
}

async function shot(name: string, viewport: { width: number }): Promise<void> {
  if (SHOTS !== undefined) await page.screenshot({ path: `${SHOTS}/${name}-${viewport.width}.png` });
}

/** Trace id to the text of the Status cell of its row. */
async function statusCells(): Promise<Map<string, string>> {
  const rows = await page.locator('tr[data-trace-id]').evaluateAll((all) => all.map((row) => [
    row.getAttribute('data-trace-id') ?? '',
    `${row.querySelector('td.status .badge')?.textContent ?? ''}|${row.querySelector('td.status .root-response')?.textContent ?? ''}`,
  ]));
  return new Map(rows as Array<[string, string]>);
}

describe.each(VIEWPORTS)('faults behind a 200 at $width px', (viewport) => {
  it('the trace list shows a trace\'s worst status beside the root\'s response', async () => {
    await open('#/traces', viewport);
    await expect.poll(() => page.locator('tr[data-trace-id]').count()).toBe(TRACES);
    const cells = await statusCells();
    for (const id of workload.traceIds) {
      expect(cells.get(id), id).toBe(workload.faultedTraceIds.includes(id) ? 'fault|200' : 'ok|200');
    }
    const faulted = page.locator(`tr[data-trace-id="${workload.faultedTraceIds[0]}"] td.status .root-response`);
    expect(await faulted.getAttribute('title')).toBe('root answered 200 (ok)');
    await shot('traces-status', viewport);
  });

  it('Analytics counts the faulted traces as faults, not as OK', async () => {
    await open('#/analytics', viewport);
    const chart = page.locator('[aria-label="Traces per period"] g.period');
    const sum = (attribute: string): Promise<number> =>
      chart.evaluateAll((all, name) => all.reduce((total, period) => total + Number(period.getAttribute(name)), 0), attribute);
    await expect.poll(() => sum('data-total')).toBe(TRACES);
    expect(await sum('data-fault')).toBe(workload.faultedTraceIds.length);
    expect(await sum('data-ok')).toBe(TRACES - workload.faultedTraceIds.length);
    await shot('analytics-faults', viewport);
  });

  it('the node panel\'s Faults list marks every trace faulted', async () => {
    await open('#/map', viewport);
    await page.locator('[data-node-key="AWS::Lambda::Function|http-flow"]').click();
    const details = page.getByRole('complementary', { name: 'Details' });
    await details.getByRole('button', { name: 'Faults' }).click();
    const dots = details.locator('.trace-links li .status-dot');
    await expect.poll(() => dots.count()).toBe(workload.faultedTraceIds.length);
    expect(await dots.evaluateAll((all) => all.map((dot) => dot.getAttribute('title')))).toEqual(workload.faultedTraceIds.map(() => 'fault'));
    await shot('map-faults-list', viewport);
  });

  it('the pattern\'s faults group holds exactly the faulted traces', async () => {
    const name = `faults-${viewport.width}`;
    const created = await fetch(`${workload.service.api.url}/CreateGroup`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ GroupName: name, FilterExpression: FAULTS_FILTER }),
    });
    expect(created.status).toBe(200);
    await open(`#/traces?group=${name}`, viewport);
    await expect.poll(async () => (await statusCells()).size).toBe(workload.faultedTraceIds.length);
    expect([...(await statusCells()).keys()].sort()).toEqual([...workload.faultedTraceIds].sort());
  });
});
