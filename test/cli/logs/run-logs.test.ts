import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLogs, type LogsRuntime } from '../../../src/cli/logs/run-logs.ts';
import type { AwsEndpoint } from '../../../src/cloud/endpoint/index.ts';
import { CloudWatchLogs } from '../../../src/cloud/logs/cloudwatch-logs.ts';
import { LogsApi } from '../../../src/cloud/logs/logs-api.ts';
import { startEndpoint } from '../../cloud/endpoint/harness.ts';

const NOW_MS = Date.UTC(2026, 11, 4, 12);
const TRACE = '1-6750a000-0123456789abcdef01234567';

describe('xray-tracer logs', () => {
  let endpoint: AwsEndpoint;
  let logs: CloudWatchLogs;

  beforeAll(async () => {
    logs = new CloudWatchLogs({ file: ':memory:', nowMs: () => NOW_MS });
    endpoint = await startEndpoint([new LogsApi(logs, { region: 'us-east-1', accountId: '123456789012', nowMs: () => NOW_MS })]);
    logs.store.append('/aws/lambda/http-fn', '2026/12/04/[$LATEST]a', [
      { timestampMs: NOW_MS - 5000, message: 'START RequestId: r1 Version: $LATEST\n' },
      { timestampMs: NOW_MS - 4000, message: `{"level":"ERROR","message":"SSL Cert Exception","xray_trace_id":"${TRACE}"}\n` },
    ], { createStream: true });
    logs.store.append('/aws/lambda/dynamo-fn', '2026/12/04/[$LATEST]b', [
      { timestampMs: NOW_MS - 3000, message: `{"level":"INFO","message":"hit counted","xray_trace_id":"${TRACE}"}\n` },
      { timestampMs: NOW_MS - 2000, message: 'END RequestId: r2\n' },
    ], { createStream: true });
  });
  afterAll(async () => {
    await endpoint.stop();
    logs.stop();
  });

  function runtime(pauses = 0, onPause?: () => void): LogsRuntime & { lines: string[]; errors: string[] } {
    const lines: string[] = [];
    const errors: string[] = [];
    let left = pauses;
    return {
      lines,
      errors,
      out: (line) => lines.push(line),
      err: (line) => errors.push(line),
      nowSeconds: () => NOW_MS / 1000,
      pause: async () => {
        onPause?.();
        return left-- > 0;
      },
    };
  }

  it('lists the groups without a group', async () => {
    const output = runtime();
    expect(await runLogs(undefined, { endpointUrl: endpoint.url }, output)).toBe(0);
    expect(output.lines.map((line) => line.split(/\s+/)[0])).toEqual(['/aws/lambda/dynamo-fn', '/aws/lambda/http-fn']);
  });

  it('prints a group named by a part of its name, with a filter pattern', async () => {
    const output = runtime();
    expect(await runLogs('http', { endpointUrl: endpoint.url, filter: '{ $.level = "ERROR" }' }, output)).toBe(0);
    expect(output.lines).toEqual([`2026-12-04T11:59:56.000Z 2026/12/04/[$LATEST]a {"level":"ERROR","message":"SSL Cert Exception","xray_trace_id":"${TRACE}"}`]);
  });

  it('finds a trace\'s lines in every group, oldest first', async () => {
    const output = runtime();
    expect(await runLogs(undefined, { endpointUrl: endpoint.url, trace: TRACE }, output)).toBe(0);
    expect(output.lines.map((line) => line.split(' ')[1])).toEqual(['/aws/lambda/http-fn', '/aws/lambda/dynamo-fn']);
  });

  it('follows a group: new events once each (the poll reads from the last time seen again), until stopped', async () => {
    const output = runtime(1, () => {
      logs.store.append('/aws/lambda/http-fn', '2026/12/04/[$LATEST]a', [{ timestampMs: NOW_MS - 1000, message: 'later\n' }]);
    });
    expect(await runLogs('/aws/lambda/http-fn', { endpointUrl: endpoint.url, follow: true }, output)).toBe(0);
    expect(output.lines.map((line) => line.split(' ').slice(2).join(' '))).toEqual([
      'START RequestId: r1 Version: $LATEST', `{"level":"ERROR","message":"SSL Cert Exception","xray_trace_id":"${TRACE}"}`, 'later',
    ]);
  });

  it('exits 2 for a bad option and 1 for a group that is not there', async () => {
    const bad = runtime();
    expect(await runLogs(undefined, { endpointUrl: endpoint.url, trace: 'x' }, bad)).toBe(2);
    const missing = runtime();
    expect(await runLogs('nothing-like-it', { endpointUrl: endpoint.url }, missing)).toBe(1);
    expect(missing.errors).toEqual(['xray-tracer logs: no log group is named or contains "nothing-like-it" (xray-tracer logs lists them)']);
  });
});
