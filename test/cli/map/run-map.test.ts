import { CreateGroupCommand } from '@aws-sdk/client-xray';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { rate, runMap, type MapFlags } from '../../../src/cli/map/index.ts';
import type { XrayService } from '../../../src/xray/service.ts';
import { patternTrace } from '../../xray/graph/pattern-traces.ts';
import { capture, clientOf, putDocuments, runBin, startService, type Run } from '../support/xray-service.ts';

// 15:07:00 UTC, on a minute: the default window is 14:52 to 15:07.
const NOW = 1_750_000_020;
let service: XrayService;

beforeAll(async () => {
  service = await startService(NOW);
  await putDocuments(service, [
    ...patternTrace(1, NOW - 600).build(),
    ...patternTrace(2, NOW - 540, { httpFaults: true }).build(),
    ...patternTrace(3, NOW - 480, { httpFaults: true, dynamoThrottled: true }).build(),
    ...patternTrace(4, NOW - 420).build(),
    // Two hours back: outside the default range.
    ...patternTrace(5, NOW - 7200, { httpFaults: true }).build(),
  ]);
  const client = clientOf(service);
  await client.send(new CreateGroupCommand({ GroupName: 'http-faults', FilterExpression: 'service("http-flow") { fault }' }));
  client.destroy();
});

afterAll(async () => {
  await service.stop();
});

async function run(flags: MapFlags): Promise<Run> {
  return capture(NOW, (output) => runMap({ endpoint: service.api.url, ...flags }, output));
}

describe('map rates', () => {
  test.each([[0, '0'], [0.004, '<0.01'], [0.0333, '0.03'], [0.2667, '0.27'], [1.25, '1.3'], [12.4, '12']])('%d a minute reads %s', (perMinute, text) => {
    expect(rate(perMinute)).toBe(text);
  });
});

