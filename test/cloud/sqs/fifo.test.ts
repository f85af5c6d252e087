import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AwsEndpoint } from '../../../src/cloud/endpoint/index.ts';
import { provisionQueues, SqliteMessageStore, SqsApi, SqsService } from '../../../src/cloud/sqs/index.ts';
import { cloudModel, queueArn, queueResource } from '../endpoint/model.ts';
import { capturingLogger } from '../endpoint/harness.ts';
import type { IdSource } from '../../../src/cloud/endpoint/index.ts';
import { clientConfig, countingIds, FakeClock, post, startEndpoint } from '../endpoint/harness.ts';

const FORM = {
  authorization: 'AWS4-HMAC-SHA256 Credential=AKIDTEST/20260101/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=0',
  'content-type': 'application/x-www-form-urlencoded',
};

describe('SQS FIFO queues through the AWS SDK', () => {
  let dir: string;
  let clock: FakeClock;
  let sqs: SqsService;
  let endpoint: AwsEndpoint;
  let client: SQSClient;
  let queueUrl: string;

  async function open(ids: IdSource = countingIds()): Promise<void> {
    sqs = new SqsService({ store: new SqliteMessageStore(join(dir, 'sqs.db')), clock, ids });
    await sqs.start();
    endpoint = await startEndpoint([new SqsApi(sqs)]);
    client = new SQSClient(clientConfig(endpoint));
  }

  async function close(): Promise<void> {
    client.destroy();
    await endpoint.stop();
    await sqs.stop();
  }

  async function send(body: string, group: string, dedup?: string) {
    return client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body, MessageGroupId: group, ...(dedup !== undefined ? { MessageDeduplicationId: dedup } : {}) }));
  }

  async function receive(max = 10, extra: { ReceiveRequestAttemptId?: string; VisibilityTimeout?: number } = {}) {
    return (await client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: max, MessageSystemAttributeNames: ['All'], ...extra }))).Messages ?? [];
  }

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sqs-fifo-'));
    clock = new FakeClock();
    await open();
    queueUrl = (await client.send(new CreateQueueCommand({ QueueName: 'orders.fifo', Attributes: { FifoQueue: 'true' } }))).QueueUrl ?? '';
  });

  afterEach(async () => {
    await close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates FIFO queues with their attributes and refuses names and attributes as SQS does', async () => {
    const attributes = (await client.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['All'] }))).Attributes;
    expect(attributes).toMatchObject({ FifoQueue: 'true', ContentBasedDeduplication: 'false', DeduplicationScope: 'queue', FifoThroughputLimit: 'perQueue' });
    await expect(client.send(new CreateQueueCommand({ QueueName: 'no-suffix', Attributes: { FifoQueue: 'true' } }))).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message: expect.stringContaining('must end with .fifo suffix'),
    });
    await expect(client.send(new CreateQueueCommand({ QueueName: 'suffix-only.fifo' }))).rejects.toMatchObject({ name: 'InvalidParameterValue' });
    await expect(client.send(new CreateQueueCommand({ QueueName: 'std', Attributes: { ContentBasedDeduplication: 'true' } }))).rejects.toMatchObject({
      name: 'InvalidAttributeName',
    });
    await expect(
      client.send(new CreateQueueCommand({ QueueName: 'bad.fifo', Attributes: { FifoQueue: 'true', DeduplicationScope: 'everything' } })),
    ).rejects.toMatchObject({ name: 'InvalidAttributeValue' });
    await expect(client.send(new SetQueueAttributesCommand({ QueueUrl: queueUrl, Attributes: { FifoQueue: 'false' } }))).rejects.toMatchObject({
      name: 'InvalidAttributeValue',
    });
    // FifoQueue=false is a standard queue, as SQS takes it.
    const standard = await client.send(new CreateQueueCommand({ QueueName: 'plain', Attributes: { FifoQueue: 'false' } }));
    expect(standard.QueueUrl).toMatch(/\/plain$/);
  });

  it('requires a MessageGroupId and a deduplication id or content-based deduplication', async () => {
    await expect(client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'x', MessageDeduplicationId: 'd' }))).rejects.toMatchObject({
      name: 'MissingParameter',
      message: 'The request must contain the parameter MessageGroupId.',
    });
    await expect(send('x', 'g')).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message: 'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
    });
    await expect(client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'x', MessageGroupId: 'g', MessageDeduplicationId: 'd', DelaySeconds: 5 }))).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message: 'Value 5 for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type.',
    });
    await expect(send('x', 'g\u00e9', 'd')).rejects.toMatchObject({ name: 'InvalidParameterValue', message: expect.stringContaining('MessageGroupId can only include') });
    await expect(send('x', 'g', 'd'.repeat(129))).rejects.toMatchObject({ name: 'InvalidParameterValue' });
  });

  it('answers a duplicate within 5 minutes with the original MessageId and does not enqueue it', async () => {
    const first = await send('one', 'g', 'same');
    expect(first.SequenceNumber).toMatch(/^\d{20}$/);
    clock.advance(299);
    const duplicate = await send('one again', 'g', 'same');
    expect(duplicate).toMatchObject({ MessageId: first.MessageId, SequenceNumber: first.SequenceNumber });
    const received = await receive();
    expect(received.map((message) => message.Body)).toEqual(['one']);
    clock.advance(1);
    const later = await send('one, later', 'g', 'same');
    expect(later.MessageId).not.toBe(first.MessageId);
    expect(BigInt(later.SequenceNumber ?? '0')).toBeGreaterThan(BigInt(first.SequenceNumber ?? '0'));
  });

  it('deduplicates by the body SHA-256 with ContentBasedDeduplication, and per group with DeduplicationScope=messageGroup', async () => {
    await client.send(new SetQueueAttributesCommand({ QueueUrl: queueUrl, Attributes: { ContentBasedDeduplication: 'true', DeduplicationScope: 'messageGroup' } }));
    const first = await send('same body', 'a');
    expect((await send('same body', 'a')).MessageId).toBe(first.MessageId);
    // Another group: not a duplicate under messageGroup scope.
    expect((await send('same body', 'b')).MessageId).not.toBe(first.MessageId);
    const received = await receive();
    expect(received.map((message) => [message.Body, message.Attributes?.['MessageGroupId']])).toEqual([['same body', 'a'], ['same body', 'b']]);
    expect(received[0]?.Attributes?.['MessageDeduplicationId']).toBe(createHash('sha256').update('same body').digest('hex'));
  });

  it('never hands out a group\'s messages while one of them is in flight, keeps the order within a group and fills a batch from one group first', async () => {
    for (const [body, group] of [['a1', 'a'], ['b1', 'b'], ['a2', 'a'], ['a3', 'a'], ['b2', 'b']] as const) await send(body, group, body);
    // As many of one group as the batch takes, as SQS does, so that other consumers get the other groups.
    const first = await receive(2);
    expect(first.map((message) => message.Body)).toEqual(['a1', 'a2']);
    expect(first[0]?.Attributes).toMatchObject({ MessageGroupId: 'a', MessageDeduplicationId: 'a1', SequenceNumber: expect.stringMatching(/^\d{20}$/) });
    expect((await receive()).map((message) => message.Body)).toEqual(['b1', 'b2']);
    // Both groups are in flight.
    expect(await receive()).toEqual([]);
    // a2 is still in flight: a3 waits.
    await client.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: first[0]?.ReceiptHandle }));
    expect(await receive()).toEqual([]);
    await client.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: first[1]?.ReceiptHandle }));
    expect((await receive()).map((message) => message.Body)).toEqual(['a3']);
    // After the visibility timeout, the b group comes back first (its first message is older), in order.
    clock.advance(30);
    const again = await receive();
    expect(again.map((message) => message.Body)).toEqual(['b1', 'b2', 'a3']);
    expect(again[0]?.Attributes?.['ApproximateReceiveCount']).toBe('2');
  });

  it('wakes a long poll when a delete frees the group it waits for', async () => {
    await send('first', 'g', 'first');
    await send('second', 'g', 'second');
    const [first] = await sqs.receive(queueUrl);
    const waiting = sqs.receive(queueUrl, { waitSeconds: 20 });
    sqs.deleteMessage(queueUrl, first?.receiptHandle ?? '');
    expect((await waiting).map((item) => item.message.body)).toEqual(['second']);
  });

  it('returns the same messages and receipt handles to a retry with the same ReceiveRequestAttemptId', async () => {
    await send('m1', 'g', 'm1');
    await send('m2', 'g', 'm2');
    const first = await receive(10, { ReceiveRequestAttemptId: 'attempt-1' });
    expect(first.map((message) => message.Body)).toEqual(['m1', 'm2']);
    clock.advance(20);
    const retry = await receive(10, { ReceiveRequestAttemptId: 'attempt-1' });
    expect(retry.map((message) => message.ReceiptHandle)).toEqual(first.map((message) => message.ReceiptHandle));
    // The retry reset the visibility timeout: 29 s later they are still in flight.
    clock.advance(29);
    expect(await receive()).toEqual([]);
    // Once a message changed, the attempt id is a new receive: m2 still in flight blocks the group.
    await client.send(new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: first[0]?.ReceiptHandle, VisibilityTimeout: 0 }));
    expect(await receive(10, { ReceiveRequestAttemptId: 'attempt-1' })).toEqual([]);
    await client.send(new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: first[1]?.ReceiptHandle, VisibilityTimeout: 0 }));
    const fresh = await receive(10, { ReceiveRequestAttemptId: 'attempt-1' });
    expect(fresh.map((message) => message.Body)).toEqual(['m1', 'm2']);
    expect(fresh[0]?.ReceiptHandle).not.toBe(first[0]?.ReceiptHandle);
  });

  it('answers SendMessageBatch entries with their SequenceNumber and fails an entry without a group alone', async () => {
    const result = await client.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: [
          { Id: 'one', MessageBody: 'b1', MessageGroupId: 'g', MessageDeduplicationId: 'b1' },
          { Id: 'two', MessageBody: 'b2', MessageDeduplicationId: 'b2' },
          { Id: 'three', MessageBody: 'b3', MessageGroupId: 'g', MessageDeduplicationId: 'b3' },
        ],
      }),
    );
    expect(result.Successful?.map((entry) => entry.Id)).toEqual(['one', 'three']);
    expect(result.Successful?.[0]?.SequenceNumber).toMatch(/^\d{20}$/);
    expect(result.Failed).toEqual([{ Id: 'two', SenderFault: true, Code: 'MissingParameter', Message: 'The request must contain the parameter MessageGroupId.' }]);
  });

  it('refuses a dead-letter queue of the other type, and moves a FIFO message to its FIFO dead-letter queue in order', async () => {
    await client.send(new CreateQueueCommand({ QueueName: 'standard-dlq' }));
    const dlqUrl = (await client.send(new CreateQueueCommand({ QueueName: 'dlq.fifo', Attributes: { FifoQueue: 'true' } }))).QueueUrl ?? '';
    const policy = (name: string) => JSON.stringify({ deadLetterTargetArn: `arn:aws:sqs:us-east-1:000000000000:${name}`, maxReceiveCount: 1 });
    await expect(client.send(new SetQueueAttributesCommand({ QueueUrl: queueUrl, Attributes: { RedrivePolicy: policy('standard-dlq') } }))).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message: expect.stringContaining('Reason: Dead-letter queue must be same type of queue as the source.'),
    });
    await expect(client.send(new CreateQueueCommand({ QueueName: 'std-src', Attributes: { RedrivePolicy: policy('dlq.fifo') } }))).rejects.toMatchObject({
      name: 'InvalidParameterValue',
    });
    await client.send(new SetQueueAttributesCommand({ QueueUrl: queueUrl, Attributes: { RedrivePolicy: policy('dlq.fifo') } }));
    await send('poison', 'g', 'p');
    await send('next', 'g', 'n');
    expect((await receive()).map((message) => message.Body)).toEqual(['poison', 'next']);
    clock.advance(30);
    // Both were received once: both go to the dead-letter queue, in order, keeping their group.
    expect(await receive()).toEqual([]);
    const dead = (await client.send(new ReceiveMessageCommand({ QueueUrl: dlqUrl, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['All'] }))).Messages ?? [];
    expect(dead.map((message) => [message.Body, message.Attributes?.['MessageGroupId'], message.Attributes?.['DeadLetterQueueSourceArn']])).toEqual([
      ['poison', 'g', 'arn:aws:sqs:us-east-1:000000000000:orders.fifo'],
      ['next', 'g', 'arn:aws:sqs:us-east-1:000000000000:orders.fifo'],
    ]);
  });

  it('keeps the deduplication interval and the in-flight groups across a restart', async () => {
    const first = await send('before', 'g', 'keep');
    await send('second', 'g', 'second');
    expect((await receive(1)).map((message) => message.Body)).toEqual(['before']);
    await close();
    await open(countingIds2());
    clock.advance(10);
    expect((await send('after', 'g', 'keep')).MessageId).toBe(first.MessageId);
    expect(await receive()).toEqual([]);
    clock.advance(20);
    expect((await receive()).map((message) => message.Body)).toEqual(['before', 'second']);
  });

  it('creates the FIFO queues of a template with their properties (no longer refused)', async () => {
    const model = cloudModel([
      queueResource('S', 'Dlq', 'S-Dlq-ABC.fifo', { FifoQueue: true }),
      queueResource('S', 'Work', 'S-Work-ABC.fifo', {
        FifoQueue: true,
        ContentBasedDeduplication: true,
        DeduplicationScope: 'messageGroup',
        FifoThroughputLimit: 'perMessageGroupId',
        RedrivePolicy: { deadLetterTargetArn: queueArn('S-Dlq-ABC.fifo'), maxReceiveCount: 3 },
      }),
    ]);
    expect(provisionQueues(sqs, model, capturingLogger())).toEqual([]);
    expect(sqs.attributes('S-Work-ABC.fifo')).toMatchObject({ FifoQueue: 'true', ContentBasedDeduplication: 'true', DeduplicationScope: 'messageGroup', FifoThroughputLimit: 'perMessageGroupId' });
    expect(sqs.send('S-Work-ABC.fifo', { body: 'x', messageGroupId: 'g' }).sequenceNumber).toMatch(/^\d{20}$/);
  });

  it('speaks the Query protocol: MessageGroupId in, SequenceNumber out', async () => {
    const body = new URLSearchParams({ Action: 'SendMessage', QueueUrl: queueUrl, MessageBody: 'q', MessageGroupId: 'g', MessageDeduplicationId: 'q', Version: '2012-11-05' });
    const reply = await post(endpoint, FORM, body.toString());
    expect(reply.text).toContain('SendMessageResponse');
    expect(reply.status).toBe(200);
    expect(reply.text).toMatch(/<SequenceNumber>\d{20}<\/SequenceNumber>/);
    const missing = new URLSearchParams({ Action: 'SendMessage', QueueUrl: queueUrl, MessageBody: 'q', Version: '2012-11-05' });
    const refused = await post(endpoint, FORM, missing.toString());
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('<Code>MissingParameter</Code>');
  });
});

/** Ids that do not collide with the first run's. */
function countingIds2(): IdSource {
  const base = countingIds();
  return { uuid: () => base.uuid().replace(/^0/, '1'), hex: (bytes) => base.hex(bytes) };
}
