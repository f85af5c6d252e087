/**
 * FilterCriteria on the SQS event source mapping, as the Lambda developer guide's "Control which
 * events Lambda sends to your function" describes it for SQS: patterns on the record, the body parsed
 * when it is JSON, filters OR'd, and the messages no filter matches deleted without an invocation.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { provisionQueues, SqliteMessageStore, SqsEventSourceMappings, sqsEventSources, SqsService } from '../../../src/cloud/sqs/index.ts';
import type { InvokeRequest, InvokeResult, LambdaInvoker } from '../../../src/cloud/core/types.ts';
import { capturingLogger, countingIds, FakeClock } from '../endpoint/harness.ts';
import { cloudModel, queueArn, queueResource, resource } from '../endpoint/model.ts';
import { eventually } from '../../support/eventually.ts';

function model(filterCriteria: unknown) {
  return cloudModel([
    queueResource('Stack', 'Queue', 'orders', { VisibilityTimeout: 30 }),
    resource('Stack', 'Mapping', 'AWS::Lambda::EventSourceMapping', { BatchSize: 10, EventSourceArn: queueArn('orders'), FunctionName: 'consumer', FilterCriteria: filterCriteria }, 'esm-uuid'),
  ]);
}

class RecordingLambda implements LambdaInvoker {
  readonly requests: InvokeRequest[] = [];
  async invoke(request: InvokeRequest): Promise<InvokeResult> {
    this.requests.push(request);
    return { statusCode: 200 };
  }
}

describe('SQS event source mapping filter criteria', () => {
  let sqs: SqsService;
  let mappings: SqsEventSourceMappings | undefined;

  beforeEach(async () => {
    sqs = new SqsService({ store: new SqliteMessageStore(':memory:'), clock: new FakeClock(), ids: countingIds() });
    await sqs.start();
  });

  afterEach(async () => {
    await mappings?.stop();
    await sqs.stop();
  });

  async function deliveredBodies(filterCriteria: unknown, bodies: readonly string[]): Promise<string[]> {
    const lambda = new RecordingLambda();
    const cloud = model(filterCriteria);
    expect(provisionQueues(sqs, cloud, capturingLogger())).toEqual([]);
    const { mappings: sources, warnings } = sqsEventSources(cloud);
    expect(warnings).toEqual([]);
    for (const body of bodies) await sqs.sendMessage(queueArn('orders'), body);
    mappings = new SqsEventSourceMappings({ sqs, lambda, mappings: sources, region: 'us-east-1', pollersPerMapping: 1, waitSeconds: 0.05 });
    await mappings.start();
    // Every message is settled: delivered and deleted, or filtered out and deleted.
    await eventually(() => sqs.counts(queueArn('orders')).visible === 0 && sqs.counts(queueArn('orders')).inFlight === 0, { what: 'the queue to empty' });
    await mappings.stop();
    return lambda.requests.flatMap((request) => (request.payload as { Records: Array<{ body: string }> }).Records.map((record) => record.body));
  }

  it('hands over only the messages whose JSON body matches, and deletes the others', async () => {
    const delivered = await deliveredBodies(
      { Filters: [{ Pattern: JSON.stringify({ body: { RequestCode: ['BBBB'] } }) }] },
      ['{"RequestCode": "AAAA"}', '{"RequestCode": "BBBB", "n": 1}', 'RequestCode BBBB', '{"RequestCode": "BBBB", "n": 2}'],
    );
    expect(delivered).toEqual(['{"RequestCode": "BBBB", "n": 1}', '{"RequestCode": "BBBB", "n": 2}']);
  });

  it('ORs the filters, and matches a plain-text body as a string', async () => {
    const delivered = await deliveredBodies(
      { Filters: [{ Pattern: '{"body": [{"prefix": "hello"}]}' }, { Pattern: '{"body": {"total": [{"numeric": [">", 100]}]}}' }] },
      ['hello from /prod/a', 'goodbye', '{"total": 101}', '{"total": 99}'],
    );
    expect(delivered).toEqual(['hello from /prod/a', '{"total": 101}']);
  });

  it('invokes nothing when no message of a batch matches', async () => {
    const delivered = await deliveredBodies({ Filters: [{ Pattern: '{"body": {"kind": ["wanted"]}}' }] }, ['{"kind": "other"}', 'text']);
    expect(delivered).toEqual([]);
  });

  it('names a mapping whose pattern Lambda would refuse, and does not run it', () => {
    const { mappings: sources, warnings } = sqsEventSources(model({ Filters: [{ Pattern: '{"body": []}' }] }));
    expect(sources).toEqual([]);
    expect(warnings).toEqual(['event source mapping Stack/Mapping: Invalid filter pattern definition (Filters[0]: Empty arrays are not allowed); Lambda refuses it, so it does not run']);
  });
});
