import { describe, expect, it } from 'vitest';
import { FunctionSeries } from '../../../src/cloud/metrics/function-series.ts';
import { MetricStore } from '../../../src/cloud/metrics/metric-store.ts';
import { MetricsSink } from '../../../src/cloud/metrics/metrics-sink.ts';
import { ServiceMetrics } from '../../../src/cloud/metrics/service-metrics.ts';

const T0 = Date.UTC(2026, 0, 1);

describe('FunctionSeries', () => {
  it("gives a function's AWS/Lambda metrics and the EMF metrics its own output gave, per period", () => {
    const store = new MetricStore(':memory:', { clock: { nowMs: () => T0 } });
    const sink = new MetricsSink(store, { warn: () => {} });
    const services = new ServiceMetrics(sink);
    services.lambdaDone({ functionName: 'http', failed: true, durationMs: 40, endMs: T0 + 1000 });
    services.lambdaDone({ functionName: 'http', failed: false, durationMs: 20, endMs: T0 + 2000 });
    services.lambdaDone({ functionName: 'http', failed: false, durationMs: 30, endMs: T0 + 61_000 });
    const emf = (name: string, value: number, atMs: number): string => JSON.stringify({
      _aws: { Timestamp: atMs, CloudWatchMetrics: [{ Namespace: 'app', Dimensions: [['service']], Metrics: [{ Name: name, Unit: 'Count' }] }] }, service: 'http', [name]: value,
    });
    sink.fromLogLine('http', emf('requestFailures', 1, T0 + 1000), T0 + 1000);
    sink.fromLogLine('http', emf('requestSuccesses', 1, T0 + 2000), T0 + 2000);
    sink.fromLogLine('dynamo', emf('hits', 1, T0 + 2000), T0 + 2000);
    const series = new FunctionSeries(store).functionMetrics('http', { startTime: T0 / 1000, endTime: T0 / 1000 + 120 }, 60);
    const byName = Object.fromEntries(series.map((s) => [`${s.namespace} ${s.metricName}`, s.points.map((p) => [p.timestamp - T0 / 1000, p.value])]));
    expect(byName).toEqual({
      'AWS/Lambda Invocations': [[0, 2], [60, 1]],
      'AWS/Lambda Errors': [[0, 1], [60, 0]],
      'AWS/Lambda Throttles': [],
      'AWS/Lambda Duration': [[0, 30], [60, 30]],
      'app requestFailures': [[0, 1]],
      'app requestSuccesses': [[0, 1]],
    });
    store.close();
  });
});
