import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalAws } from '../../../src/cloud/endpoint/index.ts';
import type { InvokeRequest, InvokeResult, LambdaInvoker } from '../../../src/cloud/types.ts';
import { capturingLogger, clientConfig, withTraceHeader } from './harness.ts';
import { cloudModel, eventually, queueArn, queueResource, resource, topicArn } from './model.ts';

const ROOT = '1-67891233-abcdef012345678912345678';

/** A topic delivering to a queue that an event source mapping drains into a function, and a table. */
const model = cloudModel([
  resource('Stack', 'Topic', 'AWS::SNS::Topic', { TracingConfig: 'Active' }, topicArn('events')),
  queueResource('Stack', 'Queue', 'work', { VisibilityTimeout: 60 }),
  resource('Stack', 'Subscription', 'AWS::SNS::Subscription', { TopicArn: topicArn('events'), Protocol: 'sqs', Endpoint: queueArn('work'), RawMessageDelivery: 'true' }, `${topicArn('events')}:1`),
  resource('Stack', 'Mapping', 'AWS::Lambda::EventSourceMapping', { EventSourceArn: queueArn('work'), FunctionName: 'consumer', BatchSize: 5 }, 'm-1'),
  resource('Stack', 'Table', 'AWS::DynamoDB::Table', { KeySchema: [{ AttributeName: 'path', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'path', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST', StreamSpecification: { StreamViewType: 'NEW_IMAGE' } }, 'Hits'),
]);

class Consumer implements LambdaInvoker {
  readonly requests: InvokeRequest[] = [];
  async invoke(request: InvokeRequest): Promise<InvokeResult> {
    this.requests.push(request);
    return { statusCode: 200 };
  }
}

describe('LocalAws', () => {
  let aws: LocalAws | undefined;
  let dir: string | undefined;

  afterEach(async () => {
    await aws?.stop();
    aws = undefined;
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('runs SNS to SQS to the event source mapping on one trace, under the topic’s segment', async () => {
    const consumer = new Consumer();
    const segments: Record<string, unknown>[] = [];
    const logger = capturingLogger();
    aws = new LocalAws({ model, lambda: consumer, segments: { send: (document) => segments.push(document) }, port: 0, logger });
    await aws.start();
    expect(aws.warnings).toEqual(['DynamoDB table Stack/Table: property StreamSpecification is not supported locally and is ignored']);

    const sns = withTraceHeader(new SNSClient(clientConfig(aws.endpoint)), `Root=${ROOT};Parent=53995c3f42cd8ad8;Sampled=1`);
    await sns.send(new PublishCommand({ TopicArn: topicArn('events'), Message: 'hello from /prod/a' }));
    sns.destroy();
    await eventually(() => consumer.requests.length === 1);
    const segmentId = segments[0]?.['id'];
    expect(segments[0]).toMatchObject({ origin: 'AWS::SNS', name: 'events', parent_id: '53995c3f42cd8ad8' });
    expect(consumer.requests[0]?.trace).toEqual({ root: ROOT, parent: segmentId, sampled: true });
    const event = consumer.requests[0]?.payload as SQSEvent;
    expect(event.Records.map((record) => record.body)).toEqual(['hello from /prod/a']);

    const sqs = new SQSClient(clientConfig(aws.endpoint));
    // The queue keeps the template's URL, built on the endpoint's own address.
    const attributes = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: 'https://sqs.us-east-1.amazonaws.com/000000000000/work', AttributeNames: ['All'] }));
    sqs.destroy();
    expect(attributes.Attributes).toMatchObject({ VisibilityTimeout: '60', ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0' });
  });

  it('keeps tables and messages in the data directory across a restart', async () => {
    dir = mkdtempSync(join(tmpdir(), 'local-aws-'));
    const idle: LambdaInvoker = { invoke: async () => ({ statusCode: 200 }) };
    const withoutMapping = cloudModel(model.resources.filter((r) => r.type !== 'AWS::Lambda::EventSourceMapping'));
    aws = new LocalAws({ model: withoutMapping, lambda: idle, port: 0, dataDirectory: dir });
    await aws.start();
    const ddb = new DynamoDBClient(clientConfig(aws.endpoint));
    await ddb.send(new UpdateItemCommand({ TableName: 'Hits', Key: { path: { S: '/a' } }, UpdateExpression: 'ADD hits :one', ExpressionAttributeValues: { ':one': { N: '1' } } }));
    ddb.destroy();
    await aws.sqs.sendMessage(queueArn('work'), 'kept');
    await aws.stop();

    aws = new LocalAws({ model: withoutMapping, lambda: idle, port: 0, dataDirectory: dir });
    await aws.start();
    const again = new DynamoDBClient(clientConfig(aws.endpoint));
    const item = await again.send(new GetItemCommand({ TableName: 'Hits', Key: { path: { S: '/a' } } }));
    again.destroy();
    expect(item.Item?.['hits']).toEqual({ N: '1' });
    expect((await aws.sqs.receive(queueArn('work'))).map((received) => received.message.body)).toEqual(['kept']);
  });
});
