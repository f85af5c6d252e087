import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetQueueAttributesCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalAws } from '../../../src/cloud/endpoint/index.ts';
import { RoleCredentials } from '../../../src/cloud/iam/credentials.ts';
import type { CloudModel, InvokeRequest, InvokeResult, LambdaInvoker } from '../../../src/cloud/core/types.ts';
import { capturingLogger, clientConfig, sigV4Headers, withTraceHeader } from './harness.ts';
import { PolicyAuthorizer } from '../../../src/cloud/iam/authorizer.ts';
import type { TemplateCloudModel } from '../../../src/cloud/template/model.ts';
import { cloudModel, queueArn, queueResource, resource, topicArn } from './model.ts';
import { eventually } from '../../support/eventually.ts';

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
    expect(aws.warnings).toEqual([]);
    // The table's StreamSpecification is honoured: its stream is enabled with the template's view type.
    expect(aws.streams.enabledStream('Hits')?.viewType).toBe('NEW_IMAGE');

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

  describe('authentication', () => {
    const roleCredentials = new RoleCredentials(Buffer.alloc(32, 6));
    const role = roleCredentials.forRole('arn:aws:iam::000000000000:role/Stack-PublisherRole-1');

    async function started(consumer: LambdaInvoker, roles: CloudModel = model): Promise<LocalAws> {
      aws = new LocalAws({ model: roles, lambda: consumer, port: 0, roleCredentials });
      await aws.start();
      return aws;
    }

    it('refuses an HTML form\'s unsigned Publish as SNS does, and publishes nothing', async () => {
      const consumer = new Consumer();
      const local = await started(consumer);
      const form = new URLSearchParams({ Action: 'Publish', TopicArn: topicArn('events'), Message: 'from a hostile page', Version: '2010-03-31' }).toString();
      // What a cross-site <form method=post> can send: a simple content type, no Authorization (its Origin is the guard's to refuse; here the signature alone must stop it).
      const response = await fetch(local.url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form });
      expect(response.status).toBe(403);
      expect(await response.text()).toMatch(/<Error><Type>Sender<\/Type><Code>MissingAuthenticationToken<\/Code><Message>Request is missing Authentication Token/);
      for (const contentType of ['text/plain', 'multipart/form-data; boundary=x']) {
        const other = await fetch(local.url, { method: 'POST', headers: { 'content-type': contentType }, body: form });
        expect(other.status, contentType).toBeGreaterThanOrEqual(400);
        expect(other.status, contentType).toBeLessThan(500);
      }
      // A form's action URL may carry a presigned-looking query with any key it likes.
      const forged = await fetch(`${local.url}/?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20260101%2Fus-east-1%2Fsns%2Faws4_request&X-Amz-Date=20260101T000000Z&X-Amz-Expires=300&X-Amz-SignedHeaders=host&X-Amz-Signature=00`, {
        method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form,
      });
      expect(forged.status).toBe(403);
      expect(await forged.text()).toContain('<Code>InvalidClientTokenId</Code>');

      // A signed publish afterwards is the only message the topic's subscribers ever get.
      const sns = new SNSClient({ ...clientConfig(local.endpoint), credentials: role });
      await sns.send(new PublishCommand({ TopicArn: topicArn('events'), Message: 'signed' }));
      sns.destroy();
      await eventually(() => consumer.requests.length === 1);
      expect((consumer.requests[0]?.payload as SQSEvent).Records.map((record) => record.body)).toEqual(['signed']);
    });

    it('answers each service\'s own error to a role key with the wrong secret, and serves it with the right one', async () => {
      const local = await started(new Consumer());
      const wrong = { ...role, secretAccessKey: 'wrong-secret-wrong-secret-wrong-secret-00' };
      const sqs = new SQSClient({ ...clientConfig(local.endpoint), credentials: wrong });
      const sns = new SNSClient({ ...clientConfig(local.endpoint), credentials: wrong });
      const ddb = new DynamoDBClient({ ...clientConfig(local.endpoint), credentials: wrong });
      const good = new SQSClient({ ...clientConfig(local.endpoint), credentials: role });
      try {
        await expect(sqs.send(new SendMessageCommand({ QueueUrl: 'work', MessageBody: 'x' }))).rejects.toMatchObject({ name: 'SignatureDoesNotMatch', $metadata: { httpStatusCode: 403 } });
        await expect(sns.send(new PublishCommand({ TopicArn: topicArn('events'), Message: 'x' }))).rejects.toMatchObject({ name: 'SignatureDoesNotMatch', $metadata: { httpStatusCode: 403 } });
        await expect(ddb.send(new GetItemCommand({ TableName: 'Hits', Key: { path: { S: '/a' } } }))).rejects.toMatchObject({ name: 'InvalidSignatureException', $metadata: { httpStatusCode: 400 } });
        expect((await good.send(new SendMessageCommand({ QueueUrl: 'work', MessageBody: 'x' }))).MessageId).toBeDefined();
      } finally {
        for (const client of [sqs, sns, ddb, good]) client.destroy();
      }
    });

    it('knows the templates\' roles from the start: their keys, derived by another reader of the install secret, are served', async () => {
      const roleArn = 'arn:aws:iam::000000000000:role/Stack-ConsumerRole-2';
      const withRole = cloudModel([...model.resources, resource('Stack', 'ConsumerRole', 'AWS::IAM::Role', {}, 'Stack-ConsumerRole-2', roleArn)]);
      const local = await started(new Consumer(), withRole);
      // As a test or tool reading the same data folder would: the same secret, a separate instance.
      const derived = new RoleCredentials(Buffer.alloc(32, 6)).forRole(roleArn);
      const sqs = new SQSClient({ ...clientConfig(local.endpoint), credentials: derived });
      try {
        expect((await sqs.send(new SendMessageCommand({ QueueUrl: 'work', MessageBody: 'x' }))).MessageId).toBeDefined();
      } finally {
        sqs.destroy();
      }
    });

    it('takes an outside key (the user\'s own CLI or SDK) as the account\'s administrator, while a role stays bound by its policies', async () => {
      const roleArn = 'arn:aws:iam::000000000000:role/Stack-PublisherRole-1';
      const withRole = cloudModel([...model.resources, resource('Stack', 'PublisherRole', 'AWS::IAM::Role', {}, 'Stack-PublisherRole-1', roleArn)]);
      aws = new LocalAws({ model: withRole, lambda: new Consumer(), port: 0, roleCredentials, authorizer: PolicyAuthorizer.fromModel(withRole as TemplateCloudModel, roleCredentials) });
      await aws.start();
      const outside = { ...clientConfig(aws.endpoint, 'AKIAIOSFODNN7EXAMPLE') };
      const sqs = new SQSClient(outside);
      const ddb = new DynamoDBClient(outside);
      const asRole = new SQSClient({ ...clientConfig(aws.endpoint), credentials: role });
      try {
        expect((await sqs.send(new SendMessageCommand({ QueueUrl: 'work', MessageBody: 'mine' }))).MessageId).toBeDefined();
        expect((await ddb.send(new GetItemCommand({ TableName: 'Hits', Key: { path: { S: '/a' } } }))).$metadata.httpStatusCode).toBe(200);
        // The role has no policy at all: denied by default, as IAM does.
        await expect(asRole.send(new SendMessageCommand({ QueueUrl: 'work', MessageBody: 'x' }))).rejects.toMatchObject({ name: 'AccessDenied' });
      } finally {
        for (const client of [sqs, ddb, asRole]) client.destroy();
      }
    });

    it('refuses an outside key with --strict-iam in each protocol\'s shape (InvalidClientTokenId, UnrecognizedClientException), and still serves the roles', async () => {
      aws = new LocalAws({ model, lambda: new Consumer(), port: 0, roleCredentials, strictIam: true });
      await aws.start();
      const outside = clientConfig(aws.endpoint, 'AKIAIOSFODNN7EXAMPLE');
      const sqs = new SQSClient(outside);
      const sns = new SNSClient(outside);
      const ddb = new DynamoDBClient(outside);
      const good = new SQSClient({ ...clientConfig(aws.endpoint), credentials: role });
      try {
        await expect(sqs.send(new SendMessageCommand({ QueueUrl: 'work', MessageBody: 'x' }))).rejects.toMatchObject({ name: 'InvalidClientTokenId', $metadata: { httpStatusCode: 403 } });
        await expect(sns.send(new PublishCommand({ TopicArn: topicArn('events'), Message: 'x' }))).rejects.toMatchObject({ name: 'InvalidClientTokenId', $metadata: { httpStatusCode: 403 } });
        await expect(ddb.send(new GetItemCommand({ TableName: 'Hits', Key: { path: { S: '/a' } } }))).rejects.toMatchObject({ name: 'UnrecognizedClientException', $metadata: { httpStatusCode: 400 } });
        expect((await good.send(new SendMessageCommand({ QueueUrl: 'work', MessageBody: 'x' }))).MessageId).toBeDefined();
      } finally {
        for (const client of [sqs, sns, ddb, good]) client.destroy();
      }
    });

    it('refuses a request with a browser\'s cross-site marks whatever its credentials', async () => {
      const local = await started(new Consumer());
      const signed = await sigV4Headers(local.url, role, { 'x-amz-target': 'AmazonSQS.ListQueues', 'content-type': 'application/x-amz-json-1.0' }, '{}', { service: 'sqs' });
      const crossSite: Array<Record<string, string>> = [{ origin: 'https://evil.example' }, { 'sec-fetch-site': 'cross-site' }, { origin: 'null' }];
      const credentials: Array<Record<string, string>> = [{}, { authorization: 'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260101/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=0' }, signed];
      for (const marks of crossSite) {
        for (const authorization of credentials) {
          const response = await fetch(local.url, { method: 'POST', headers: { 'x-amz-target': 'AmazonSQS.ListQueues', 'content-type': 'application/x-amz-json-1.0', ...authorization, ...marks }, body: '{}' });
          expect(response.status, JSON.stringify(marks)).toBe(403);
          expect(await response.json()).toMatchObject({ __type: expect.stringContaining('AccessDenied') });
        }
      }
    });

    it('answers DynamoDB\'s and SQS\'s JSON shapes to a request without authentication', async () => {
      const local = await started(new Consumer());
      const ddb = await fetch(local.url, { method: 'POST', headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.ListTables' }, body: '{}' });
      expect(ddb.status).toBe(400);
      expect(await ddb.json()).toMatchObject({ __type: 'com.amazon.coral.service#MissingAuthenticationTokenException' });
      const sqs = await fetch(local.url, { method: 'POST', headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.ListQueues' }, body: '{}' });
      expect(sqs.status).toBe(403);
      expect(sqs.headers.get('x-amzn-query-error')).toBe('MissingAuthenticationToken;Sender');
      expect(await sqs.json()).toMatchObject({ __type: 'com.amazon.coral.service#MissingAuthenticationTokenException' });
    });
  });
});
