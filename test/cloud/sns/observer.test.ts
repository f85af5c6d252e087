import { describe, expect, it } from 'vitest';
import { SnsService } from '../../../src/cloud/sns/index.ts';
import { SqliteMessageStore, SqsService } from '../../../src/cloud/sqs/index.ts';
import { countingIds, FakeClock } from '../endpoint/harness.ts';
import { queueArn } from '../endpoint/model.ts';

describe('SNS observer (AWS/SNS metrics)', () => {
  it('is told of each publish with its size and of each delivery with its final outcome', async () => {
    const clock = new FakeClock();
    const sqs = new SqsService({ store: new SqliteMessageStore(':memory:'), clock, ids: countingIds() });
    await sqs.start();
    sqs.createQueue('inbox');
    const seen: string[] = [];
    const sns = new SnsService({
      lambda: { invoke: async () => ({ statusCode: 500, errorMessage: 'down' }) },
      queues: sqs,
      clock,
      ids: countingIds(),
      // One try: a failed delivery is final at once.
      deliveryPolicy: { maxAttempts: 1, delayBeforeAttemptMs: () => 0 },
      observer: {
        published: (topic, size, nowMs) => seen.push(`published ${topic} ${size} ${nowMs === clock.nowMs()}`),
        delivered: (topic, delivered) => seen.push(`${delivered ? 'delivered' : 'failed'} ${topic}`),
      },
    });
    await sns.start();
    const topic = sns.createTopic('orders');
    sns.subscribe({ topicArn: topic.arn, protocol: 'sqs', endpoint: queueArn('inbox') });
    sns.subscribe({ topicArn: topic.arn, protocol: 'lambda', endpoint: 'arn:aws:lambda:us-east-1:000000000000:function:f' });
    await sns.publish({ topicArn: topic.arn, message: 'hello' });
    await sns.stop();
    await sqs.stop();
    expect(seen.sort()).toEqual(['delivered orders', 'failed orders', 'published orders 5 true']);
  });
});
