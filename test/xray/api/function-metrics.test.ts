import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/xray/log/logger.ts';
import type { FunctionMetricsSource } from '../../../src/xray/metrics-source/function-metrics.ts';
import { startXrayService, type XrayService } from '../../../src/xray/service.ts';
import { MemoryTraceStore } from '../../../src/xray/store/index.ts';

const NOW = 1_750_000_000;

async function post(service: XrayService, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${service.api.url}/local/FunctionMetrics`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

describe('POST /local/FunctionMetrics', () => {
  let service: XrayService | undefined;
  afterEach(async () => {
    await service?.stop();
  });

  it("answers the source's series for the function, and says when there is no source", async () => {
    const holder: { source?: FunctionMetricsSource } = {};
    const asked: unknown[] = [];
    service = await startXrayService({
      store: new MemoryTraceStore({ nowSeconds: () => NOW }), daemonPort: 0, apiPort: 0, logger: silentLogger, nowMs: () => NOW * 1000,
      metricsSource: () => holder.source,
    });
    const body = { FunctionName: 'http', StartTime: NOW - 600, EndTime: NOW, Period: 60 };
    const none = await post(service, body);
    expect(none.status).toBe(404);
    expect(String(none.json['message'])).toMatch(/no metrics source/);
    holder.source = {
      functionMetrics: (name, window, period) => {
        asked.push([name, window, period]);
        return [{ namespace: 'AWS/Lambda', metricName: 'Invocations', dimensions: { FunctionName: name }, unit: 'Count', stat: 'Sum', points: [{ timestamp: NOW - 60, value: 3 }] }];
      },
    };
    const answered = await post(service, body);
    expect(answered.json).toEqual({ Metrics: [{ Namespace: 'AWS/Lambda', MetricName: 'Invocations', Dimensions: { FunctionName: 'http' }, Unit: 'Count', Stat: 'Sum', Points: [{ Timestamp: NOW - 60, Value: 3 }] }] });
    expect(asked).toEqual([['http', { startTime: NOW - 600, endTime: NOW }, 60]]);
    expect((await post(service, { ...body, Period: 90 })).status).toBe(400);
    expect((await post(service, { ...body, Period: 60, StartTime: NOW - 86400 * 2 })).status).toBe(400);
  });
});
