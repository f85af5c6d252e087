import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchWriteItemCommand, DescribeTableCommand, DynamoDBClient, GetItemCommand, ScanCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DynaliteEngine, DynamoDbApi, provisionTables } from '../../../src/cloud/dynamodb/index.ts';
import type { AwsEndpoint } from '../../../src/cloud/endpoint/index.ts';
import type { Authorizer } from '../../../src/cloud/core/types.ts';
import { capturingLogger, clientConfig, post, startEndpoint } from '../endpoint/harness.ts';
import { cloudModel, resource } from '../endpoint/model.ts';

const TABLE = 'TheDynamoFlowStack-HitsFF5AF8CD-1A2B3C';

/** The Hits table as the template reader resolves it. */
const model = cloudModel([
  resource(
    'TheDynamoFlowStack',
    'HitsFF5AF8CD',
    'AWS::DynamoDB::Table',
    {
      AttributeDefinitions: [{ AttributeName: 'path', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'path', KeyType: 'HASH' }],
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    },
    TABLE,
    `arn:aws:dynamodb:us-east-1:000000000000:table/${TABLE}`,
  ),
]);

function hit(path: string): UpdateItemCommand {
  return new UpdateItemCommand({
    TableName: TABLE,
    Key: { path: { S: path } },
    UpdateExpression: 'ADD hits :incr',
    ExpressionAttributeValues: { ':incr': { N: '1' } },
  });
}

