/// <reference lib="dom" />
// Callbacks passed to evaluate and evaluateAll run in the browser.
// Where a trace failed, shown wherever it failed: the pattern's gateway answers 200 while its HTTP
// flow faults behind SNS, and the console must not show those traces as healthy. Each check runs
// at 1280x720 and at 900 px wide.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { FAULTS_FILTER } from '../../../src/pattern/infra/pattern-groups.ts';
import { atEachListPlace, consoleSession, listedTraceIds, scrollListTo } from './browser.ts';
import { patternTrace } from '../../xray/graph/pattern-traces.ts';
import { startWithPatternWorkload } from './workload.ts';
import type { StoredWorkload } from './workload.ts';

const REQUESTS = 30;
/** The workload's requests, its hostile trace and the three extra traces. */
const TRACES = REQUESTS + 1 + 3;
/** Screenshots to look at, kept out of the repository. */
const SHOTS = process.env['CONSOLE_SHOTS'];
const VIEWPORTS = [{ width: 1280, height: 720 }, { width: 900, height: 720 }] as const;

/** A working directory longer than the details panel is wide. */
const WORKING_DIRECTORY = `/home/developer/projects/${'very-long-folder-name/'.repeat(6)}cdk.out/asset.0123456789abcdef`;

/** Extra traces: an SQS batch consumed across two traces, and an invocation retried after a fault. */
interface Extra {
  readonly consumerTraceId: string;
  readonly senderTraceId: string;
  readonly senderSendId: string;
  readonly consumerServiceSegmentId: string;
  readonly retriedTraceId: string;
  readonly firstAttemptId: string;
  readonly secondAttemptId: string;
}

type Doc = Record<string, unknown> & { id: string };

function find(documents: readonly Doc[], name: string, origin?: string): Doc {
  const found = documents.find((d) => d['name'] === name && (origin === undefined || d['origin'] === origin));
  if (found === undefined) throw new Error(`no ${name}`);
  return found;
}

async function putTraces(documents: readonly Doc[]): Promise<void> {
  const response = await fetch(`${workload.service.api.url}/TraceSegments`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ TraceSegmentDocuments: documents.map((d) => JSON.stringify(d)) }),
  });
  const body = await response.json() as { UnprocessedTraceSegments?: unknown[] };
  if (!response.ok || (body.UnprocessedTraceSegments?.length ?? 0) > 0) throw new Error(`refused: ${JSON.stringify(body)}`);
}

async function storeExtra(nowSeconds: number): Promise<Extra> {
  // The sender's message went into the consumer trace's batch: its own trace ends at the send.
  const consumer = patternTrace(9001, nowSeconds - 60);
  const sender = patternTrace(9002, nowSeconds - 59.5);
  const senderDocs = sender.documents.filter((d) => d['name'] !== 'sqs-subscriber');
  const send = senderDocs.find((d) => (d['aws'] as { operation?: string } | undefined)?.operation === 'SendMessage');
  if (send === undefined) throw new Error('no send');
  const consumerService = find(consumer.documents, 'sqs-subscriber', 'AWS::Lambda');
  consumerService['links'] = [{ trace_id: sender.traceId, id: send.id }];

  // An asynchronous invocation of the HTTP flow run twice, both runs faulting; the second with a stack.
  const retried = patternTrace(9003, nowSeconds - 50, { httpFaults: true });
  const httpService = find(retried.documents, 'http-flow', 'AWS::Lambda');
  // Lambda marks each failed run on its own segment too: the failure ends in both of the function's nodes.
  httpService['subsegments'] = [
    { id: retried.id(), name: 'Attempt #1', start_time: retried.t0 + 0.25, end_time: retried.t0 + 0.78, fault: true },
    { id: retried.id(), name: 'Attempt #2', start_time: retried.t0 + 1.2, end_time: retried.t0 + 1.5, fault: true },
  ];
  httpService['end_time'] = retried.t0 + 1.55;
  const first = find(retried.documents, 'http-flow', 'AWS::Lambda::Function');
  const second = retried.segment('http-flow', 1.2, 1.5, {
    parent_id: httpService.id, origin: 'AWS::Lambda::Function', fault: true, aws: first['aws'], resource_arn: first['resource_arn'],
    cause: {
      working_directory: WORKING_DIRECTORY,
      exceptions: [{
        id: retried.id(), type: 'Error', message: 'GET https://jsonplaceholder.typicode.com/todos/1 answered HTTP 502',
        stack: [{ path: 'file:///var/task/index.mjs', line: 12, label: 'handler' }, { label: 'async Promise.all (index 0)' }],
      }, {
        // As the X-Ray SDK for Node.js writes an ES module's frames (its SDK corpus document shows them).
        id: retried.id(), type: 'TypeError', message: 'card declined', stack: [{ path: 'file', line: null, label: 'Socket.<anonymous>' }],
      }],
    },
  });
  await putTraces([...consumer.documents, ...senderDocs, ...retried.documents]);
  return {
    consumerTraceId: consumer.traceId, senderTraceId: sender.traceId, senderSendId: send.id, consumerServiceSegmentId: consumerService.id,
    retriedTraceId: retried.traceId, firstAttemptId: first.id, secondAttemptId: second.id,
  };
}

