/// <reference lib="dom" />
// Callbacks passed to page.evaluate and evaluateAll run in the browser.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { consoleSession, listedTraceIds, screenshot } from './browser.ts';
import { HOSTILE, startWithPatternWorkload } from './workload.ts';
import type { StoredWorkload } from './workload.ts';

const REQUESTS = 30;

/** The pattern's map: the stage's client, the stage, two topics, six functions (two nodes each), the table, the remote host, the queue. */
const PATTERN_NODES = [
  'AWS::ApiGateway::Stage|xyz/prod', 'AWS::DynamoDB::Table|Hits',
  'AWS::Lambda::Function|dynamo-flow', 'AWS::Lambda::Function|http-flow', 'AWS::Lambda::Function|sns-flow',
  'AWS::Lambda::Function|sns-subscriber', 'AWS::Lambda::Function|sqs-flow', 'AWS::Lambda::Function|sqs-subscriber',
  'AWS::Lambda|dynamo-flow', 'AWS::Lambda|http-flow', 'AWS::Lambda|sns-flow', 'AWS::Lambda|sns-subscriber',
  'AWS::Lambda|sqs-flow', 'AWS::Lambda|sqs-subscriber', 'AWS::SNS|fan-out', 'AWS::SNS|second-topic',
  'AWS::SQS::Queue|hits-queue', 'client|xyz/prod', 'remote|jsonplaceholder.typicode.com',
];

let workload: StoredWorkload;
let page: Page;
// Every page must render without a script error, a console error or a dialog it did not expect.
const session = consoleSession(async () => (workload = await startWithPatternWorkload(REQUESTS)), { checkXss: true });

async function open(hash: string): Promise<Page> {
  ({ page } = await session.open(hash));
  return page;
}

/** Every row of the trace list, in its order (the table renders only those in view). */
function rowIds(): Promise<string[]> {
  return listedTraceIds(page);
}

async function runFilter(filter: string): Promise<void> {
  await page.getByLabel('Filter expression').fill(filter);
  await page.getByLabel('Filter expression').press('Enter');
}

