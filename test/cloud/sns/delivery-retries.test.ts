import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SnsService } from '../../../src/cloud/sns/index.ts';
import { AWS_MANAGED_DELIVERY_POLICY } from '../../../src/cloud/sns/delivery-policy.ts';
import { SqliteMessageStore, SqsService } from '../../../src/cloud/sqs/index.ts';
import type { InvokeResult, LambdaInvoker, QueueService } from '../../../src/cloud/core/types.ts';
import { capturingLogger, countingIds, FakeClock } from '../endpoint/harness.ts';
import type { CapturedLogger } from '../endpoint/harness.ts';
import { eventually } from '../../support/eventually.ts';
import { queueArn } from '../endpoint/model.ts';

/** A queue service whose `flaky` queues fail (as a server-side error) a given number of times. */
class FlakyQueues implements QueueService {
  failuresLeft = 0;
  tries = 0;
  constructor(private readonly sqs: SqsService) {}
  async sendMessage(...args: Parameters<QueueService['sendMessage']>): ReturnType<QueueService['sendMessage']> {
    if (args[0].includes('flaky')) {
      this.tries += 1;
      if (this.failuresLeft > 0) {
        this.failuresLeft -= 1;
        throw new Error('SQS is unavailable');
      }
    }
    return this.sqs.sendMessage(...args);
  }
}

