import { verify } from 'node:crypto';
import {
  CreateTopicCommand,
  GetTopicAttributesCommand,
  ListSubscriptionsCommand,
  ListTopicsCommand,
  PublishCommand,
  SNSClient,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import type { SNSEvent } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AwsEndpoint } from '../../../src/cloud/endpoint/index.ts';
import { canonicalString, provisionTopics, SnsApi, SnsService } from '../../../src/cloud/sns/index.ts';
import { provisionQueues, SqliteMessageStore, SqsService } from '../../../src/cloud/sqs/index.ts';
import type { Authorizer, InvokeRequest, InvokeResult, LambdaInvoker, SegmentSink } from '../../../src/cloud/core/types.ts';
import { capturingLogger, clientConfig, countingIds, FakeClock, post, startEndpoint, withTraceHeader } from '../endpoint/harness.ts';
import type { CapturedLogger } from '../endpoint/harness.ts';
import { cloudModel, functionArn, queueArn, queueResource, resource, topicArn } from '../endpoint/model.ts';

const ROOT = '1-67891233-abcdef012345678912345678';
const PUBLISHER = '53995c3f42cd8ad8';
const FAN_OUT = topicArn('TheXrayTracerStack-FanOutTopic96D0A2CD-ABC123');

/** The pattern's fan-out topic with a Lambda subscriber (and its DLQ) and an SQS subscriber. */
function model() {
  return cloudModel([
    resource('TheXrayTracerStack', 'FanOutTopic96D0A2CD', 'AWS::SNS::Topic', { DisplayName: 'The X-Ray Tracer fan-out topic', TracingConfig: 'Active' }, FAN_OUT),
    queueResource('TheDynamoFlowStack', 'DynamoLambdaDeadLetters', 'dynamo-dead-letters', { MessageRetentionPeriod: 1209600 }),
    queueResource('TheSqsFlowStack', 'Inbox', 'inbox'),
    resource(
      'TheDynamoFlowStack',
      'DynamoLambdaFunctionFanOutTopic',
      'AWS::SNS::Subscription',
      { Endpoint: functionArn('dynamo-flow'), Protocol: 'lambda', RedrivePolicy: { deadLetterTargetArn: queueArn('dynamo-dead-letters') }, TopicArn: FAN_OUT },
      `${FAN_OUT}:11111111-1111-4111-8111-111111111111`,
    ),
    resource('TheSqsFlowStack', 'InboxSubscription', 'AWS::SNS::Subscription', { Endpoint: queueArn('inbox'), Protocol: 'sqs', TopicArn: FAN_OUT }, `${FAN_OUT}:2222`),
  ]);
}

class FakeLambda implements LambdaInvoker {
  readonly requests: InvokeRequest[] = [];
  fail: ((request: InvokeRequest) => InvokeResult | Error) | undefined;
  async invoke(request: InvokeRequest): Promise<InvokeResult> {
    this.requests.push(request);
    const outcome = this.fail?.(request);
    if (outcome instanceof Error) throw outcome;
    return outcome ?? { statusCode: 202 };
  }
}

