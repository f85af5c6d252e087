/**
 * EventBridge through the AWS SDK's EventBridgeClient: buses, rules, PutEvents with its per-entry
 * results and limits, targets (Lambda, SQS, SNS, another bus) with their input, retry policy and
 * dead-letter queue, schedules on a clock the test moves, and the trace header to every target.
 */
import {
  CreateEventBusCommand,
  DeleteRuleCommand,
  DescribeRuleCommand,
  DisableRuleCommand,
  EventBridgeClient,
  ListEventBusesCommand,
  ListRuleNamesByTargetCommand,
  ListRulesCommand,
  ListTargetsByRuleCommand,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
  TestEventPatternCommand,
} from '@aws-sdk/client-eventbridge';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AwsEndpoint } from '../../../src/cloud/endpoint/index.ts';
import { EventBridgeService, EventsApi, provisionEventBridge } from '../../../src/cloud/eventbridge/index.ts';
import { provisionQueues, SqliteMessageStore, SqsService } from '../../../src/cloud/sqs/index.ts';
import { SnsService } from '../../../src/cloud/sns/index.ts';
import type { Authorizer, InvokeRequest, InvokeResult, LambdaInvoker } from '../../../src/cloud/core/types.ts';
import { capturingLogger, clientConfig, countingIds, FakeClock, startEndpoint } from '../endpoint/harness.ts';
import type { CapturedLogger } from '../endpoint/harness.ts';
import { cloudModel, functionArn, queueArn, queueResource, resource, topicArn } from '../endpoint/model.ts';

const ROOT = '1-67891233-abcdef012345678912345678';
const CALLER = '53995c3f42cd8ad8';
const BUS_ARN = 'arn:aws:events:us-east-1:000000000000:event-bus/default';

class FakeLambda implements LambdaInvoker {
  readonly requests: InvokeRequest[] = [];
  answer: (request: InvokeRequest) => InvokeResult = () => ({ statusCode: 202 });
  async invoke(request: InvokeRequest): Promise<InvokeResult> {
    this.requests.push(request);
    return this.answer(request);
  }
}

function model() {
  return cloudModel([
    queueResource('Stack', 'Orders', 'orders'),
    queueResource('Stack', 'Audit', 'audit'),
    queueResource('Stack', 'Dead', 'dead'),
    resource('Stack', 'Topic', 'AWS::SNS::Topic', {}, topicArn('alerts')),
  ]);
}