describe('service map', () => {
  it('draws every node and edge of the pattern, the HTTP flow faulting, the SQS consumer as a link', async () => {
    await open('#/map');
    await page.waitForSelector('[data-node-key]');
    const nodes = await page.locator('[data-node-key]').evaluateAll((all) => all.map((node) => node.getAttribute('data-node-key')));
    expect(nodes.sort()).toEqual([...PATTERN_NODES].sort());
    const edges = await page.locator('[data-edge-key]').evaluateAll((all) => all.map((edge) => edge.getAttribute('data-edge-key')));
    expect(edges).toHaveLength(18);
    expect(edges).toEqual(expect.arrayContaining([
      'client|xyz/prod->AWS::ApiGateway::Stage|xyz/prod',
      'AWS::SNS|fan-out->AWS::Lambda|http-flow',
      'AWS::Lambda::Function|http-flow->remote|jsonplaceholder.typicode.com',
      'AWS::SQS::Queue|hits-queue->AWS::Lambda|sqs-subscriber',
    ]));
    await expect.poll(() => page.locator('[data-edge-key="AWS::SQS::Queue|hits-queue->AWS::Lambda|sqs-subscriber"]').getAttribute('class')).toContain('link');
    // One request in three faults in the HTTP flow: its ring has a fault arc, the table's has none.
    expect(await page.locator('[data-node-key="AWS::Lambda::Function|http-flow"] circle[data-status="fault"]').count()).toBe(1);
    expect(await page.locator('[data-node-key="AWS::DynamoDB::Table|Hits"] circle[data-status="fault"]').count()).toBe(0);
    await screenshot(page, 'map');
  });

  it('shows a node\'s statistics and its faulting traces when clicked', async () => {
    await open('#/map');
    await page.locator('[data-node-key="AWS::Lambda::Function|http-flow"]').click();
    const details = page.getByRole('complementary', { name: 'Details' });
    await expect.poll(() => details.locator('tr', { hasText: 'Requests' }).first().textContent()).toContain(String(REQUESTS + 1));
    await expect.poll(() => details.locator('tr', { hasText: 'Fault (5xx)' }).textContent()).toContain(String(workload.faultedTraceIds.length));
    await details.getByRole('button', { name: 'Faults' }).click();
    await expect.poll(() => details.locator('.trace-links li').count()).toBe(workload.faultedTraceIds.length);
    await screenshot(page, 'map-node-details');

    // An edge: the calls from the function to the remote host, every third one faulting.
    await page.locator('[data-edge-key="AWS::Lambda::Function|http-flow->remote|jsonplaceholder.typicode.com"] .edge-hit').click({ force: true });
    await expect.poll(() => details.locator('h2').textContent()).toBe('http-flow → jsonplaceholder.typicode.com');
    await expect.poll(() => details.locator('tr', { hasText: 'Fault (5xx)' }).textContent()).toContain(String(workload.faultedTraceIds.length));
    await expect.poll(() => details.locator('.trace-links li').count()).toBe(15);
  });

  it('charts a node\'s and an edge\'s requests and response times per period, adding up to what the workload sent', async () => {
    await open('#/map');
    const details = page.getByRole('complementary', { name: 'Details' });
    const periods = (chart: string, field: string): Promise<number[]> =>
      details.getByRole('img', { name: chart }).locator('g.period').evaluateAll(
        (all, name) => all.map((period) => Number(period.getAttribute(`data-${name}`))), field);
    const sum = (values: readonly number[]): number => values.reduce((total, value) => total + value, 0);

    // The stage: every request once, with the response time the workload gave it.
    await page.locator('[data-node-key="AWS::ApiGateway::Stage|xyz/prod"]').click();
    await expect.poll(async () => sum(await periods('Requests per period', 'total'))).toBe(REQUESTS + 1);
    // Fifteen minutes in periods of a minute; empty ones are there, as zeros.
    const totals = await periods('Requests per period', 'total');
    expect(totals.length).toBeGreaterThanOrEqual(15);
    expect(totals.filter((total) => total === 0).length).toBeGreaterThan(0);
    expect(await details.locator('tr', { hasText: 'Requests' }).first().locator('td').textContent()).toBe(String(sum(totals)));
    const averages = await periods('Average response time per period', 'average');
    const responseTime = sum(averages.map((average, index) => average * (totals[index] ?? 0)));
    expect(responseTime).toBeCloseTo(sum([...workload.responseTimes.values()]), 3);

    // The HTTP flow: every third request faults, and the fault series says so.
    await page.locator('[data-node-key="AWS::Lambda::Function|http-flow"]').click();
    await expect.poll(() => details.locator('h2').textContent()).toBe('http-flow');
    await expect.poll(async () => sum(await periods('Requests per period', 'fault'))).toBe(workload.faultedTraceIds.length);
    expect(sum(await periods('Requests per period', 'total'))).toBe(REQUESTS + 1);
    expect(sum(await periods('Requests per period', 'ok'))).toBe(REQUESTS + 1 - workload.faultedTraceIds.length);

    // Hovering a period reads out its numbers.
    const readout = details.locator('.over-time .readout');
    expect(await readout.textContent()).toBe(`Total: ${REQUESTS + 1} requests: ${REQUESTS + 1 - workload.faultedTraceIds.length} OK, 0 errors, 0 throttles, ${workload.faultedTraceIds.length} faults`);
    const busiest = await periods('Requests per period', 'total');
    const index = busiest.indexOf(Math.max(...busiest));
    const column = details.getByRole('img', { name: 'Requests per period' }).locator('g.period').nth(index);
    const box = await column.boundingBox();
    if (box === null) throw new Error('the busiest period has no bars');
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    const faults = Number(await column.getAttribute('data-fault'));
    await expect.poll(() => readout.textContent()).toMatch(new RegExp(`^\\d\\d:\\d\\d–\\d\\d:\\d\\d: ${busiest[index]} requests: ${(busiest[index] ?? 0) - faults} OK, 0 errors, 0 throttles, ${faults} faults?, average `));
    await screenshot(page, 'map-over-time');

    // An edge: the calls from the function to the remote host.
    await page.locator('[data-edge-key="AWS::Lambda::Function|http-flow->remote|jsonplaceholder.typicode.com"] .edge-hit').click({ force: true });
    await expect.poll(() => details.locator('h2').textContent()).toBe('http-flow → jsonplaceholder.typicode.com');
    await expect.poll(async () => sum(await periods('Requests per period', 'fault'))).toBe(workload.faultedTraceIds.length);
    expect(sum(await periods('Requests per period', 'total'))).toBe(Number(await details.locator('tr', { hasText: 'Requests' }).first().locator('td').textContent()));
  });

  it('lays the same graph out the same way after a refresh', async () => {
    await open('#/map');
    await page.waitForSelector('[data-node-key]');
    const positions = (): Promise<string[]> =>
      page.locator('[data-node-key]').evaluateAll((all) => all.map((node) => `${node.getAttribute('data-node-key')}@${node.getAttribute('transform')}`));
    const before = await positions();
    const refreshed = page.waitForResponse((response) => response.url().endsWith('/ServiceGraph'));
    await page.getByRole('button', { name: 'Refresh' }).click();
    await refreshed;
    await page.waitForFunction(() => document.querySelector('.map-page .status')?.textContent?.includes('19 nodes') === true);
    expect(await positions()).toEqual(before);
  });
});

