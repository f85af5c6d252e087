/**
 * Filter policies through the wire: templates' AWS::SNS::Subscription, the SDK's Subscribe,
 * Get/SetSubscriptionAttributes and Publish, and the AWS CLI v1's `aws sns subscribe --attributes`.
 */
import {
  CreateTopicCommand,
  GetSubscriptionAttributesCommand,
  PublishCommand,
  SetSubscriptionAttributesCommand,
  SNSClient,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AwsEndpoint } from '../../../src/cloud/endpoint/index.ts';
import type { InvokeRequest, InvokeResult, LambdaInvoker } from '../../../src/cloud/core/types.ts';
import { provisionTopics, SnsApi, SnsService } from '../../../src/cloud/sns/index.ts';
import { provisionQueues, SqliteMessageStore, SqsApi, SqsService } from '../../../src/cloud/sqs/index.ts';
import { AWS_CLI_ENV, awsCliMissing } from '../../support/aws-cli.ts';
import { runProcess } from '../../support/run-process.ts';
import { capturingLogger, clientConfig, countingIds, FakeClock, startEndpoint } from '../endpoint/harness.ts';
import type { CapturedLogger } from '../endpoint/harness.ts';
import { cloudModel, functionArn, queueArn, queueResource, resource, topicArn } from '../endpoint/model.ts';

const ORDERS = topicArn('orders');

class FakeLambda implements LambdaInvoker {
  readonly requests: InvokeRequest[] = [];
  async invoke(request: InvokeRequest): Promise<InvokeResult> {
    this.requests.push(request);
    return { statusCode: 202 };
  }
}

/** A topic with a queue filtering on an attribute, a queue filtering on the body and a filtered function, as CDK synthesizes them. */
function model() {
  return cloudModel([
    resource('Orders', 'Topic', 'AWS::SNS::Topic', {}, ORDERS),
    queueResource('Orders', 'Red', 'red'),
    queueResource('Orders', 'Big', 'big'),
    resource('Orders', 'RedSub', 'AWS::SNS::Subscription', { TopicArn: ORDERS, Protocol: 'sqs', Endpoint: queueArn('red'), FilterPolicy: { color: ['red'] } }, `${ORDERS}:1111`),
    resource(
      'Orders',
      'BigSub',
      'AWS::SNS::Subscription',
      { TopicArn: ORDERS, Protocol: 'sqs', Endpoint: queueArn('big'), FilterPolicyScope: 'MessageBody', FilterPolicy: { order: { quantity: [{ numeric: ['>=', 100] }] } }, RawMessageDelivery: true },
      `${ORDERS}:2222`,
    ),
    resource('Orders', 'FnSub', 'AWS::SNS::Subscription', { TopicArn: ORDERS, Protocol: 'lambda', Endpoint: functionArn('audit'), FilterPolicy: { color: [{ 'anything-but': 'red' }] } }, `${ORDERS}:3333`),
  ]);
}

