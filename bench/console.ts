/// <reference lib="dom" />
/**
 * The web console over a large store, in Chromium: the trace list, its sorting, a capped Load all,
 * and Analytics at 20,000 summaries, with the browser's long tasks (PerformanceObserver 'longtask':
 * any task over 50 ms on the page's thread) as the measure of freezing.
 *
 *   npm run bench:console            (BENCH_CONSOLE_TRACES=110000 by default)
 *
 * Traces are API stage segments with an SNS publish, a call to one of 20 remote services (one in
 * three faults, as the pattern's HTTP flow does) and for half a DynamoDB update, annotations `path`
 * and `customer`, over one hour; written straight into a SqliteTraceStore in batches of 1,000 (as the
 * writer thread would), then served by the X-Ray service on that file. Set BENCH_CONSOLE_DIR to keep
 * the store between runs. Run `npm run build:console` first: the service serves dist/console.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { chromium } from 'playwright-core';
import type { Page } from 'playwright-core';
import { validateDocument } from '../src/xray/segments/validate.ts';
import { SqliteTraceStore, type SegmentRecord } from '../src/xray/store/index.ts';
import { DATA_FILE_NAME, startXrayService } from '../src/xray/service.ts';
import { silentLogger } from '../src/xray/log/logger.ts';
import { seededRandom as random } from '../src/cloud/tracing/ids.ts';

/** Past the list's 100,000 cap, so that Load all stops at it. */
const TRACES = Number(process.env.BENCH_CONSOLE_TRACES ?? 110_000);
const HOUR = 3600;
const BATCH = 1000;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const hex = (value: number, width: number): string => value.toString(16).padStart(width, '0');

function traceDocument(h0: number, n: number, next: () => number): string {
  const start = h0 + (n * HOUR) / TRACES;
  const traceId = `1-${hex(Math.floor(start), 8)}-${hex(n, 24)}`;
  const id = (k: number): string => hex(n * 8 + k, 16);
  const responseTime = next() < 0.05 ? 1 + next() * 2 : 0.01 + next() * 0.5;
  const service = `svc-${Math.floor(next() * 20)}`;
  const fault = n % 3 === 0;
  const callStart = start + responseTime * 0.2;
  const subsegments: unknown[] = [
    { id: id(1), name: 'SNS', start_time: start + 0.001, end_time: start + 0.005, namespace: 'aws', http: { response: { status: 200 } }, aws: { operation: 'Publish' } },
    {
      id: id(2), name: service, start_time: callStart, end_time: callStart + responseTime * 0.6, namespace: 'remote',
      http: { request: { method: 'GET', url: `https://${service}.example.com/items` }, response: { status: fault ? 502 : 200 } },
      ...(fault ? { fault: true, cause: { exceptions: [{ id: id(5), type: 'Error', message: 'Request failed with status code 502' }] } } : {}),
    },
  ];
  if (next() < 0.5) {
    subsegments.push({ id: id(3), name: 'DynamoDB', start_time: start + 0.006, end_time: start + 0.009, namespace: 'aws', http: { response: { status: 200 } }, aws: { operation: 'UpdateItem', table_name: 'Hits' } });
  }
  return JSON.stringify({
    name: 'api/prod', id: id(0), trace_id: traceId, start_time: start, end_time: start + responseTime, origin: 'AWS::ApiGateway::Stage',
    http: { request: { method: 'GET', url: `https://abc.execute-api.us-east-1.amazonaws.com/prod/p${n % 8}`, client_ip: '192.0.2.10' }, response: { status: fault ? 502 : 200 } },
    ...(fault ? { fault: true } : {}),
    annotations: { path: `/prod/p${n % 8}`, customer: `c-${String(Math.floor(next() * 1000)).padStart(4, '0')}` },
    subsegments,
  });
}

function record(text: string): SegmentRecord {
  const result = validateDocument(text);
  if (!result.ok) throw new Error(`bench document rejected: ${result.message}`);
  return result.record;
}