describe('empty answers', () => {
  it('says so when a time range holds no traces, and when a trace id is not stored', async () => {
    await open('#/map?range=custom&from=1000000000&to=1000000600');
    await expect.poll(() => page.locator('.empty').textContent()).toContain('No traces in this time range');
    expect(await page.locator('[data-node-key]').count()).toBe(0);
    await page.goto(`${workload.service.api.url}/#/trace/1-00000000-000000000000000000000000`);
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('No trace with id 1-00000000-000000000000000000000000');
  });
});

describe('traces', () => {
  it('lists every trace and narrows the list to a filter expression', async () => {
    await open('#/traces');
    await expect.poll(rowIds).toHaveLength(REQUESTS + 1);
    await runFilter('service("http-flow") { fault }');
    await expect.poll(async () => (await rowIds()).sort()).toEqual([...workload.faultedTraceIds].sort());
    // The gateway answered 200 for these: the list says where the fault started.
    expect(await page.locator('tr[data-trace-id] td.root-cause').first().textContent()).toContain('jsonplaceholder.typicode.com');
    await screenshot(page, 'traces-filtered');
  });

  it('shows a bad filter\'s error under the column the service names', async () => {
    await open('#/traces');
    const filter = 'service("http-flow") { fault AND }';
    await runFilter(filter);
    const alert = page.getByRole('alert');
    await expect.poll(() => alert.textContent()).toContain(`column ${filter.indexOf('}') + 1}`);
    const caret = await alert.locator('pre').textContent();
    expect(caret?.split('\n')[1]).toBe(`${' '.repeat(filter.indexOf('}'))}^`);
    expect(await rowIds()).toEqual([]);
    await screenshot(page, 'traces-bad-filter');
  });

  it('adds a response-time filter when a range of the histogram is dragged', async () => {
    await open('#/traces');
    await expect.poll(rowIds).toHaveLength(REQUESTS + 1);
    const chart = page.getByRole('img', { name: 'Response time distribution' });
    const box = await chart.boundingBox();
    if (box === null) throw new Error('the histogram is not on the page');
    await page.mouse.move(box.x + 2, box.y + box.height / 3);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.45, box.y + box.height / 3, { steps: 5 });
    await page.mouse.up();
    await expect.poll(() => page.getByLabel('Filter expression').inputValue()).toMatch(/^responsetime >= [\d.]+ AND responsetime <= [\d.]+$/);
    const [, low, high] = /responsetime >= ([\d.]+) AND responsetime <= ([\d.]+)/.exec(await page.getByLabel('Filter expression').inputValue()) ?? [];
    const expected = [...workload.responseTimes].filter(([, time]) => time >= Number(low) && time <= Number(high)).map(([id]) => id).sort();
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(REQUESTS + 1);
    await expect.poll(async () => (await rowIds()).sort()).toEqual(expected);
  });

  it('sorts by a column when its header is clicked', async () => {
    await open('#/traces');
    await expect.poll(rowIds).toHaveLength(REQUESTS + 1);
    await page.getByRole('button', { name: 'Response time' }).click();
    const ascending = [...workload.responseTimes.values()].sort((a, b) => a - b);
    // The worker sorts: the order comes a moment after the click.
    await expect.poll(async () => (await rowIds()).map((id) => workload.responseTimes.get(id))).toEqual(ascending);
  });
});

