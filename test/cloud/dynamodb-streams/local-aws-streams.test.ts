/** The local cloud's endpoint with a table stream feeding a function: writes through the SDK reach it, in order, once. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteItemCommand, DynamoDBClient, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import type { InvokeRequest, InvokeResult, LambdaInvoker } from '../../../src/cloud/core/types.ts';
import { LocalAws } from '../../../src/cloud/endpoint/local-aws.ts';
import { capturingLogger, clientConfig, withTraceHeader } from '../endpoint/harness.ts';
import { cloudModel, resource } from '../endpoint/model.ts';
import { TABLE, TABLE_ARN, TEMPLATE_STREAM_ARN } from './support.ts';

const model = cloudModel([
  resource('Stack', 'Items', 'AWS::DynamoDB::Table', {
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST',
    StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
  }, TABLE, TABLE_ARN),
  resource('Stack', 'Mapping', 'AWS::Lambda::EventSourceMapping', {
    EventSourceArn: TEMPLATE_STREAM_ARN, FunctionName: 'consumer', StartingPosition: 'TRIM_HORIZON', BatchSize: 10,
    FilterCriteria: { Filters: [{ Pattern: '{"eventName":["INSERT","MODIFY"]}' }] },
  }, 'mapping-uuid'),
]);

class Consumer implements LambdaInvoker {
  readonly requests: InvokeRequest[] = [];
  async invoke(request: InvokeRequest): Promise<InvokeResult> {
    this.requests.push(request);
    return { statusCode: 200 };
  }
  get events(): string[] {
    return this.requests.flatMap((request) => (request.payload as { Records: Array<{ eventName: string }> }).Records.map((record) => record.eventName));
  }
}

describe('LocalAws: a table stream feeding a function', () => {
  let aws: LocalAws | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'streams-local-aws-'));
  afterEach(async () => {
    await aws?.stop();
    aws = undefined;
  });

  it('delivers the writes of a traced caller that pass its filter on a trace of the stream’s own, and resumes from its checkpoint after a restart', async () => {
    const consumer = new Consumer();
    const logger = capturingLogger();
    aws = new LocalAws({ model, lambda: consumer, port: 0, logger, dataDirectory: dir });
    await aws.start();
    expect(aws.warnings).toEqual([]);
    const client = withTraceHeader(new DynamoDBClient(clientConfig(aws.endpoint)), 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1');
    await client.send(new PutItemCommand({ TableName: TABLE, Item: { id: { S: 'a' }, n: { N: '1' } } }));
    await client.send(new UpdateItemCommand({ TableName: TABLE, Key: { id: { S: 'a' } }, UpdateExpression: 'SET n = :two', ExpressionAttributeValues: { ':two': { N: '2' } } }));
    // The mapping's filter lets INSERT and MODIFY through: the REMOVE is never delivered, in this run or the next.
    await client.send(new DeleteItemCommand({ TableName: TABLE, Key: { id: { S: 'a' } } }));
    await expect.poll(() => consumer.events).toEqual(['INSERT', 'MODIFY']);
    expect(consumer.requests.every((request) => request.trace === undefined)).toBe(true);
    client.destroy();
    await aws.stop();

    const again = new Consumer();
    aws = new LocalAws({ model, lambda: again, port: 0, logger, dataDirectory: dir });
    await aws.start();
    const client2 = new DynamoDBClient(clientConfig(aws.endpoint));
    await client2.send(new PutItemCommand({ TableName: TABLE, Item: { id: { S: 'b' } } }));
    await expect.poll(() => again.events).toEqual(['INSERT']);
    expect((again.requests[0]?.payload as { Records: Array<{ dynamodb: { Keys: unknown } }> }).Records[0]?.dynamodb.Keys).toEqual({ id: { S: 'b' } });
    client2.destroy();
    rmSync(dir, { recursive: true, force: true });
  });
});
