/**
 * The console's CloudWatch Logs in Chromium: a trace's lines under its timeline (a trace id in a
 * line opens that trace) and the Logs page's filter pattern and Insights query, served by the
 * X-Ray service from a log store handed in as the CLI's `up` hands it.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { consoleLogSource } from '../../../src/cli/console-logs.ts';
import { CloudWatchLogs } from '../../../src/cloud/logs/cloudwatch-logs.ts';
import { silentLogger } from '../../../src/xray/log/logger.ts';
import { startXrayService, type XrayService } from '../../../src/xray/service.ts';
import { MemoryTraceStore } from '../../../src/xray/store/index.ts';
import { consoleSession, openPage, screenshot } from './browser.ts';
import { HOSTILE } from './workload.ts';

const TRACE = '1-6750a000-0123456789abcdef01234567';
const OTHER = '1-6750a000-ffffffffffffffffffffffff';
const GROUP = '/aws/lambda/http-fn';

let service: XrayService;
let logs: CloudWatchLogs;
const session = consoleSession(async () => {
  logs = new CloudWatchLogs({ file: ':memory:' });
  const nowMs = Date.now();
  logs.store.append(GROUP, '2026/12/04/[$LATEST]aaaa', [
    { timestampMs: nowMs - 4000, message: 'START RequestId: r1 Version: $LATEST\n', traceId: TRACE },
    { timestampMs: nowMs - 3000, message: `${JSON.stringify({ level: 'ERROR', message: `SSL Cert Exception ${HOSTILE}`, xray_trace_id: TRACE, see: OTHER })}\n`, traceId: TRACE },
    { timestampMs: nowMs - 2000, message: 'END RequestId: r1\n', traceId: TRACE },
    { timestampMs: nowMs - 1000, message: `{"level":"INFO","message":"called","xray_trace_id":"${OTHER}"}\n`, traceId: OTHER },
  ], { createStream: true });
  service = await startXrayService({
    store: new MemoryTraceStore(), apiPort: 0, daemonPort: 0, logger: silentLogger,
    consoleLogs: consoleLogSource(() => logs, () => '123456789012'),
  });
  return { service };
});

afterAll(() => {
  logs?.stop();
});

describe('CloudWatch Logs in the console', () => {
  it('shows a trace\'s lines under its timeline, as text, and opens the trace a line names', async () => {
    const { page, problems } = await openPage(session.browser);
    await page.goto(`${service.api.url}/#/trace/${TRACE}`);
    const rows = page.locator('table.log-lines tbody tr');
    await expect.poll(() => rows.count()).toBe(3);
    expect(await rows.nth(1).textContent()).toContain('SSL Cert Exception <img src=x onerror=');
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    await screenshot(page, 'trace-logs');
    await rows.nth(1).getByRole('link', { name: OTHER }).click();
    await expect.poll(() => page.evaluate(() => window.location.hash)).toBe(`#/trace/${OTHER}`);
    await expect.poll(() => page.locator('table.log-lines tbody tr').count()).toBe(2);
    expect(problems).toEqual([]);
  });

  it('runs a filter pattern and an Insights query on a group from the Logs page', async () => {
    const { page, problems } = await openPage(session.browser);
    await page.goto(`${service.api.url}/#/logs?range=1h&group=${encodeURIComponent(GROUP)}&filter=${encodeURIComponent('{ $.level = "ERROR" }')}`);
    await expect.poll(() => page.locator('table.log-lines tbody tr').count()).toBe(1);
    await page.getByRole('radio', { name: 'Logs Insights query' }).check();
    await page.getByRole('textbox', { name: 'Logs Insights query' }).fill('filter ispresent(level) | stats count(*) as lines by level | sort level asc');
    await page.getByRole('button', { name: 'Run' }).click();
    await expect.poll(() => page.locator('table.log-rows tbody tr').allInnerTexts()).toEqual(['ERROR\t1', 'INFO\t1']);
    await screenshot(page, 'logs-page');
    await page.getByRole('textbox', { name: 'Logs Insights query' }).fill('stats nonsense');
    await page.getByRole('button', { name: 'Run' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('stats needs an aggregate function');
    expect(problems).toEqual([]);
  });
});