describe('DynamoDB through the AWS SDK', () => {
  let dir: string;
  let engine: DynaliteEngine;
  let endpoint: AwsEndpoint;
  let client: DynamoDBClient;

  async function open(authorizer?: Authorizer): Promise<void> {
    engine = new DynaliteEngine({ directory: join(dir, 'dynamodb') });
    await engine.start();
    expect(await provisionTables(engine, model, capturingLogger())).toEqual([]);
    endpoint = await startEndpoint([new DynamoDbApi({ engine })], authorizer);
    client = new DynamoDBClient(clientConfig(endpoint));
  }

  async function close(): Promise<void> {
    client.destroy();
    await endpoint.stop();
    await engine.stop();
  }

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dynamodb-test-'));
    await open();
  });

  afterEach(async () => {
    await close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates the templates’ table with its key schema', async () => {
    const table = await client.send(new DescribeTableCommand({ TableName: TABLE }));
    expect(table.Table).toMatchObject({
      TableName: TABLE,
      TableStatus: 'ACTIVE',
      KeySchema: [{ AttributeName: 'path', KeyType: 'HASH' }],
      BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' },
    });
  });

  it('counts hits with ADD hits :1, and keeps them across a restart', async () => {
    for (let i = 0; i < 3; i += 1) await client.send(hit('/prod/a'));
    await client.send(hit('/prod/b'));
    await close();
    await open();
    await client.send(hit('/prod/a'));
    const a = await client.send(new GetItemCommand({ TableName: TABLE, Key: { path: { S: '/prod/a' } } }));
    expect(a.Item).toEqual({ path: { S: '/prod/a' }, hits: { N: '4' } });
    const all = await client.send(new ScanCommand({ TableName: TABLE }));
    expect(all.Items?.map((item) => [item['path']?.S, item['hits']?.N]).sort()).toEqual([
      ['/prod/a', '4'],
      ['/prod/b', '1'],
    ]);
  });

  it('answers DynamoDB’s own errors unchanged', async () => {
    await expect(client.send(new GetItemCommand({ TableName: 'nope', Key: { path: { S: 'x' } } }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      $metadata: { httpStatusCode: 400 },
    });
    const badJson = await post(endpoint, { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.GetItem' }, '{"TableName":');
    expect(badJson.status).toBe(400);
    expect(JSON.parse(badJson.text)).toMatchObject({ __type: 'com.amazon.coral.service#SerializationException', message: expect.stringContaining('not valid JSON') });
    const unknown = await post(endpoint, { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.Frobnicate' }, '{}');
    const call = async (operation: string, body: string): Promise<{ status: number; json: unknown }> => {
      const reply = await post(endpoint, { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `DynamoDB_20120810.${operation}` }, body);
      return { status: reply.status, json: JSON.parse(reply.text) };
    };
    // A null attribute value threw inside dynalite: the request hung and the exception went uncaught.
    for (const [body, where] of [
      [{ TableName: 'Hits', Key: { path: null } }, 'Key.path'],
      [{ TableName: 'Hits', Item: { path: { S: 'a' }, list: { L: [{ S: 'x' }, null] } } }, 'Item.list.L[1]'],
    ] as const) {
      const operation = 'Item' in body ? 'PutItem' : 'GetItem';
      expect(await call(operation, JSON.stringify(body))).toEqual({
        status: 400, json: { __type: 'com.amazon.coral.validate#ValidationException', message: `${where} is null; a null attribute value is written {"NULL": true}.` },
      });
    }
    // An empty body reads as {}, so dynalite names what is missing (its own answer had no message).
    expect(await call('GetItem', '')).toMatchObject({ status: 400, json: { message: expect.stringContaining("Value null at 'tableName'") } });
    // dynalite quotes a bad value whole; the answer keeps the start and end of its message.
    const long = await call('Scan', JSON.stringify({ TableName: 'x'.repeat(100_000) }));
    expect(long.status).toBe(400);
    expect((long.json as { message: string }).message).toMatch(/^1 validation error detected: Value 'x+\.\.\.\[\d+ characters left out\]\.\.\.x*' at 'tableName' failed to satisfy constraint: Member must have length less than or equal to 255$/);
    expect((long.json as { message: string }).message.length).toBeLessThan(1000);
    // dynalite answers an unknown operation without a message; the endpoint names it.
    expect(JSON.parse(unknown.text)).toEqual({ __type: 'com.amazon.coral.service#UnknownOperationException', message: 'DynamoDB has no operation "Frobnicate" here.' });
  });

  it('asks IAM for every table a call touches and answers AccessDeniedException', async () => {
    await close();
    const asked: string[] = [];
    await open({
      authorize: (_principal, action, resource) => {
        asked.push(`${action} ${resource}`);
        return resource.endsWith('/other') ? { allowed: false, reason: 'no identity-based policy allows the action' } : { allowed: true };
      },
    });
    await client.send(hit('/prod/a'));
    await expect(
      client.send(
        new BatchWriteItemCommand({
          RequestItems: {
            [TABLE]: [{ PutRequest: { Item: { path: { S: '/x' } } } }],
            other: [{ PutRequest: { Item: { path: { S: '/y' } } } }],
          },
        }),
      ),
    ).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: 'User: access key AKIDTEST is not authorized to perform: dynamodb:BatchWriteItem on resource: arn:aws:dynamodb:us-east-1:000000000000:table/other because no identity-based policy allows the action',
      $metadata: { httpStatusCode: 400 },
    });
    expect(asked).toEqual([
      `dynamodb:UpdateItem arn:aws:dynamodb:us-east-1:000000000000:table/${TABLE}`,
      `dynamodb:BatchWriteItem arn:aws:dynamodb:us-east-1:000000000000:table/${TABLE}`,
      'dynamodb:BatchWriteItem arn:aws:dynamodb:us-east-1:000000000000:table/other',
    ]);
    // The denied batch wrote nothing.
    const item = await client.send(new GetItemCommand({ TableName: TABLE, Key: { path: { S: '/x' } } }));
    expect(item.Item).toBeUndefined();
  });

  describe('limits checked before dynalite', () => {
    const call = async (operation: string, body: unknown): Promise<{ status: number; json: unknown }> => {
      const reply = await post(endpoint, { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `DynamoDB_20120810.${operation}` }, typeof body === 'string' ? body : JSON.stringify(body));
      return { status: reply.status, json: JSON.parse(reply.text) };
    };
    /** An attribute value of maps nested `levels` deep, as JSON text (JSON.stringify itself overflows at thousands). */
    const nested = (levels: number): string => `${'{"M":{"a":'.repeat(levels)}{"S":"leaf"}${'}}'.repeat(levels)}`;

    it('refuses a value nested past DynamoDB’s depth, which overflowed dynalite’s stack and ended the process', async () => {
      expect(await call('PutItem', `{"TableName":"${TABLE}","Item":{"path":{"S":"/deep"},"deep":${nested(5000)}}}`)).toEqual({
        status: 400,
        json: { __type: 'com.amazon.coral.validate#ValidationException', message: 'Nesting Levels have exceeded supported limits' },
      });
      // 32 levels, DynamoDB's limit, even inside a batch's request items, still reach the table.
      const batch = `{"RequestItems":{"${TABLE}":[{"PutRequest":{"Item":{"path":{"S":"/deep"},"deep":${nested(33)}}}}]}}`;
      expect(await call('BatchWriteItem', batch)).toMatchObject({ status: 200 });
      expect((await client.send(new GetItemCommand({ TableName: TABLE, Key: { path: { S: '/deep' } } }))).Item?.['deep']).toBeDefined();
    });

    it('refuses an expression over 4 KB with DynamoDB’s message, and takes one of 4 KB', async () => {
      const update = (bytes: number) => ({
        TableName: TABLE,
        Key: { path: { S: '/expr' } },
        UpdateExpression: `SET #n = :v${' '.repeat(bytes - 'SET #n = :v'.length)}`,
        ExpressionAttributeNames: { '#n': 'n' },
        ExpressionAttributeValues: { ':v': { S: 'x' } },
      });
      expect(await call('UpdateItem', update(4096))).toMatchObject({ status: 200 });
      expect(await call('UpdateItem', update(4097))).toEqual({
        status: 400,
        json: {
          __type: 'com.amazon.coral.validate#ValidationException',
          message: 'Invalid UpdateExpression: Expression size has exceeded the maximum allowed size; expression size: 4097',
        },
      });
      const projection = { RequestItems: { [TABLE]: { Keys: [{ path: { S: '/expr' } }], ProjectionExpression: `path${', path'.repeat(1000)}` } } };
      expect(await call('BatchGetItem', projection)).toMatchObject({ status: 400, json: { message: expect.stringContaining('Invalid ProjectionExpression: Expression size has exceeded') } });
    });
  });
});
