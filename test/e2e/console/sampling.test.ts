// The console's sampling rules page against a real service: rules in match order with the counts
// the SDKs reported, create (a refusal shown as the service says it), edit, delete.
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { silentLogger } from '../../../src/xray/log/logger.ts';
import { startXrayService, type XrayService } from '../../../src/xray/service.ts';
import { MemoryTraceStore } from '../../../src/xray/store/index.ts';
import { consoleSession, openPage, screenshot } from './browser.ts';

let service: XrayService;
const session = consoleSession(async () => {
  service = await startXrayService({ store: new MemoryTraceStore(), apiPort: 0, daemonPort: 0, logger: silentLogger });
  return { service };
});

async function post(pathname: string, body: unknown): Promise<Response> {
  return fetch(`${service.api.url}${pathname}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

/** The rule names in the table's order. */
async function ruleNames(page: Page): Promise<string[]> {
  return page.locator('tr[data-rule]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-rule') ?? ''));
}

it('lists, creates, edits and deletes sampling rules, with the counts the SDKs reported', async () => {
  const { page, problems } = await openPage(session.browser);
  await page.goto(`${service.api.url}/#/sampling`);
  await expect.poll(() => ruleNames(page)).toEqual(['Default']);

  const form = page.locator('form.rule-form').last();
  await form.getByLabel('Rule name').fill('no-health');
  await form.getByLabel('Rule priority').fill('0');
  await form.getByLabel('Rule reservoir (per second)').fill('0');
  await form.getByLabel('Rule rate (%)').fill('0');
  await form.getByLabel('Rule url path').fill('/prod/health*');
  await form.getByRole('button', { name: 'Create rule' }).click();
  // The service's own refusal, naming the field.
  await expect.poll(() => form.getByRole('alert').textContent()).toMatch(/Priority/);
  await form.getByLabel('Rule priority').fill('10');
  await form.getByRole('button', { name: 'Create rule' }).click();
  await expect.poll(() => ruleNames(page)).toEqual(['no-health', 'Default']);
  expect(await page.locator('tr[data-rule="no-health"]').textContent()).toContain('path /prod/health*');

  // What an SDK (or the gateway) reports shows up as the rule's counts; a request traced on a
  // borrowed reservoir slot is in BorrowCount only, and traced all the same.
  const report = await post('/SamplingTargets', {
    SamplingStatisticsDocuments: [
      { RuleName: 'no-health', ClientID: 'a'.repeat(24), Timestamp: Date.now() / 1000, RequestCount: 7, SampledCount: 0, BorrowCount: 0 },
      { RuleName: 'Default', ClientID: 'a'.repeat(24), Timestamp: Date.now() / 1000, RequestCount: 9, SampledCount: 2, BorrowCount: 1 },
    ],
  });
  expect(report.status).toBe(200);
  await page.getByRole('button', { name: 'Refresh' }).click();
  await expect.poll(() => page.locator('tr[data-rule="no-health"] [data-stat="requests"]').textContent()).toBe('7');
  expect(await page.locator('tr[data-rule="no-health"] [data-stat="traced"]').textContent()).toBe('0');
  expect(await page.locator('tr[data-rule="Default"] [data-stat="requests"]').textContent()).toBe('9');
  expect(await page.locator('tr[data-rule="Default"] [data-stat="traced"]').textContent()).toBe('3');
  await screenshot(page, 'sampling');

  await page.locator('tr[data-rule="no-health"]').getByRole('button', { name: 'Edit' }).click();
  const editForm = page.locator('tr[data-rule="no-health"] form');
  await editForm.getByLabel('Rule rate (%)').fill('25');
  await editForm.getByRole('button', { name: 'Save' }).click();
  await expect.poll(() => page.locator('tr[data-rule="no-health"]').textContent()).toContain('25%');
  const rules = await (await post('/GetSamplingRules', {})).json() as { SamplingRuleRecords: Array<{ SamplingRule: { RuleName: string; FixedRate: number; URLPath: string } }> };
  expect(rules.SamplingRuleRecords.find((record) => record.SamplingRule.RuleName === 'no-health')?.SamplingRule).toMatchObject({ FixedRate: 0.25, URLPath: '/prod/health*' });

  // The Default rule: its rates only, and no delete.
  expect(await page.locator('tr[data-rule="Default"]').getByRole('button', { name: 'Delete' }).count()).toBe(0);
  await page.locator('tr[data-rule="Default"]').getByRole('button', { name: 'Edit' }).click();
  expect(await page.locator('tr[data-rule="Default"] form').getByLabel('Rule url path').isDisabled()).toBe(true);
  await page.locator('tr[data-rule="Default"] form').getByLabel('Rule rate (%)').fill('50');
  await page.locator('tr[data-rule="Default"] form').getByRole('button', { name: 'Save' }).click();
  await expect.poll(() => page.locator('tr[data-rule="Default"]').textContent()).toContain('50%');

  await page.evaluate('window.confirm = () => true');
  await page.locator('tr[data-rule="no-health"]').getByRole('button', { name: 'Delete' }).click();
  await expect.poll(() => ruleNames(page)).toEqual(['Default']);
  expect(problems).toEqual([]);
  await page.close();
});
