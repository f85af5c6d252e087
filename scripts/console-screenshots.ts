/**
 * Screenshots of the console for the README: the service map with a node's details, the trace list,
 * a timeline of a trace whose HTTP flow faulted and the analytics page comparing faulted traces with
 * the others. Run against a console holding the pattern's
 * traffic (`npm start`, then `npx xray-tracer load -n 60`):
 *
 *   npx tsx scripts/console-screenshots.ts [console URL] [output folder]
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

const consoleUrl = (process.argv[2] ?? 'http://127.0.0.1:2001/').replace(/\/?$/, '/');
const outDir = path.resolve(process.argv[3] ?? 'docs/images');
mkdirSync(outDir, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1600, height: 940 }, deviceScaleFactor: 1 });

  await page.goto(`${consoleUrl}#/map`);
  await page.waitForSelector('[data-node-key]');
  const httpFunction = page.locator('[data-node-type="AWS::Lambda::Function"]').filter({ hasText: /Http/i }).first();
  await httpFunction.click();
  await page.locator('.trace-links li').first().waitFor();
  await page.getByRole('button', { name: 'Fit the map' }).click();
  await page.screenshot({ path: path.join(outDir, 'console-map.png') });

  await page.goto(`${consoleUrl}#/traces`);
  await page.locator('tr[data-trace-id]').first().waitFor();
  await page.screenshot({ path: path.join(outDir, 'console-traces.png') });

  // A trace whose fault started in the HTTP flow's call.
  const faulted = page.locator('tr[data-trace-id]').filter({ has: page.locator('td.root-cause .status-dot.fault') }).first();
  const traceId = await faulted.getAttribute('data-trace-id');
  await page.goto(`${consoleUrl}#/trace/${traceId ?? ''}`);
  await page.waitForSelector('[data-row-id]');
  // The function segment, which carries the exception.
  await page.locator('[data-row-id][data-status="fault"]').filter({ hasText: 'AWS::Lambda::Function' }).first().click();
  await page.evaluate('window.scrollTo(0, 0)');
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(outDir, 'console-timeline.png') });

  // Analytics: the traces where a function faulted next to those where none did.
  const functionFaulted = 'service(id(type: "AWS::Lambda::Function")) { fault }';
  const query = new URLSearchParams({ range: '1h', filter: functionFaulted, compare: '1', filterB: `!${functionFaulted}` });
  await page.goto(`${consoleUrl}#/analytics?${query.toString()}`);
  await page.locator('.histogram rect.bar[data-set="b"]').first().waitFor({ state: 'attached' });
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(outDir, 'console-analytics.png') });
  console.log(`wrote console-map.png, console-traces.png, console-timeline.png and console-analytics.png to ${outDir}`);
} finally {
  await browser.close();
}
