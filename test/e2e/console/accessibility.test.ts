/// <reference lib="dom" />
// Callbacks passed to evaluate run in the browser.
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { consoleSession, screenshot } from './browser.ts';
import { startWithPatternWorkload } from './workload.ts';
import type { StoredWorkload } from './workload.ts';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const REQUESTS = 12;
const HTTP_FLOW = 'AWS::Lambda::Function|http-flow';

let workload: StoredWorkload;
let page: Page;
const session = consoleSession(async () => (workload = await startWithPatternWorkload(REQUESTS)));

async function open(hash: string, width = 1280, height = 720): Promise<Page> {
  // The console's policy allows no script but its own: axe-core is added past it.
  ({ page } = await session.open(hash, { width, height, bypassCSP: true }));
  return page;
}

interface Violation { readonly id: string; readonly impact: string | null; readonly help: string; readonly targets: string[] }

/** axe-core's WCAG 2 A and AA rules over the page as it stands; the serious and critical violations. */
async function seriousViolations(): Promise<Violation[]> {
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: unknown): Promise<{ violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[] }> }> }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] });
    return result.violations.map((violation) => ({ id: violation.id, impact: violation.impact, help: violation.help, targets: violation.nodes.map((node) => String(node.target[0])).slice(0, 5) }));
  });
  return violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
}

/** What has the keyboard focus: its node or edge key, else its tag and text. */
function focused(): Promise<string> {
  return page.evaluate(() => {
    const element = document.activeElement;
    return element?.getAttribute('data-node-key') ?? (element?.hasAttribute('data-edge-key') === true ? `edge:${element.getAttribute('data-edge-key')}` : `${element?.tagName}:${element?.textContent?.slice(0, 30)}`);
  });
}

describe('an accessibility check of every page (axe-core, WCAG 2.1 A and AA)', () => {
  const pages: ReadonlyArray<readonly [string, () => string, string]> = [
    ['map', () => '#/map', '[data-node-key]'],
    ['traces', () => '#/traces', 'tr[data-trace-id]'],
    ['trace', () => `#/trace/${workload.faultedTraceIds[0]}`, '.wf-row'],
    ['analytics', () => '#/analytics', '.breakdowns table'],
    ['groups', () => '#/groups', '.group-form'],
    ['sampling', () => '#/sampling', '.rule-form'],
  ];
  for (const [name, hash, ready] of pages) {
    it(`finds no serious or critical violation on the ${name} page`, async () => {
      await open(hash());
      await page.waitForSelector(ready);
      expect(await seriousViolations()).toEqual([]);
    });
  }

  it('finds none with a node\'s details open on the map', async () => {
    await open('#/map');
    await page.locator(`[data-node-key="${HTTP_FLOW}"]`).click();
    await page.getByRole('complementary', { name: 'Details' }).waitFor();
    expect(await seriousViolations()).toEqual([]);
  });
});

