/** Malformed requests to a table with a stream and to the Streams API: AWS-shaped 4xx answers, never a 5xx, and no record. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbStreamsApi } from '../../../src/cloud/dynamodb-streams/streams-api.ts';
import { post } from '../endpoint/harness.ts';
import type { StreamsHarness } from './support.ts';
import { startStreams, streamTableModel, TABLE, TEMPLATE_STREAM_ARN } from './support.ts';

const AUTH = 'AWS4-HMAC-SHA256 Credential=AKIDTEST/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0';

describe('malformed requests with streams', () => {
  let h: StreamsHarness;
  beforeAll(async () => {
    h = await startStreams(streamTableModel(), (_capturing, store, clock) => [new DynamoDbStreamsApi({ store, clock })]);
  });
  afterAll(async () => {
    await h.close();
  });

  const call = (target: string, body: unknown) =>
    post(h.endpoint, { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': target, authorization: AUTH }, typeof body === 'string' ? body : JSON.stringify(body));

  it.each([
    ['PutItem', { TableName: TABLE, Item: { id: { S: 5 } } }],
    ['PutItem', { TableName: TABLE, Item: { id: 'bare' } }],
    ['PutItem', { TableName: TABLE, Item: { id: { N: 'not a number' } } }],
    ['PutItem', { TableName: TABLE, Item: { other: { S: 'no key' } } }],
    ['UpdateItem', { TableName: TABLE, Key: { id: { S: 'a' }, extra: { S: 'x' } }, UpdateExpression: 'SET n = :n', ExpressionAttributeValues: { ':n': { N: '1' } } }],
    ['DeleteItem', { TableName: TABLE, Key: { id: { B: '***' } } }],
    ['BatchWriteItem', { RequestItems: { [TABLE]: [{ PutRequest: { Item: { id: { S: 'a' } } } }, { PutRequest: { Item: { id: { S: 'a' } } } }] } }],
    ['BatchWriteItem', { RequestItems: { [TABLE]: [{ PutRequest: {} }] } }],
    ['UpdateTable', { TableName: TABLE, StreamSpecification: { StreamViewType: 'NEW_IMAGE' } }],
    ['UpdateTable', { TableName: TABLE, StreamSpecification: 'on' }],
    ['UpdateTable', { TableName: 'missing', StreamSpecification: { StreamEnabled: false } }],
  ])('DynamoDB_20120810.%s %j is a 400 as without a stream, with no record', async (operation, body) => {
    const answer = await call(`DynamoDB_20120810.${operation}`, body);
    expect(answer.status).toBe(400);
    // dynalite's SerializationException has no message; the others name the problem.
    expect(JSON.parse(answer.text)).toMatchObject({ __type: expect.stringMatching(/#\w+Exception$/) });
    expect(h.store.read(TEMPLATE_STREAM_ARN, 0, 10)).toEqual([]);
  });

  it.each([
    ['ListStreams', { Limit: 0 }],
    ['ListStreams', { Limit: 'ten' }],
    ['ListStreams', { TableName: 5 }],
    ['DescribeStream', {}],
    ['DescribeStream', { StreamArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/x/stream/y' }],
    ['GetShardIterator', { StreamArn: TEMPLATE_STREAM_ARN, ShardId: 'x', ShardIteratorType: 'SOMEWHERE' }],
    ['GetShardIterator', { StreamArn: TEMPLATE_STREAM_ARN, ShardId: 'x', ShardIteratorType: 'AT_SEQUENCE_NUMBER', SequenceNumber: '-1' }],
    ['GetRecords', { ShardIterator: `${TEMPLATE_STREAM_ARN}|1|${Buffer.from('{"a":1}').toString('base64url')}` }],
    ['GetRecords', { ShardIterator: 'x'.repeat(5000) }],
    ['GetRecords', {}],
    ['GetRecords', '[1]'],
    ['GetRecords', '{not json'],
    ['Unknown', {}],
  ])('DynamoDBStreams_20120810.%s %j is a 400', async (operation, body) => {
    const answer = await call(`DynamoDBStreams_20120810.${operation}`, body);
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text)).toMatchObject({ __type: expect.stringMatching(/#\w+Exception$/), message: expect.any(String) });
  });
});
