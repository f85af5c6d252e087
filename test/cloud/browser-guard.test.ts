/**
 * The local cloud's listeners (AWS endpoint, API Gateway, HTTPS target) refuse what a hostile web
 * page can send (a rebinding Host, another Origin, cross-site fetch metadata, a preflight) before
 * anything runs, while the SDK clients keep working; dynalite has no TCP port to reach around IAM.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import type { OutgoingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetQueueAttributesCommand, SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { LocalAws } from '../../src/cloud/endpoint/index.ts';
import { ApiGateway } from '../../src/cloud/gateway/index.ts';
import { HttpsTarget } from '../../src/cloud/https-target/index.ts';
import type { InvokeResult, LambdaInvoker } from '../../src/cloud/core/types.ts';
import { capturingLogger, clientConfig } from './endpoint/harness.ts';
import { cloudModel, queueArn, queueResource, resource, topicArn } from './endpoint/model.ts';
import { FakeAwsEndpoint, patternLikeModel } from './gateway/support.ts';
import { sendPlain, type PlainAnswer } from '../support/plain-request.ts';

function corsHeaders(answer: PlainAnswer): string[] {
  return Object.keys(answer.headers).filter((name) => name.startsWith('access-control-'));
}

/** A cross-site page's requests, and a DNS-rebinding page's Host, for a listener at `port`. */
function hostile(port: number): Array<[string, OutgoingHttpHeaders]> {
  return [
    ['a rebinding Host', { host: `evil.test:${port}` }],
    ['another origin', { host: `127.0.0.1:${port}`, origin: 'https://evil.test' }],
    ['another local port', { host: `127.0.0.1:${port}`, origin: 'http://127.0.0.1:5173' }],
    ['Origin null', { host: `127.0.0.1:${port}`, origin: 'null' }],
    ['Sec-Fetch-Site cross-site', { host: `127.0.0.1:${port}`, 'sec-fetch-site': 'cross-site' }],
  ];
}

