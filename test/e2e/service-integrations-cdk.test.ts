import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Aws, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startLocalCloud } from '../../src/cloud/index.ts';
import type { LocalCloud } from '../../src/cloud/index.ts';

/**
 * A CDK app nobody on the project wrote, in the shape of the public patterns: a RestApi integrated
 * directly with SQS SendMessage (`path/<account>/<queue>`, a form template) and with DynamoDB
 * PutItem and Query (`action/`), its role granted by the constructs' grants, IAM on.
 */
const root = mkdtempSync(join(tmpdir(), 'e2e-service-integrations-'));
const assemblyDir = join(root, 'cdk.out');
const lines: string[] = [];
let cloud: LocalCloud;
let queueUrl = '';

function synth(): void {
  const app = new App({ outdir: assemblyDir });
  const stack = new Stack(app, 'DirectIntegrations');
  const queue = new sqs.Queue(stack, 'Queue');
  const table = new dynamodb.Table(stack, 'Table', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING }, billingMode: dynamodb.BillingMode.PAY_PER_REQUEST });
  const role = new iam.Role(stack, 'ApiRole', { assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com') });
  queue.grantSendMessages(role);
  table.grantReadWriteData(role);
  const api = new apigateway.RestApi(stack, 'Api', { deployOptions: { stageName: 'prod', tracingEnabled: true } });
  const ok = (template: string): apigateway.IntegrationResponse[] => [
    { statusCode: '200', responseTemplates: { 'application/json': template } },
    { statusCode: '400', selectionPattern: '4\\d{2}', responseTemplates: { 'application/json': '{"error":"$input.path(\'$.__type\')$input.path(\'$.Error.Code\')"}' } },
  ];
  const responses = [{ statusCode: '200' }, { statusCode: '400' }];
  api.root.addResource('messages').addMethod('POST', new apigateway.AwsIntegration({
    service: 'sqs',
    path: `${Aws.ACCOUNT_ID}/${queue.queueName}`,
    integrationHttpMethod: 'POST',
    options: {
      credentialsRole: role,
      passthroughBehavior: apigateway.PassthroughBehavior.NEVER,
      requestParameters: { 'integration.request.header.Content-Type': "'application/x-www-form-urlencoded'" },
      requestTemplates: { 'application/json': 'Action=SendMessage&MessageBody=$util.urlEncode($input.body)' },
      integrationResponses: ok('{"messageId":"$input.path(\'$.SendMessageResponse.SendMessageResult.MessageId\')"}'),
    },
  }), { methodResponses: responses });
  const items = api.root.addResource('items');
  items.addMethod('POST', new apigateway.AwsIntegration({
    service: 'dynamodb',
    action: 'PutItem',
    options: {
      credentialsRole: role,
      requestTemplates: { 'application/json': `{"TableName":"${table.tableName}","Item":{"id":{"S":"$input.path('$.id')"},"name":{"S":"$input.path('$.name')"}}}` },
      integrationResponses: ok('{"stored":true}'),
    },
  }), { methodResponses: responses });
  items.addResource('{id}').addMethod('GET', new apigateway.AwsIntegration({
    service: 'dynamodb',
    action: 'Query',
    options: {
      credentialsRole: role,
      requestTemplates: { 'application/json': `{"TableName":"${table.tableName}","KeyConditionExpression":"id = :id","ExpressionAttributeValues":{":id":{"S":"$input.params('id')"}}}` },
      integrationResponses: ok(`#set($item = $input.path('$.Items[0]')){"count":$input.path('$.Count'),"name":"$item.name.S"}`),
    },
  }), { methodResponses: responses });
  app.synth();
}

beforeAll(async () => {
  synth();
  cloud = await startLocalCloud({
    assemblyDir,
    dataDir: join(root, 'cloud'),
    daemonAddress: '127.0.0.1:9',
    gatewayPort: 0,
    endpointPort: 0,
    logger: { info: (line) => lines.push(line), warn: (line) => lines.push(line), error: (line) => lines.push(line) },
  });
  queueUrl = cloud.model.byType('AWS::SQS::Queue')[0]?.physicalId ?? '';
}, 240_000);

afterAll(async () => {
  await cloud?.stop();
  rmSync(root, { recursive: true, force: true });
}, 60_000);

function stage(path: string): string {
  const url = cloud.stageUrls[0];
  if (url === undefined) throw new Error(`no stage: ${lines.join('\n')}`);
  return `${url}${path}`;
}

describe('a CDK RestApi integrated directly with SQS and DynamoDB', () => {
  test('SendMessage queues the message on the queue', async () => {
    const response = await fetch(stage('messages'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"order":1}' });
    expect(response.status).toBe(200);
    const { messageId } = (await response.json()) as { messageId: string };
    expect(messageId).toMatch(/^[0-9a-f-]{36}$/);
    const received = await cloud.aws.sqs.receive(queueUrl, { maxMessages: 10, waitSeconds: 0 });
    expect(received.map(({ message }) => [message.messageId, message.body])).toEqual([[messageId, '{"order":1}']]);
  });

  test('PutItem writes the item and Query reads it back', async () => {
    const put = await fetch(stage('items'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"id":"o-1","name":"first"}' });
    expect({ status: put.status, body: await put.text() }).toEqual({ status: 200, body: '{"stored":true}' });
    const read = await fetch(stage('items/o-1'));
    expect({ status: read.status, body: await read.json() }).toEqual({ status: 200, body: { count: 1, name: 'first' } });
  });

  test("DynamoDB's ValidationException is the 400 the selection pattern picks, not a 200", async () => {
    const put = await fetch(stage('items'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"no id"}' });
    expect({ status: put.status, body: await put.json() }).toEqual({ status: 400, body: { error: 'com.amazon.coral.validate#ValidationException' } });
  });
});