describe('trace timeline', () => {
  it('shows every segment and subsegment to scale, the faulting path in red, and the exception', async () => {
    const traceId = workload.faultedTraceIds[0] as string;
    await open(`#/trace/${traceId}`);
    await page.waitForSelector('[data-row-id]');
    const rows = page.locator('[data-row-id]');
    const names = await rows.locator('.wf-name').allTextContents();
    expect(names.length).toBe(25);
    expect(names[0]).toContain('xyz/prod');
    for (const name of ['dynamo-flow', 'DynamoDB Query', 'external HTTP Request', 'SNS Publish Logic', 'process_message', 'SQS Logic', 'sqs-subscriber']) {
      expect(names.some((text) => text.includes(name))).toBe(true);
    }
    const remote = rows.filter({ hasText: 'jsonplaceholder.typicode.com' });
    expect(await remote.getAttribute('data-status')).toBe('fault');
    await remote.click();
    const details = page.getByRole('complementary', { name: 'Segment details' });
    await expect.poll(() => details.textContent()).toContain('Bad Gateway');
    // The trace's own map is drawn above the timeline, once its layout (ELK, loaded with the first map) is done.
    await expect.poll(() => page.locator('[data-node-key]').count()).toBe(PATTERN_NODES.length);
    await screenshot(page, 'trace-timeline');
  });

  it('opens a trace from an id pasted in the top bar, and refuses text that is not one', async () => {
    await open('#/map');
    const box = page.getByLabel('Go to trace id');
    await box.fill('not a trace id');
    await box.press('Enter');
    expect(await box.getAttribute('aria-invalid')).toBe('true');
    const traceId = workload.faultedTraceIds[1] as string;
    await box.fill(` ${traceId.toUpperCase()} `);
    await box.press('Enter');
    await expect.poll(() => page.evaluate(() => window.location.hash)).toBe(`#/trace/${traceId}`);
    await page.waitForSelector('[data-row-id]');
    expect(await box.inputValue()).toBe('');
  });

  it('renders a hostile annotation, name and metadata as text', async () => {
    await open(`#/trace/${workload.hostileTraceId}`);
    await page.waitForSelector('[data-row-id]');
    await page.locator('[data-row-id]').first().click();
    const note = page.locator('tr[data-annotation="note"] td');
    await expect.poll(() => note.textContent()).toBe(HOSTILE);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('script:not([src])').count()).toBe(0);
    // Its span links: the one into another trace opens it, its attribute shown as text.
    const links = page.locator('table.links tr[data-link]');
    expect(await links.count()).toBe(2);
    expect(await links.nth(1).textContent()).toContain('in this trace');
    const firstTrace = workload.traceIds[0] as string;
    expect(await links.nth(0).textContent()).toContain(JSON.stringify(HOSTILE));
    await screenshot(page, 'trace-hostile');
    await links.nth(0).getByRole('link', { name: firstTrace }).click();
    await expect.poll(() => page.evaluate(() => window.location.hash)).toBe(`#/trace/${firstTrace}`);
    await page.waitForSelector('[data-row-id]');
    expect(await page.locator('[data-row-id]').first().textContent()).toContain('xyz/prod');

    await open('#/traces');
    await expect.poll(rowIds).toHaveLength(REQUESTS + 1);
    const cell = page.locator(`tr[data-trace-id="${workload.hostileTraceId}"] td.annotations`);
    expect(await cell.textContent()).toContain(HOSTILE);
    expect(await page.locator('img').count()).toBe(0);
  });
});

describe('groups', () => {
  it('creates a group whose filter is checked as it is typed, scopes the traces to it, edits and deletes it', async () => {
    await open('#/groups');
    await page.getByLabel('Group name').fill('http-faults');
    const filterInput = page.getByLabel('Group filter expression');
    await filterInput.fill('service("http-flow") { fault AND');
    await expect.poll(() => page.locator('.group-form .filter-error').textContent()).toContain('column');
    expect(await page.getByRole('button', { name: 'Create group' }).isDisabled()).toBe(true);
    await filterInput.fill('service("http-flow") { fault }');
    await expect.poll(() => page.locator('.group-form .check').textContent()).toContain('Valid');
    await page.getByRole('button', { name: 'Create group' }).click();
    await expect.poll(() => page.locator('tr[data-group="http-faults"]').textContent()).toContain('service("http-flow") { fault }');
    await screenshot(page, 'groups');

    await page.locator('tr[data-group="http-faults"]').getByRole('button', { name: 'Traces' }).click();
    await expect.poll(async () => (await rowIds()).sort()).toEqual([...workload.faultedTraceIds].sort());
    expect(await page.getByLabel('Group').inputValue()).toBe('http-faults');

    await page.goto(`${workload.service.api.url}/#/groups`);
    await page.locator('tr[data-group="http-faults"]').getByRole('button', { name: 'Edit' }).click();
    await page.getByLabel('Group filter expression').first().fill('annotation.note BEGINSWITH "<img"');
    await expect.poll(() => page.locator('tr[data-group="http-faults"] .check').textContent()).toContain('Valid');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.locator('tr[data-group="http-faults"]').textContent()).toContain('annotation.note BEGINSWITH');

    await page.evaluate('window.confirm = () => true');
    await page.locator('tr[data-group="http-faults"]').getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => page.locator('tr[data-group="http-faults"]').count()).toBe(0);
  });
});
