import { describe, expect, it } from 'vitest';
import { MetricStore, RETENTION_MS } from '../../../src/cloud/metrics/metric-store.ts';
import { datapointFromValues } from '../../../src/cloud/metrics/model.ts';
import { aggregate, percentile, percentileOf, statistic } from '../../../src/cloud/metrics/statistics.ts';
import { MetricsSink } from '../../../src/cloud/metrics/metrics-sink.ts';

const T0 = Date.UTC(2026, 0, 1);
const ID = { namespace: 'AWS/Lambda', metricName: 'Duration', dimensions: [{ name: 'FunctionName', value: 'f' }] };

describe('MetricStore', () => {
  it('keeps a metric per dimension set whatever their order, and its datapoints by time', () => {
    let nowMs = T0;
    const store = new MetricStore(':memory:', { clock: { nowMs: () => nowMs } });
    const dims = [{ name: 'B', value: '2' }, { name: 'A', value: '1' }];
    store.put([datapointFromValues({ namespace: 'N', metricName: 'm', dimensions: dims }, [1], { timestampMs: T0 })]);
    store.put([datapointFromValues({ namespace: 'N', metricName: 'm', dimensions: [...dims].reverse() }, [2], { timestampMs: T0 + 1000 })]);
    expect(store.listMetrics({})).toEqual([{ namespace: 'N', metricName: 'm', dimensions: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }], lastMs: T0 }]);
    expect(store.datapoints({ namespace: 'N', metricName: 'm', dimensions: dims }, T0, T0 + 2000).map((p) => p.sum)).toEqual([1, 2]);
    expect(store.datapoints({ namespace: 'N', metricName: 'm', dimensions: [dims[0]!] }, T0, T0 + 2000)).toEqual([]);
    nowMs += 3 * 3600_000;
    expect(store.listMetrics({ activeSinceMs: nowMs - 3600_000 })).toEqual([]);
    store.close();
  });

  it('drops datapoints past retention and the oldest beyond its cap', () => {
    let nowMs = T0;
    const store = new MetricStore(':memory:', { maxDatapoints: 3, clock: { nowMs: () => nowMs } });
    store.put([1, 2, 3, 4].map((v) => datapointFromValues(ID, [v], { timestampMs: T0 + v })));
    store.trim();
    expect(store.datapoints(ID, T0, T0 + 10).map((p) => p.sum)).toEqual([2, 3, 4]);
    nowMs = T0 + RETENTION_MS + 4;
    store.trim();
    expect(store.datapoints(ID, T0, T0 + 10).map((p) => p.sum)).toEqual([4]);
    store.close();
  });
});

describe('statistics', () => {
  it('aggregates per period and unit, with nearest-rank percentiles', () => {
    const points = [
      datapointFromValues(ID, [10, 20], { timestampMs: T0 + 1000, unit: 'Milliseconds' }),
      datapointFromValues(ID, [30], { timestampMs: T0 + 59_000, unit: 'Milliseconds' }),
      datapointFromValues(ID, Array.from({ length: 100 }, (_, i) => i + 1), { timestampMs: T0 + 60_000, unit: 'Milliseconds' }),
      datapointFromValues(ID, [5], { timestampMs: T0 + 2000, unit: 'Count' }),
    ];
    const periods = aggregate(points, 60_000);
    expect(periods.map((p) => [p.timestampMs - T0, p.unit, p.sampleCount])).toEqual([[0, 'Count', 1], [0, 'Milliseconds', 3], [60_000, 'Milliseconds', 100]]);
    const first = periods[1]!;
    expect(['SampleCount', 'Sum', 'Average', 'Minimum', 'Maximum'].map((s) => statistic(first, s as 'Sum'))).toEqual([3, 60, 20, 10, 30]);
    expect(percentile(periods[2]!, 99)).toBe(99);
    expect(percentile(periods[2]!, 50)).toBe(50);
    expect(aggregate(points, 60_000, 'Count')).toHaveLength(1);
    expect(percentileOf('p99.9')).toBe(99.9);
    expect(percentileOf('p101')).toBeUndefined();
    expect(percentileOf('tm99')).toBeUndefined();
  });
});

describe('MetricsSink', () => {
  it('stores a function line EMF metrics and names an invalid document once', () => {
    const store = new MetricStore(':memory:');
    const warnings: string[] = [];
    const sink = new MetricsSink(store, { warn: (m) => warnings.push(m) });
    const line = JSON.stringify({ _aws: { Timestamp: T0, CloudWatchMetrics: [{ Namespace: 'app', Dimensions: [['service']], Metrics: [{ Name: 'ok', Unit: 'Count' }] }] }, service: 'http', ok: 1 });
    sink.fromLogLine('f', line, T0);
    sink.fromLogLine('f', 'plain text', T0);
    const bad = JSON.stringify({ _aws: { Timestamp: T0, CloudWatchMetrics: [{ Namespace: 'app', Dimensions: [['service']], Metrics: [] }] } });
    sink.fromLogLine('f', bad, T0);
    sink.fromLogLine('f', bad, T0);
    expect(store.listMetrics({ namespace: 'app' }).map((m) => m.metricName)).toEqual(['ok']);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/not extracted: dimension "service"/);
    // More than two weeks before the line was written: CloudWatch drops it.
    sink.fromLogLine('f', line, T0 + 15 * 24 * 3600_000);
    expect(store.datapoints({ namespace: 'app', metricName: 'ok', dimensions: [{ name: 'service', value: 'http' }] }, 0, Infinity)).toHaveLength(1);
    store.close();
  });
});
