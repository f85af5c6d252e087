import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiGateway } from '../../../src/cloud/gateway/index.ts';
import { LocalAws } from '../../../src/cloud/endpoint/index.ts';
import type { Logger } from '../../../src/cloud/core/runtime.ts';
import type { CloudResource } from '../../../src/cloud/core/types.ts';
import { RoleCredentials } from '../../../src/cloud/iam/credentials.ts';
import { seededRandom } from '../../../src/cloud/tracing/ids.ts';
import { cloudModel, queueArn, queueResource, resource, topicArn } from '../endpoint/model.ts';

/**
 * AWS service integrations against the real local endpoint: each call goes to the service its URI
 * names, in that service's protocol (SQS's Query protocol, DynamoDB's JSON protocol), and a service
 * error is the backend status the integration responses select on.
 * Shapes: https://docs.aws.amazon.com/apigateway/latest/developerguide/integration-request-basic-setup.html
 * and the SQS tutorial https://docs.aws.amazon.com/apigateway/latest/developerguide/integrating-api-with-aws-services-sqs.html
 */

const ROLE = 'arn:aws:iam::000000000000:role/IntegrationRole';
const FORM = "'application/x-www-form-urlencoded'";
const ERROR_TEMPLATE = `{"error":"$input.path('$.Error.Code')$input.path('$.__type')"}`;
const responses = (ok: string): unknown[] => [
  { StatusCode: '200', ResponseTemplates: { 'application/json': ok } },
  { StatusCode: '400', SelectionPattern: '4\\d{2}', ResponseTemplates: { 'application/json': ERROR_TEMPLATE } },
  { StatusCode: '500', SelectionPattern: '5\\d{2}', ResponseTemplates: { 'application/json': ERROR_TEMPLATE } },
];
const SENT = `{"messageId":"$input.path('$.SendMessageResponse.SendMessageResult.MessageId')"}`;

function method(logicalId: string, resourceId: string, httpMethod: string, integration: Record<string, unknown>): CloudResource {
  return resource('Stack', logicalId, 'AWS::ApiGateway::Method', {
    RestApiId: 'api1', ResourceId: resourceId, HttpMethod: httpMethod, AuthorizationType: 'NONE',
    Integration: { Type: 'AWS', IntegrationHttpMethod: 'POST', Credentials: ROLE, PassthroughBehavior: 'NEVER', ...integration },
  }, `m-${logicalId}`);
}

function path(logicalId: string, id: string, parent: string, part: string): CloudResource {
  return resource('Stack', logicalId, 'AWS::ApiGateway::Resource', { RestApiId: 'api1', ParentId: parent, PathPart: part }, id);
}