describe('AWS endpoint', () => {
  const model = cloudModel([
    resource('Stack', 'Topic', 'AWS::SNS::Topic', {}, topicArn('events')),
    queueResource('Stack', 'Queue', 'work'),
    resource('Stack', 'Subscription', 'AWS::SNS::Subscription', { TopicArn: topicArn('events'), Protocol: 'sqs', Endpoint: queueArn('work'), RawMessageDelivery: 'true' }, `${topicArn('events')}:1`),
    resource('Stack', 'Table', 'AWS::DynamoDB::Table', { KeySchema: [{ AttributeName: 'path', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'path', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' }, 'Hits'),
  ]);
  const lambda: LambdaInvoker = { invoke: async (): Promise<InvokeResult> => ({ statusCode: 200 }) };
  const logger = capturingLogger();
  let aws: LocalAws;
  let sqs: SQSClient;
  let url: string;
  let port: number;
  let queueUrl: string;

  beforeAll(async () => {
    aws = new LocalAws({ model, lambda, port: 0, logger });
    await aws.start();
    sqs = new SQSClient(clientConfig(aws.endpoint));
    url = aws.endpoint.url;
    port = aws.endpoint.port;
    queueUrl = `${url}/000000000000/work`;
  });

  afterAll(async () => {
    sqs.destroy();
    await aws.stop();
  });

  async function queued(): Promise<number> {
    const attributes = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }));
    return Number(attributes.Attributes?.['ApproximateNumberOfMessages']);
  }

  test.each(hostile(4566).map(([name]) => name))('an SNS Publish form POST with %s is refused and publishes nothing', async (name) => {
    const headers = Object.fromEntries(hostile(port))[name] ?? {};
    const form = `Action=Publish&Version=2010-03-31&TopicArn=${encodeURIComponent(topicArn('events'))}&Message=from-a-page`;
    const answer = await sendPlain(url, 'POST', { ...headers, 'content-type': 'application/x-www-form-urlencoded' }, form);
    expect(answer.status).toBe(403);
    // In the query protocol's shape, as SNS answers a form request.
    expect(answer.body).toMatch(/^<\?xml[\s\S]*<Code>AuthorizationError<\/Code>/);
    expect(corsHeaders(answer)).toEqual([]);
    expect(await queued()).toBe(0);
  });

  test('an SQS SendMessage and a DynamoDB PutItem from another origin or a rebinding Host are refused', async () => {
    const dynamodb = new DynamoDBClient(clientConfig(aws.endpoint));
    try {
      for (const [, headers] of hostile(port)) {
        const sent = await sendPlain(url, 'POST', { ...headers, 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.SendMessage' }, JSON.stringify({ QueueUrl: queueUrl, MessageBody: 'x' }));
        expect(sent.status).toBe(403);
        const put = await sendPlain(url, 'POST', { ...headers, 'content-type': 'text/plain', 'x-amz-target': 'DynamoDB_20120810.PutItem' }, JSON.stringify({ TableName: 'Hits', Item: { path: { S: '/page' } } }));
        expect(put.status).toBe(403);
      }
      expect(await queued()).toBe(0);
      expect((await dynamodb.send(new GetItemCommand({ TableName: 'Hits', Key: { path: { S: '/page' } } }))).Item).toBeUndefined();
    } finally {
      dynamodb.destroy();
    }
  });

  test('a CORS preflight is refused and allows nothing', async () => {
    const answer = await sendPlain(url, 'OPTIONS', { origin: 'https://evil.test', 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-amz-target' });
    expect(answer.status).toBe(403);
    expect(corsHeaders(answer)).toEqual([]);
  });

  test('the SNS, SQS and DynamoDB SDK clients work, and answers carry nosniff', async () => {
    const sns = new SNSClient(clientConfig(aws.endpoint));
    const dynamodb = new DynamoDBClient(clientConfig(aws.endpoint));
    try {
      await sns.send(new PublishCommand({ TopicArn: topicArn('events'), Message: 'from the sdk' }));
      await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'from the sdk' }));
      expect(await queued()).toBe(2);
      await dynamodb.send(new PutItemCommand({ TableName: 'Hits', Item: { path: { S: '/sdk' } } }));
      expect((await dynamodb.send(new GetItemCommand({ TableName: 'Hits', Key: { path: { S: '/sdk' } } }))).Item).toEqual({ path: { S: '/sdk' } });
    } finally {
      sns.destroy();
      dynamodb.destroy();
    }
    const answer = await sendPlain(url, 'POST', { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.ListTables' }, '{}');
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
  });

  test('dynalite listens on no TCP port: only the endpoint reaches it', () => {
    expect(aws.dynamodb.address).toMatch(/dynalite\.sock$|\\pipe\\/);
  });

  test('refusals are logged once per kind, naming what to do', () => {
    const hostLines = logger.lines.filter((line) => line.startsWith('warn aws endpoint: refused') && line.includes('Host "evil.test'));
    expect(hostLines).toHaveLength(1);
    expect(hostLines[0]).toContain('--allowed-host');
  });
});

describe('API Gateway', () => {
  const fake = new FakeAwsEndpoint();
  let gateway: ApiGateway;
  let port: number;

  beforeAll(async () => {
    await fake.start();
    gateway = new ApiGateway({ model: patternLikeModel(), awsEndpointUrl: fake.url, port: 0, logger: { info: () => {}, warn: () => {}, error: () => {} }, allowedHosts: ['devbox.lan'] });
    await gateway.start();
    port = Number(new URL(gateway.url).port);
  });

  afterAll(async () => {
    await gateway.stop();
    await fake.stop();
  });

  test('requests from pages (another origin, a link from another site, a rebinding Host) are refused before any integration call', async () => {
    const link = { host: `127.0.0.1:${port}`, 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document' };
    for (const headers of [...hostile(port).map(([, h]) => h), link]) {
      const answer = await sendPlain(`${gateway.url}/prod/from-a-page`, 'GET', headers);
      expect(answer.status, JSON.stringify(headers)).toBe(403);
      expect(answer.headers['x-amzn-errortype']).toBe('AccessDeniedException');
      expect(corsHeaders(answer)).toEqual([]);
    }
    expect(fake.requests).toEqual([]);
  });

  test('curl, the address bar and an allowed name still reach the integration', async () => {
    for (const headers of [{ host: `127.0.0.1:${port}` }, { host: `localhost:${port}`, 'sec-fetch-site': 'none' }, { host: `devbox.lan:${port}` }]) {
      expect((await sendPlain(`${gateway.url}/prod/hello`, 'GET', headers)).status).toBe(200);
    }
    expect(fake.requests).toHaveLength(3);
  });
});

describe('HTTPS target', () => {
  let dir: string;
  let target: HttpsTarget;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'https-target-guard-'));
    target = new HttpsTarget({ caFile: join(dir, 'ca.pem'), warn: () => {} });
    await target.start();
  });

  afterAll(async () => {
    await target.stop();
    await rm(dir, { recursive: true, force: true });
  });

  test('a page of another origin or a rebinding name reads nothing; the handler\'s request still works', async () => {
    const port = Number(new URL(target.origin).port);
    for (const [, headers] of hostile(port)) {
      const answer = await sendPlain(target.url, 'GET', headers, '', target.caCert);
      expect(answer.status).toBe(403);
      expect(answer.body).not.toContain('userId');
    }
    const own = await sendPlain(target.url, 'GET', {}, '', target.caCert);
    expect(own.status).toBe(200);
    expect(own.headers['x-content-type-options']).toBe('nosniff');
    const sameOrigin = await sendPlain(target.url, 'GET', { origin: target.origin }, '', target.caCert);
    expect(sameOrigin.status).toBe(200);
  });
});
