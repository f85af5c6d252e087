/// <reference lib="dom" />
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { consoleSession } from './browser.ts';
import { startWithPatternWorkload } from './workload.ts';
import type { StoredWorkload } from './workload.ts';

const REQUESTS = 30;
// The workload's hostile trace goes through the HTTP flow too.
const HTTP_FLOW_REQUESTS = REQUESTS + 1;

let workload: StoredWorkload;
let page: Page;
const session = consoleSession(async () => (workload = await startWithPatternWorkload(REQUESTS, Date.now() / 1000)), { checkXss: true });

describe('services page', () => {
  it('lists the HTTP flow with its requests and faults, and an objective created in the form shows its attainment and burn', async () => {
    ({ page } = await session.open('#/services', { width: 1440, height: 1500 }));
    const services = page.getByRole('table', { name: 'Services' });
    const http = services.locator('tr', { has: page.locator('td', { hasText: /^AWS::Lambda::Function$/ }) }).filter({ has: page.locator('td', { hasText: /^http-flow$/ }) });
    await expect.poll(() => http.count()).toBe(1);
    const cells = await http.locator('td').allTextContents();
    // Service, type, requests, faults, errors, p50, p90, p99.
    const faulted = workload.faultedTraceIds.length;
    expect(cells.slice(0, 5)).toEqual(['http-flow', 'AWS::Lambda::Function', String(HTTP_FLOW_REQUESTS), String(faulted), '0']);
    await expect.poll(() => page.getByRole('table', { name: 'Operations' }).locator('tbody tr').count()).toBeGreaterThan(0);

    const form = page.getByRole('form', { name: 'New service level objective' });
    await form.getByLabel('Name').fill('http-availability');
    await form.getByLabel('Service').selectOption({ label: 'http-flow (AWS::Lambda::Function)' });
    await form.getByLabel('Goal (%)').fill('90');
    await form.getByRole('button', { name: 'Create' }).click();
    const slo = page.locator('tr[data-slo="http-availability"]');
    await expect.poll(() => slo.count()).toBe(1);
    const good = HTTP_FLOW_REQUESTS - faulted;
    const sloCells = await slo.locator('td').allTextContents();
    expect(sloCells[4]).toBe(`${((good / HTTP_FLOW_REQUESTS) * 100).toFixed(2)}% (${good}/${HTTP_FLOW_REQUESTS}) breached`);
    // The budget is 10% of the requests: the faults burn faulted / (0.1 * requests) of it.
    expect(sloCells[5]).toBe(`${((faulted / (0.1 * HTTP_FLOW_REQUESTS)) * 100).toFixed(1)}%`);

    // Kept by the service: a new page load lists it again.
    await page.reload();
    await expect.poll(() => page.locator('tr[data-slo="http-availability"]').count()).toBe(1);
  });
});