function fill(file: string, h0: number): void {
  const store = new SqliteTraceStore({ file });
  const next = random(7);
  const started = performance.now();
  let batch: SegmentRecord[] = [];
  for (let n = 0; n < TRACES; n++) {
    batch.push(record(traceDocument(h0, n, next)));
    if (batch.length >= BATCH) {
      store.write(batch);
      batch = [];
    }
  }
  if (batch.length > 0) store.write(batch);
  store.close();
  console.log(`wrote ${TRACES.toLocaleString('en-US')} traces in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

/** Long tasks since the page loaded, from the observer the init script installs. */
interface Tasks { count: number; longestMs: number; totalMs: number }

async function installObserver(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const state = { tasks: [] as number[] };
    (window as unknown as { __bench: typeof state }).__bench = state;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) state.tasks.push(entry.duration);
    }).observe({ type: 'longtask', buffered: true });
  });
}

async function takeTasks(page: Page): Promise<Tasks> {
  return page.evaluate(() => {
    const state = (window as unknown as { __bench: { tasks: number[] } }).__bench;
    const tasks = state.tasks.splice(0);
    return { count: tasks.length, longestMs: Math.max(0, ...tasks), totalMs: tasks.reduce((a, b) => a + b, 0) };
  });
}

const heapMb = (page: Page): Promise<number> =>
  page.evaluate(() => ((performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0) / 1e6);

const tasksText = (tasks: Tasks): string => `${tasks.count} long tasks, longest ${tasks.longestMs.toFixed(0)} ms`;

async function main(): Promise<void> {
  const keep = process.env.BENCH_CONSOLE_DIR;
  const dir = keep ?? mkdtempSync(path.join(tmpdir(), 'xray-console-bench-'));
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, DATA_FILE_NAME);
  const metaFile = path.join(dir, 'bench-console.json');
  console.log(`console bench: ${TRACES.toLocaleString('en-US')} traces over one hour; ${os.cpus().length} cores, load average ${os.loadavg()[0]?.toFixed(1)}`);
  let h0: number;
  if (existsSync(file) && existsSync(metaFile)) {
    h0 = (JSON.parse(readFileSync(metaFile, 'utf8')) as { h0: number }).h0;
    console.log(`reusing ${file}`);
  } else {
    // Two hours ago, so that every trace is inside the retention and the range is fixed.
    h0 = Math.floor(Date.now() / 1000) - 2 * HOUR;
    fill(file, h0);
    writeFileSync(metaFile, JSON.stringify({ h0 }));
  }
  const service = await startXrayService({ dataDir: dir, apiPort: 0, daemonPort: 0, logger: silentLogger });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--enable-precise-memory-info'],
  });
  const range = `range=custom&from=${h0}&to=${h0 + HOUR}`;
  try {
    // The service's paging alone: every page of the hour, as Load all reads them.
    const pageStarted = performance.now();
    let pages = 0;
    let summaries = 0;
    let token: string | undefined;
    do {
      const response = await fetch(`${service.api.url}/TraceSummaries`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ StartTime: h0, EndTime: h0 + HOUR, TimeRangeType: 'Event', NextToken: token }),
      });
      const page = (await response.json()) as { TraceSummaries: unknown[]; NextToken?: string };
      summaries += page.TraceSummaries.length;
      token = page.NextToken;
      pages += 1;
    } while (token !== undefined);
    const pagingMs = performance.now() - pageStarted;
    console.log(`GetTraceSummaries, every page over HTTP: ${summaries.toLocaleString('en-US')} summaries in ${pages} pages, ${(pagingMs / 1000).toFixed(1)} s (${(pagingMs / pages).toFixed(1)} ms a page)`);

    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await installObserver(page);
    let t0 = performance.now();
    await page.goto(`${service.api.url}/#/traces?${range}`);
    await page.waitForSelector('tr[data-trace-id]');
    console.log(`trace list first paint: ${(performance.now() - t0).toFixed(0)} ms (${tasksText(await takeTasks(page))})`);
    await page.waitForFunction(() => / of /.test(document.querySelector('.count-line .count')?.textContent ?? ''), undefined, { timeout: 60_000, polling: 100 });
    console.log(`count line after ${(performance.now() - t0).toFixed(0)} ms: "${await page.locator('.count-line .count').textContent()}"`);

    t0 = performance.now();
    await page.getByRole('button', { name: 'Load all' }).click();
    await page.waitForFunction(() => !/loading more|^Loading/.test(document.querySelector('.count-line .count')?.textContent ?? 'loading more'), undefined, { timeout: 600_000, polling: 500 });
    const loadMs = performance.now() - t0;
    const loadTasks = await takeTasks(page);
    const count = await page.locator('.count-line .count').textContent();
    console.log(`Load all: ${(loadMs / 1000).toFixed(1)} s, heap ${(await heapMb(page)).toFixed(0)} MB, ${tasksText(loadTasks)}; "${count}"`);
    const rendered = await page.locator('tr[data-trace-id]').count();

    // Scrolling: frame times over 60 frames, the box scrolled by 2,000 px a frame.
    const frames = await page.evaluate(async () => {
      const box = document.querySelector('.summaries-scroll') as HTMLElement;
      const times: number[] = [];
      let last = performance.now();
      for (let i = 0; i < 60; i++) {
        box.scrollTop += 2000;
        await new Promise((resolve) => requestAnimationFrame(resolve));
        const now = performance.now();
        times.push(now - last);
        last = now;
      }
      times.sort((a, b) => a - b);
      return { p50: times[30] ?? 0, worst: times[times.length - 1] ?? 0 };
    });
    console.log(`scrolling: ${rendered} rows in the DOM; frame p50 ${frames.p50.toFixed(1)} ms, worst ${frames.worst.toFixed(1)} ms (${tasksText(await takeTasks(page))})`);

    for (const column of ['Response time', 'Annotations']) {
      t0 = performance.now();
      await page.getByRole('button', { name: column, exact: false }).first().click();
      await page.waitForFunction(() => document.querySelector('.summaries-scroll')?.getAttribute('aria-busy') === 'false', undefined, { timeout: 120_000, polling: 'raf' });
      console.log(`sort by ${column}: ${(performance.now() - t0).toFixed(0)} ms (${tasksText(await takeTasks(page))})`);
    }
    await page.close();

    const analytics = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await installObserver(analytics);
    t0 = performance.now();
    await analytics.goto(`${service.api.url}/#/analytics?${range}&limit=20000`);
    await analytics.waitForFunction(() => /^The 20,000 newest|^All /.test(document.querySelector('.sample-line .count')?.textContent ?? ''), undefined, { timeout: 600_000, polling: 500 });
    await analytics.waitForSelector('.breakdowns table');
    const analyticsMs = performance.now() - t0;
    console.log(`Analytics at 20,000: ${(analyticsMs / 1000).toFixed(1)} s, heap ${(await heapMb(analytics)).toFixed(0)} MB, ${tasksText(await takeTasks(analytics))}`);
  } finally {
    await browser.close();
    await service.stop();
    if (keep === undefined) rmSync(dir, { recursive: true, force: true });
  }
}

await main();
