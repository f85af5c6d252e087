import { describe, expect, it } from 'vitest';
import type { InvokeRequest, InvokeResult, LambdaInvoker } from '../../../src/cloud/core/types.ts';
import { StreamEventSourceMappings } from '../../../src/cloud/dynamodb-streams/event-source-mapping.ts';
import type { StreamMappingConfig } from '../../../src/cloud/dynamodb-streams/mapping-config.ts';
import { streamEventSources } from '../../../src/cloud/dynamodb-streams/mapping-config.ts';
import { changeOf } from '../../../src/cloud/dynamodb-streams/stream-record.ts';
import { StreamPoller } from '../../../src/cloud/dynamodb-streams/stream-poller.ts';
import type { RecordFilter, StreamPollerDeps } from '../../../src/cloud/dynamodb-streams/stream-poller.ts';
import { StreamStore } from '../../../src/cloud/dynamodb-streams/stream-store.ts';
import { capturingLogger, countingIds, FakeClock } from '../endpoint/harness.ts';
import { cloudModel, resource } from '../endpoint/model.ts';

const TABLE_ARN = 'arn:aws:dynamodb:us-east-1:000000000000:table/Items';

interface EventRecord {
  eventName: string;
  eventSourceARN: string;
  dynamodb: { Keys: { id: { S: string } }; SequenceNumber: string };
}

/** A function that answers each batch with `answer(ids)`; it keeps what it was sent. */
class FakeFunction implements LambdaInvoker {
  readonly requests: InvokeRequest[] = [];
  constructor(private readonly answer: (ids: string[], records: EventRecord[]) => InvokeResult = () => ({ statusCode: 200 })) {}
  get batches(): string[][] {
    return this.requests.map((request) => this.idsOf(request));
  }
  async invoke(request: InvokeRequest): Promise<InvokeResult> {
    this.requests.push(request);
    return this.answer(this.idsOf(request), (request.payload as { Records: EventRecord[] }).Records);
  }
  private idsOf(request: InvokeRequest): string[] {
    return (request.payload as { Records: EventRecord[] }).Records.map((record) => record.dynamodb.Keys.id.S);
  }
}

const failure: InvokeResult = { statusCode: 200, functionError: 'Unhandled', errorMessage: 'boom' };

function setup(config: Partial<StreamMappingConfig> = {}, fn = new FakeFunction(), filter?: RecordFilter) {
  const clock = new FakeClock();
  const store = new StreamStore(':memory:');
  const stream = store.createStream({ tableArn: TABLE_ARN, tableName: 'Items', viewType: 'NEW_IMAGE', keySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], nowMs: clock.nowMs() });
  const sent: Array<{ arn: string; body: Record<string, Record<string, unknown>> }> = [];
  const logger = capturingLogger();
  const mapping: StreamMappingConfig = {
    id: 'mapping-1', where: 'Stack/Mapping', streamArn: stream.streamArn, functionName: 'consumer', batchSize: 100, batchingWindowMs: 0,
    startingPosition: 'TRIM_HORIZON', bisectBatchOnFunctionError: false, maximumRetryAttempts: -1, maximumRecordAgeMs: undefined,
    reportBatchItemFailures: false, ...config,
  };
  const deps: StreamPollerDeps = {
    store, lambda: fn, region: 'us-east-1', accountId: '000000000000', clock, ids: countingIds(), logger,
    destinations: { send: async (arn, body) => void sent.push({ arn, body: JSON.parse(body) as Record<string, Record<string, unknown>> }) },
    ...(filter !== undefined ? { filter } : {}),
  };
  const write = (...ids: string[]): void => {
    store.append(stream.streamArn, ids.map((id) => changeOf({ keys: { id: { S: id } }, oldImage: undefined, newImage: { id: { S: id } }, viewType: 'NEW_IMAGE', region: 'us-east-1', eventId: `e-${id}` })!), clock.nowMs());
  };
  const poller = (): StreamPoller => new StreamPoller(mapping, deps);
  /** Steps until the poller has nothing more to do now. */
  const drain = async (p: StreamPoller, max = 50): Promise<void> => {
    for (let step = 0; step < max; step += 1) {
      const outcome = await p.step();
      if (outcome.kind === 'idle' || outcome.kind === 'waiting') return;
    }
  };
  return { clock, store, stream, sent, logger, fn, write, poller, drain, mapping, deps };
}

