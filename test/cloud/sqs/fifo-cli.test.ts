/**
 * The AWS CLI v1 (botocore's Query or JSON protocol, whichever it speaks) against SQS FIFO queues
 * and SNS FIFO topics on the local endpoint: what `aws sqs send-message --message-group-id` and
 * `aws sns publish --message-group-id` send is what AWS takes, and answered as AWS answers it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AwsEndpoint } from '../../../src/cloud/endpoint/index.ts';
import { SqliteMessageStore, SqsApi, SqsService } from '../../../src/cloud/sqs/index.ts';
import { SnsApi, SnsService } from '../../../src/cloud/sns/index.ts';
import { awsCli, awsCliMissing } from '../../support/aws-cli.ts';
import { startEndpoint } from '../endpoint/harness.ts';

const missing = awsCliMissing() ? 'the AWS CLI (aws) is missing' : undefined;

describe.skipIf(missing !== undefined)('SQS FIFO and SNS FIFO through the AWS CLI', () => {
  let sqs: SqsService;
  let sns: SnsService;
  let endpoint: AwsEndpoint;

  async function aws(...args: string[]): Promise<{ code: number | null; json: Record<string, unknown>; stderr: string }> {
    const run = await awsCli(endpoint.url, args);
    return { ...run, json: run.json ?? {} };
  }

  beforeAll(async () => {
    sqs = new SqsService({ store: new SqliteMessageStore(':memory:') });
    await sqs.start();
    sns = new SnsService({ lambda: { invoke: async () => ({ statusCode: 202 }) }, queues: sqs });
    await sns.start();
    endpoint = await startEndpoint([new SnsApi(sns), new SqsApi(sqs)]);
  });

  afterAll(async () => {
    await endpoint.stop();
    await sns.stop();
    await sqs.stop();
  });

  it('creates a FIFO queue, sends with --message-group-id, deduplicates, receives in order with the FIFO attributes', async () => {
    const created = await aws('sqs', 'create-queue', '--queue-name', 'cli.fifo', '--attributes', 'FifoQueue=true,ContentBasedDeduplication=true');
    expect(created.code).toBe(0);
    const url = String(created.json['QueueUrl']);
    const first = await aws('sqs', 'send-message', '--queue-url', url, '--message-body', 'first', '--message-group-id', 'g1');
    expect(first.json).toMatchObject({ MessageId: expect.any(String), SequenceNumber: expect.stringMatching(/^\d{20}$/) });
    const duplicate = await aws('sqs', 'send-message', '--queue-url', url, '--message-body', 'first', '--message-group-id', 'g1');
    expect(duplicate.json['MessageId']).toBe(first.json['MessageId']);
    await aws('sqs', 'send-message', '--queue-url', url, '--message-body', 'second', '--message-group-id', 'g1', '--message-deduplication-id', 'two');
    const refused = await aws('sqs', 'send-message', '--queue-url', url, '--message-body', 'no group');
    expect(refused.code).toBe(255);
    expect(refused.stderr).toContain('MissingParameter');
    const received = await aws('sqs', 'receive-message', '--queue-url', url, '--max-number-of-messages', '10', '--attribute-names', 'All');
    const messages = received.json['Messages'] as Array<{ Body: string; Attributes: Record<string, string> }>;
    expect(messages.map((message) => message.Body)).toEqual(['first', 'second']);
    expect(messages[1]?.Attributes).toMatchObject({ MessageGroupId: 'g1', MessageDeduplicationId: 'two', SequenceNumber: expect.stringMatching(/^\d{20}$/) });
  }, 120_000);

  it('publishes to a FIFO topic with --message-group-id and delivers to the subscribed FIFO queue with the group', async () => {
    const topic = await aws('sns', 'create-topic', '--name', 'cli-topic.fifo', '--attributes', 'FifoTopic=true,ContentBasedDeduplication=true');
    expect(topic.code).toBe(0);
    const topicArn = String(topic.json['TopicArn']);
    const queue = await aws('sqs', 'create-queue', '--queue-name', 'cli-sub.fifo', '--attributes', 'FifoQueue=true');
    const url = String(queue.json['QueueUrl']);
    const subscribed = await aws('sns', 'subscribe', '--topic-arn', topicArn, '--protocol', 'sqs', '--notification-endpoint', sqs.queue(url).arn);
    expect(subscribed.code).toBe(0);
    const published = await aws('sns', 'publish', '--topic-arn', topicArn, '--message', 'price 42', '--message-group-id', 'tyres');
    expect(published.json).toMatchObject({ MessageId: expect.any(String), SequenceNumber: expect.stringMatching(/^\d{20}$/) });
    const refused = await aws('sns', 'publish', '--topic-arn', topicArn, '--message', 'no group');
    expect(refused.code).toBe(255);
    expect(refused.stderr).toContain('The MessageGroupId parameter is required for FIFO topics');
    await sns.idle();
    const received = await aws('sqs', 'receive-message', '--queue-url', url, '--attribute-names', 'All');
    const [message] = received.json['Messages'] as Array<{ Body: string; Attributes: Record<string, string> }>;
    expect(JSON.parse(message?.Body ?? '{}')).toMatchObject({ Message: 'price 42', SequenceNumber: published.json['SequenceNumber'] });
    expect(message?.Attributes['MessageGroupId']).toBe('tyres');
  }, 120_000);
});
