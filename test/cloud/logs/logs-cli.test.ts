/**
 * The AWS CLI v1 (botocore, awsJson1_1) against the CloudWatch Logs API with outside credentials:
 * `aws logs filter-log-events` finds a trace's lines by its id, `aws logs tail`'s building blocks
 * and a Logs Insights query answer as AWS answers them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AwsEndpoint } from '../../../src/cloud/endpoint/index.ts';
import { CloudWatchLogs } from '../../../src/cloud/logs/cloudwatch-logs.ts';
import { LogsApi } from '../../../src/cloud/logs/logs-api.ts';
import { awsCli, awsCliEnv, awsCliMissing } from '../../support/aws-cli.ts';
import { startEndpoint } from '../endpoint/harness.ts';

const CLI_ENV = awsCliEnv({ accessKeyId: 'AKIAOUTSIDE', secretAccessKey: 'anything' });
const missing = awsCliMissing(CLI_ENV) ? 'the AWS CLI (aws) is missing' : undefined;

const TRACE = '1-6750a000-0123456789abcdef01234567';
const GROUP = '/aws/lambda/http-fn';

describe.skipIf(missing !== undefined)('CloudWatch Logs through the AWS CLI', () => {
  let logs: CloudWatchLogs;
  let endpoint: AwsEndpoint;
  const nowMs = Date.now();

  async function aws(...args: string[]): Promise<{ code: number | null; json: Record<string, unknown>; stderr: string }> {
    const run = await awsCli(endpoint.url, args, CLI_ENV);
    return { ...run, json: run.json ?? {} };
  }

  beforeAll(async () => {
    logs = new CloudWatchLogs({ file: ':memory:' });
    endpoint = await startEndpoint([new LogsApi(logs, { region: 'us-east-1', accountId: '123456789012' })]);
    logs.store.append(GROUP, '2026/12/04/[$LATEST]0123456789abcdef0123456789abcdef', [
      { timestampMs: nowMs - 3000, message: 'START RequestId: r1 Version: $LATEST\n', traceId: TRACE },
      { timestampMs: nowMs - 2000, message: `{"level":"ERROR","message":"SSL Cert Exception","xray_trace_id":"${TRACE}"}\n`, traceId: TRACE },
      { timestampMs: nowMs - 1000, message: `REPORT RequestId: r1\tDuration: 5.00 ms\tXRAY TraceId: ${TRACE} SegmentId: 0123456789abcdef Sampled: true\n`, traceId: TRACE },
      { timestampMs: nowMs - 500, message: '{"level":"INFO","message":"other","xray_trace_id":"1-6750a000-ffffffffffffffffffffffff"}\n' },
    ], { createStream: true });
  });

  afterAll(async () => {
    await endpoint.stop();
    logs.stop();
  });

  it('filter-log-events finds a trace\'s lines by its id', async () => {
    const found = await aws('logs', 'filter-log-events', '--log-group-name', GROUP, '--filter-pattern', `"${TRACE}"`);
    expect(found.code).toBe(0);
    const events = found.json.events as Array<{ message: string; logStreamName: string }>;
    expect(events.map((event) => event.message.split(/[\t ]/)[0])).toEqual([`{"level":"ERROR","message":"SSL`, 'REPORT']);
    expect(events[0]?.logStreamName).toBe('2026/12/04/[$LATEST]0123456789abcdef0123456789abcdef');
  });

  it('describe-log-groups and get-log-events, and AWS\'s error for a missing group', async () => {
    const groups = await aws('logs', 'describe-log-groups');
    expect((groups.json.logGroups as Array<{ logGroupName: string }>).map((group) => group.logGroupName)).toEqual([GROUP]);
    const events = await aws('logs', 'get-log-events', '--log-group-name', GROUP, '--log-stream-name', '2026/12/04/[$LATEST]0123456789abcdef0123456789abcdef', '--start-from-head', '--limit', '1');
    expect((events.json.events as Array<{ message: string }>)[0]?.message).toBe('START RequestId: r1 Version: $LATEST\n');
    const refused = await aws('logs', 'filter-log-events', '--log-group-name', '/nope');
    expect(refused.code).toBe(255);
    expect(refused.stderr).toContain('(ResourceNotFoundException)');
  });

  it('start-query and get-query-results count the SSL Cert Exception lines', async () => {
    const started = await aws('logs', 'start-query', '--log-group-name', GROUP, '--start-time', String(Math.floor(nowMs / 1000) - 600),
      '--end-time', String(Math.floor(nowMs / 1000) + 1), '--query-string', 'filter @message like "SSL Cert Exception" | stats count(*) as failures');
    expect(started.code).toBe(0);
    const results = await aws('logs', 'get-query-results', '--query-id', String(started.json.queryId));
    expect(results.json).toMatchObject({ status: 'Complete', results: [[{ field: 'failures', value: '1' }]] });
  });
});
