import {
  CreateTopicCommand,
  GetSubscriptionAttributesCommand,
  GetTopicAttributesCommand,
  PublishBatchCommand,
  PublishCommand,
  SetSubscriptionAttributesCommand,
  SNSClient,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AwsEndpoint } from '../../../src/cloud/endpoint/index.ts';
import { provisionTopics, SnsApi, SnsService } from '../../../src/cloud/sns/index.ts';
import { SqliteMessageStore, SqsApi, SqsService } from '../../../src/cloud/sqs/index.ts';
import type { InvokeResult, LambdaInvoker } from '../../../src/cloud/core/types.ts';
import { capturingLogger, clientConfig, countingIds, FakeClock, startEndpoint } from '../endpoint/harness.ts';
import { cloudModel, queueArn, resource, topicArn } from '../endpoint/model.ts';

const lambda: LambdaInvoker = { invoke: async (): Promise<InvokeResult> => ({ statusCode: 202 }) };

describe('SNS FIFO topics delivering to SQS FIFO queues', () => {
  let clock: FakeClock;
  let sqs: SqsService;
  let sns: SnsService;
  let endpoint: AwsEndpoint;
  let client: SNSClient;
  let sqsClient: SQSClient;
  let topic: string;

  beforeEach(async () => {
    clock = new FakeClock();
    const ids = countingIds();
    sqs = new SqsService({ store: new SqliteMessageStore(':memory:'), clock, ids });
    sns = new SnsService({ lambda, queues: sqs, clock, ids });
    await sqs.start();
    await sns.start();
    endpoint = await startEndpoint([new SnsApi(sns), new SqsApi(sqs)]);
    client = new SNSClient(clientConfig(endpoint));
    sqsClient = new SQSClient(clientConfig(endpoint));
    topic = (await client.send(new CreateTopicCommand({ Name: 'prices.fifo', Attributes: { FifoTopic: 'true' } }))).TopicArn ?? '';
  });

  afterEach(async () => {
    client.destroy();
    sqsClient.destroy();
    await endpoint.stop();
    await sns.stop();
    await sqs.stop();
  });

  async function fifoQueue(name: string): Promise<string> {
    return (await sqsClient.send(new CreateQueueCommand({ QueueName: name, Attributes: { FifoQueue: 'true' } }))).QueueUrl ?? '';
  }

  async function receiveAll(queueUrl: string) {
    return (await sqsClient.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['All'] }))).Messages ?? [];
  }

  it('creates FIFO topics and refuses names, publishes and subscriptions as SNS does', async () => {
    const attributes = (await client.send(new GetTopicAttributesCommand({ TopicArn: topic }))).Attributes;
    expect(attributes).toMatchObject({ FifoTopic: 'true', ContentBasedDeduplication: 'false' });
    await expect(client.send(new CreateTopicCommand({ Name: 'prices', Attributes: { FifoTopic: 'true' } }))).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: expect.stringContaining('Fifo Topic names must end with .fifo'),
    });
    await expect(client.send(new CreateTopicCommand({ Name: 'prices.fifo' }))).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await expect(client.send(new PublishCommand({ TopicArn: topic, Message: 'x', MessageDeduplicationId: 'd' }))).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: 'Invalid parameter: The MessageGroupId parameter is required for FIFO topics',
    });
    await expect(client.send(new PublishCommand({ TopicArn: topic, Message: 'x', MessageGroupId: 'g' }))).rejects.toMatchObject({
      message: 'Invalid parameter: The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
    });
    await expect(client.send(new SubscribeCommand({ TopicArn: topic, Protocol: 'lambda', Endpoint: 'arn:aws:lambda:us-east-1:000000000000:function:f' }))).rejects.toMatchObject({
      message: 'Invalid parameter: Invalid protocol type: lambda',
    });
    await fifoQueue('subscriber.fifo');
    await expect(
      client.send(
        new SubscribeCommand({
          TopicArn: topic,
          Protocol: 'sqs',
          Endpoint: queueArn('subscriber.fifo'),
          Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: queueArn('standard-dlq') }) },
        }),
      ),
    ).rejects.toMatchObject({ message: 'Invalid parameter: RedrivePolicy: must use a FIFO queue as DLQ for a FIFO Subscription to a FIFO Topic.' });
    // A batch with an entry lacking its group is refused whole, as SNS does.
    await expect(
      client.send(
        new PublishBatchCommand({
          TopicArn: topic,
          PublishBatchRequestEntries: [
            { Id: 'a', Message: 'x', MessageGroupId: 'g', MessageDeduplicationId: 'a' },
            { Id: 'b', Message: 'y', MessageDeduplicationId: 'b' },
          ],
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidParameterException', message: 'Invalid parameter: The MessageGroupId parameter is required for FIFO topics' });
    const standard = (await client.send(new CreateTopicCommand({ Name: 'plain' }))).TopicArn;
    await expect(client.send(new PublishCommand({ TopicArn: standard, Message: 'x', MessageDeduplicationId: 'd' }))).rejects.toMatchObject({
      name: 'InvalidParameterException',
    });
  });

  it('delivers in order per group to each FIFO queue, keeping the group and deduplication ids, and answers SequenceNumber', async () => {
    const wholesale = await fifoQueue('wholesale.fifo');
    const retail = await fifoQueue('retail.fifo');
    for (const name of ['wholesale.fifo', 'retail.fifo']) {
      await client.send(new SubscribeCommand({ TopicArn: topic, Protocol: 'sqs', Endpoint: queueArn(name), Attributes: name === 'retail.fifo' ? { RawMessageDelivery: 'true' } : {} }));
    }
    const sequences: string[] = [];
    for (const [body, group] of [['p1', 'tyres'], ['p2', 'tyres'], ['q1', 'brakes'], ['p3', 'tyres']] as const) {
      const published = await client.send(new PublishCommand({ TopicArn: topic, Message: body, MessageGroupId: group, MessageDeduplicationId: `dedup-${body}` }));
      expect(published.SequenceNumber).toMatch(/^\d{20}$/);
      sequences.push(published.SequenceNumber ?? '');
    }
    expect([...sequences].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1))).toEqual(sequences);
    await sns.idle();
    const envelopes = await receiveAll(wholesale);
    // A receive fills the batch group by group (tyres first: its first message is older), each in order.
    expect(envelopes.map((message) => (JSON.parse(message.Body ?? '{}') as { Message: string }).Message)).toEqual(['p1', 'p2', 'p3', 'q1']);
    expect(envelopes[0]?.Attributes).toMatchObject({ MessageGroupId: 'tyres', MessageDeduplicationId: 'dedup-p1' });
    expect(JSON.parse(envelopes[0]?.Body ?? '{}')).toMatchObject({ Type: 'Notification', SequenceNumber: sequences[0], TopicArn: topic });
    const raw = await receiveAll(retail);
    expect(raw.map((message) => [message.Body, message.Attributes?.['MessageGroupId']])).toEqual([['p1', 'tyres'], ['p2', 'tyres'], ['p3', 'tyres'], ['q1', 'brakes']]);
  });

  it('answers a duplicate publish within 5 minutes as the original and delivers it once; content-based deduplication hashes the message', async () => {
    const queue = await fifoQueue('once.fifo');
    await client.send(new SubscribeCommand({ TopicArn: topic, Protocol: 'sqs', Endpoint: queueArn('once.fifo') }));
    const first = await client.send(new PublishCommand({ TopicArn: topic, Message: 'one', MessageGroupId: 'g', MessageDeduplicationId: 'same' }));
    clock.advance(299);
    const again = await client.send(new PublishCommand({ TopicArn: topic, Message: 'one again', MessageGroupId: 'g', MessageDeduplicationId: 'same' }));
    expect(again).toMatchObject({ MessageId: first.MessageId, SequenceNumber: first.SequenceNumber });
    await client.send(new CreateTopicCommand({ Name: 'hashed.fifo', Attributes: { FifoTopic: 'true', ContentBasedDeduplication: 'true' } }));
    const hashed = topicArn('hashed.fifo');
    await client.send(new SubscribeCommand({ TopicArn: hashed, Protocol: 'sqs', Endpoint: queueArn('once.fifo') }));
    const batch = await client.send(
      new PublishBatchCommand({
        TopicArn: hashed,
        PublishBatchRequestEntries: [
          { Id: 'a', Message: 'body', MessageGroupId: 'h' },
          { Id: 'b', Message: 'body', MessageGroupId: 'h' },
        ],
      }),
    );
    expect(batch.Successful?.[1]).toMatchObject({ MessageId: batch.Successful?.[0]?.MessageId, SequenceNumber: batch.Successful?.[0]?.SequenceNumber });
    await sns.idle();
    const received = await receiveAll(queue);
    expect(received.map((message) => (JSON.parse(message.Body ?? '{}') as { Message: string }).Message)).toEqual(['one', 'body']);
    expect(received[1]?.Attributes?.['MessageDeduplicationId']).toBe(createHash('sha256').update('body').digest('hex'));
  });

  it('sets and reads a subscription’s RedrivePolicy, FIFO rules included, and dead-letters a delivery the queue cannot take', async () => {
    await fifoQueue('dlq.fifo');
    // The subscribed queue does not exist: a client-side error, straight to the dead-letter queue.
    const { SubscriptionArn } = await client.send(new SubscribeCommand({ TopicArn: topic, Protocol: 'sqs', Endpoint: queueArn('gone.fifo') }));
    await expect(
      client.send(new SetSubscriptionAttributesCommand({ SubscriptionArn, AttributeName: 'RedrivePolicy', AttributeValue: JSON.stringify({ deadLetterTargetArn: queueArn('std-dlq') }) })),
    ).rejects.toMatchObject({ message: 'Invalid parameter: RedrivePolicy: must use a FIFO queue as DLQ for a FIFO Subscription to a FIFO Topic.' });
    const policy = JSON.stringify({ deadLetterTargetArn: queueArn('dlq.fifo') });
    await client.send(new SetSubscriptionAttributesCommand({ SubscriptionArn, AttributeName: 'RedrivePolicy', AttributeValue: policy }));
    const attributes = (await client.send(new GetSubscriptionAttributesCommand({ SubscriptionArn }))).Attributes;
    expect(attributes).toMatchObject({ SubscriptionArn, TopicArn: topic, Protocol: 'sqs', Endpoint: queueArn('gone.fifo'), RawMessageDelivery: 'false', RedrivePolicy: policy });
    await client.send(new PublishCommand({ TopicArn: topic, Message: 'lost?', MessageGroupId: 'g', MessageDeduplicationId: 'l' }));
    await sns.idle();
    const [dead] = await receiveAll((await sqsClient.send(new CreateQueueCommand({ QueueName: 'dlq.fifo', Attributes: { FifoQueue: 'true' } }))).QueueUrl ?? '');
    expect(JSON.parse(dead?.Body ?? '{}')).toMatchObject({ Message: 'lost?' });
    expect(dead?.Attributes?.['MessageGroupId']).toBe('g');
  });

  it('creates the FIFO topics of a template', () => {
    const arn = topicArn('S-Prices-ABC.fifo');
    const logger = capturingLogger();
    const warnings = provisionTopics(sns, cloudModel([resource('S', 'Prices', 'AWS::SNS::Topic', { FifoTopic: true, ContentBasedDeduplication: true }, arn)]), logger);
    expect(warnings).toEqual([]);
    expect(sns.topicAttributes(arn)).toMatchObject({ FifoTopic: 'true', ContentBasedDeduplication: 'true' });
  });
});
