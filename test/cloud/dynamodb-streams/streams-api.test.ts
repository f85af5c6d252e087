import { DeleteItemCommand, PutItemCommand, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand, DynamoDBStreamsClient, ExpiredIteratorException, GetRecordsCommand, GetShardIteratorCommand, type GetRecordsCommandOutput, ListStreamsCommand, ResourceNotFoundException, TrimmedDataAccessException,
} from '@aws-sdk/client-dynamodb-streams';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DynamoDbStreamsApi } from '../../../src/cloud/dynamodb-streams/streams-api.ts';
import { clientConfig } from '../endpoint/harness.ts';
import type { StreamsHarness } from './support.ts';
import { startStreams, streamTableModel, TABLE, TEMPLATE_STREAM_ARN } from './support.ts';

describe('the DynamoDB Streams API through @aws-sdk/client-dynamodb-streams', () => {
  let h: StreamsHarness;
  let streams: DynamoDBStreamsClient;
  beforeEach(async () => {
    h = await startStreams(streamTableModel(), (_capturing, store, clock) => [new DynamoDbStreamsApi({ store, clock })]);
    streams = new DynamoDBStreamsClient(clientConfig(h.endpoint));
  });
  afterEach(async () => {
    streams.destroy();
    await h.close();
  });

  const put = (id: string) => h.client.send(new PutItemCommand({ TableName: TABLE, Item: { id: { S: id } } }));
  const shardOf = async () => (await streams.send(new DescribeStreamCommand({ StreamArn: TEMPLATE_STREAM_ARN }))).StreamDescription?.Shards?.[0]?.ShardId ?? '';
  const iterator = async (type: 'TRIM_HORIZON' | 'LATEST' | 'AT_SEQUENCE_NUMBER' | 'AFTER_SEQUENCE_NUMBER', sequenceNumber?: string) =>
    (await streams.send(new GetShardIteratorCommand({ StreamArn: TEMPLATE_STREAM_ARN, ShardId: await shardOf(), ShardIteratorType: type, ...(sequenceNumber !== undefined ? { SequenceNumber: sequenceNumber } : {}) }))).ShardIterator ?? '';

  it('lists and describes the table’s stream with its one shard', async () => {
    const listed = await streams.send(new ListStreamsCommand({ TableName: TABLE }));
    expect(listed.Streams).toEqual([{ StreamArn: TEMPLATE_STREAM_ARN, TableName: TABLE, StreamLabel: '1970-01-01T00:00:00.000' }]);
    expect((await streams.send(new ListStreamsCommand({ TableName: 'other' }))).Streams).toEqual([]);
    const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: TEMPLATE_STREAM_ARN }));
    expect(StreamDescription).toMatchObject({
      StreamArn: TEMPLATE_STREAM_ARN,
      StreamStatus: 'ENABLED',
      StreamViewType: 'NEW_AND_OLD_IMAGES',
      TableName: TABLE,
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      CreationRequestDateTime: new Date(h.clock.nowMs()),
    });
    expect(StreamDescription?.Shards).toEqual([{ ShardId: expect.stringMatching(/^shardId-\d{20}-[0-9a-f]{8}$/), SequenceNumberRange: { StartingSequenceNumber: expect.stringMatching(/^\d{21}$/) } }]);
  });

  it('reads records from TRIM_HORIZON in pages of Limit, then from LATEST only what is new', async () => {
    for (const id of ['a', 'b', 'c']) await put(id);
    let shardIterator: string | undefined = await iterator('TRIM_HORIZON');
    const pages: string[][] = [];
    for (let page = 0; page < 3 && shardIterator !== undefined; page += 1) {
      const answer: GetRecordsCommandOutput = await streams.send(new GetRecordsCommand({ ShardIterator: shardIterator, Limit: 2 }));
      pages.push((answer.Records ?? []).map((record) => record.dynamodb?.Keys?.['id']?.S ?? ''));
      shardIterator = answer.NextShardIterator;
    }
    expect(pages).toEqual([['a', 'b'], ['c'], []]);
    const first = (await streams.send(new GetRecordsCommand({ ShardIterator: await iterator('TRIM_HORIZON'), Limit: 1 }))).Records?.[0];
    expect(first).toMatchObject({ eventName: 'INSERT', eventVersion: '1.1', eventSource: 'aws:dynamodb', awsRegion: 'us-east-1', dynamodb: { NewImage: { id: { S: 'a' } } } });
    expect(first?.dynamodb?.ApproximateCreationDateTime).toEqual(new Date(h.clock.nowMs()));

    const latest = await iterator('LATEST');
    await h.client.send(new DeleteItemCommand({ TableName: TABLE, Key: { id: { S: 'b' } } }));
    const fresh = await streams.send(new GetRecordsCommand({ ShardIterator: latest }));
    expect(fresh.Records?.map((record) => [record.eventName, record.dynamodb?.OldImage?.['id']?.S])).toEqual([['REMOVE', 'b']]);

    const sequence = first?.dynamodb?.SequenceNumber ?? '';
    const at = await streams.send(new GetRecordsCommand({ ShardIterator: await iterator('AT_SEQUENCE_NUMBER', sequence), Limit: 1 }));
    const after = await streams.send(new GetRecordsCommand({ ShardIterator: await iterator('AFTER_SEQUENCE_NUMBER', sequence), Limit: 1 }));
    expect([at.Records?.[0]?.dynamodb?.Keys?.['id']?.S, after.Records?.[0]?.dynamodb?.Keys?.['id']?.S]).toEqual(['a', 'b']);
  });

  it('answers AWS’s errors: expired iterator, unknown stream or shard, invalid iterator, trimmed data', async () => {
    await put('a');
    const old = await iterator('TRIM_HORIZON');
    h.clock.advance(15 * 60 + 1);
    await expect(streams.send(new GetRecordsCommand({ ShardIterator: old }))).rejects.toBeInstanceOf(ExpiredIteratorException);
    await expect(streams.send(new DescribeStreamCommand({ StreamArn: `${TEMPLATE_STREAM_ARN}x` }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(streams.send(new GetShardIteratorCommand({ StreamArn: TEMPLATE_STREAM_ARN, ShardId: 'shardId-nope', ShardIteratorType: 'LATEST' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(streams.send(new GetRecordsCommand({ ShardIterator: 'garbage' }))).rejects.toMatchObject({ name: 'ValidationException', message: 'Invalid ShardIterator' });
    await expect(streams.send(new GetShardIteratorCommand({ StreamArn: TEMPLATE_STREAM_ARN, ShardId: await shardOf(), ShardIteratorType: 'AT_SEQUENCE_NUMBER' })))
      .rejects.toMatchObject({ name: 'ValidationException' });
    const sequence = (await streams.send(new GetRecordsCommand({ ShardIterator: await iterator('TRIM_HORIZON') }))).Records?.[0]?.dynamodb?.SequenceNumber ?? '';
    h.clock.advance(24 * 60 * 60 + 60);
    await put('b');
    await expect(iterator('AT_SEQUENCE_NUMBER', sequence)).rejects.toBeInstanceOf(TrimmedDataAccessException);
    const remaining = await streams.send(new GetRecordsCommand({ ShardIterator: await iterator('TRIM_HORIZON') }));
    expect(remaining.Records?.map((record) => record.dynamodb?.Keys?.['id']?.S)).toEqual(['b']);
  });

  it('a disabled stream’s shard is closed: read to its end, it has no next iterator', async () => {
    await put('a');
    await h.client.send(new UpdateTableCommand({ TableName: TABLE, StreamSpecification: { StreamEnabled: false } }));
    const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: TEMPLATE_STREAM_ARN }));
    expect(StreamDescription?.StreamStatus).toBe('DISABLED');
    expect(StreamDescription?.Shards?.[0]?.SequenceNumberRange?.EndingSequenceNumber).toMatch(/^\d{21}$/);
    const answer = await streams.send(new GetRecordsCommand({ ShardIterator: await iterator('TRIM_HORIZON') }));
    expect(answer.Records).toHaveLength(1);
    expect(answer.NextShardIterator).toBeUndefined();
  });
});
