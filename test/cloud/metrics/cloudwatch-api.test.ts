/**
 * CloudWatch metrics through the AWS SDK's CloudWatchClient (JSON 1.0, query-compatible errors):
 * PutMetricData with values, value lists and statistic sets, ListMetrics' filters, GetMetricStatistics
 * with percentiles and its limits, GetMetricData with MetricStat queries, and the refusals.
 */
import {
  CloudWatchClient,
  GetMetricDataCommand,
  GetMetricStatisticsCommand,
  InvalidParameterCombinationException,
  InvalidParameterValueException,
  ListMetricsCommand,
  PutMetricDataCommand,
} from '@aws-sdk/client-cloudwatch';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AwsEndpoint } from '../../../src/cloud/endpoint/index.ts';
import { CloudWatchApi } from '../../../src/cloud/metrics/cloudwatch-api.ts';
import { MetricStore } from '../../../src/cloud/metrics/metric-store.ts';
import { clientConfig, FakeClock, startEndpoint } from '../endpoint/harness.ts';

describe('CloudWatch metrics through the AWS SDK', () => {
  let clock: FakeClock;
  let store: MetricStore;
  let endpoint: AwsEndpoint;
  let client: CloudWatchClient;
  const at = (seconds: number): Date => new Date(clock.millis + seconds * 1000);

  beforeEach(async () => {
    clock = new FakeClock(Date.UTC(2026, 0, 1, 12));
    store = new MetricStore(':memory:', { clock });
    endpoint = await startEndpoint([new CloudWatchApi({ store, clock })]);
    client = new CloudWatchClient(clientConfig(endpoint));
  });

  afterEach(async () => {
    client.destroy();
    await endpoint.stop();
    store.close();
  });

  it('stores values, lists and statistic sets, and answers statistics and percentiles per period', async () => {
    const dimensions = [{ Name: 'FunctionName', Value: 'http' }];
    await client.send(new PutMetricDataCommand({
      Namespace: 'App',
      MetricData: [
        { MetricName: 'Latency', Dimensions: dimensions, Timestamp: at(-120), Value: 10, Unit: 'Milliseconds' },
        { MetricName: 'Latency', Dimensions: dimensions, Timestamp: at(-110), Values: [20, 30], Counts: [1, 2], Unit: 'Milliseconds' },
        { MetricName: 'Latency', Dimensions: dimensions, Timestamp: at(-50), StatisticValues: { SampleCount: 2, Sum: 8, Minimum: 3, Maximum: 5 }, Unit: 'Milliseconds' },
        { MetricName: 'Other', Timestamp: at(-10), Value: 1 },
      ],
    }));
    const stats = await client.send(new GetMetricStatisticsCommand({
      Namespace: 'App', MetricName: 'Latency', Dimensions: dimensions, StartTime: at(-180), EndTime: at(0), Period: 60,
      Statistics: ['SampleCount', 'Sum', 'Average', 'Minimum', 'Maximum'],
    }));
    expect(stats.Label).toBe('Latency');
    expect(stats.Datapoints?.map((p) => [p.Timestamp?.getTime(), p.SampleCount, p.Sum, p.Minimum, p.Maximum, p.Unit])).toEqual([
      [at(-120).getTime(), 4, 90, 10, 30, 'Milliseconds'],
      [at(-60).getTime(), 2, 8, 3, 5, 'Milliseconds'],
    ]);
    const pct = await client.send(new GetMetricStatisticsCommand({
      Namespace: 'App', MetricName: 'Latency', Dimensions: dimensions, StartTime: at(-180), EndTime: at(0), Period: 180, ExtendedStatistics: ['p50', 'p99'],
    }));
    // Values 10, 20, 30, 30 (the statistic set has no values to rank).
    expect(pct.Datapoints?.[0]?.ExtendedStatistics).toEqual({ p50: 20, p99: 30 });

    const listed = await client.send(new ListMetricsCommand({ Namespace: 'App', Dimensions: [{ Name: 'FunctionName' }] }));
    expect(listed.Metrics).toEqual([{ Namespace: 'App', MetricName: 'Latency', Dimensions: dimensions }]);
    expect((await client.send(new ListMetricsCommand({ RecentlyActive: 'PT3H' }))).Metrics?.map((m) => m.MetricName)).toEqual(['Latency', 'Other']);

    const data = await client.send(new GetMetricDataCommand({
      StartTime: at(-180), EndTime: at(0),
      MetricDataQueries: [{ Id: 'sum1', MetricStat: { Metric: { Namespace: 'App', MetricName: 'Latency', Dimensions: dimensions }, Period: 60, Stat: 'Sum' } }],
    }));
    expect(data.MetricDataResults?.[0]).toMatchObject({ Id: 'sum1', Label: 'Latency', Values: [8, 90], StatusCode: 'Complete' });
    expect(data.MetricDataResults?.[0]?.Timestamps?.map((t) => t.getTime())).toEqual([at(-60).getTime(), at(-120).getTime()]);
  });

  it.each([
    ['a namespace under AWS/', { Namespace: 'AWS/Lambda', MetricData: [{ MetricName: 'm', Value: 1 }] }, InvalidParameterValueException, /Namespace/],
    ['1,001 datums', { Namespace: 'App', MetricData: Array.from({ length: 1001 }, () => ({ MetricName: 'm', Value: 1 })) }, InvalidParameterValueException, /1000/],
    ['Value with StatisticValues', { Namespace: 'App', MetricData: [{ MetricName: 'm', Value: 1, StatisticValues: { SampleCount: 1, Sum: 1, Minimum: 1, Maximum: 1 } }] }, InvalidParameterCombinationException, /mutually exclusive/],
    ['Counts of another length', { Namespace: 'App', MetricData: [{ MetricName: 'm', Values: [1, 2], Counts: [1] }] }, InvalidParameterValueException, /same size/],
    ['an unknown unit', { Namespace: 'App', MetricData: [{ MetricName: 'm', Value: 1, Unit: 'Furlongs' }] }, InvalidParameterValueException, /Furlongs/],
    ['a StorageResolution of 5', { Namespace: 'App', MetricData: [{ MetricName: 'm', Value: 1, StorageResolution: 5 }] }, InvalidParameterValueException, /StorageResolution/],
    ['31 dimensions', { Namespace: 'App', MetricData: [{ MetricName: 'm', Value: 1, Dimensions: Array.from({ length: 31 }, (_, i) => ({ Name: `d${i}`, Value: 'v' })) }] }, InvalidParameterValueException, /30/],
  ])('PutMetricData refuses %s', async (_, input, type, message) => {
    const error = await client.send(new PutMetricDataCommand(input as never)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(type);
    expect((error as Error).message).toMatch(message);
  });

  it('PutMetricData refuses a timestamp more than two weeks old', async () => {
    const error = await client.send(new PutMetricDataCommand({ Namespace: 'App', MetricData: [{ MetricName: 'm', Value: 1, Timestamp: at(-15 * 86400) }] })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidParameterValueException);
  });

  it('GetMetricStatistics refuses a bad period, more than 1,440 datapoints, and neither or both statistic kinds', async () => {
    const base = { Namespace: 'App', MetricName: 'm', StartTime: at(-86400), EndTime: at(0) };
    const periodError = await client.send(new GetMetricStatisticsCommand({ ...base, Period: 90, Statistics: ['Sum'] })).catch((e: unknown) => e);
    expect(periodError).toBeInstanceOf(InvalidParameterValueException);
    expect((periodError as Error).message).toMatch(/multiple of 60/);
    const tooMany = await client.send(new GetMetricStatisticsCommand({ ...base, Period: 30, Statistics: ['Sum'] })).catch((e: unknown) => e);
    expect(tooMany).toBeInstanceOf(InvalidParameterCombinationException);
    expect((tooMany as Error).message).toMatch(/requested up to 2,880 datapoints, which exceeds the limit of 1,440/);
    expect(await client.send(new GetMetricStatisticsCommand({ ...base, Period: 60, Statistics: ['Sum'] }))).toMatchObject({ Datapoints: [] });
    const neither = await client.send(new GetMetricStatisticsCommand({ ...base, Period: 60 })).catch((e: unknown) => e);
    expect(neither).toBeInstanceOf(InvalidParameterCombinationException);
    const both = await client.send(new GetMetricStatisticsCommand({ ...base, Period: 60, Statistics: ['Sum'], ExtendedStatistics: ['p99'] })).catch((e: unknown) => e);
    expect(both).toBeInstanceOf(InvalidParameterCombinationException);
  });

  it('GetMetricData refuses a metric math expression, saying so', async () => {
    const error = await client.send(new GetMetricDataCommand({ StartTime: at(-60), EndTime: at(0), MetricDataQueries: [{ Id: 'e1', Expression: 'SUM(METRICS())' }] })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidParameterValueException);
    expect((error as Error).message).toMatch(/metric math/);
  });
});