describe('SNS filter policies through the SDK', () => {
  let sqs: SqsService;
  let sns: SnsService;
  let lambda: FakeLambda;
  let logger: CapturedLogger;
  let endpoint: AwsEndpoint;
  let client: SNSClient;
  let sqsClient: SQSClient;

  beforeEach(async () => {
    const clock = new FakeClock();
    const ids = countingIds();
    logger = capturingLogger();
    lambda = new FakeLambda();
    sqs = new SqsService({ store: new SqliteMessageStore(':memory:'), clock, ids });
    sns = new SnsService({ lambda, queues: sqs, clock, ids, logger, deliveryPolicy: { maxAttempts: 1, delayBeforeAttemptMs: () => 0 } });
    await sqs.start();
    await sns.start();
    expect(provisionQueues(sqs, model(), logger)).toEqual([]);
    // The template's filter policies run: no "not supported locally" warning.
    expect(provisionTopics(sns, model(), logger)).toEqual([]);
    endpoint = await startEndpoint([new SnsApi(sns), new SqsApi(sqs)]);
    client = new SNSClient(clientConfig(endpoint));
    sqsClient = new SQSClient(clientConfig(endpoint));
  });

  afterEach(async () => {
    client.destroy();
    sqsClient.destroy();
    await endpoint.stop();
    await sns.stop();
    await sqs.stop();
  });

  async function bodies(name: string): Promise<string[]> {
    const url = `${endpoint.url}/000000000000/${name}`;
    const received = await sqsClient.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }));
    return (received.Messages ?? []).map((message) => message.Body ?? '');
  }

  it('delivers each message only where the templates’ policies match, and counts nothing else as a failure', async () => {
    const publish = (message: string, color?: string) =>
      client.send(new PublishCommand({ TopicArn: ORDERS, Message: message, ...(color !== undefined ? { MessageAttributes: { color: { DataType: 'String', StringValue: color } } } : {}) }));
    await publish(JSON.stringify({ order: { quantity: 5 } }), 'red');
    await publish(JSON.stringify({ order: { quantity: 500 } }), 'blue');
    await publish('not json');
    await sns.idle();

    const red = await bodies('red');
    expect(red.map((body) => (JSON.parse(body) as { Message: string }).Message)).toEqual([JSON.stringify({ order: { quantity: 5 } })]);
    expect(await bodies('big')).toEqual([JSON.stringify({ order: { quantity: 500 } })]);
    // anything-but red: the blue message; the one without attributes matches nothing.
    expect(lambda.requests.map((request) => (request.payload as { Records: Array<{ Sns: { Message: string } }> }).Records[0]?.Sns.Message)).toEqual([
      JSON.stringify({ order: { quantity: 500 } }),
    ]);
    expect(logger.lines.filter((line) => /fail|dropped|lost/.test(line))).toEqual([]);
  });

  it('takes FilterPolicy and FilterPolicyScope on Subscribe and SetSubscriptionAttributes, and answers them on GetSubscriptionAttributes', async () => {
    const queueUrl = (await sqsClient.send(new CreateQueueCommand({ QueueName: 'vip' }))).QueueUrl ?? '';
    const { SubscriptionArn } = await client.send(
      new SubscribeCommand({ TopicArn: ORDERS, Protocol: 'sqs', Endpoint: queueArn('vip'), Attributes: { FilterPolicy: '{"tier":["gold"]}', RawMessageDelivery: 'true' } }),
    );
    const get = async () => (await client.send(new GetSubscriptionAttributesCommand({ SubscriptionArn }))).Attributes ?? {};
    expect(await get()).toMatchObject({ FilterPolicy: '{"tier":["gold"]}', FilterPolicyScope: 'MessageAttributes' });

    await client.send(new PublishCommand({ TopicArn: ORDERS, Message: 'gold', MessageAttributes: { tier: { DataType: 'String', StringValue: 'gold' } } }));
    await client.send(new PublishCommand({ TopicArn: ORDERS, Message: 'silver', MessageAttributes: { tier: { DataType: 'String', StringValue: 'silver' } } }));
    await client.send(new PublishCommand({ TopicArn: ORDERS, Message: 'arrays', MessageAttributes: { tier: { DataType: 'String.Array', StringValue: '["bronze","gold"]' } } }));
    await sns.idle();
    expect((await sqsClient.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }))).Messages?.map((m) => m.Body)).toEqual(['gold', 'arrays']);

    await client.send(new SetSubscriptionAttributesCommand({ SubscriptionArn, AttributeName: 'FilterPolicyScope', AttributeValue: 'MessageBody' }));
    await client.send(new SetSubscriptionAttributesCommand({ SubscriptionArn, AttributeName: 'FilterPolicy', AttributeValue: '{"user":{"tier":[{"prefix":"pl"}]}}' }));
    expect(await get()).toMatchObject({ FilterPolicy: '{"user":{"tier":[{"prefix":"pl"}]}}', FilterPolicyScope: 'MessageBody' });
    // Back to attributes with a nested policy in place: refused, the subscription as it was.
    await expect(client.send(new SetSubscriptionAttributesCommand({ SubscriptionArn, AttributeName: 'FilterPolicyScope', AttributeValue: 'MessageAttributes' }))).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: 'Invalid parameter: Filter policy scope MessageAttributes does not support nested filter policy',
    });
    await expect(client.send(new SetSubscriptionAttributesCommand({ SubscriptionArn, AttributeName: 'FilterPolicyScope', AttributeValue: 'Body' }))).rejects.toMatchObject({
      message: 'Invalid parameter: Attributes Reason: FilterPolicyScope: Invalid value [Body]. Please use either MessageBody or MessageAttributes',
    });
    await client.send(new PublishCommand({ TopicArn: ORDERS, Message: JSON.stringify({ user: { tier: 'platinum' } }) }));
    await client.send(new PublishCommand({ TopicArn: ORDERS, Message: JSON.stringify({ user: { tier: 'gold' } }) }));
    await sns.idle();
    expect((await sqsClient.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }))).Messages?.map((m) => m.Body)).toEqual([
      JSON.stringify({ user: { tier: 'platinum' } }),
    ]);

    // `{}` removes the policy: every message again.
    await client.send(new SetSubscriptionAttributesCommand({ SubscriptionArn, AttributeName: 'FilterPolicy', AttributeValue: '{}' }));
    expect((await get())['FilterPolicy']).toBeUndefined();
    await client.send(new PublishCommand({ TopicArn: ORDERS, Message: 'anything' }));
    await sns.idle();
    expect((await sqsClient.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }))).Messages?.map((m) => m.Body)).toEqual(['anything']);
  });

  it('refuses a policy AWS refuses on Subscribe and creates no subscription', async () => {
    const six = JSON.stringify({ a: ['1'], b: ['1'], c: ['1'], d: ['1'], e: ['1'], f: ['1'] });
    await expect(client.send(new SubscribeCommand({ TopicArn: ORDERS, Protocol: 'sqs', Endpoint: queueArn('red'), Attributes: { FilterPolicy: six } }))).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: 'Invalid parameter: Attributes Reason: FilterPolicy: Filter policy can not have more than 5 keys',
    });
    expect(sns.listSubscriptions(ORDERS)).toHaveLength(3);
  });

  it('filters FIFO subscriptions too, keeping the order of the matching messages', async () => {
    const fifoTopic = (await client.send(new CreateTopicCommand({ Name: 'orders.fifo', Attributes: { FifoTopic: 'true', ContentBasedDeduplication: 'true' } }))).TopicArn ?? '';
    const queueUrl = (await sqsClient.send(new CreateQueueCommand({ QueueName: 'eu.fifo', Attributes: { FifoQueue: 'true' } }))).QueueUrl ?? '';
    await client.send(new SubscribeCommand({ TopicArn: fifoTopic, Protocol: 'sqs', Endpoint: queueArn('eu.fifo'), Attributes: { FilterPolicy: '{"region":["eu"]}', RawMessageDelivery: 'true' } }));
    for (const [message, region] of [['1', 'eu'], ['2', 'us'], ['3', 'eu']] as const) {
      await client.send(new PublishCommand({ TopicArn: fifoTopic, Message: message, MessageGroupId: 'g', MessageAttributes: { region: { DataType: 'String', StringValue: region } } }));
    }
    await sns.idle();
    expect((await sqsClient.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }))).Messages?.map((m) => m.Body)).toEqual(['1', '3']);
  });
});