describe('the DynamoDB stream event source mapping', () => {
  it('hands batches of BatchSize in order, as Lambda’s DynamoDB event, on a trace of its own', async () => {
    const t = setup({ batchSize: 2 });
    t.write('a', 'b', 'c');
    await t.drain(t.poller());
    expect(t.fn.batches).toEqual([['a', 'b'], ['c']]);
    const request = t.fn.requests[0]!;
    expect(request).toMatchObject({ functionName: 'consumer', invocationType: 'RequestResponse', caller: { kind: 'dynamodb', arn: t.stream.streamArn } });
    // No trace header: the invocation starts its own trace, not the writer's.
    expect(request.trace).toBeUndefined();
    expect((request.payload as { Records: Array<Record<string, unknown>> }).Records[0]).toMatchObject({
      eventID: 'e-a', eventName: 'INSERT', eventVersion: '1.1', eventSource: 'aws:dynamodb', awsRegion: 'us-east-1', eventSourceARN: t.stream.streamArn,
      dynamodb: { Keys: { id: { S: 'a' } }, NewImage: { id: { S: 'a' } }, StreamViewType: 'NEW_IMAGE', SequenceNumber: expect.stringMatching(/^\d{21}$/) },
    });
  });

  it('LATEST starts after what is there; the checkpoint survives a restart', async () => {
    const t = setup({ startingPosition: 'LATEST' });
    t.write('old');
    const first = t.poller();
    await t.drain(first);
    t.write('new-1');
    await t.drain(first);
    t.write('new-2');
    // A new poller on the same store (a restart) goes on from the checkpoint, not from LATEST again.
    await t.drain(t.poller());
    expect(t.fn.batches).toEqual([['new-1'], ['new-2']]);
  });

  it('AT_TIMESTAMP starts at the first record written at or after the time', async () => {
    const t = setup({ startingPosition: 'AT_TIMESTAMP', startingPositionTimestampMs: new FakeClock().nowMs() + 10_000 });
    t.write('before');
    t.clock.advance(10);
    t.write('at');
    await t.drain(t.poller());
    expect(t.fn.batches).toEqual([['at']]);
  });

  it('waits MaximumBatchingWindowInSeconds for a full batch, on the injected clock', async () => {
    const t = setup({ batchSize: 3, batchingWindowMs: 5000 });
    const p = t.poller();
    t.write('a');
    expect(await p.step()).toEqual({ kind: 'waiting', untilMs: t.clock.nowMs() + 5000 });
    t.clock.advance(2);
    t.write('b');
    expect((await p.step()).kind).toBe('waiting');
    t.clock.advance(3);
    await t.drain(p);
    expect(t.fn.batches).toEqual([['a', 'b']]);
    t.write('c', 'd', 'e');
    await t.drain(p);
    expect(t.fn.batches).toEqual([['a', 'b'], ['c', 'd', 'e']]);
  });

  it('bisects a failing batch, retries MaximumRetryAttempts, and sends the documented invocation record of the discarded records to OnFailure', async () => {
    const fn = new FakeFunction((ids) => (ids.includes('poison') ? failure : { statusCode: 200 }));
    const t = setup({ bisectBatchOnFunctionError: true, maximumRetryAttempts: 1, onFailureDestination: 'arn:aws:sqs:us-east-1:000000000000:dlq' }, fn);
    t.write('a', 'b', 'poison', 'd');
    await t.drain(t.poller());
    expect(fn.batches).toEqual([['a', 'b', 'poison', 'd'], ['a', 'b'], ['poison', 'd'], ['poison'], ['poison'], ['d']]);
    expect(t.sent).toHaveLength(1);
    const poison = fn.requests[3]!;
    const sequence = (poison.payload as { Records: EventRecord[] }).Records[0]!.dynamodb.SequenceNumber;
    expect(t.sent[0]).toEqual({
      arn: 'arn:aws:sqs:us-east-1:000000000000:dlq',
      body: {
        requestContext: { requestId: expect.any(String), functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:consumer', condition: 'RetryAttemptsExhausted', approximateInvokeCount: 3 },
        responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
        version: '1.0',
        timestamp: new Date(t.clock.nowMs()).toISOString(),
        DDBStreamBatchInfo: {
          shardId: t.stream.shardId, startSequenceNumber: sequence, endSequenceNumber: sequence,
          approximateArrivalOfFirstRecord: '2026-01-01T00:00:00Z', approximateArrivalOfLastRecord: '2026-01-01T00:00:00Z', batchSize: 1, streamArn: t.stream.streamArn,
        },
      },
    });
  });

  it('retries a failed batch whole without bisecting, and forever by default (-1)', async () => {
    const fn = new FakeFunction(() => failure);
    const t = setup({}, fn);
    t.write('a', 'b');
    const p = t.poller();
    for (let attempt = 0; attempt < 5; attempt += 1) expect((await p.step()).kind).toBe('failed');
    expect(fn.batches).toEqual(Array.from({ length: 5 }, () => ['a', 'b']));
    expect(t.sent).toEqual([]);
  });

  it('retries a batch the function could not take (missing, throttled) without using up retries, and says so once', async () => {
    const fn = new FakeFunction(() => ({ statusCode: 404, errorMessage: 'Function not found: consumer (ResourceNotFoundException)' }));
    const t = setup({ maximumRetryAttempts: 0, onFailureDestination: 'arn:aws:sqs:us-east-1:000000000000:dlq' }, fn);
    t.write('a');
    const p = t.poller();
    for (let attempt = 0; attempt < 3; attempt += 1) expect((await p.step()).kind).toBe('failed');
    expect(t.sent).toEqual([]);
    expect(t.logger.lines.filter((line) => line.includes('was not invoked'))).toHaveLength(1);
  });

  it('ReportBatchItemFailures checkpoints at the lowest failed sequence number; an invalid report retries the whole batch', async () => {
    let calls = 0;
    const fn = new FakeFunction((_ids, records) => {
      calls += 1;
      if (calls === 1) return { statusCode: 200, payload: { batchItemFailures: [{ itemIdentifier: records[2]!.dynamodb.SequenceNumber }, { itemIdentifier: records[1]!.dynamodb.SequenceNumber }] } };
      if (calls === 2) return { statusCode: 200, payload: { batchItemFailures: [{ itemIdentifier: '' }] } };
      return { statusCode: 200, payload: { batchItemFailures: [] } };
    });
    const t = setup({ reportBatchItemFailures: true }, fn);
    t.write('a', 'b', 'c');
    await t.drain(t.poller());
    expect(fn.batches).toEqual([['a', 'b', 'c'], ['b', 'c'], ['b', 'c']]);
  });

  it('discards records older than MaximumRecordAgeInSeconds without invoking (RecordAgeExceeded)', async () => {
    const t = setup({ maximumRecordAgeMs: 60_000, onFailureDestination: 'arn:aws:sns:us-east-1:000000000000:failures' });
    t.write('stale');
    t.clock.advance(61);
    t.write('fresh');
    await t.drain(t.poller());
    expect(t.fn.batches).toEqual([['fresh']]);
    expect(t.sent.map((sent) => [sent.arn, sent.body['requestContext']?.['condition'], sent.body['requestContext']?.['approximateInvokeCount'], sent.body['DDBStreamBatchInfo']?.['batchSize']]))
      .toEqual([['arn:aws:sns:us-east-1:000000000000:failures', 'RecordAgeExceeded', 0, 1]]);
    expect(t.sent[0]?.body['responseContext']).toBeUndefined();
  });

  it('reports each invoked batch’s IteratorAge: from its last record’s creation to the invocation, in ms', async () => {
    const t = setup({ batchSize: 2 }, new FakeFunction((ids) => (ids.includes('c') ? failure : { statusCode: 200 })));
    const ages: Array<[string, number]> = [];
    t.write('a');
    t.clock.advance(3);
    t.write('b');
    t.clock.advance(2);
    t.write('c');
    t.clock.advance(4);
    const p = new StreamPoller({ ...t.mapping, maximumRetryAttempts: 0 }, { ...t.deps, onBatchInvoked: (functionName, ageMs) => void ages.push([functionName, ageMs]) });
    await t.drain(p);
    // [a, b]: b is 6 s old; [c] ran and failed: still an invocation, 4 s old.
    expect(ages).toEqual([['consumer', 6000], ['consumer', 4000]]);
  });

  it('applies a FilterCriteria filter through the hook: filtered records count as processed', async () => {
    const t = setup({}, new FakeFunction(), (record) => (record as unknown as EventRecord).dynamodb.Keys.id.S !== 'skip');
    t.write('a', 'skip', 'b');
    const p = t.poller();
    await t.drain(p);
    t.write('skip');
    await t.drain(p);
    expect(t.fn.batches).toEqual([['a', 'b']]);
    expect(p.position).toBe(t.store.nextPosition());
  });

  it('warns "FilterCriteria not applied" at start while no pattern engine is plugged in', () => {
    const t = setup();
    const mappings = new StreamEventSourceMappings({
      store: t.store, lambda: t.fn, destinations: { send: async () => {} }, region: 'us-east-1', accountId: '000000000000',
      mappings: [{ ...t.mapping, filterCriteria: { Filters: [{ Pattern: '{"eventName":["INSERT"]}' }] } }],
    });
    expect(mappings.warnings).toEqual(['event source mapping Stack/Mapping: FilterCriteria not applied: every record goes to consumer']);
    const filtered = new StreamEventSourceMappings({
      store: t.store, lambda: t.fn, destinations: { send: async () => {} }, region: 'us-east-1', accountId: '000000000000', filters: () => () => true,
      mappings: [{ ...t.mapping, filterCriteria: { Filters: [] } }],
    });
    expect(filtered.warnings).toEqual([]);
  });
});

describe('stream event source mappings from the templates', () => {
  const streamArn = `${TABLE_ARN}/stream/1970-01-01T00:00:00.000`;
  const mapping = (properties: Record<string, unknown>) => cloudModel([resource('Stack', 'Mapping', 'AWS::Lambda::EventSourceMapping', { EventSourceArn: streamArn, FunctionName: 'consumer', ...properties }, 'uuid-1')]);

  it('reads Lambda’s defaults for stream sources and the template’s settings', () => {
    expect(streamEventSources(mapping({ StartingPosition: 'LATEST' }))).toEqual({
      mappings: [{
        id: 'uuid-1', where: 'Stack/Mapping', streamArn, functionName: 'consumer', batchSize: 100, batchingWindowMs: 0, startingPosition: 'LATEST',
        bisectBatchOnFunctionError: false, maximumRetryAttempts: -1, maximumRecordAgeMs: undefined, reportBatchItemFailures: false,
      }],
      warnings: [],
    });
    const full = streamEventSources(mapping({
      StartingPosition: 'TRIM_HORIZON', BatchSize: 5, MaximumBatchingWindowInSeconds: 2, BisectBatchOnFunctionError: true, MaximumRetryAttempts: 3,
      MaximumRecordAgeInSeconds: 120, FunctionResponseTypes: ['ReportBatchItemFailures'], ParallelizationFactor: 4,
      DestinationConfig: { OnFailure: { Destination: 'arn:aws:sqs:us-east-1:000000000000:dlq' } },
    }));
    expect(full.mappings[0]).toMatchObject({ batchSize: 5, batchingWindowMs: 2000, bisectBatchOnFunctionError: true, maximumRetryAttempts: 3, maximumRecordAgeMs: 120_000, reportBatchItemFailures: true, onFailureDestination: 'arn:aws:sqs:us-east-1:000000000000:dlq' });
    expect(full.warnings).toEqual(['event source mapping Stack/Mapping: ParallelizationFactor 4 is not supported locally; one batch per shard at a time, as with 1']);
  });

  it('runs AT_TIMESTAMP, saying that Lambda refuses it for DynamoDB streams', () => {
    const { mappings, warnings } = streamEventSources(mapping({ StartingPosition: 'AT_TIMESTAMP', StartingPositionTimestamp: 1767225600 }));
    expect(mappings[0]).toMatchObject({ startingPosition: 'AT_TIMESTAMP', startingPositionTimestampMs: 1767225600_000 });
    expect(warnings).toEqual([expect.stringContaining('StartingPosition AT_TIMESTAMP is refused by Lambda for DynamoDB streams')]);
  });

  it('names a mapping it cannot run', () => {
    expect(streamEventSources(mapping({})).warnings[0]).toMatch(/StartingPosition undefined is not TRIM_HORIZON, LATEST or AT_TIMESTAMP/);
    expect(streamEventSources(mapping({ StartingPosition: 'LATEST', BatchSize: 10_001 })).warnings[0]).toMatch(/BatchSize 10001 is not an integer from 1 to 10000/);
  });
});
