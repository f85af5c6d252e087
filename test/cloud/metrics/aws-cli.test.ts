/**
 * The AWS CLI v1 (botocore speaks Smithy RPC v2 CBOR to CloudWatch) against the local CloudWatch:
 * put-metric-data, list-metrics, get-metric-statistics with a percentile, and a refusal with
 * CloudWatch's error code. Skipped when the CLI is not installed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AwsEndpoint } from '../../../src/cloud/endpoint/index.ts';
import { CloudWatchApi } from '../../../src/cloud/metrics/cloudwatch-api.ts';
import { MetricStore } from '../../../src/cloud/metrics/metric-store.ts';
import { awsCli, awsCliMissing } from '../../support/aws-cli.ts';
import type { AwsCliRun } from '../../support/aws-cli.ts';
import { startEndpoint } from '../endpoint/harness.ts';

const cliMissing = awsCliMissing();

describe.skipIf(cliMissing)('CloudWatch metrics through the AWS CLI', { timeout: 180_000 }, () => {
  let store: MetricStore;
  let endpoint: AwsEndpoint;

  beforeAll(async () => {
    store = new MetricStore(':memory:');
    endpoint = await startEndpoint([new CloudWatchApi({ store })]);
  });

  afterAll(async () => {
    await endpoint.stop();
    store.close();
  });

  const aws = (...args: string[]): Promise<AwsCliRun> => awsCli(endpoint.url, ['cloudwatch', ...args]);

  it('puts, lists and reads statistics back, and refuses a bad period with InvalidParameterValue', async () => {
    const minute = Math.floor(Date.now() / 60_000) * 60_000;
    const timestamp = new Date(minute - 60_000).toISOString();
    const put = await aws('put-metric-data', '--namespace', 'App', '--metric-data',
      JSON.stringify([{ MetricName: 'Latency', Dimensions: [{ Name: 'FunctionName', Value: 'http' }], Timestamp: timestamp, Values: [10, 20, 30], Unit: 'Milliseconds' }]));
    expect(put.stderr).toBe('');
    expect(put.code).toBe(0);
    const listed = await aws('list-metrics', '--namespace', 'App');
    expect(listed.json).toEqual({ Metrics: [{ Namespace: 'App', MetricName: 'Latency', Dimensions: [{ Name: 'FunctionName', Value: 'http' }] }] });
    const window = ['--start-time', new Date(minute - 300_000).toISOString(), '--end-time', new Date(minute + 60_000).toISOString()];
    const stats = await aws('get-metric-statistics', '--namespace', 'App', '--metric-name', 'Latency', '--dimensions', 'Name=FunctionName,Value=http',
      ...window, '--period', '60', '--statistics', 'Sum', 'SampleCount');
    expect(stats.stderr).toBe('');
    const points = (stats.json?.['Datapoints'] ?? []) as Record<string, unknown>[];
    expect(points).toHaveLength(1);
    expect(points[0]).toMatchObject({ Sum: 60, SampleCount: 3, Unit: 'Milliseconds' });
    // CLI v1 prints timestamps as they came on the wire (cli_timestamp_format "wire"): CBOR's epoch seconds.
    expect(points[0]?.['Timestamp']).toBe((minute - 60_000) / 1000);
    const pct = await aws('get-metric-statistics', '--namespace', 'App', '--metric-name', 'Latency', '--dimensions', 'Name=FunctionName,Value=http',
      ...window, '--period', '360', '--extended-statistics', 'p90');
    expect(((pct.json?.['Datapoints'] ?? []) as Record<string, unknown>[])[0]?.['ExtendedStatistics']).toEqual({ p90: 30 });
    const refused = await aws('get-metric-statistics', '--namespace', 'App', '--metric-name', 'Latency', ...window, '--period', '90', '--statistics', 'Sum');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/InvalidParameterValue/);
  });
});