let extra: Extra;
/** Every trace with a fault somewhere: the workload's faulted requests and the retried invocation. */
const faulted = (): string[] => [...workload.faultedTraceIds, extra.retriedTraceId];
let workload: StoredWorkload;
let page: Page;
let problems: string[];
const session = consoleSession(async () => {
  workload = await startWithPatternWorkload(REQUESTS);
  extra = await storeExtra(Date.now() / 1000);
  return workload;
});

async function open(hash: string, viewport: { width: number; height: number }): Promise<Page> {
  ({ page, problems } = await session.open(hash, viewport));
  return page;
}

async function shot(name: string, viewport: { width: number }): Promise<void> {
  if (SHOTS !== undefined) await page.screenshot({ path: `${SHOTS}/${name}-${viewport.width}.png` });
}

/** Trace id to the text of the Status cell of its row, for every row of the list (scrolled through: only rows in view are rendered). */
async function statusCells(): Promise<Map<string, string>> {
  const cells = new Map<string, string>();
  await atEachListPlace(page, async () => {
    const rows = await page.locator('tr[data-trace-id]').evaluateAll((all) => all.map((row) => [
      row.getAttribute('data-trace-id') ?? '',
      `${row.querySelector('td.status .badge')?.textContent ?? ''}|${row.querySelector('td.status .root-response')?.textContent ?? ''}`,
    ]));
    for (const [id, text] of rows as Array<[string, string]>) cells.set(id, text);
  });
  return cells;
}

describe.each(VIEWPORTS)('faults behind a 200 at $width px', (viewport) => {
  it('the trace list shows a trace\'s worst status beside the root\'s response', async () => {
    await open('#/traces', viewport);
    await expect.poll(async () => (await listedTraceIds(page)).length).toBe(TRACES);
    const cells = await statusCells();
    expect(cells.size).toBe(TRACES);
    for (const id of workload.traceIds) {
      expect(cells.get(id), id).toBe(workload.faultedTraceIds.includes(id) ? 'fault|200' : 'ok|200');
    }
    expect(await scrollListTo(page, workload.faultedTraceIds[0]!)).toBe(true);
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
    expect(await sum('data-fault')).toBe(faulted().length);
    expect(await sum('data-ok')).toBe(TRACES - faulted().length);
    expect(await page.locator('[data-status-meaning]').textContent()).toBe("(the worst of each trace's segments)");
    await shot('analytics-faults', viewport);
  });

  it('the node panel\'s Faults list marks every trace faulted', async () => {
    await open('#/map', viewport);
    await page.locator('[data-node-key="AWS::Lambda::Function|http-flow"]').click();
    const details = page.getByRole('complementary', { name: 'Details' });
    await details.getByRole('button', { name: 'Faults' }).click();
    const dots = details.locator('.trace-links li .status-dot');
    await expect.poll(() => dots.count()).toBe(faulted().length);
    expect(await dots.evaluateAll((all) => all.map((dot) => dot.getAttribute('title')))).toEqual(faulted().map(() => 'fault'));
    await shot('map-faults-list', viewport);
  });

  it('the pattern\'s faults group holds exactly the faulted traces', async () => {
    const name = `faults-${viewport.width}`;
    const created = await fetch(`${workload.service.api.url}/CreateGroup`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ GroupName: name, FilterExpression: FAULTS_FILTER }),
    });
    expect(created.status).toBe(200);
    await open(`#/traces?group=${name}`, viewport);
    await expect.poll(async () => (await statusCells()).size).toBe(faulted().length);
    expect([...(await statusCells()).keys()].sort()).toEqual(faulted().sort());
  });
});