describe('SNS through the AWS SDK', () => {
  let clock: FakeClock;
  let sqs: SqsService;
  let sns: SnsService;
  let lambda: FakeLambda;
  let segments: Record<string, unknown>[];
  let logger: CapturedLogger;
  let endpoint: AwsEndpoint;
  let client: SNSClient;

  async function start(authorizer?: Authorizer): Promise<void> {
    endpoint = await startEndpoint([new SnsApi(sns)], authorizer);
    client = new SNSClient(clientConfig(endpoint));
  }

  beforeEach(async () => {
    clock = new FakeClock();
    const ids = countingIds();
    sqs = new SqsService({ store: new SqliteMessageStore(':memory:'), clock, ids });
    lambda = new FakeLambda();
    segments = [];
    const sink: SegmentSink = { send: (document) => segments.push(document) };
    logger = capturingLogger();
    // Three tries without waiting: the schedule itself is delivery-retries.test.ts's.
    sns = new SnsService({ lambda, queues: sqs, segments: sink, clock, ids, logger, deliveryPolicy: { maxAttempts: 3, delayBeforeAttemptMs: () => 0 } });
    expect(provisionQueues(sqs, model(), logger)).toEqual([]);
    expect(provisionTopics(sns, model(), logger)).toEqual([]);
    await start();
  });

  afterEach(async () => {
    client.destroy();
    await endpoint.stop();
    await sns.stop();
    await sqs.stop();
  });

  async function receiveBody(queue: string): Promise<{ body: string; trace: string | undefined }[]> {
    const received = await sqs.receive(queueArn(queue), { maxMessages: 10 });
    return received.map((item) => ({ body: item.message.body, trace: item.message.systemAttributes['AWSTraceHeader']?.stringValue }));
  }

  it('fans a traced publish out to Lambda and SQS under the topic’s own segment', async () => {
    const traced = withTraceHeader(new SNSClient(clientConfig(endpoint)), `Root=${ROOT};Parent=${PUBLISHER};Sampled=1`);
    const published = await traced.send(
      new PublishCommand({ TopicArn: FAN_OUT, Message: '/prod/foo', Subject: 'hit', MessageAttributes: { path: { DataType: 'String', StringValue: '/prod/foo' } } }),
    );
    traced.destroy();
    await sns.idle();

    expect(segments).toHaveLength(1);
    const segment = segments[0] ?? {};
    expect(segment).toMatchObject({
      name: 'TheXrayTracerStack-FanOutTopic96D0A2CD-ABC123',
      origin: 'AWS::SNS',
      trace_id: ROOT,
      parent_id: PUBLISHER,
      start_time: clock.millis / 1000,
      end_time: clock.millis / 1000,
      resource_arn: FAN_OUT,
    });
    expect(segment['id']).toMatch(/^[0-9a-f]{16}$/);
    expect(segment['fault']).toBeUndefined();

    expect(lambda.requests).toHaveLength(1);
    const request = lambda.requests[0];
    expect(request).toMatchObject({
      functionName: functionArn('dynamo-flow'),
      invocationType: 'Event',
      trace: { root: ROOT, parent: segment['id'], sampled: true },
      caller: { kind: 'sns', arn: FAN_OUT },
    });
    const record = (request?.payload as SNSEvent).Records[0];
    expect(record).toMatchObject({
      EventSource: 'aws:sns',
      EventVersion: '1.0',
      EventSubscriptionArn: `${FAN_OUT}:11111111-1111-4111-8111-111111111111`,
      Sns: {
        Type: 'Notification',
        MessageId: published.MessageId,
        TopicArn: FAN_OUT,
        Subject: 'hit',
        Message: '/prod/foo',
        Timestamp: new Date(clock.millis).toISOString(),
        SignatureVersion: '1',
        MessageAttributes: { path: { Type: 'String', Value: '/prod/foo' } },
      },
    });
    expect(record?.Sns.UnsubscribeUrl).toContain(encodeURIComponent(`${FAN_OUT}:11111111-1111-4111-8111-111111111111`));

    const inbox = await receiveBody('inbox');
    expect(inbox).toHaveLength(1);
    expect(inbox[0]?.trace).toBe(`Root=${ROOT};Parent=${String(segment['id'])};Sampled=1`);
    const envelope = JSON.parse(inbox[0]?.body ?? '{}') as Record<string, unknown>;
    expect(envelope).toMatchObject({
      Type: 'Notification',
      MessageId: published.MessageId,
      TopicArn: FAN_OUT,
      Subject: 'hit',
      Message: '/prod/foo',
      SignatureVersion: '1',
      MessageAttributes: { path: { Type: 'String', Value: '/prod/foo' } },
    });
    expect(envelope['Signature']).toBe(record?.Sns.Signature);
  });

  it('answers a publish only once each delivery is handed over: a Lambda still starting holds the answer', async () => {
    let accept: (result: InvokeResult) => void = () => {};
    let arrived: () => void = () => {};
    const invoked = new Promise<void>((resolve) => (arrived = resolve));
    // Lambda's answer to an Event invocation (202) comes once the event is in its journal.
    lambda.invoke = (request) => {
      lambda.requests.push(request);
      arrived();
      return new Promise((resolve) => (accept = resolve));
    };
    let answered = false;
    const publish = Promise.resolve(sns.publish({ topicArn: FAN_OUT, message: '/prod/held' })).then((result) => {
      answered = true;
      return result;
    });
    await invoked;
    await new Promise((resolve) => setImmediate(resolve));
    expect(answered).toBe(false);
    // The SQS subscriber's copy is committed already.
    expect((await receiveBody('inbox')).map((item) => (JSON.parse(item.body) as { Message: string }).Message)).toEqual(['/prod/held']);
    accept({ statusCode: 202 });
    expect((await publish).messageId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('passes an unsampled trace through without a segment', async () => {
    const traced = withTraceHeader(new SNSClient(clientConfig(endpoint)), `Root=${ROOT};Parent=${PUBLISHER};Sampled=0`);
    await traced.send(new PublishCommand({ TopicArn: FAN_OUT, Message: '/prod/bar' }));
    traced.destroy();
    await sns.idle();
    expect(segments).toEqual([]);
    expect(lambda.requests[0]?.trace).toEqual({ root: ROOT, parent: PUBLISHER, sampled: false });
    expect((await receiveBody('inbox'))[0]?.trace).toBe(`Root=${ROOT};Parent=${PUBLISHER};Sampled=0`);
  });

  it('sends a delivery Lambda cannot take to the subscription’s dead-letter queue after its tries', async () => {
    lambda.fail = () => new Error('Lambda is unreachable');
    await client.send(new PublishCommand({ TopicArn: FAN_OUT, Message: '/prod/lost' }));
    await sns.idle();
    expect(lambda.requests).toHaveLength(3);
    const dead = await receiveBody('dynamo-dead-letters');
    expect(dead).toHaveLength(1);
    expect(JSON.parse(dead[0]?.body ?? '{}')).toMatchObject({ Type: 'Notification', Message: '/prod/lost', TopicArn: FAN_OUT });
    expect(logger.lines).toContainEqual(expect.stringContaining('failed after 3 tries (Lambda is unreachable); sent to the dead-letter queue'));
    // The SQS subscriber still got its copy.
    expect(await receiveBody('inbox')).toHaveLength(1);
  });

  it('marks the topic’s segment as a fault when a delivery could not be made', async () => {
    lambda.fail = () => ({ statusCode: 429, errorMessage: 'Rate Exceeded.' });
    const traced = withTraceHeader(new SNSClient(clientConfig(endpoint)), `Root=${ROOT};Parent=${PUBLISHER};Sampled=1`);
    await traced.send(new PublishCommand({ TopicArn: FAN_OUT, Message: '/prod/x' }));
    traced.destroy();
    await sns.idle();
    expect(segments[0]?.['fault']).toBe(true);
    expect(await receiveBody('dynamo-dead-letters')).toHaveLength(1);
  });

  it('creates topics and raw subscriptions through the API', async () => {
    const created = await client.send(new CreateTopicCommand({ Name: 'second', Attributes: { TracingConfig: 'Active' } }));
    expect(created.TopicArn).toBe(topicArn('second'));
    await client.send(new SubscribeCommand({ TopicArn: created.TopicArn, Protocol: 'sqs', Endpoint: queueArn('inbox'), Attributes: { RawMessageDelivery: 'true' } }));
    await client.send(new PublishCommand({ TopicArn: created.TopicArn, Message: 'Simulated Message', MessageAttributes: { k: { DataType: 'String', StringValue: 'v' } } }));
    await sns.idle();
    const received = await sqs.receive(queueArn('inbox'), { maxMessages: 10 });
    expect(received.map((item) => [item.message.body, item.message.messageAttributes])).toEqual([['Simulated Message', { k: { dataType: 'String', stringValue: 'v' } }]]);

    const topics = await client.send(new ListTopicsCommand({}));
    expect(topics.Topics?.map((t) => t.TopicArn)).toEqual([FAN_OUT, topicArn('second')]);
    const attributes = await client.send(new GetTopicAttributesCommand({ TopicArn: FAN_OUT }));
    expect(attributes.Attributes).toMatchObject({ TopicArn: FAN_OUT, TracingConfig: 'Active', DisplayName: 'The X-Ray Tracer fan-out topic', SubscriptionsConfirmed: '2' });
    const subscriptions = await client.send(new ListSubscriptionsCommand({}));
    expect(subscriptions.Subscriptions?.map((s) => [s.Protocol, s.Endpoint])).toEqual([
      ['lambda', functionArn('dynamo-flow')],
      ['sqs', queueArn('inbox')],
      ['sqs', queueArn('inbox')],
    ]);
  });

  it('answers errors in the Query protocol’s XML shape', async () => {
    await expect(client.send(new PublishCommand({ TopicArn: topicArn('missing'), Message: 'x' }))).rejects.toMatchObject({
      name: 'NotFoundException',
      message: `Topic ${topicArn('missing')} does not exist`,
      $metadata: { httpStatusCode: 404 },
    });
    await expect(client.send(new PublishCommand({ TopicArn: FAN_OUT, Message: '' }))).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: 'Invalid parameter: Empty message',
    });
    const bad = await post(endpoint, { 'content-type': 'application/x-www-form-urlencoded' }, 'Action=Frobnicate&Version=2010-03-31');
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('<Error><Type>Sender</Type><Code>InvalidAction</Code><Message>The action Frobnicate is not valid for SNS here.</Message></Error>');
    // Names of Object.prototype's members are not actions either (they were a 500).
    for (const name of ['constructor', 'toString', '__proto__', 'valueOf']) {
      const inherited = await post(endpoint, { 'content-type': 'application/x-www-form-urlencoded' }, `Action=${name}&Version=2010-03-31`);
      expect(inherited.status, name).toBe(400);
      expect(inherited.text, name).toContain(`<Code>InvalidAction</Code><Message>The action ${name} is not valid for SNS here.</Message>`);
    }
    // A form that is not UTF-8, or %-escapes that do not decode to it, are refused rather than read with replacement characters.
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const latin1 = await post(endpoint, form, `Action=Publish&Version=2010-03-31&TopicArn=${encodeURIComponent(FAN_OUT)}&Message=caf\u00e9`);
    expect(latin1.status).toBe(200);
    for (const [body, message] of [
      [Buffer.concat([Buffer.from(`Action=Publish&TopicArn=${encodeURIComponent(FAN_OUT)}&Message=caf`), Buffer.from([0xe9])]), 'The request body is not valid UTF-8.'],
      [`Action=Publish&TopicArn=${encodeURIComponent(FAN_OUT)}&Message=caf%E9`, '&quot;caf%E9&quot; is not valid percent-encoded UTF-8.'],
      [`Action=Publish&TopicArn=${encodeURIComponent(FAN_OUT)}&Message=100%`, '&quot;100%&quot; is not valid percent-encoded UTF-8.'],
    ] as const) {
      const refused = await post(endpoint, form, body);
      expect(refused.status).toBe(400);
      expect(refused.text).toContain(`<Code>MalformedQueryString</Code><Message>${message}</Message>`);
    }
    expect((await post(endpoint, form, `Action=${'x'.repeat(5000)}`)).text).toContain(`<Message>The action ${'x'.repeat(100)}... is not valid for SNS here.</Message>`);
    const missing = await post(endpoint, { 'content-type': 'application/x-www-form-urlencoded' }, 'Action=Subscribe&Version=2010-03-31&TopicArn=x');
    expect(missing.text).toContain('<Code>InvalidParameter</Code><Message>Invalid parameter: The request must contain the parameter Protocol.</Message>');
  });

  it('answers errors as JSON to a caller that accepts JSON, as API Gateway integrations ask', async () => {
    const reply = await post(endpoint, { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      `Action=Publish&Version=2010-03-31&TopicArn=${encodeURIComponent(topicArn('missing'))}&Message=x`);
    expect(reply.status).toBe(404);
    expect(reply.headers.get('content-type')).toBe('application/json');
    expect(JSON.parse(reply.text)).toMatchObject({ Error: { Type: 'Sender', Code: 'NotFound', Message: `Topic ${topicArn('missing')} does not exist` } });
  });

  it('answers AuthorizationError (403) when IAM denies the publish', async () => {
    client.destroy();
    await endpoint.stop();
    const denyPublish: Authorizer = {
      authorize: (_principal, action) => (action === 'sns:Publish' ? { allowed: false, reason: 'no identity-based policy allows the sns:Publish action' } : { allowed: true }),
    };
    await start(denyPublish);
    await expect(client.send(new PublishCommand({ TopicArn: FAN_OUT, Message: 'x' }))).rejects.toMatchObject({
      name: 'AuthorizationErrorException',
      message: `User: access key AKIDTEST is not authorized to perform: sns:Publish on resource: ${FAN_OUT} because no identity-based policy allows the sns:Publish action`,
      $metadata: { httpStatusCode: 403 },
    });
    await client.send(new ListTopicsCommand({}));
    expect(lambda.requests).toEqual([]);
  });

  it('signs notifications over the canonical string, Subject only when set', async () => {
    await client.send(new PublishCommand({ TopicArn: FAN_OUT, Message: '/prod/signed' }));
    await sns.idle();
    const sns0 = (lambda.requests[0]?.payload as SNSEvent).Records[0]?.Sns;
    const notification = {
      messageId: sns0?.MessageId ?? '',
      topicArn: FAN_OUT,
      subject: undefined,
      message: '/prod/signed',
      timestamp: sns0?.Timestamp ?? '',
      messageAttributes: {},
    };
    const canonical = canonicalString(notification);
    expect(canonical).toBe(`Message\n/prod/signed\nMessageId\n${notification.messageId}\nTimestamp\n${notification.timestamp}\nTopicArn\n${FAN_OUT}\nType\nNotification\n`);
    expect(canonicalString({ ...notification, subject: 's' })).toContain('MessageId\n' + notification.messageId + '\nSubject\ns\nTimestamp\n');
    const signature = Buffer.from(sns0?.Signature ?? '', 'base64');
    expect(verify('RSA-SHA1', Buffer.from(canonical), sns.signingPublicKey(), signature)).toBe(true);
    expect(verify('RSA-SHA1', Buffer.from(canonical.replace('/prod/signed', '/prod/forged')), sns.signingPublicKey(), signature)).toBe(false);
  });
});
