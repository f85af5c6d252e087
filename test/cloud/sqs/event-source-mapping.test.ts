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