const model = cloudModel([
  queueResource('Stack', 'Queue', 'work'),
  resource('Stack', 'Topic', 'AWS::SNS::Topic', {}, topicArn('events')),
  resource('Stack', 'Table', 'AWS::DynamoDB::Table', {
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST',
    StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
  }, 'Items'),
  resource('Stack', 'Api', 'AWS::ApiGateway::RestApi', { Name: 'Services' }, 'api1'),
  path('ByPath', 'r-path', 'api1-root-id', 'by-path'),
  path('ByAction', 'r-action', 'api1-root-id', 'by-action'),
  path('Missing', 'r-missing', 'api1-root-id', 'missing'),
  path('ByJson', 'r-json', 'api1-root-id', 'by-json'),
  path('Publish', 'r-publish', 'api1-root-id', 'publish'),
  path('ItemsRes', 'r-items', 'api1-root-id', 'items'),
  path('ItemRes', 'r-item', 'r-items', '{id}'),
  path('StreamRes', 'r-stream', 'api1-root-id', 'stream'),
  // The console's and CDK's usual SQS integration: the queue's URL path, a form template, the Content-Type mapped.
  method('SendByPath', 'r-path', 'POST', {
    Uri: 'arn:aws:apigateway:us-east-1:sqs:path/000000000000/work',
    RequestParameters: { 'integration.request.header.Content-Type': FORM },
    RequestTemplates: { 'application/json': 'Action=SendMessage&MessageBody=$util.urlEncode($input.body)' },
    IntegrationResponses: responses(SENT),
  }),
  method('SendByAction', 'r-action', 'POST', {
    Uri: 'arn:aws:apigateway:us-east-1:sqs:action/SendMessage',
    RequestParameters: { 'integration.request.header.Content-Type': FORM },
    RequestTemplates: { 'application/json': "QueueUrl=$util.urlEncode('https://sqs.us-east-1.amazonaws.com/000000000000/work')&MessageBody=$util.urlEncode($input.body)" },
    IntegrationResponses: responses(SENT),
  }),
  // SQS's JSON protocol, chosen by the mapped Content-Type: the action becomes the X-Amz-Target.
  method('SendByJson', 'r-json', 'POST', {
    Uri: 'arn:aws:apigateway:us-east-1:sqs:action/SendMessage',
    RequestParameters: { 'integration.request.header.Content-Type': "'application/x-amz-json-1.0'" },
    RequestTemplates: { 'application/json': '{"QueueUrl":"https://sqs.us-east-1.amazonaws.com/000000000000/work","MessageBody":"$util.escapeJavaScript($input.body)"}' },
    IntegrationResponses: responses(`{"messageId":"$input.path('$.MessageId')"}`),
  }),
  method('Publish', 'r-publish', 'POST', {
    Uri: `arn:aws:apigateway:us-east-1:sns:action/Publish&TopicArn=${encodeURIComponent(topicArn('events'))}`,
    RequestParameters: { 'integration.request.header.Content-Type': FORM },
    RequestTemplates: { 'application/json': 'Message=$util.urlEncode($input.body)' },
    IntegrationResponses: responses(`{"messageId":"$input.path('$.PublishResponse.PublishResult.MessageId')"}`),
  }),
  method('SendMissing', 'r-missing', 'POST', {
    Uri: 'arn:aws:apigateway:us-east-1:sqs:path/000000000000/nowhere',
    RequestParameters: { 'integration.request.header.Content-Type': FORM },
    RequestTemplates: { 'application/json': 'Action=SendMessage&MessageBody=x' },
    IntegrationResponses: responses('{}'),
  }),
  method('PutItem', 'r-items', 'POST', {
    Uri: 'arn:aws:apigateway:us-east-1:dynamodb:action/PutItem',
    RequestTemplates: { 'application/json': `{"TableName":"Items","Item":{"id":{"S":"$input.path('$.id')"},"name":{"S":"$input.path('$.name')"}}}` },
    IntegrationResponses: responses('{"stored":true}'),
  }),
  method('QueryItem', 'r-item', 'GET', {
    Uri: 'arn:aws:apigateway:us-east-1:dynamodb:action/Query',
    RequestTemplates: { 'application/json': `{"TableName":"Items","KeyConditionExpression":"id = :id","ExpressionAttributeValues":{":id":{"S":"$input.params('id')"}}}` },
    IntegrationResponses: responses(`#set($item = $input.path('$.Items[0]')){"count":$input.path('$.Count'),"name":"$item.name.S"}`),
  }),
  method('Stream', 'r-stream', 'POST', {
    Uri: 'arn:aws:apigateway:us-east-1:kinesis:action/PutRecord',
    RequestTemplates: { 'application/json': '{}' },
    IntegrationResponses: responses('{}'),
  }),
  resource('Stack', 'Stage', 'AWS::ApiGateway::Stage', { RestApiId: 'api1', StageName: 'prod', TracingEnabled: true }, 'prod'),
]);

const logged: string[] = [];
const logger: Logger = { info: () => {}, warn: (m) => logged.push(m), error: (m) => logged.push(m) };
const segments: Record<string, unknown>[] = [];
let aws: LocalAws;
let gateway: ApiGateway;

beforeAll(async () => {
  // The endpoint verifies the integration's signature with the role's keys, as STS-issued ones are on AWS.
  const roleCredentials = RoleCredentials.ephemeral();
  aws = new LocalAws({ model, lambda: { invoke: async () => ({ statusCode: 200 }) }, port: 0, roleCredentials });
  await aws.start();
  gateway = new ApiGateway({ model, awsEndpointUrl: aws.endpoint.url, port: 0, random: seededRandom(5), logger, roleCredentials, segmentSink: { send: (document) => segments.push(document) } });
  await gateway.start();
});

afterAll(async () => {
  await gateway.stop();
  await aws.stop();
});

