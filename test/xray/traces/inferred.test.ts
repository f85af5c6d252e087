/**
 * Inferred segments as AWS returns them from BatchGetTraces. The expected documents follow the
 * developer guide's example ("Getting data from AWS X-Ray", Scorekeep): for a DynamoDB UpdateItem
 * subsegment 4cd3f10b76c624b4 AWS returned
 * {"id":"17ba309b32c7fbaf","name":"DynamoDB","start_time":..,"end_time":..,"parent_id":"4cd3f10b76c624b4",
 *  "inferred":true,"http":{"response":{..}},"aws":{..},"trace_id":..,"origin":"AWS::DynamoDB::Table"},
 * for an SNS Publish subsegment the same with "origin":"AWS::SNS", and none for a Lambda Invoke
 * subsegment whose callee (the AWS::Lambda segment) named it as its parent.
 */
import { BatchGetTracesCommand, PutTraceSegmentsCommand } from '@aws-sdk/client-xray';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { GraphDocument } from '../../../src/xray/model/graph-document.ts';
import { inferredSegments } from '../../../src/xray/traces/inferred.ts';
import { patternTrace } from '../graph/pattern-traces.ts';
import { startApiService, type ApiService } from '../support/api-service.ts';

const TRACE = '1-59602603-23fc5b688855d396af79b496';
const DYNAMO_AWS = { table_name: 'scorekeep-user', operation: 'UpdateItem', request_id: 'MFQ8', resource_names: ['scorekeep-user'] };
const SNS_AWS = { operation: 'Publish', region: 'us-west-2', topic_arn: 'arn:aws:sns:us-west-2:123456789012:NotificationTopic' };

/** The Scorekeep trace of the developer guide, as the SDKs sent it (abridged). */
type Doc = GraphDocument & Record<string, unknown>;

function scorekeep(): Doc[] {
  return [
    {
      id: '194fcc8747581230', name: 'Scorekeep', start_time: 1499473411.562, end_time: 1499473414.794, trace_id: TRACE,
      origin: 'AWS::ElasticBeanstalk::Environment', http: { request: { url: 'http://scorekeep.elasticbeanstalk.com/api/user', method: 'POST' }, response: { status: 200 } },
      subsegments: [
        {
          id: '0c544c1b1bbff948', name: 'Lambda', start_time: 1499473411.629, end_time: 1499473414.572, namespace: 'aws',
          http: { response: { status: 200, content_length: 14 } }, aws: { function_name: 'random-name', operation: 'Invoke' },
        },
        {
          id: '071684f2e555e571', name: '## UserModel.saveUser', start_time: 1499473414.581, end_time: 1499473414.769,
          subsegments: [{
            id: '4cd3f10b76c624b4', name: 'DynamoDB', start_time: 1499473414.69, end_time: 1499473414.769, namespace: 'aws',
            http: { response: { status: 200, content_length: 57 } }, aws: DYNAMO_AWS,
          }],
        },
        {
          id: 'aa00000000000001', name: 'api.example.com', start_time: 1499473414.77, end_time: 1499473414.79, namespace: 'remote', fault: true,
          http: { request: { url: 'https://api.example.com/v1/scores?x=1', method: 'GET' }, response: { status: 503 } },
        },
      ],
    },
    {
      id: '1fb07842d944e714', name: 'random-name', start_time: 1499473411.677, end_time: 1499473414.572, parent_id: '0c544c1b1bbff948',
      trace_id: TRACE, origin: 'AWS::Lambda', http: { response: { status: 200 } },
    },
    {
      id: '00f91aa01f4984fd', name: 'random-name', start_time: 1499473412.83, end_time: 1499473414.57, parent_id: '1fb07842d944e714',
      trace_id: TRACE, origin: 'AWS::Lambda::Function',
      subsegments: [{
        id: 'b29b548af4d54a0f', name: 'SNS', start_time: 1499473413.112, end_time: 1499473414.071, namespace: 'aws',
        http: { response: { status: 200 } }, aws: SNS_AWS,
      }],
    },
  ] as Doc[];
}