const missing = awsCliMissing();

describe.skipIf(missing)('aws sns subscribe --attributes FilterPolicy=...', () => {
  it('subscribes with a policy, reads it back, and gets SNS’s error for a bad one', { timeout: 120_000 }, async () => {
    const sqs = new SqsService({ store: new SqliteMessageStore(':memory:') });
    const sns = new SnsService({ lambda: new FakeLambda(), queues: sqs });
    sns.createTopic('orders');
    sqs.createQueue('red');
    const endpoint = await startEndpoint([new SnsApi(sns), new SqsApi(sqs)]);
    const cli = (...args: string[]) => runProcess('aws', ['sns', ...args, '--endpoint-url', endpoint.url, '--region', 'us-east-1'], { env: AWS_CLI_ENV, deadlineMs: 60_000, failAfterDeadline: 'aws' });
    try {
      const subscribed = await cli('subscribe', '--topic-arn', ORDERS, '--protocol', 'sqs', '--notification-endpoint', queueArn('red'), '--attributes', `FilterPolicy='{"color":["red"]}'`);
      expect(subscribed.stderr).toBe('');
      const { SubscriptionArn } = JSON.parse(subscribed.stdout) as { SubscriptionArn: string };
      const read = await cli('get-subscription-attributes', '--subscription-arn', SubscriptionArn);
      expect((JSON.parse(read.stdout) as { Attributes: Record<string, string> }).Attributes).toMatchObject({ FilterPolicy: '{"color":["red"]}', FilterPolicyScope: 'MessageAttributes' });
      const refused = await cli('set-subscription-attributes', '--subscription-arn', SubscriptionArn, '--attribute-name', 'FilterPolicy', '--attribute-value', '{"color":[{"numeric":[">",2000000000]}]}');
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toContain('(InvalidParameter) when calling the SetSubscriptionAttributes operation: Invalid parameter: FilterPolicy: Match value must be between -1.0E9 and 1.0E9, inclusive');
    } finally {
      await endpoint.stop();
      await sns.stop();
      await sqs.stop();
    }
  });
});