/** Whether the element is inside the viewport, wholly. */
async function inView(selector: string): Promise<boolean> {
  return page.locator(selector).evaluate((element) => {
    const box = element.getBoundingClientRect();
    return box.top >= 0 && box.bottom <= window.innerHeight && box.height > 0;
  });
}

describe.each(VIEWPORTS)('leading to the failure at $width px', (viewport) => {
  it('opens a faulted trace on its first faulted segment, in view, with a line saying where, what and which attempt', async () => {
    await open(`#/trace/${extra.retriedTraceId}`, viewport);
    const lead = page.locator('.failure-lead');
    await expect.poll(() => lead.textContent()).toContain('Fault in http-flow (AWS::Lambda::Function), attempt 1 of 2');
    expect(await lead.textContent()).toContain('Error: GET https://jsonplaceholder.typicode.com/todos/1 answered HTTP 502 · started at jsonplaceholder.typicode.com: Error: Bad Gateway');
    const row = `[data-row-id="${extra.firstAttemptId}"]`;
    await expect.poll(() => page.locator(row).getAttribute('class')).toContain('selected');
    await expect.poll(() => inView(row)).toBe(true);
    // The line stays in sight above the rows however far the timeline scrolled.
    expect(await inView('.failure-lead')).toBe(true);
    expect(await page.getByRole('complementary', { name: 'Segment details' }).locator('h2').textContent()).toBe('http-flow');
    await shot('trace-failure-lead', viewport);
  });

  it('shows stack frames as the runtime wrote them, and the whole working directory', async () => {
    await open(`#/trace/${extra.retriedTraceId}`, viewport);
    await page.locator(`[data-row-id="${extra.secondAttemptId}"]`).click();
    const details = page.getByRole('complementary', { name: 'Segment details' });
    await expect.poll(() => details.locator('.stack').first().textContent()).toBe('at handler (file:///var/task/index.mjs:12)\nat async Promise.all (index 0)');
    expect(await details.locator('.stack').nth(1).textContent()).toBe('at Socket.<anonymous> (file:…)');
    expect(await details.locator('[data-cut-frames]').count()).toBe(1);
    const directory = details.locator('.working-directory');
    expect(await directory.textContent()).toBe(`Working directory: ${WORKING_DIRECTORY}`);
    // Not clipped: the text wraps inside the panel instead of running past its edge.
    expect(await directory.evaluate((element) => element.scrollWidth <= element.clientWidth)).toBe(true);
    await shot('trace-stack', viewport);
  });

  it('says where a message consumed in another trace\'s SQS batch went, and links both ways', async () => {
    await open(`#/trace/${extra.senderTraceId}`, viewport);
    const note = page.locator(`[data-note-for="${extra.senderSendId}"]`);
    await expect.poll(() => note.textContent()).toBe(`Message consumed in the SQS batch of another trace: ${extra.consumerTraceId}`);
    // Said at the top too, where it is seen without scrolling.
    expect(await page.locator('[data-batch-summary]').textContent()).toBe(`This trace's SQS message was consumed in the batch of another trace: ${extra.consumerTraceId} (marked in the timeline).`);
    expect(await inView('[data-batch-summary]')).toBe(true);
    await shot('trace-consumed-elsewhere', viewport);
    await note.getByRole('link', { name: extra.consumerTraceId }).click();
    const back = page.locator(`[data-note-for="${extra.consumerServiceSegmentId}"]`);
    await expect.poll(() => back.textContent()).toBe(`This invocation's SQS batch also held messages of another trace: ${extra.senderTraceId}`);
    expect(await back.getByRole('link').getAttribute('href')).toBe(`#/trace/${extra.senderTraceId}`);
  });
});