describe('inferred segments', () => {
  test('one per AWS or remote call no segment answered, built from the subsegment as AWS builds it', () => {
    const inferred = inferredSegments(TRACE, scorekeep()).map((segment) => ({ id: segment.id, document: JSON.parse(segment.document) as Record<string, unknown> }));
    expect(inferred.map((segment) => segment.document.parent_id)).toEqual(['4cd3f10b76c624b4', 'aa00000000000001', 'b29b548af4d54a0f']);
    const [dynamo, remote, sns] = inferred.map((segment) => segment.document);
    expect(dynamo).toEqual({
      id: inferred[0]!.id, name: 'DynamoDB', start_time: 1499473414.69, end_time: 1499473414.769, parent_id: '4cd3f10b76c624b4', inferred: true,
      http: { response: { status: 200, content_length: 57 } }, aws: DYNAMO_AWS, trace_id: TRACE, origin: 'AWS::DynamoDB::Table',
    });
    // Keys in AWS's order.
    expect(Object.keys(dynamo!)).toEqual(['id', 'name', 'start_time', 'end_time', 'parent_id', 'inferred', 'http', 'aws', 'trace_id', 'origin']);
    expect(sns).toMatchObject({ name: 'SNS', parent_id: 'b29b548af4d54a0f', inferred: true, aws: SNS_AWS, origin: 'AWS::SNS' });
    expect(remote).toEqual({
      id: inferred[1]!.id, name: 'api.example.com', start_time: 1499473414.77, end_time: 1499473414.79, parent_id: 'aa00000000000001', inferred: true,
      http: { request: { url: 'https://api.example.com/v1/scores?x=1', method: 'GET' }, response: { status: 503 } }, fault: true, trace_id: TRACE,
    });
    for (const { id } of inferred) expect(id).toMatch(/^[0-9a-f]{16}$/);
    // The same ids on every read.
    expect(inferredSegments(TRACE, scorekeep()).map((segment) => segment.id)).toEqual(inferred.map((segment) => segment.id));
  });

  test('none when the callee sent its own segment: an SNS segment of its own replaces the inferred one; consumers do not', () => {
    const documents = scorekeep();
    documents.push(<Doc>{ id: 'cc00000000000001', name: 'NotificationTopic', start_time: 1499473413.2, end_time: 1499473413.3, parent_id: 'b29b548af4d54a0f', trace_id: TRACE, origin: 'AWS::SNS' });
    expect(inferredSegments(TRACE, documents).map((segment) => JSON.parse(segment.document).parent_id)).toEqual(['4cd3f10b76c624b4', 'aa00000000000001']);

    const consumer = scorekeep();
    consumer.push(<Doc>{ id: 'cc00000000000002', name: 'subscriber', start_time: 1499473413.2, end_time: 1499473413.3, parent_id: 'b29b548af4d54a0f', trace_id: TRACE, origin: 'AWS::Lambda' });
    expect(inferredSegments(TRACE, consumer).map((segment) => JSON.parse(segment.document).origin)).toEqual(['AWS::DynamoDB::Table', undefined, 'AWS::SNS']);
  });

  test('an SQS send: AWS::SQS::Queue; a call still in progress: in_progress', () => {
    const [inferred] = inferredSegments(TRACE, [({
      id: 'dd00000000000001', name: 'producer', start_time: 10, end_time: 11, trace_id: TRACE, origin: 'AWS::Lambda::Function',
      subsegments: [{ id: 'dd00000000000002', name: 'SQS', start_time: 10.1, in_progress: true, namespace: 'aws', aws: { operation: 'SendMessage', queue_url: 'https://sqs.eu-west-1.amazonaws.com/123456789012/jobs' } }],
    }) as Doc]);
    expect(JSON.parse(inferred!.document)).toMatchObject({ name: 'SQS', start_time: 10.1, in_progress: true, parent_id: 'dd00000000000002', origin: 'AWS::SQS::Queue' });
  });
});

test("the pattern's trace: both topics and the queue (their consumers' segments are no segments of theirs), the table and the HTTPS target", () => {
  const trace = patternTrace(1, 1_780_000_000, { httpFaults: true });
  const inferred = inferredSegments(trace.traceId, trace.documents as Doc[]).map((segment) => JSON.parse(segment.document) as Record<string, unknown>);
  expect(inferred.map((d) => [d.name, d.origin, d.fault])).toEqual([
    ['SNS', 'AWS::SNS', undefined],
    ['SQS', 'AWS::SQS::Queue', undefined],
    ['SNS', 'AWS::SNS', undefined],
    ['DynamoDB', 'AWS::DynamoDB::Table', undefined],
    ['jsonplaceholder.typicode.com', undefined, true],
  ]);
});

describe('BatchGetTraces through XRayClient', () => {
  let api: ApiService;
  beforeAll(async () => {
    api = await startApiService();
  });
  afterAll(async () => api.stop());

  test('returns the segments sent, then the inferred ones', async () => {
    const documents = scorekeep();
    await api.client.send(new PutTraceSegmentsCommand({ TraceSegmentDocuments: documents.map((d) => JSON.stringify(d)) }));
    const [trace] = (await api.client.send(new BatchGetTracesCommand({ TraceIds: [TRACE] }))).Traces ?? [];
    const segments = (trace?.Segments ?? []).map((segment) => JSON.parse(segment.Document!) as Record<string, unknown>);
    expect(segments.filter((s) => s.inferred !== true).map((s) => s.id).sort()).toEqual(documents.map((d) => d.id).sort());
    expect(segments.filter((s) => s.inferred === true).map((s) => [s.name, s.origin])).toEqual([['DynamoDB', 'AWS::DynamoDB::Table'], ['api.example.com', undefined], ['SNS', 'AWS::SNS']]);
    expect(trace?.Segments?.map((s) => s.Id)).toEqual(segments.map((s) => s.id));
  });
});