describe('EventBridge through the AWS SDK', () => {
  let clock: FakeClock;
  let sqs: SqsService;
  let sns: SnsService;
  let lambda: FakeLambda;
  let events: EventBridgeService;
  let logger: CapturedLogger;
  let endpoint: AwsEndpoint;
  let client: EventBridgeClient;

  async function start(authorizer?: Authorizer): Promise<void> {
    endpoint = await startEndpoint([new EventsApi(events)], authorizer);
    client = new EventBridgeClient(clientConfig(endpoint));
  }

  beforeEach(async () => {
    clock = new FakeClock();
    const ids = countingIds();
    logger = capturingLogger();
    sqs = new SqsService({ store: new SqliteMessageStore(':memory:'), clock, ids });
    lambda = new FakeLambda();
    sns = new SnsService({ lambda, queues: sqs, clock, ids, logger });
    expect(provisionQueues(sqs, model(), logger)).toEqual([]);
    sns.createTopic('alerts');
    events = new EventBridgeService({ lambda, queues: sqs, topics: sns, clock, ids, logger, retryDelayMs: () => 0, scheduleIntervalMs: 0 });
    await start();
  });

  afterEach(async () => {
    client.destroy();
    await endpoint.stop();
    await events.stop();
    await sns.stop();
    await sqs.stop();
  });

  async function bodies(queue: string): Promise<Array<{ body: string; trace: string | undefined; attributes: Record<string, string | undefined> }>> {
    const received = await sqs.receive(queueArn(queue), { maxMessages: 10 });
    return received.map((item) => ({
      body: item.message.body,
      trace: item.message.systemAttributes['AWSTraceHeader']?.stringValue,
      attributes: Object.fromEntries(Object.entries(item.message.messageAttributes).map(([name, value]) => [name, value.stringValue])),
    }));
  }

  async function orderRule(): Promise<void> {
    await client.send(new PutRuleCommand({ Name: 'orders', EventPattern: JSON.stringify({ source: ['shop'], detail: { total: [{ numeric: ['>=', 100] }] } }) }));
    const put = await client.send(new PutTargetsCommand({
      Rule: 'orders',
      Targets: [{ Id: 'queue', Arn: queueArn('orders') }, { Id: 'fn', Arn: functionArn('handler') }],
    }));
    expect(put.FailedEntryCount).toBe(0);
  }

  it('routes a matching event to its rule’s queue and function, with the caller’s trace header', async () => {
    await orderRule();
    client.middlewareStack.add((next) => async (args) => {
      (args.request as { headers: Record<string, string> }).headers['X-Amzn-Trace-Id'] = `Root=${ROOT};Parent=${CALLER};Sampled=1`;
      return next(args);
    }, { step: 'build', name: 'traceHeader' });
    const result = await client.send(new PutEventsCommand({
      Entries: [
        { Source: 'shop', DetailType: 'Order Placed', Detail: JSON.stringify({ total: 120 }), Resources: ['arn:aws:shop:order/1'] },
        { Source: 'shop', DetailType: 'Order Placed', Detail: JSON.stringify({ total: 5 }) },
      ],
    }));
    await events.idle();
    expect(result.FailedEntryCount).toBe(0);
    expect(result.Entries?.map((entry) => entry.EventId)).toEqual([expect.any(String), expect.any(String)]);

    const queued = await bodies('orders');
    expect(queued).toHaveLength(1);
    expect(JSON.parse(queued[0]?.body ?? '')).toEqual({
      version: '0',
      id: result.Entries?.[0]?.EventId,
      'detail-type': 'Order Placed',
      source: 'shop',
      account: '000000000000',
      time: '2026-01-01T00:00:00Z',
      region: 'us-east-1',
      resources: ['arn:aws:shop:order/1'],
      detail: { total: 120 },
    });
    // The header goes on unchanged: the caller's PutEvents subsegment is the parent of what follows.
    expect(queued[0]?.trace).toBe(`Root=${ROOT};Parent=${CALLER};Sampled=1`);
    expect(lambda.requests).toHaveLength(1);
    expect(lambda.requests[0]).toMatchObject({ functionName: functionArn('handler'), invocationType: 'Event', trace: { root: ROOT, parent: CALLER, sampled: true } });
    expect((lambda.requests[0]?.payload as { detail: unknown }).detail).toEqual({ total: 120 });
  });

  it('takes an entry’s TraceHeader over the request’s, and drops an invalid one', async () => {
    await orderRule();
    await client.send(new PutEventsCommand({
      Entries: [
        { Source: 'shop', DetailType: 'a', Detail: '{"total": 100}', TraceHeader: `Root=${ROOT};Parent=${CALLER};Sampled=1` },
        { Source: 'shop', DetailType: 'b', Detail: '{"total": 101}', TraceHeader: 'Root=not-a-trace' },
      ],
    }));
    await events.idle();
    const traces = lambda.requests.map((request) => request.trace);
    expect(traces).toEqual([{ root: ROOT, parent: CALLER, sampled: true }, undefined]);
  });

  it('answers each entry’s error and counts them; a bus that does not exist takes the event, as on AWS', async () => {
    const result = await client.send(new PutEventsCommand({
      Entries: [
        { Source: 'shop', DetailType: 'ok', Detail: '{}' },
        { Source: 'shop', DetailType: 'bad', Detail: '[1, 2]' },
        { Source: 'shop', DetailType: 'bad', Detail: 'not json' },
        { Source: 'aws.ec2', DetailType: 'spoof', Detail: '{}' },
        { Source: 'shop', DetailType: 'lost', Detail: '{}', EventBusName: 'nowhere' },
        { DetailType: 'no source', Detail: '{}' },
      ],
    }));
    expect(result.FailedEntryCount).toBe(4);
    expect(result.Entries?.slice(1)).toEqual([
      { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter Detail is not valid. Reason: Detail is malformed.' },
      { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter Detail is not valid. Reason: Detail is malformed.' },
      { ErrorCode: 'NotAuthorizedForSourceException', ErrorMessage: 'Not authorized for the source.' },
      { EventId: expect.any(String) },
      { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter Source is not valid. Reason: Source is a required argument.' },
    ]);
    expect(logger.lines).toContain(`warn eventbridge: event ${result.Entries?.[4]?.EventId ?? ''} was put on the event bus nowhere, which does not exist; as on AWS it is accepted and goes nowhere`);
  });

  it('routes an event received from another bus to no third bus', async () => {
    for (const name of ['second', 'third']) await client.send(new CreateEventBusCommand({ Name: name }));
    const busArn = (name: string): string => `arn:aws:events:us-east-1:000000000000:event-bus/${name}`;
    await client.send(new PutRuleCommand({ Name: 'to-second', EventPattern: '{"source": ["shop"]}' }));
    await client.send(new PutTargetsCommand({ Rule: 'to-second', Targets: [{ Id: 'bus', Arn: busArn('second') }] }));
    await client.send(new PutRuleCommand({ Name: 'on-second', EventBusName: 'second', EventPattern: '{"source": ["shop"]}' }));
    await client.send(new PutTargetsCommand({ Rule: 'on-second', EventBusName: 'second', Targets: [{ Id: 'bus', Arn: busArn('third') }, { Id: 'q', Arn: queueArn('audit') }] }));
    await client.send(new PutRuleCommand({ Name: 'on-third', EventBusName: 'third', EventPattern: '{"source": ["shop"]}' }));
    await client.send(new PutTargetsCommand({ Rule: 'on-third', EventBusName: 'third', Targets: [{ Id: 'q', Arn: queueArn('orders') }] }));
    await client.send(new PutEventsCommand({ Entries: [{ Source: 'shop', DetailType: 'x', Detail: '{}' }] }));
    await events.idle();
    expect(await bodies('audit')).toHaveLength(1);
    expect(await bodies('orders')).toEqual([]);
    expect(logger.lines.some((line) => line.includes('came from another event bus; as on AWS, rule on-second does not route it on to third'))).toBe(true);
  });

  it('refuses more than 10 entries and more than 256 KB', async () => {
    const entry = { Source: 'shop', DetailType: 'x', Detail: '{}' };
    await expect(client.send(new PutEventsCommand({ Entries: Array(11).fill(entry) }))).rejects.toMatchObject({ name: 'ValidationException' });
    const big = { Source: 'shop', DetailType: 'x', Detail: JSON.stringify({ text: 'x'.repeat(130 * 1024) }) };
    await expect(client.send(new PutEventsCommand({ Entries: [big, big] }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'Total size of the entries in the request is over the limit.',
    });
  });

  it('refuses an invalid pattern with EventBridge’s reason', async () => {
    await expect(client.send(new PutRuleCommand({ Name: 'bad', EventPattern: '{"source": [{"prefix": 1}]}' }))).rejects.toMatchObject({
      name: 'InvalidEventPatternException',
      message: 'Event pattern is not valid. Reason: prefix match pattern must be a string',
    });
    await expect(client.send(new PutRuleCommand({ Name: 'none' }))).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('lists and describes buses, rules and targets, and refuses to delete a rule with targets', async () => {
    await orderRule();
    await client.send(new CreateEventBusCommand({ Name: 'custom' }));
    await expect(client.send(new CreateEventBusCommand({ Name: 'custom' }))).rejects.toMatchObject({ name: 'ResourceAlreadyExistsException' });
    const buses = await client.send(new ListEventBusesCommand({}));
    expect(buses.EventBuses?.map((bus) => bus.Name)).toEqual(['default', 'custom']);
    const rules = await client.send(new ListRulesCommand({}));
    expect(rules.Rules?.map((rule) => [rule.Name, rule.Arn, rule.State])).toEqual([['orders', 'arn:aws:events:us-east-1:000000000000:rule/orders', 'ENABLED']]);
    const described = await client.send(new DescribeRuleCommand({ Name: 'orders' }));
    expect(described.EventBusName).toBe('default');
    const targets = await client.send(new ListTargetsByRuleCommand({ Rule: 'orders' }));
    expect(targets.Targets?.map((target) => target.Id)).toEqual(['queue', 'fn']);
    const byTarget = await client.send(new ListRuleNamesByTargetCommand({ TargetArn: queueArn('orders') }));
    expect(byTarget.RuleNames).toEqual(['orders']);
    await expect(client.send(new DeleteRuleCommand({ Name: 'orders' }))).rejects.toMatchObject({ name: 'ValidationException', message: "Rule can't be deleted since it has targets." });
    await client.send(new RemoveTargetsCommand({ Rule: 'orders', Ids: ['queue', 'fn'] }));
    await client.send(new DeleteRuleCommand({ Name: 'orders' }));
    await expect(client.send(new DescribeRuleCommand({ Name: 'orders' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException', message: 'Rule orders does not exist on EventBus default.' });
  });

  it('tests a pattern against an event', async () => {
    const event = JSON.stringify({ id: '1', account: '1', source: 'shop', time: '2026-01-01T00:00:00Z', region: 'us-east-1', 'detail-type': 'x', resources: [], detail: { total: 5 } });
    const yes = await client.send(new TestEventPatternCommand({ EventPattern: '{"detail": {"total": [{"numeric": ["<", 10]}]}}', Event: event }));
    const no = await client.send(new TestEventPatternCommand({ EventPattern: '{"detail": {"total": [{"numeric": [">", 10]}]}}', Event: event }));
    expect([yes.Result, no.Result]).toEqual([true, false]);
    // The API reference names the event's mandatory fields.
    await expect(client.send(new TestEventPatternCommand({ EventPattern: '{"source": ["shop"]}', Event: '{"source": "shop"}' }))).rejects.toMatchObject({ name: 'ValidationException', message: 'Parameter Event is not valid.' });
  });

  it('transforms the input and forwards to another bus and to SNS', async () => {
    await client.send(new CreateEventBusCommand({ Name: 'audit-bus' }));
    await client.send(new PutRuleCommand({ Name: 'forward', EventPattern: '{"source": ["shop"]}' }));
    await client.send(new PutTargetsCommand({
      Rule: 'forward',
      Targets: [
        { Id: 'bus', Arn: 'arn:aws:events:us-east-1:000000000000:event-bus/audit-bus' },
        { Id: 'topic', Arn: topicArn('alerts'), InputPath: '$.detail' },
      ],
    }));
    await client.send(new PutRuleCommand({ Name: 'audit', EventBusName: 'audit-bus', EventPattern: '{"detail-type": [{"prefix": "Order"}]}' }));
    await client.send(new PutTargetsCommand({
      Rule: 'audit',
      EventBusName: 'audit-bus',
      Targets: [{ Id: 'q', Arn: queueArn('audit'), InputTransformer: { InputPathsMap: { total: '$.detail.total' }, InputTemplate: '"order of <total> via <aws.events.rule-name>"' } }],
    }));
    const topicMessages: string[] = [];
    sns.subscribe({ topicArn: topicArn('alerts'), protocol: 'sqs', endpoint: queueArn('orders'), attributes: { RawMessageDelivery: 'true' } });
    await client.send(new PutEventsCommand({ Entries: [{ Source: 'shop', DetailType: 'Order Placed', Detail: '{"total": 7}' }] }));
    await events.idle();
    await sns.idle();
    expect((await bodies('audit')).map((item) => item.body)).toEqual(['"order of 7 via audit"']);
    for (const item of await bodies('orders')) topicMessages.push(item.body);
    expect(topicMessages).toEqual(['{"total":7}']);
  });

  it('retries a throttled target as its policy says, then dead-letters it with EventBridge’s attributes', async () => {
    lambda.answer = () => ({ statusCode: 429, errorMessage: 'Rate Exceeded. (TooManyRequestsException)' });
    await client.send(new PutRuleCommand({ Name: 'r', EventPattern: '{"source": ["shop"]}' }));
    await client.send(new PutTargetsCommand({
      Rule: 'r',
      Targets: [{ Id: 'fn', Arn: functionArn('busy'), RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 }, DeadLetterConfig: { Arn: queueArn('dead') } }],
    }));
    const put = await client.send(new PutEventsCommand({ Entries: [{ Source: 'shop', DetailType: 'x', Detail: '{}', TraceHeader: `Root=${ROOT};Parent=${CALLER};Sampled=1` }] }));
    await events.idle();
    expect(lambda.requests).toHaveLength(3);
    const dead = await bodies('dead');
    expect(dead).toHaveLength(1);
    expect(JSON.parse(dead[0]?.body ?? '').id).toBe(put.Entries?.[0]?.EventId);
    expect(dead[0]?.attributes).toEqual({
      RULE_ARN: 'arn:aws:events:us-east-1:000000000000:rule/r',
      TARGET_ARN: functionArn('busy'),
      ERROR_CODE: 'THROTTLING',
      ERROR_MESSAGE: 'Rate Exceeded. (TooManyRequestsException)',
      RETRY_ATTEMPTS: '2',
      EXHAUSTED_RETRY_CONDITION: 'MaximumRetryAttempts',
    });
    // The trace header goes with the event to the dead-letter queue.
    expect(dead[0]?.trace).toBe(`Root=${ROOT};Parent=${CALLER};Sampled=1`);
  });

  it('does not retry a target that does not exist, and drops the event with a warning without a dead-letter queue', async () => {
    lambda.answer = () => ({ statusCode: 404, errorMessage: 'Function not found' });
    await client.send(new PutRuleCommand({ Name: 'r', EventPattern: '{"source": ["shop"]}' }));
    await client.send(new PutTargetsCommand({ Rule: 'r', Targets: [{ Id: 'fn', Arn: functionArn('gone') }] }));
    await client.send(new PutEventsCommand({ Entries: [{ Source: 'shop', DetailType: 'x', Detail: '{}' }] }));
    await events.idle();
    expect(lambda.requests).toHaveLength(1);
    expect(logger.lines.some((line) => line.includes('NO_RESOURCE') && line.includes('the event is dropped'))).toBe(true);
  });

  it('dead-letters an event for a queue that does not exist at once, as NO_RESOURCE', async () => {
    await client.send(new PutRuleCommand({ Name: 'r', EventPattern: '{"source": ["shop"]}' }));
    await client.send(new PutTargetsCommand({ Rule: 'r', Targets: [{ Id: 'q', Arn: queueArn('missing'), DeadLetterConfig: { Arn: queueArn('dead') } }] }));
    await client.send(new PutEventsCommand({ Entries: [{ Source: 'shop', DetailType: 'x', Detail: '{}' }] }));
    await events.idle();
    const dead = await bodies('dead');
    expect(dead.map((item) => [item.attributes['ERROR_CODE'], item.attributes['RETRY_ATTEMPTS'], item.attributes['EXHAUSTED_RETRY_CONDITION']])).toEqual([['NO_RESOURCE', '0', undefined]]);
  });

  it('stops retrying when the event is older than MaximumEventAgeInSeconds', async () => {
    // Each wait before a retry moves the clock 40 s: the third retry would come after 120 s.
    const aging = new EventBridgeService({ lambda, queues: sqs, clock, logger, retryDelayMs: () => (clock.advance(40), 0), scheduleIntervalMs: 0 });
    lambda.answer = () => ({ statusCode: 429, errorMessage: 'throttled' });
    aging.putRule({ name: 'r', eventPattern: '{"source": ["shop"]}' });
    aging.putTargets('r', undefined, [{ id: 'fn', arn: functionArn('busy'), retryPolicy: { maximumEventAgeSeconds: 100 }, deadLetterArn: queueArn('dead') }]);
    aging.putEvents([{ source: 'shop', detailType: 'x', detail: '{}' }]);
    await aging.idle();
    expect(lambda.requests).toHaveLength(4);
    const dead = await bodies('dead');
    expect(dead.map((item) => [item.attributes['ERROR_CODE'], item.attributes['RETRY_ATTEMPTS'], item.attributes['EXHAUSTED_RETRY_CONDITION']])).toEqual([['THROTTLING', '3', 'MaximumEventAgeInSeconds']]);
  });

  it('abandons, and logs, a delivery waiting to retry when it stops, instead of waiting out the retry policy', async () => {
    // An hour before each retry: a stop that waited for it would pass the test's timeout.
    const waiting = new EventBridgeService({ lambda, queues: sqs, clock, logger, retryDelayMs: () => 3_600_000, scheduleIntervalMs: 0 });
    lambda.answer = () => ({ statusCode: 429, errorMessage: 'throttled' });
    waiting.putRule({ name: 'r', eventPattern: '{"source": ["shop"]}' });
    waiting.putTargets('r', undefined, [{ id: 'fn', arn: functionArn('busy'), deadLetterArn: queueArn('dead') }]);
    waiting.putEvents([{ source: 'shop', detailType: 'x', detail: '{}' }]);
    await expect.poll(() => lambda.requests.length).toBe(1);
    await waiting.stop();
    expect(lambda.requests).toHaveLength(1);
    expect(logger.lines.some((line) => line.includes(functionArn('busy')) && line.includes('abandoned at stop after 1 failed attempt(s)'))).toBe(true);
    expect(await bodies('dead')).toEqual([]);
  });

  it('does not retry an event nested too deep to send', async () => {
    await client.send(new PutRuleCommand({ Name: 'r', EventPattern: '{"source": ["shop"]}' }));
    await client.send(new PutTargetsCommand({ Rule: 'r', Targets: [{ Id: 'fn', Arn: functionArn('handler') }] }));
    const detail = `{"deep": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    const put = await client.send(new PutEventsCommand({ Entries: [{ Source: 'shop', DetailType: 'x', Detail: detail }] }));
    await events.idle();
    expect(put.FailedEntryCount).toBe(0);
    expect(lambda.requests).toHaveLength(0);
    expect(logger.lines.some((line) => line.includes('INVALID_JSON') && line.includes('the event is dropped'))).toBe(true);
  });

  it('stops delivering to a disabled rule', async () => {
    await orderRule();
    await client.send(new DisableRuleCommand({ Name: 'orders' }));
    await client.send(new PutEventsCommand({ Entries: [{ Source: 'shop', DetailType: 'x', Detail: '{"total": 500}' }] }));
    await events.idle();
    expect(lambda.requests).toHaveLength(0);
  });

  it('holds targets to the API reference’s length limits', async () => {
    await client.send(new PutRuleCommand({ Name: 'r', EventPattern: '{"source": ["shop"]}' }));
    await expect(client.send(new PutTargetsCommand({ Rule: 'r', Targets: [{ Id: 'q', Arn: queueArn('orders'), InputTransformer: { InputTemplate: 'x'.repeat(8193) } }] }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: "1 validation error detected: Value at 'Targets[0].InputTransformer.InputTemplate' failed to satisfy constraint: Member must have length less than or equal to 8192",
    });
    await expect(client.send(new PutTargetsCommand({ Rule: 'r', Targets: [{ Id: 'q', Arn: queueArn('orders'), InputPath: `$.${'a'.repeat(256)}` }] }))).rejects.toMatchObject({ name: 'ValidationException' });
    const ok = await client.send(new PutTargetsCommand({ Rule: 'r', Targets: [{ Id: 'q', Arn: queueArn('orders'), InputTransformer: { InputTemplate: 'x'.repeat(8192) } }] }));
    expect(ok.FailedEntryCount).toBe(0);
  });

  it('refuses Step Functions targets by name, and FIFO queue targets without a MessageGroupId', async () => {
    await client.send(new PutRuleCommand({ Name: 'r', EventPattern: '{"source": ["shop"]}' }));
    const put = await client.send(new PutTargetsCommand({
      Rule: 'r',
      Targets: [
        { Id: 'sfn', Arn: 'arn:aws:states:us-east-1:000000000000:stateMachine:flow', RoleArn: 'arn:aws:iam::000000000000:role/r' },
        { Id: 'fifo', Arn: queueArn('jobs.fifo') },
      ],
    }));
    expect(put.FailedEntryCount).toBe(2);
    expect(put.FailedEntries?.map((entry) => [entry.TargetId, entry.ErrorMessage])).toEqual([
      ['sfn', expect.stringContaining('Step Functions targets do not run')],
      ['fifo', 'SqsParameters.MessageGroupId is required for a FIFO queue target.'],
    ]);
  });

  it('fires a scheduled rule when the clock reaches its time, with no trace header', async () => {
    await client.send(new PutRuleCommand({ Name: 'every5', ScheduleExpression: 'rate(5 minutes)' }));
    await client.send(new PutTargetsCommand({ Rule: 'every5', Targets: [{ Id: 'q', Arn: queueArn('orders') }] }));
    await expect(client.send(new PutRuleCommand({ Name: 'x', EventBusName: 'default', ScheduleExpression: 'rate(1 minutes)' }))).rejects.toMatchObject({ name: 'ValidationException' });
    clock.advance(299);
    events.tick();
    await events.idle();
    expect(await bodies('orders')).toEqual([]);
    clock.advance(301);
    events.tick();
    await events.idle();
    const fired = await bodies('orders');
    expect(fired.map((item) => JSON.parse(item.body) as Record<string, unknown>).map((event) => [event['detail-type'], event['source'], event['time'], event['resources']])).toEqual([
      ['Scheduled Event', 'aws.events', '2026-01-01T00:05:00Z', ['arn:aws:events:us-east-1:000000000000:rule/every5']],
      ['Scheduled Event', 'aws.events', '2026-01-01T00:10:00Z', ['arn:aws:events:us-east-1:000000000000:rule/every5']],
    ]);
    expect(fired.every((item) => item.trace === undefined)).toBe(true);
  });

  it('asks IAM for events:PutEvents on the bus', async () => {
    client.destroy();
    await endpoint.stop();
    const asked: string[] = [];
    await start({ authorize: (_principal, action, resourceArn) => (asked.push(`${action} ${resourceArn}`), { allowed: false, reason: `not allowed: ${action}` }) });
    await expect(client.send(new PutEventsCommand({ Entries: [{ Source: 'shop', DetailType: 'x', Detail: '{}' }] }))).rejects.toMatchObject({ name: 'AccessDeniedException' });
    expect(asked).toEqual([`events:PutEvents ${BUS_ARN}`]);
  });

  it('creates the templates’ buses, rules and targets', async () => {
    const ruleArn = 'arn:aws:events:us-east-1:000000000000:rule/app-bus/OrderRule';
    const warnings = provisionEventBridge(events, cloudModel([
      resource('Stack', 'Bus', 'AWS::Events::EventBus', { Name: 'app-bus' }, 'app-bus', 'arn:aws:events:us-east-1:000000000000:event-bus/app-bus'),
      resource('Stack', 'Rule', 'AWS::Events::Rule', {
        Name: 'OrderRule',
        EventBusName: 'app-bus',
        EventPattern: { source: ['shop'] },
        Targets: [{ Id: 'Target0', Arn: queueArn('orders') }, { Id: 'Target1', Arn: 'arn:aws:states:us-east-1:000000000000:stateMachine:flow' }],
      }, 'app-bus|OrderRule', ruleArn),
    ]));
    expect(warnings).toEqual([expect.stringContaining('target Target1 does not run: Step Functions targets do not run in the local cloud')]);
    await client.send(new PutEventsCommand({ Entries: [{ Source: 'shop', DetailType: 'x', Detail: '{}', EventBusName: 'arn:aws:events:us-east-1:000000000000:event-bus/app-bus' }] }));
    await events.idle();
    expect(await bodies('orders')).toHaveLength(1);
  });
});