describe('SNS delivery retries and subscription dead-letter queues', () => {
  let sqs: SqsService;
  let queues: FlakyQueues;
  let sns: SnsService;
  let logger: CapturedLogger;
  let waits: number[];
  let lambdaAnswers: InvokeResult[];
  let lambdaCalls: number;

  beforeEach(async () => {
    const clock = new FakeClock();
    const ids = countingIds();
    sqs = new SqsService({ store: new SqliteMessageStore(':memory:'), clock, ids });
    await sqs.start();
    for (const name of ['flaky', 'dlq', 'flaky.fifo', 'dlq.fifo']) sqs.createQueue(name, name.endsWith('.fifo') ? { FifoQueue: 'true' } : {});
    queues = new FlakyQueues(sqs);
    logger = capturingLogger();
    waits = [];
    lambdaAnswers = [];
    lambdaCalls = 0;
    const lambda: LambdaInvoker = {
      invoke: async () => {
        lambdaCalls += 1;
        return lambdaAnswers.shift() ?? { statusCode: 202 };
      },
    };
    // Records each wait and goes on at once: the schedule is asserted, not waited for.
    sns = new SnsService({ lambda, queues, clock, ids, logger, sleep: async (millis) => void waits.push(millis) });
    await sns.start();
  });

  afterEach(async () => {
    await sns.stop();
    await sqs.stop();
  });

  async function deadLetters(queue = 'dlq') {
    return sqs.receive(queueArn(queue), { maxMessages: 10 });
  }

  it('has SNS’s policy for AWS-managed endpoints: 100,015 tries over 23 days', () => {
    const policy = AWS_MANAGED_DELIVERY_POLICY;
    expect(policy.maxAttempts).toBe(100_015);
    // 3 tries without delay, 2 one second apart, 10 with backoff from 1 s to 20 s, then every 20 s.
    const waits = Array.from({ length: 16 }, (_, index) => policy.delayBeforeAttemptMs(index + 2));
    expect(waits).toEqual([0, 0, 1000, 1000, 1000, 1395, 1946, 2714, 3786, 5282, 7368, 10278, 14337, 20000, 20000, 20000]);
    let totalMs = 0;
    for (let attempt = 2; attempt <= policy.maxAttempts; attempt += 1) totalMs += policy.delayBeforeAttemptMs(attempt);
    expect(totalMs / 86_400_000).toBeGreaterThan(23);
    expect(totalMs / 86_400_000).toBeLessThan(24);
  });

  it('retries a server-side failure by the policy, then sends the notification to the dead-letter queue with SNS’s attributes', async () => {
    // The AWS policy cut to its first 16 tries: its phases, not its 23 days.
    sns = new SnsService({ lambda: { invoke: async () => ({ statusCode: 202 }) }, queues, logger, ids: countingIds(), sleep: async (millis) => void waits.push(millis), deliveryPolicy: { ...AWS_MANAGED_DELIVERY_POLICY, maxAttempts: 16 } });
    const topic = sns.createTopic('orders');
    sns.subscribe({ topicArn: topic.arn, protocol: 'sqs', endpoint: queueArn('flaky'), attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: queueArn('dlq') }) } });
    queues.failuresLeft = Number.POSITIVE_INFINITY;
    const { messageId } = await sns.publish({ topicArn: topic.arn, message: 'never arrives' });
    await sns.idle();
    expect(queues.tries).toBe(16);
    expect(waits).toEqual([0, 0, 1000, 1000, 1000, 1395, 1946, 2714, 3786, 5282, 7368, 10278, 14337, 20000, 20000]);
    const [dead] = await deadLetters();
    expect(JSON.parse(dead?.message.body ?? '{}')).toMatchObject({ Type: 'Notification', MessageId: messageId, Message: 'never arrives' });
    expect(dead?.message.messageAttributes).toMatchObject({
      ErrorCode: { dataType: 'String', stringValue: 'InternalError' },
      ErrorMessage: { dataType: 'String', stringValue: 'SQS is unavailable' },
      RequestID: { dataType: 'String', stringValue: expect.any(String) },
    });
    expect(logger.lines).toContainEqual(expect.stringContaining(`delivery of ${messageId} to ${queueArn('flaky')} failed after 16 tries (SQS is unavailable); sent to the dead-letter queue`));
  });

  it('delivers on a later try of the schedule, with no dead letter', async () => {
    const topic = sns.createTopic('orders');
    sns.subscribe({ topicArn: topic.arn, protocol: 'sqs', endpoint: queueArn('flaky'), attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: queueArn('dlq') }) } });
    queues.failuresLeft = 5;
    await sns.publish({ topicArn: topic.arn, message: 'sixth time lucky' });
    await sns.idle();
    expect(queues.tries).toBe(6);
    expect(waits).toEqual([0, 0, 1000, 1000, 1000]);
    expect((await sqs.receive(queueArn('flaky'))).map((item) => JSON.parse(item.message.body).Message)).toEqual(['sixth time lucky']);
    expect(await deadLetters()).toEqual([]);
  });

  it('does not retry a client-side error (the queue is gone): straight to the dead-letter queue', async () => {
    const topic = sns.createTopic('orders');
    sns.subscribe({ topicArn: topic.arn, protocol: 'sqs', endpoint: queueArn('deleted'), attributes: { RawMessageDelivery: 'true', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: queueArn('dlq') }) } });
    await sns.publish({ topicArn: topic.arn, message: 'raw body', messageAttributes: { kind: { Type: 'String', Value: 'order' } } });
    await sns.idle();
    expect(waits).toEqual([]);
    const [dead] = await deadLetters();
    // Raw delivery: the message as the subscriber would have had it, its attributes and SNS's.
    expect(dead?.message.body).toBe('raw body');
    expect(dead?.message.messageAttributes).toMatchObject({
      kind: { stringValue: 'order' },
      ErrorCode: { stringValue: 'AWS.SimpleQueueService.NonExistentQueue' },
      ErrorMessage: { stringValue: expect.stringContaining('The specified queue does not exist') },
    });
    expect(logger.lines).toContainEqual(expect.stringContaining('failed after a client-side error, not retried'));
  });

  it('retries Lambda’s throttling but not a missing function, and logs a loss without a dead-letter queue', async () => {
    const topic = sns.createTopic('events');
    sns.subscribe({ topicArn: topic.arn, protocol: 'lambda', endpoint: 'consumer' });
    lambdaAnswers.push({ statusCode: 429, errorMessage: 'Rate Exceeded. (TooManyRequestsException)' }, { statusCode: 500 });
    await sns.publish({ topicArn: topic.arn, message: 'third try' });
    await sns.idle();
    expect(lambdaCalls).toBe(3);
    expect(logger.lines.filter((line) => line.includes('dropped'))).toEqual([]);
    lambdaAnswers.push({ statusCode: 404, errorMessage: 'Function not found: consumer (ResourceNotFoundException)' });
    const { messageId } = await sns.publish({ topicArn: topic.arn, message: 'nobody home' });
    await sns.idle();
    expect(lambdaCalls).toBe(4);
    expect(logger.lines).toContainEqual(
      `warn sns: delivery of ${messageId} to consumer failed after a client-side error, not retried (Lambda answered 404: Function not found: consumer (ResourceNotFoundException)); the subscription has no dead-letter queue, the message is dropped`,
    );
  });

  it('sends a FIFO subscription’s failed delivery to its FIFO dead-letter queue with the group', async () => {
    const topic = sns.createTopic('prices.fifo', { FifoTopic: 'true' });
    // The queue is gone: a client-side error, straight to the dead-letter queue.
    sns.subscribe({ topicArn: topic.arn, protocol: 'sqs', endpoint: queueArn('gone.fifo'), attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: queueArn('dlq.fifo') }) } });
    await sns.publish({ topicArn: topic.arn, message: 'p1', messageGroupId: 'tyres', messageDeduplicationId: 'p1' });
    await sns.idle();
    const [dead] = await deadLetters('dlq.fifo');
    expect([dead?.message.messageGroupId, dead?.message.messageDeduplicationId]).toEqual(['tyres', 'p1']);
  });

  it('abandons a retry waiting for its next try when the service stops, and says so', async () => {
    let release: (() => void) | undefined;
    const stopping = new SnsService({
      lambda: { invoke: async () => ({ statusCode: 202 }) },
      queues,
      logger,
      deliveryPolicy: AWS_MANAGED_DELIVERY_POLICY,
      // Waits until the stop aborts it.
      sleep: (_millis, signal) => new Promise<void>((resolve) => {
        release = resolve;
        signal.addEventListener('abort', () => resolve(), { once: true });
      }),
    });
    const topic = stopping.createTopic('orders');
    stopping.subscribe({ topicArn: topic.arn, protocol: 'sqs', endpoint: queueArn('flaky') });
    queues.failuresLeft = Number.POSITIVE_INFINITY;
    await stopping.publish({ topicArn: topic.arn, message: 'interrupted' });
    await eventually(() => release !== undefined);
    await stopping.stop();
    expect(logger.lines).toContainEqual(expect.stringMatching(/abandoned after 1 tries as the local cloud stops \(SQS is unavailable\); the message is lost$/));
  });
});
