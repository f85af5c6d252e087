import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { provisionQueues, SqliteMessageStore, SqsEventSourceMappings, sqsEventSources, SqsService } from '../../../src/cloud/sqs/index.ts';
import type { InvokeRequest, InvokeResult, LambdaInvoker } from '../../../src/cloud/core/types.ts';
import { capturingLogger, countingIds, FakeClock } from '../endpoint/harness.ts';
import { cloudModel, functionArn, queueArn, queueResource, resource } from '../endpoint/model.ts';
import { eventually } from '../../support/eventually.ts';

const TRACE = { root: '1-67891233-abcdef012345678912345678', parent: '53995c3f42cd8ad8', sampled: true };

/** The pattern's SQS flow as the template reader resolves it. */
function sqsFlowModel(reportBatchItemFailures = true) {
  return cloudModel([
    queueResource('TheSqsFlowStack', 'DeadLetterQueue9F481546', 'dead-letters', { MessageRetentionPeriod: 1209600, SqsManagedSseEnabled: true }),
    queueResource('TheSqsFlowStack', 'Queue4A7E3555', 'hits-queue', {
      RedrivePolicy: { deadLetterTargetArn: queueArn('dead-letters'), maxReceiveCount: 3 },
      SqsManagedSseEnabled: true,
      VisibilityTimeout: 300,
    }),
    resource(
      'TheSqsFlowStack',
      'SqsSubscribeLambdaFunctionSqsEventSource',
      'AWS::Lambda::EventSourceMapping',
      {
        BatchSize: 10,
        EventSourceArn: queueArn('hits-queue'),
        FunctionName: 'sqs-subscriber',
        ...(reportBatchItemFailures ? { FunctionResponseTypes: ['ReportBatchItemFailures'] } : {}),
      },
      'esm-uuid',
    ),
  ]);
}

class RecordingLambda implements LambdaInvoker {
  readonly requests: InvokeRequest[] = [];
  constructor(private readonly answer: (request: InvokeRequest) => InvokeResult) {}
  async invoke(request: InvokeRequest): Promise<InvokeResult> {
    this.requests.push(request);
    return this.answer(request);
  }
}

interface SqsEventRecord {
  messageId: string;
  body: string;
  attributes: Record<string, string>;
  eventSource: string;
  eventSourceARN: string;
  awsRegion: string;
  md5OfBody: string;
  receiptHandle: string;
}

function recordsOf(request: InvokeRequest | undefined): SqsEventRecord[] {
  return (request?.payload as { Records: SqsEventRecord[] }).Records;
}