/** The integration subsegment of the stage segment the last request sent. */
function lastCall(): Record<string, unknown> | undefined {
  const subsegments = segments.at(-1)?.['subsegments'] as Array<Record<string, unknown>> | undefined;
  return subsegments?.[0];
}

async function post(route: string, body: unknown): Promise<Response> {
  return fetch(`${gateway.url}/prod/${route}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

describe('SQS integrations', () => {
  it('queues the message with the Query protocol on a path/<account>/<queue> URI', async () => {
    const response = await post('by-path', { hello: 'path' });
    expect(response.status).toBe(200);
    const { messageId } = (await response.json()) as { messageId: string };
    expect(messageId).toMatch(/^[0-9a-f-]{36}$/);
    const received = await aws.sqs.receive(queueArn('work'), { maxMessages: 10, waitSeconds: 0 });
    expect(received.map(({ message }) => [message.body, message.messageId])).toContainEqual(['{"hello":"path"}', messageId]);
    expect(lastCall()).toMatchObject({
      name: 'SQS', namespace: 'aws', http: { response: { status: 200 } },
      aws: { operation: 'SendMessage', region: 'us-east-1', queue_url: 'https://sqs.us-east-1.amazonaws.com/000000000000/work' },
    });
  });

  it('queues the message on an action/SendMessage URI', async () => {
    const response = await post('by-action', { hello: 'action' });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { messageId: string }).messageId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("speaks SQS's JSON protocol when the template's Content-Type is application/x-amz-json-1.0", async () => {
    const response = await post('by-json', { hello: 'json' });
    expect(response.status).toBe(200);
    const { messageId } = (await response.json()) as { messageId: string };
    const received = await aws.sqs.receive(queueArn('work'), { maxMessages: 10, waitSeconds: 0 });
    expect(received.map(({ message }) => [message.body, message.messageId])).toContainEqual(['{"hello":"json"}', messageId]);
    expect(lastCall()).toMatchObject({ name: 'SQS', aws: { operation: 'SendMessage', queue_url: 'https://sqs.us-east-1.amazonaws.com/000000000000/work' } });
  });

  it('answers the service error as its status, selected by the 4\\d{2} response', async () => {
    const response = await post('missing', {});
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'AWS.SimpleQueueService.NonExistentQueue' });
    expect(lastCall()).toMatchObject({ name: 'SQS', error: true, http: { response: { status: 400 } } });
  });
});

describe('SNS integrations', () => {
  it('publishes with action/Publish and reads the answer as JSON, as API Gateway asks for it', async () => {
    const response = await post('publish', { hello: 'sns' });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { messageId: string }).messageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(lastCall()).toMatchObject({ name: 'SNS', aws: { operation: 'Publish', topic_arn: topicArn('events') } });
  });
});

describe('DynamoDB integrations', () => {
  it('writes an item with action/PutItem and reads it back with action/Query', async () => {
    const put = await post('items', { id: 'a1', name: 'first' });
    expect(put.status).toBe(200);
    expect(await put.json()).toEqual({ stored: true });
    expect(lastCall()).toMatchObject({ name: 'DynamoDB', aws: { operation: 'PutItem', table_name: 'Items' } });
    // The integration's write goes through the endpoint, so the table's stream records it.
    const stream = aws.streams.enabledStream('Items');
    expect(aws.streams.read(stream?.streamArn ?? '', 0, 10).map((record) => [record.change.eventName, record.change.newImage?.['id']])).toEqual([['INSERT', { S: 'a1' }]]);
    const read = await fetch(`${gateway.url}/prod/items/a1`);
    expect(read.status).toBe(200);
    expect(await read.json()).toEqual({ count: 1, name: 'first' });
    expect(lastCall()).toMatchObject({ name: 'DynamoDB', aws: { operation: 'Query', table_name: 'Items' } });
  });

  it('answers the service error as its status: a DynamoDB ValidationException is the 4\\d{2} response', async () => {
    const put = await post('items', { name: 'no id' });
    expect(put.status).toBe(400);
    expect(await put.json()).toEqual({ error: 'com.amazon.coral.validate#ValidationException' });
  });
});

describe('a service the local cloud does not run', () => {
  it('is named at start and answers 500 Internal server error', async () => {
    expect(logged.some((line) => line.includes('POST /stream (Stream)') && line.includes('"kinesis"'))).toBe(true);
    const response = await post('stream', {});
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ message: 'Internal server error' });
  });
});
