/// <reference lib="dom" />
// The map's node panel shows a function's CloudWatch metrics over time, from the metrics source the
// X-Ray service is handed (the local cloud's, under `up`): AWS/Lambda's and the handler's own EMF metrics.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { FunctionMetricSeries, FunctionMetricsSource } from '../../../src/xray/metrics-source/function-metrics.ts';
import { consoleSession } from './browser.ts';
import { startWithPatternWorkload } from './workload.ts';

const asked: string[] = [];
const source: FunctionMetricsSource = {
  functionMetrics: (functionName, window, periodSeconds) => {
    asked.push(functionName);
    const first = Math.floor(window.startTime / periodSeconds) * periodSeconds;
    const series = (namespace: string, metricName: string, stat: string, unit: string, values: number[]): FunctionMetricSeries => ({
      namespace, metricName, stat, unit, dimensions: { FunctionName: functionName },
      points: values.map((value, index) => ({ timestamp: first + index * periodSeconds, value })),
    });
    return functionName === 'http-flow'
      ? [
        series('AWS/Lambda', 'Invocations', 'Sum', 'Count', [12, 19]),
        series('AWS/Lambda', 'Errors', 'Sum', 'Count', [5, 6]),
        series('XRayTracer', 'externalCallFailures', 'Sum', 'Count', [5, 6]),
      ]
      : [];
  },
};

let page: Page;
const session = consoleSession(async () => startWithPatternWorkload(30, Date.now() / 1000, { metricsSource: () => source }));

describe("the map's function metrics", () => {
  it("shows the selected function's AWS/Lambda and EMF metrics with their totals and one bar a period", async () => {
    ({ page } = await session.open('#/map', { width: 1440, height: 1000 }));
    await page.locator('[data-node-key="AWS::Lambda::Function|http-flow"]').click();
    const metrics = page.getByRole('region', { name: 'CloudWatch metrics' });
    await expect.poll(() => metrics.locator('tr[data-metric]').count()).toBe(3);
    const total = (metric: string) => metrics.locator(`tr[data-metric="${metric}"] td.metric-total`).textContent();
    expect(await total('AWS/Lambda/Invocations')).toBe('31');
    expect(await total('AWS/Lambda/Errors')).toBe('11');
    expect(await total('XRayTracer/externalCallFailures')).toBe('11');
    // Two periods with a value: two bars in the Invocations sparkline.
    expect(await metrics.locator('tr[data-metric="AWS/Lambda/Invocations"] rect.metric-bar').count()).toBe(2);
    expect(asked).toContain('http-flow');
  });
});