describe('SQS event source mapping', () => {
  let clock: FakeClock;
  let sqs: SqsService;
  let mappings: SqsEventSourceMappings | undefined;

  beforeEach(async () => {
    clock = new FakeClock();
    sqs = new SqsService({ store: new SqliteMessageStore(':memory:'), clock, ids: countingIds() });
    await sqs.start();
  });

  afterEach(async () => {
    await mappings?.stop();
    await sqs.stop();
  });

  async function run(lambda: LambdaInvoker, reportBatchItemFailures = true): Promise<void> {
    const model = sqsFlowModel(reportBatchItemFailures);
    expect(provisionQueues(sqs, model, capturingLogger())).toEqual([]);
    const { mappings: sources, warnings } = sqsEventSources(model);
    expect(warnings).toEqual([]);
    mappings = new SqsEventSourceMappings({ sqs, lambda, mappings: sources, region: 'us-east-1', pollersPerMapping: 1, waitSeconds: 0.05 });
  }

  it('hands a batch to the function with the SQS event shape and the first record’s trace, then deletes it', async () => {
    const lambda = new RecordingLambda(() => ({ statusCode: 200, payload: { batchItemFailures: [] } }));
    await run(lambda);
    await sqs.sendMessage(queueArn('hits-queue'), 'hello from /prod/a', { trace: TRACE });
    await sqs.sendMessage(queueArn('hits-queue'), 'hello from /prod/b');
    await mappings?.start();
    await eventually(() => lambda.requests.length >= 1);
    await mappings?.stop();
    const request = lambda.requests[0];
    expect(request).toMatchObject({
      functionName: 'sqs-subscriber',
      invocationType: 'RequestResponse',
      trace: TRACE,
      caller: { kind: 'sqs', arn: queueArn('hits-queue') },
    });
    const records = recordsOf(request);
    expect(records.map((r) => r.body)).toEqual(['hello from /prod/a', 'hello from /prod/b']);
    expect(records[0]).toMatchObject({
      eventSource: 'aws:sqs',
      eventSourceARN: queueArn('hits-queue'),
      awsRegion: 'us-east-1',
      md5OfBody: createHash('md5').update('hello from /prod/a').digest('hex'),
      attributes: {
        ApproximateReceiveCount: '1',
        AWSTraceHeader: 'Root=1-67891233-abcdef012345678912345678;Parent=53995c3f42cd8ad8;Sampled=1',
        SentTimestamp: String(clock.millis),
        ApproximateFirstReceiveTimestamp: String(clock.millis),
        SenderId: expect.any(String),
      },
    });
    expect(records[1]?.attributes['AWSTraceHeader']).toBeUndefined();
    clock.advance(301);
    expect(sqs.counts(queueArn('hits-queue'))).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it('links the invocation to the senders of the batch\'s other messages, as X-Ray links an SQS batch', async () => {
    const other = { root: '1-67891234-abcdef012345678912345679', parent: '63995c3f42cd8ad9', sampled: true };
    const lambda = new RecordingLambda(() => ({ statusCode: 200, payload: { batchItemFailures: [] } }));
    await run(lambda);
    await sqs.sendMessage(queueArn('hits-queue'), 'hello from /prod/a', { trace: TRACE });
    await sqs.sendMessage(queueArn('hits-queue'), 'hello from /prod/b', { trace: other });
    await sqs.sendMessage(queueArn('hits-queue'), 'hello from /prod/c');
    await mappings?.start();
    await eventually(() => lambda.requests.length >= 1);
    await mappings?.stop();
    expect(recordsOf(lambda.requests[0])).toHaveLength(3);
    expect(lambda.requests[0]).toMatchObject({ trace: TRACE, links: [other] });
  });

  it('deletes only the successes when the function reports batch item failures', async () => {
    const lambda = new RecordingLambda((request) => ({
      statusCode: 200,
      payload: { batchItemFailures: recordsOf(request).filter((r) => r.body.endsWith('bad')).map((r) => ({ itemIdentifier: r.messageId })) },
    }));
    await run(lambda);
    for (const body of ['one', 'two bad', 'three', 'four bad']) await sqs.sendMessage(queueArn('hits-queue'), body);
    await mappings?.start();
    await eventually(() => lambda.requests.length >= 1);
    await mappings?.stop();
    clock.advance(300);
    const back = await sqs.receive(queueArn('hits-queue'), { maxMessages: 10 });
    expect(back.map((item) => [item.message.body, item.receiveCount])).toEqual([
      ['two bad', 2],
      ['four bad', 2],
    ]);
  });

  it('returns the whole batch when the function throws or names a message not in the batch', async () => {
    let call = 0;
    const lambda = new RecordingLambda(() => {
      call += 1;
      return call === 1
        ? { statusCode: 200, functionError: 'Unhandled', errorMessage: 'boom' }
        : { statusCode: 200, payload: { batchItemFailures: [{ itemIdentifier: 'not-in-batch' }] } };
    });
    await run(lambda);
    await sqs.sendMessage(queueArn('hits-queue'), 'a');
    await sqs.sendMessage(queueArn('hits-queue'), 'b');
    await mappings?.start();
    await eventually(() => lambda.requests.length >= 1);
    clock.advance(300);
    await eventually(() => lambda.requests.length >= 2);
    await mappings?.stop();
    expect(recordsOf(lambda.requests[1]).map((r) => [r.body, r.attributes['ApproximateReceiveCount']])).toEqual([
      ['a', '2'],
      ['b', '2'],
    ]);
    clock.advance(300);
    expect((await sqs.receive(queueArn('hits-queue'), { maxMessages: 10 })).map((item) => item.message.body)).toEqual(['a', 'b']);
  });

  it('ignores batchItemFailures without ReportBatchItemFailures: a successful invocation deletes all', async () => {
    const lambda = new RecordingLambda((request) => ({
      statusCode: 200,
      payload: { batchItemFailures: recordsOf(request).map((r) => ({ itemIdentifier: r.messageId })) },
    }));
    await run(lambda, false);
    await sqs.sendMessage(queueArn('hits-queue'), 'a');
    await mappings?.start();
    await eventually(() => lambda.requests.length >= 1);
    await mappings?.stop();
    clock.advance(300);
    expect(sqs.counts(queueArn('hits-queue'))).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it('skips non-SQS sources with a warning', () => {
    const { mappings: sources, warnings } = sqsEventSources(
      cloudModel([
        resource('S', 'Stream', 'AWS::Lambda::EventSourceMapping', { EventSourceArn: 'arn:aws:kinesis:us-east-1:000000000000:stream/s', FunctionName: functionArn('f') }, 'x'),
      ]),
    );
    expect(sources).toEqual([]);
    expect(warnings).toEqual(['event source mapping S/Stream: only SQS sources run locally (got "arn:aws:kinesis:us-east-1:000000000000:stream/s")']);
  });
});

describe('SQS event source mapping on a FIFO queue', () => {
  let clock: FakeClock;
  let sqs: SqsService;
  let mappings: SqsEventSourceMappings | undefined;
  const QUEUE = 'orders.fifo';

  beforeEach(async () => {
    clock = new FakeClock();
    sqs = new SqsService({ store: new SqliteMessageStore(':memory:'), clock, ids: countingIds() });
    await sqs.start();
    const model = cloudModel([
      queueResource('S', 'Dlq', 'dead.fifo', { FifoQueue: true }),
      queueResource('S', 'Orders', QUEUE, {
        FifoQueue: true,
        VisibilityTimeout: 60,
        RedrivePolicy: { deadLetterTargetArn: queueArn('dead.fifo'), maxReceiveCount: 2 },
      }),
    ]);
    expect(provisionQueues(sqs, model, capturingLogger())).toEqual([]);
  });

  afterEach(async () => {
    await mappings?.stop();
    await sqs.stop();
  });

  function start(lambda: LambdaInvoker, options: { batchSize?: number; pollers?: number } = {}): Promise<void> {
    const { mappings: sources } = sqsEventSources(
      cloudModel([
        resource('S', 'Esm', 'AWS::Lambda::EventSourceMapping', {
          BatchSize: options.batchSize ?? 10,
          EventSourceArn: queueArn(QUEUE),
          FunctionName: 'consumer',
          FunctionResponseTypes: ['ReportBatchItemFailures'],
        }, 'esm-fifo'),
      ]),
    );
    mappings = new SqsEventSourceMappings({ sqs, lambda, mappings: sources, region: 'us-east-1', pollersPerMapping: options.pollers ?? 2, waitSeconds: 0.05 });
    return mappings.start();
  }

  async function send(body: string, group: string): Promise<void> {
    await sqs.sendMessage(queueArn(QUEUE), body, { messageGroupId: group, messageDeduplicationId: body });
  }

  it('carries the FIFO attributes in the records and keeps one batch in flight per group', async () => {
    const pending: Array<() => void> = [];
    const lambda = new RecordingLambda(() => ({ statusCode: 200, payload: {} }));
    // Hold every invocation open until released: the second poller must not get the group's next messages meanwhile.
    const held: LambdaInvoker = {
      invoke: async (request) => {
        const result = await lambda.invoke(request);
        await new Promise<void>((resolve) => pending.push(resolve));
        return result;
      },
    };
    await send('a1', 'a');
    await send('a2', 'a');
    await start(held, { batchSize: 1, pollers: 2 });
    await eventually(() => lambda.requests.length >= 1);
    // The second poller polls on (several empty receives): a2 stays behind a1 while a1 is in flight.
    const receive = sqs.receive.bind(sqs);
    let polls = 0;
    sqs.receive = async (...args) => {
      polls += 1;
      return receive(...args);
    };
    await eventually(() => polls >= 3);
    expect(lambda.requests).toHaveLength(1);
    const [record] = recordsOf(lambda.requests[0]);
    expect(record?.body).toBe('a1');
    expect(record?.attributes).toMatchObject({ MessageGroupId: 'a', MessageDeduplicationId: 'a1', SequenceNumber: expect.stringMatching(/^\d{20}$/) });
    pending.shift()?.();
    await eventually(() => lambda.requests.length >= 2);
    expect(recordsOf(lambda.requests[1]).map((r) => r.body)).toEqual(['a2']);
    pending.shift()?.();
  });

  it('with ReportBatchItemFailures, returns the failed message and the rest of its group, then retries them in order', async () => {
    let call = 0;
    const lambda = new RecordingLambda((request) => {
      call += 1;
      const records = recordsOf(request);
      // The first call reports only a2 (as if the function went on past it); later calls succeed.
      const failures = call === 1 ? records.filter((r) => r.body === 'a2').map((r) => ({ itemIdentifier: r.messageId })) : [];
      return { statusCode: 200, payload: { batchItemFailures: failures } };
    });
    for (const [body, group] of [['a1', 'a'], ['a2', 'a'], ['b1', 'b'], ['a3', 'a'], ['b2', 'b']] as const) await send(body, group);
    await start(lambda, { pollers: 1 });
    await eventually(() => lambda.requests.length >= 1);
    // One group first, then the next, as SQS fills a FIFO batch.
    expect(recordsOf(lambda.requests[0]).map((r) => r.body)).toEqual(['a1', 'a2', 'a3', 'b1', 'b2']);
    // a2 and a3 stay in flight; the b group and a1 are deleted.
    await eventually(() => sqs.counts(queueArn(QUEUE)).inFlight === 2);
    clock.advance(60);
    await eventually(() => lambda.requests.length >= 2);
    await mappings?.stop();
    expect(recordsOf(lambda.requests[1]).map((r) => [r.body, r.attributes['ApproximateReceiveCount']])).toEqual([
      ['a2', '2'],
      ['a3', '2'],
    ]);
    clock.advance(60);
    expect(sqs.counts(queueArn(QUEUE))).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it('a failing message blocks its group until the redrive policy moves it to the FIFO dead-letter queue', async () => {
    const lambda = new RecordingLambda((request) => {
      const records = recordsOf(request);
      return { statusCode: 200, payload: { batchItemFailures: records.filter((r) => r.body === 'poison').map((r) => ({ itemIdentifier: r.messageId })) } };
    });
    await send('poison', 'a');
    await send('after', 'a');
    await send('other', 'b');
    await start(lambda, { pollers: 1 });
    await eventually(() => lambda.requests.length >= 1);
    await eventually(() => sqs.counts(queueArn(QUEUE)).inFlight === 2);
    clock.advance(60);
    await eventually(() => lambda.requests.length >= 2);
    expect(recordsOf(lambda.requests[1]).map((r) => r.body)).toEqual(['poison', 'after']);
    await eventually(() => sqs.counts(queueArn(QUEUE)).inFlight === 2);
    clock.advance(60);
    // Both were received twice (maxReceiveCount 2), since `after` returned with `poison` each time:
    // the next poll moves them to the dead-letter queue in order, as SQS does, and the queue is empty.
    await eventually(() => sqs.counts(queueArn('dead.fifo')).visible === 2);
    await mappings?.stop();
    expect(lambda.requests).toHaveLength(2);
    expect(recordsOf(lambda.requests[0]).map((r) => r.body)).toEqual(['poison', 'after', 'other']);
    expect(sqs.counts(queueArn(QUEUE))).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    const dead = await sqs.receive(queueArn('dead.fifo'), { maxMessages: 10 });
    expect(dead.map((item) => [item.message.body, item.message.messageGroupId])).toEqual([['poison', 'a'], ['after', 'a']]);
  });
});
