import {
  BatchWriteItemCommand, CreateTableCommand, DeleteItemCommand, DeleteTableCommand, DescribeTableCommand, PutItemCommand, UpdateItemCommand, UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { wireRecord } from '../../../src/cloud/dynamodb-streams/stream-record.ts';
import type { StreamsHarness } from './support.ts';
import { startStreams, streamTableModel, TABLE, TABLE_ARN, TEMPLATE_STREAM_ARN } from './support.ts';

describe('DynamoDB Streams: capturing writes at the endpoint', () => {
  let h: StreamsHarness;
  beforeEach(async () => {
    h = await startStreams();
  });
  afterEach(async () => {
    await h.close();
  });

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the records as the JSON a client reads, images included
  const records = (streamArn = TEMPLATE_STREAM_ARN): Array<Record<string, any>> => h.store.read(streamArn, 0, 1000).map(wireRecord);
  const put = (id: string, extra: Record<string, unknown> = {}) => h.client.send(new PutItemCommand({ TableName: TABLE, Item: { id: { S: id }, ...(extra as object) } }));

  it('enables the template’s stream under the ARN Fn::GetAtt StreamArn resolves to, and DescribeTable names it', async () => {
    expect(h.warnings).toEqual([]);
    const { Table } = await h.client.send(new DescribeTableCommand({ TableName: TABLE }));
    expect(Table).toMatchObject({
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
      LatestStreamLabel: '1970-01-01T00:00:00.000',
      LatestStreamArn: TEMPLATE_STREAM_ARN,
    });
  });

  it('records INSERT, MODIFY and REMOVE with the old and new images, in order, as DynamoDB Streams shapes them', async () => {
    await put('a', { n: { N: '1' } });
    await h.client.send(new UpdateItemCommand({ TableName: TABLE, Key: { id: { S: 'a' } }, UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': { N: '1' } } }));
    await h.client.send(new DeleteItemCommand({ TableName: TABLE, Key: { id: { S: 'a' } } }));
    const [insert, modify, remove] = records();
    expect(records()).toHaveLength(3);
    expect(insert).toEqual({
      eventID: expect.stringMatching(/^[0-9a-f]{32}$/),
      eventName: 'INSERT',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: 'us-east-1',
      dynamodb: {
        ApproximateCreationDateTime: Math.floor(h.clock.nowMs() / 1000),
        Keys: { id: { S: 'a' } },
        NewImage: { id: { S: 'a' }, n: { N: '1' } },
        SequenceNumber: expect.stringMatching(/^\d{21}$/),
        SizeBytes: expect.any(Number),
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
    });
    expect(modify?.eventName).toBe('MODIFY');
    expect(modify?.dynamodb).toMatchObject({ OldImage: { n: { N: '1' } }, NewImage: { n: { N: '2' } } });
    expect(remove?.eventName).toBe('REMOVE');
    expect(remove?.dynamodb.OldImage).toEqual({ id: { S: 'a' }, n: { N: '2' } });
    expect(remove?.dynamodb.NewImage).toBeUndefined();
    const sequence = records().map((record) => BigInt(record.dynamodb.SequenceNumber as string));
    expect([...sequence].sort((x, y) => (x < y ? -1 : 1))).toEqual(sequence);
  });

  it('writes no record for a write that changed nothing, a failed condition or a delete of no item', async () => {
    await put('a', { tags: { SS: ['x', 'y'] } });
    await put('a', { tags: { SS: ['y', 'x'] } });
    await expect(h.client.send(new PutItemCommand({ TableName: TABLE, Item: { id: { S: 'a' } }, ConditionExpression: 'attribute_not_exists(id)' }))).rejects.toThrow(/conditional/i);
    await h.client.send(new DeleteItemCommand({ TableName: TABLE, Key: { id: { S: 'nothing' } } }));
    expect(records().map((record) => record.eventName)).toEqual(['INSERT']);
  });

  it('keeps concurrent updates of one item ordered: each record’s old image is the previous one’s new image', async () => {
    await Promise.all(Array.from({ length: 20 }, () => h.client.send(new UpdateItemCommand({
      TableName: TABLE, Key: { id: { S: 'hits' } }, UpdateExpression: 'ADD hits :one', ExpressionAttributeValues: { ':one': { N: '1' } },
    }))));
    const counts = records().map((record) => [record.dynamodb.OldImage?.hits?.N, record.dynamodb.NewImage.hits.N]);
    expect(counts).toEqual(Array.from({ length: 20 }, (_, index) => [index === 0 ? undefined : String(index), String(index + 1)]));
  });

  it('records each item of a BatchWriteItem', async () => {
    await put('gone');
    await h.client.send(new BatchWriteItemCommand({ RequestItems: { [TABLE]: [
      { PutRequest: { Item: { id: { S: 'b' } } } },
      { DeleteRequest: { Key: { id: { S: 'gone' } } } },
    ] } }));
    expect(records().map((record) => [record.eventName, record.dynamodb.Keys.id.S])).toEqual([['INSERT', 'gone'], ['INSERT', 'b'], ['REMOVE', 'gone']]);
  });

  it('CreateTable and UpdateTable enable and disable streams with the view type’s images, as the API does', async () => {
    const name = 'keys-only';
    const created = await h.client.send(new CreateTableCommand({
      TableName: name, BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' },
    }));
    const streamArn = created.TableDescription?.LatestStreamArn ?? '';
    expect(streamArn).toBe(`arn:aws:dynamodb:us-east-1:000000000000:table/${name}/stream/2026-01-01T00:00:00.000`);
    await h.client.send(new PutItemCommand({ TableName: name, Item: { pk: { S: 'k' }, big: { S: 'x'.repeat(100) } } }));
    expect(records(streamArn)[0]?.dynamodb).toMatchObject({ Keys: { pk: { S: 'k' } }, StreamViewType: 'KEYS_ONLY' });
    expect(records(streamArn)[0]?.dynamodb.NewImage).toBeUndefined();

    await expect(h.client.send(new UpdateTableCommand({ TableName: name, StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' } })))
      .rejects.toMatchObject({ name: 'ValidationException', message: `Table already has an enabled stream: TableName: ${name}` });
    const disabled = await h.client.send(new UpdateTableCommand({ TableName: name, StreamSpecification: { StreamEnabled: false } }));
    expect(disabled.TableDescription?.StreamSpecification).toBeUndefined();
    expect(disabled.TableDescription?.LatestStreamArn).toBe(streamArn);
    await h.client.send(new PutItemCommand({ TableName: name, Item: { pk: { S: 'after' } } }));
    expect(records(streamArn)).toHaveLength(1);
    await expect(h.client.send(new UpdateTableCommand({ TableName: name, StreamSpecification: { StreamEnabled: false } })))
      .rejects.toMatchObject({ name: 'ValidationException' });
    await expect(h.client.send(new CreateTableCommand({
      TableName: 'bad', BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'EVERYTHING' as 'KEYS_ONLY' },
    }))).rejects.toMatchObject({ name: 'ValidationException', message: expect.stringContaining('streamSpecification.streamViewType') });
  });

  it('DeleteTable disables the table’s stream; a new table of that name does not inherit it', async () => {
    await h.client.send(new DeleteTableCommand({ TableName: TABLE }));
    expect(h.store.stream(TEMPLATE_STREAM_ARN)?.enabled).toBe(false);
    expect(h.store.enabledStream(TABLE)).toBeUndefined();
    await h.client.send(new CreateTableCommand({
      TableName: TABLE, BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    }));
    const { Table } = await h.client.send(new DescribeTableCommand({ TableName: TABLE }));
    expect(Table?.LatestStreamArn).toBeUndefined();
    expect(Table?.StreamSpecification).toBeUndefined();
  });
});

describe('DynamoDB Streams: the templates’ StreamSpecification', () => {
  it('a table whose template drops its StreamSpecification loses the stream the template made', async () => {
    const first = await startStreams(streamTableModel({ StreamViewType: 'NEW_IMAGE' }));
    expect(first.store.enabledStream(TABLE)?.viewType).toBe('NEW_IMAGE');
    const { provisionStreams } = await import('../../../src/cloud/dynamodb-streams/from-model.ts');
    await provisionStreams(first.capturing, streamTableModel(null), { info: () => {}, warn: () => {}, error: () => {} });
    expect(first.store.enabledStream(TABLE)).toBeUndefined();
    expect(first.store.latestStream(TABLE)?.streamArn).toBe(`${TABLE_ARN}/stream/1970-01-01T00:00:00.000`);
    await first.close();
  });
});
