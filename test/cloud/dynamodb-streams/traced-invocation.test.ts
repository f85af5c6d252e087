/**
 * X-Ray as on AWS: a stream-triggered invocation starts a trace of its own (no link to the
 * writer's), with the AWS::Lambda and AWS::Lambda::Function segments of any invocation.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import type { SegmentSink } from '../../../src/cloud/core/types.ts';
import { StreamPoller } from '../../../src/cloud/dynamodb-streams/stream-poller.ts';
import { LambdaService } from '../../../src/cloud/lambda/service.ts';
import { seededRandom } from '../../../src/cloud/tracing/ids.ts';
import { capturingLogger as endpointLogger, countingIds, withTraceHeader } from '../endpoint/harness.ts';
import { capturingLogger, functionConfig, writeBundle } from '../lambda/support.ts';
import { startStreams, TABLE, TEMPLATE_STREAM_ARN } from './support.ts';

const ROOT = mkdtempSync(join(tmpdir(), 'streams-traced-'));
const WRITER_ROOT = '1-5759e988-bd862e3fe1be46a994272793';

describe('a stream-triggered invocation in X-Ray', () => {
  afterAll(() => rmSync(ROOT, { recursive: true, force: true }));

  it('starts its own trace: AWS::Lambda without a parent, the function segment under it, not the writer’s trace', async () => {
    const h = await startStreams();
    const sent: Array<Record<string, unknown>> = [];
    const sink: SegmentSink = { send: (document) => sent.push(document) };
    const fn = functionConfig('stream-consumer', writeBundle(ROOT, 'consumer', 'export const handler = async (event) => event.Records.length;'));
    const lambda = new LambdaService({ functions: [fn], endpointUrl: h.endpoint.url, daemonAddress: '127.0.0.1:2000', segmentSink: sink, logger: capturingLogger().logger, random: seededRandom(7) });
    await lambda.start();
    try {
      const client = withTraceHeader(h.client, `Root=${WRITER_ROOT};Parent=53995c3f42cd8ad8;Sampled=1`);
      await client.send(new PutItemCommand({ TableName: TABLE, Item: { id: { S: 'a' } } }));
      const poller = new StreamPoller(
        { id: 'm', where: 'Stack/Mapping', streamArn: TEMPLATE_STREAM_ARN, functionName: fn.name, batchSize: 100, batchingWindowMs: 0, startingPosition: 'TRIM_HORIZON', bisectBatchOnFunctionError: false, maximumRetryAttempts: 0, maximumRecordAgeMs: undefined, reportBatchItemFailures: false },
        { store: h.store, lambda, destinations: { send: async () => {} }, region: 'us-east-1', accountId: '000000000000', clock: h.clock, ids: countingIds(), logger: endpointLogger() },
      );
      expect(await poller.step()).toEqual({ kind: 'progress' });
      const service = sent.find((document) => document['origin'] === 'AWS::Lambda');
      const function_ = sent.find((document) => document['origin'] === 'AWS::Lambda::Function');
      expect(service).toMatchObject({ name: 'stream-consumer', http: { response: { status: 200 } } });
      expect(service?.['parent_id']).toBeUndefined();
      expect(service?.['trace_id']).not.toBe(WRITER_ROOT);
      expect(function_).toMatchObject({ trace_id: service?.['trace_id'], parent_id: service?.['id'] });
    } finally {
      await lambda.stop();
      await h.close();
    }
  });
});
