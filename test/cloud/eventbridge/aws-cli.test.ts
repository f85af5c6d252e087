/**
 * The AWS CLI (`aws events ...` with `--endpoint-url`) against the local EventBridge: a bus, a rule
 * with a pattern and an input transformer, put-events with one good and one malformed entry, the
 * listing, and a refused pattern with EventBridge's error. Skipped when the CLI is not installed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AwsEndpoint } from '../../../src/cloud/endpoint/index.ts';
import { EventBridgeService, EventsApi } from '../../../src/cloud/eventbridge/index.ts';
import { SqliteMessageStore, SqsService } from '../../../src/cloud/sqs/index.ts';
import type { LambdaInvoker } from '../../../src/cloud/core/types.ts';
import { awsCli, awsCliMissing } from '../../support/aws-cli.ts';
import type { AwsCliRun } from '../../support/aws-cli.ts';
import { startEndpoint } from '../endpoint/harness.ts';
import { queueArn } from '../endpoint/model.ts';

const cliMissing = awsCliMissing();

// Each CLI call starts Python (a second or more on a loaded machine): five calls need more than the default 30 s.
describe.skipIf(cliMissing)('EventBridge through the AWS CLI', { timeout: 180_000 }, () => {
  let sqs: SqsService;
  let events: EventBridgeService;
  let endpoint: AwsEndpoint;
  const lambda: LambdaInvoker = { invoke: async () => ({ statusCode: 202 }) };

  beforeAll(async () => {
    sqs = new SqsService({ store: new SqliteMessageStore(':memory:') });
    await sqs.start();
    sqs.createQueue('cli-queue');
    events = new EventBridgeService({ lambda, queues: sqs, scheduleIntervalMs: 0 });
    endpoint = await startEndpoint([new EventsApi(events)]);
  });

  afterAll(async () => {
    await endpoint.stop();
    await events.stop();
    await sqs.stop();
  });

  const aws = (...args: string[]): Promise<AwsCliRun> => awsCli(endpoint.url, ['events', ...args]);

  it('creates a bus and a rule, puts events and delivers the transformed input', async () => {
    expect((await aws('create-event-bus', '--name', 'cli-bus')).json).toEqual({ EventBusArn: 'arn:aws:events:us-east-1:000000000000:event-bus/cli-bus' });
    const rule = await aws('put-rule', '--name', 'cli-rule', '--event-bus-name', 'cli-bus', '--event-pattern', '{"source":["cli"],"detail":{"n":[{"numeric":[">",1]}]}}');
    expect(rule.json).toEqual({ RuleArn: 'arn:aws:events:us-east-1:000000000000:rule/cli-bus/cli-rule' });
    const targets = JSON.stringify([{ Id: 'q', Arn: queueArn('cli-queue'), InputTransformer: { InputPathsMap: { n: '$.detail.n' }, InputTemplate: '{"n": <n>, "rule": "<aws.events.rule-name>"}' } }]);
    expect((await aws('put-targets', '--rule', 'cli-rule', '--event-bus-name', 'cli-bus', '--targets', targets)).json).toMatchObject({ FailedEntryCount: 0 });
    const entries = JSON.stringify([
      { Source: 'cli', DetailType: 't', Detail: '{"n": 2}', EventBusName: 'cli-bus', Time: '2026-01-01T00:00:00Z' },
      { Source: 'cli', DetailType: 't', Detail: 'nope', EventBusName: 'cli-bus' },
    ]);
    const put = await aws('put-events', '--entries', entries);
    expect(put.json).toEqual({
      FailedEntryCount: 1,
      Entries: [{ EventId: expect.any(String) }, { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter Detail is not valid. Reason: Detail is malformed.' }],
    });
    await events.idle();
    const received = await sqs.receive(queueArn('cli-queue'), { maxMessages: 10 });
    expect(received.map((item) => JSON.parse(item.message.body) as unknown)).toEqual([{ n: 2, rule: 'cli-rule' }]);
    const listed = await aws('list-rules', '--event-bus-name', 'cli-bus');
    expect((listed.json?.['Rules'] as Array<{ Name: string }>).map((item) => item.Name)).toEqual(['cli-rule']);
  });

  it('answers a refused pattern with InvalidEventPatternException', async () => {
    const refused = await aws('put-rule', '--name', 'bad', '--event-pattern', '{"source":[]}');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('(InvalidEventPatternException) when calling the PutRule operation: Event pattern is not valid. Reason: Empty arrays are not allowed');
  });
});