const STAGE = '[data-node-key="AWS::ApiGateway::Stage|xyz/prod"]';
const LINK_EDGE = '[data-edge-key="AWS::SQS::Queue|hits-queue->AWS::Lambda|sqs-subscriber"]';

describe.each(VIEWPORTS)('layout and truth at $width px', (viewport) => {
  it('a node\'s or an edge\'s panel neither moves the map nor stretches the page', async () => {
    await open('#/map', viewport);
    await page.waitForSelector(STAGE);
    await expect.poll(() => page.locator(STAGE).boundingBox()).not.toBeNull();
    const before = await page.locator(STAGE).boundingBox();
    await page.locator('[data-node-key="AWS::Lambda::Function|http-flow"]').click();
    const details = page.getByRole('complementary', { name: 'Details' });
    await expect.poll(() => details.locator('tr', { hasText: 'Requests' }).count()).toBeGreaterThan(0);
    expect(await page.locator(STAGE).boundingBox()).toEqual(before);
    expect(await page.evaluate(() => document.documentElement.scrollHeight)).toBeLessThanOrEqual(viewport.height);
    await shot('map-panel', viewport);
  });

  it('the SQS to Lambda link shows no response time, and its panel agrees with its request count', async () => {
    await open('#/map', viewport);
    const edge = page.locator(LINK_EDGE);
    await expect.poll(() => edge.locator('.edge-label').textContent()).toMatch(/^– · /);
    await edge.locator('.edge-hit').click({ force: true });
    const details = page.getByRole('complementary', { name: 'Details' });
    await expect.poll(() => details.locator('tr', { hasText: 'Requests' }).first().locator('td').textContent()).toMatch(/^\d+$/);
    expect(Number(await details.locator('tr', { hasText: 'Requests' }).first().locator('td').textContent())).toBeGreaterThan(0);
    expect(await details.locator('tr', { hasText: 'Average response time' }).locator('td').textContent()).toBe('–');
    expect(await details.locator('h3', { hasText: 'Received event age' }).count()).toBe(1);
    expect(await details.textContent()).not.toContain('No requests in this range');
    expect(await details.getByRole('img', { name: 'Average response time per period' }).count()).toBe(0);
  });

  it('the timeline\'s name column resizes, and its axis labels never overlap', async () => {
    await open(`#/trace/${extra.retriedTraceId}`, viewport);
    const resizer = page.getByRole('separator', { name: 'Resize the name column' });
    await expect.poll(() => resizer.getAttribute('aria-valuenow')).toBe('300');
    const name = page.locator('.wf-head .wf-name');
    const width = (await name.boundingBox())?.width ?? 0;
    await resizer.focus();
    for (let i = 0; i < 3; i++) await resizer.press('ArrowRight');
    await expect.poll(async () => (await name.boundingBox())?.width).toBeCloseTo(width + 60, 0);
    const boxes = await page.locator('.wf-axis .tick').evaluateAll((ticks) => ticks.map((tick) => tick.getBoundingClientRect()).map((box) => [box.left, box.right]));
    expect(boxes.length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < boxes.length; i++) expect(boxes[i]![0]!, `tick ${i}`).toBeGreaterThanOrEqual(boxes[i - 1]![1]!);
    await shot('trace-timeline', viewport);
  });

  it('the Root cause cell\'s tooltip names the function\'s exception that the cell cuts off', async () => {
    await open('#/traces', viewport);
    await expect.poll(() => scrollListTo(page, workload.faultedTraceIds[0]!)).toBe(true);
    const cell = page.locator(`tr[data-trace-id="${workload.faultedTraceIds[0]}"] td.root-cause`);
    await expect.poll(() => cell.getAttribute('title')).toContain('http-flow (AWS::Lambda::Function): Error: GET https://jsonplaceholder.typicode.com/todos/1 answered HTTP 502');
    expect(await cell.getAttribute('title')).toContain('jsonplaceholder.typicode.com (remote): Error: Bad Gateway');
  });

  it('Analytics counts a failed Lambda run under its function once, not under both of its nodes', async () => {
    await open('#/analytics', viewport);
    const rows = page.locator('[data-breakdown="fault-root-cause"] tr[data-value="http-flow"]');
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.textContent()).toContain('AWS::Lambda::Function');
  });

  it('says "no matches", "bad filter" and "service unreachable" each as what it is', async () => {
    await open(`#/traces?filter=${encodeURIComponent('annotation.nothing = "here"')}`, viewport);
    const empty = page.locator('[data-empty="histogram"]');
    await expect.poll(() => empty.textContent()).toBe('No matches: no trace in this time range matches the filter.');
    await page.getByLabel('Filter expression').fill('service("http-flow") { fault AND }');
    await page.getByLabel('Filter expression').press('Enter');
    await expect.poll(() => empty.textContent()).toBe('Bad filter: nothing is listed until the filter expression parses (the error is under it).');
    await page.route('**/TraceSummaries', (route) => route.abort());
    await page.getByLabel('Filter expression').fill('');
    await page.getByLabel('Filter expression').press('Enter');
    await expect.poll(() => empty.textContent()).toBe('Service unreachable: the X-Ray service does not answer; is it still running?');
    // The aborted requests are meant to fail, and the browser logs each.
    problems.splice(0, problems.length, ...problems.filter((problem) => !/ERR_FAILED|Failed to load resource/.test(problem)));
  });

  it('an empty map names the daemon\'s real address', async () => {
    await open('#/map?range=custom&from=1000000000&to=1000000600', viewport);
    await expect.poll(() => page.locator('[data-daemon-address]').textContent()).toBe(`UDP ${workload.service.daemon.address}`);
    expect(workload.service.daemon.address).not.toMatch(/:2000$/);
  });

  it('the trace-id box says when it cannot read an id', async () => {
    await open('#/map', viewport);
    await page.getByLabel('Go to trace id').fill('not-a-trace');
    await page.getByLabel('Go to trace id').press('Enter');
    await expect.poll(() => page.locator('.trace-jump [role="alert"]').textContent()).toContain('Not a trace id');
    expect(page.url()).toContain('#/map');
  });

  it('the Groups page says when the service is down', async () => {
    ({ page, problems } = await session.newPage(viewport));
    await page.route('**/Groups', (route) => route.abort());
    await page.goto(`${workload.service.api.url}/#/groups`);
    await expect.poll(() => page.locator('.groups-page [role="alert"]').first().textContent()).toContain('Service unreachable');
    problems.splice(0, problems.length, ...problems.filter((problem) => !/ERR_FAILED|Failed to load resource/.test(problem)));
    await shot('groups-down', viewport);
  });
});