describe('xray-tracer map', () => {
  test('prints the nodes and edges of the last 15 minutes as aligned tables, in a fixed order', async () => {
    const { code, out, err } = await run({});
    expect({ code, err }).toEqual({ code: 0, err: [] });
    expect(out.slice(0, 7)).toEqual([
      'service map 2025-06-15 14:52:00 to 2025-06-15 15:07:00 UTC (15 min)',
      '',
      'node                          type                    requests  /min   average  ok  error  throttle  fault',
      'dynamo-flow                   AWS::Lambda                    4  0.27  300.0 ms   4      0         0      0',
      'dynamo-flow                   AWS::Lambda::Function          4  0.27  230.0 ms   3      1         0      0',
      'fan-out                       AWS::SNS                       4  0.27   50.0 ms   4      0         0      0',
      'Hits                          AWS::DynamoDB::Table           4  0.27   40.0 ms   3      0         1      0',
    ]);
    const nodes = out.slice(3, out.indexOf('', 3));
    expect(nodes.map((line) => line.split(/\s{2,}/).slice(0, 2).join(' | '))).toEqual([
      'dynamo-flow | AWS::Lambda', 'dynamo-flow | AWS::Lambda::Function', 'fan-out | AWS::SNS', 'Hits | AWS::DynamoDB::Table',
      'hits-queue | AWS::SQS::Queue', 'http-flow | AWS::Lambda', 'http-flow | AWS::Lambda::Function', 'jsonplaceholder.typicode.com | remote',
      'second-topic | AWS::SNS', 'sns-flow | AWS::Lambda', 'sns-flow | AWS::Lambda::Function', 'sns-subscriber | AWS::Lambda',
      'sns-subscriber | AWS::Lambda::Function', 'sqs-flow | AWS::Lambda', 'sqs-flow | AWS::Lambda::Function', 'sqs-subscriber | AWS::Lambda',
      'sqs-subscriber | AWS::Lambda::Function', 'xyz/prod | AWS::ApiGateway::Stage', 'xyz/prod | client',
    ]);
    expect(nodes).toContain('http-flow                     AWS::Lambda::Function          4  0.27  530.0 ms   2      0         0      2');
    expect(nodes).toContain('jsonplaceholder.typicode.com  remote                         4  0.27  460.0 ms   2      0         0      2');

    const edges = out.slice(out.indexOf('', 3) + 1, -2);
    expect(edges[0]).toBe('from                                     to                                      requests   average  faults');
    expect(edges).toHaveLength(19);
    expect(edges).toContain('fan-out (AWS::SNS)                   ->  http-flow (AWS::Lambda)                        4  600.0 ms       0');
    expect(edges).toContain('http-flow (AWS::Lambda::Function)    ->  jsonplaceholder.typicode.com (remote)          4  460.0 ms       2');
    expect(edges).toContain('hits-queue (AWS::SQS::Queue)         ->  sqs-subscriber (AWS::Lambda)                   4         -       0  async link');
    expect(edges.at(-1)).toBe('xyz/prod (client)                    ->  xyz/prod (AWS::ApiGateway::Stage)              4  100.0 ms       0');
    expect(out.slice(-2)).toEqual(['', '19 nodes, 18 edges']);
  });

  test('--since widens the range; per-minute rates follow it', async () => {
    const { out } = await run({ since: '3h' });
    expect(out[0]).toBe('service map 2025-06-15 12:07:00 to 2025-06-15 15:07:00 UTC (180 min)');
    expect(out).toContain('http-flow                     AWS::Lambda::Function          5  0.03  530.0 ms   2      0         0      3');
  });

  test('an empty range says so', async () => {
    expect((await run({ since: '1m' })).out).toEqual(['service map 2025-06-15 15:06:00 to 2025-06-15 15:07:00 UTC (1 min)', 'no services sent traces in this time range']);
  });

  test('--group draws the map of the group\'s traces only', async () => {
    const { code, out } = await run({ group: 'http-faults' });
    expect(code).toBe(0);
    expect(out).toContain('http-flow                     AWS::Lambda::Function          2  0.13  530.0 ms   0      0         0      2');
    expect(out).toContain('Hits                          AWS::DynamoDB::Table           2  0.13   40.0 ms   1      0         1      0');
    expect(await run({ group: 'nope' })).toEqual({ code: 1, out: [], err: ['xray-tracer map: InvalidRequestException: there is no group named "nope"'] });
  });

  test('--json prints the GetServiceGraph response shape, times in epoch seconds', async () => {
    const { code, out } = await run({ json: true });
    expect(code).toBe(0);
    const body = JSON.parse(out.join('\n')) as { Services: Array<Record<string, unknown>>; StartTime: number; EndTime: number; ContainsOldGroupVersions: boolean };
    expect(Object.keys(body)).toEqual(['Services', 'StartTime', 'EndTime', 'ContainsOldGroupVersions']);
    expect([body.StartTime, body.EndTime, body.ContainsOldGroupVersions]).toEqual([NOW - 900, NOW, false]);
    expect(body.Services).toHaveLength(19);
    expect(body.Services.find((s) => s['Name'] === 'http-flow' && s['Type'] === 'AWS::Lambda::Function')).toMatchObject({
      SummaryStatistics: { OkCount: 2, FaultStatistics: { TotalCount: 2 }, TotalCount: 4 },
    });
  });

  test('bad options exit 2 without asking the service', async () => {
    expect(await run({ since: 'soon' })).toEqual({ code: 2, out: [], err: ['xray-tracer map: --since "soon" must be a duration such as 30s, 15m, 1h or 2d'] });
    expect(await run({ group: '' })).toEqual({ code: 2, out: [], err: ['xray-tracer map: --group must name a group'] });
  });

  test('the command is wired into the CLI', async () => {
    const { code, stdout } = await runBin(['map', '--endpoint', service.api.url, '--since', '1000d', '--json']);
    expect(code).toBe(0);
    expect((JSON.parse(stdout) as { Services: unknown[] }).Services.length).toBeGreaterThanOrEqual(19);
  }, 30_000);
});