describe('status badges', () => {
  it('have text at WCAG AA contrast (4.5:1) on every status, amber still amber', async () => {
    await open('#/traces');
    await page.waitForSelector('tr[data-trace-id]');
    const colours = await page.evaluate(() => Object.fromEntries(['ok', 'error', 'throttle', 'fault'].map((status) => {
      const badge = document.createElement('span');
      badge.className = `badge ${status}`;
      badge.textContent = status;
      document.body.append(badge);
      const style = getComputedStyle(badge);
      const colour = [style.color, style.backgroundColor];
      badge.remove();
      return [status, colour];
    })));
    const channels = (css: string): number[] => (css.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map(Number);
    const luminance = (css: string): number => {
      const [r = 0, g = 0, b = 0] = channels(css).map((value) => {
        const c = value / 255;
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const contrast = (a: string, b: string): number => {
      const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
      return (light + 0.05) / (dark + 0.05);
    };
    for (const [status, [text = '', ground = '']] of Object.entries(colours)) {
      expect(contrast(text, ground), `${status}: ${text} on ${ground}`).toBeGreaterThanOrEqual(4.5);
    }
    // The palette keeps its meaning: the error badge is the amber of error rings and bars.
    expect(colours.error?.[1]).toBe('rgb(227, 155, 25)');
  });
});

describe('the keyboard', () => {
  it('reaches every node of the map before any edge, the HTTP function among the first stops', async () => {
    await open('#/map');
    await page.waitForSelector('[data-edge-key]');
    const nodes = await page.locator('[data-node-key]').count();
    await page.locator('.map-page h1').click();
    const stops: string[] = [];
    for (let i = 0; i < 60 && !stops.some((stop) => stop.startsWith('edge:')); i++) {
      await page.keyboard.press('Tab');
      stops.push(await focused());
    }
    const firstNode = stops.findIndex((stop) => stop.includes('|') && !stop.startsWith('edge:'));
    const firstEdge = stops.findIndex((stop) => stop.startsWith('edge:'));
    // Every node, then the first edge.
    expect(firstEdge - firstNode).toBe(nodes);
    expect(stops.indexOf(HTTP_FLOW)).toBeGreaterThan(-1);
    expect(stops.indexOf(HTTP_FLOW)).toBeLessThan(firstNode + nodes);
  });

  it('moves between map nodes with the arrow keys, to the nearest node that way', async () => {
    await open('#/map');
    await page.waitForSelector('[data-node-key]');
    const centre = (key: string) => page.locator(`[data-node-key="${key}"]`).evaluate((node) => {
      const box = node.querySelector('circle')!.getBoundingClientRect();
      return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    });
    await page.locator('[data-node-key="client|xyz/prod"]').focus();
    for (const key of ['ArrowRight', 'ArrowRight', 'ArrowDown', 'ArrowLeft', 'ArrowUp'] as const) {
      const from = await focused();
      const before = await centre(from);
      await page.keyboard.press(key);
      const to = await focused();
      if (to === from) continue;
      const after = await centre(to);
      // Further that way than across, as the arrow says.
      const along = key === 'ArrowRight' ? after.x - before.x : key === 'ArrowLeft' ? before.x - after.x : key === 'ArrowDown' ? after.y - before.y : before.y - after.y;
      expect(along).toBeGreaterThan(0);
    }
    // Two presses right from the client reach a node other than the client.
    await page.locator('[data-node-key="client|xyz/prod"]').focus();
    await page.keyboard.press('ArrowRight');
    expect(await focused()).toBe('AWS::ApiGateway::Stage|xyz/prod');
  });

  it('opens a node with Enter and closes its panel with Escape, the focus back on the node', async () => {
    await open('#/map');
    const node = page.locator(`[data-node-key="${HTTP_FLOW}"]`);
    await node.focus();
    await page.keyboard.press('Enter');
    const details = page.getByRole('complementary', { name: 'Details' });
    await details.waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(() => details.count()).toBe(0);
    expect(await focused()).toBe(HTTP_FLOW);
  });

  it('shows a focus ring on an edge', async () => {
    await open('#/map');
    await page.waitForSelector('[data-edge-key]');
    const halo = (selector: string) => page.locator(`${selector} .edge-hit`).first().evaluate((path) => getComputedStyle(path).stroke);
    expect(await halo('[data-edge-key]')).toBe('rgba(0, 0, 0, 0)');
    // Tab from the last node: the first edge takes a keyboard focus (focus-visible), and its route a halo in the accent.
    await page.locator('[data-node-key]').last().focus();
    await page.keyboard.press('Tab');
    expect(await focused()).toMatch(/^edge:/);
    expect(await halo(':focus')).toBe('rgb(37, 99, 235)');
    await screenshot(page, 'map-edge-focus');
  });

  it('moves between timeline rows with the arrow keys, Home and End', async () => {
    await open(`#/trace/${workload.faultedTraceIds[0]}`);
    const rows = page.locator('.wf-row');
    await rows.first().waitFor();
    const ids = await rows.evaluateAll((all) => all.map((row) => row.getAttribute('data-row-id')));
    const current = () => page.evaluate(() => document.activeElement?.getAttribute('data-row-id'));
    await rows.first().focus();
    await page.keyboard.press('ArrowDown');
    expect(await current()).toBe(ids[1]);
    await page.keyboard.press('ArrowDown');
    expect(await current()).toBe(ids[2]);
    await page.keyboard.press('ArrowUp');
    expect(await current()).toBe(ids[1]);
    await page.keyboard.press('End');
    expect(await current()).toBe(ids.at(-1));
    await page.keyboard.press('Home');
    expect(await current()).toBe(ids[0]);
  });

  it('cancels an edit with Escape on the groups and sampling pages', async () => {
    const created = await fetch(`${workload.service.api.url}/CreateGroup`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ GroupName: 'keyboard', FilterExpression: 'error' }),
    });
    expect(created.status).toBe(200);
    await open('#/groups');
    const editing = () => page.locator('form', { has: page.getByRole('button', { name: 'Cancel' }) });
    await page.getByRole('button', { name: 'Edit' }).first().click();
    await editing().getByLabel('Group filter expression').fill('fault = true');
    await editing().getByLabel('Group filter expression').press('Escape');
    await expect.poll(() => editing().count()).toBe(0);
    await page.close();

    await open('#/sampling');
    await page.getByRole('button', { name: 'Edit' }).first().click();
    await editing().locator('input:not([disabled])').first().press('Escape');
    await expect.poll(() => editing().count()).toBe(0);
  });
});