/** Text cut off with an ellipsis and no tooltip on it or around it: what a reader could never see. */
function untitledTruncations(): Promise<string[]> {
  return page.evaluate(() => Array.from(document.querySelectorAll('body *'))
    .filter((element) => getComputedStyle(element).textOverflow === 'ellipsis' && element.scrollWidth > element.clientWidth + 1)
    .filter((element) => element.closest('[title]') === null)
    .map((element) => element.outerHTML.slice(0, 160)));
}

describe.each(VIEWPORTS)('no text cut off without a tooltip at $width px', (viewport) => {
  it('in the trace list, the compared breakdowns and a trace\'s timeline', async () => {
    await open('#/traces', viewport);
    await expect.poll(async () => (await listedTraceIds(page)).length).toBe(TRACES);
    const inList: string[] = [];
    let places = 0;
    await atEachListPlace(page, async () => {
      places += 1;
      inList.push(...await untitledTruncations());
    });
    // More rows than one box shows: the check reached the rows below the first screen.
    expect(places).toBeGreaterThan(1);
    expect(inList).toEqual([]);
    await page.goto(`${workload.service.api.url}/#/analytics?filter=${encodeURIComponent('service("http-flow") { fault }')}&compare=1&filterB=${encodeURIComponent('service("http-flow") { ok }')}`);
    await expect.poll(() => page.locator('[data-breakdown="fault-root-cause"] tr[data-count-a]').count()).toBeGreaterThan(0);
    expect(await untitledTruncations()).toEqual([]);
    await page.goto(`${workload.service.api.url}/#/trace/${extra.retriedTraceId}`);
    await expect.poll(() => page.locator('[data-row-id]').count()).toBeGreaterThan(10);
    expect(await untitledTruncations()).toEqual([]);
  });
});
