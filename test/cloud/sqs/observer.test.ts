import { describe, expect, it } from 'vitest';
import { SqliteMessageStore, SqsService } from '../../../src/cloud/sqs/index.ts';
import { countingIds, FakeClock } from '../endpoint/harness.ts';

describe('SQS observer (AWS/SQS metrics)', () => {
  it('is told of sends, of how many messages a receive returned, and of deletes that removed a message', async () => {
    const seen: string[] = [];
    const sqs = new SqsService({
      store: new SqliteMessageStore(':memory:'), clock: new FakeClock(), ids: countingIds(),
      observer: {
        sent: (queue) => seen.push(`sent ${queue}`),
        received: (queue, count) => seen.push(`received ${queue} ${count}`),
        deleted: (queue) => seen.push(`deleted ${queue}`),
      },
    });
    await sqs.start();
    const queue = sqs.createQueue('jobs');
    sqs.send(queue.url, { body: 'a' });
    sqs.send(queue.url, { body: 'b' });
    const received = await sqs.receive(queue.url, { maxMessages: 10 });
    expect(await sqs.receive(queue.url, { maxMessages: 10 })).toEqual([]);
    sqs.deleteMessage(queue.url, received[0]!.receiptHandle);
    // The same handle again deletes nothing.
    sqs.deleteMessage(queue.url, received[0]!.receiptHandle);
    await sqs.stop();
    expect(seen).toEqual(['sent jobs', 'sent jobs', 'received jobs 2', 'deleted jobs']);
  });
});
