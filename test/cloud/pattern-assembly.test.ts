// The local cloud's parts over the pattern's real cloud assembly: synthesized once for this file
// (templates and handler bundles, as `npm run synth` makes them) into a folder of its own.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PolicyAuthorizer } from '../../src/cloud/iam/authorizer.ts';
import { RoleCredentials } from '../../src/cloud/iam/credentials.ts';
import { lambdaFunctionsFromModel } from '../../src/cloud/lambda/functions.ts';
import { LambdaService } from '../../src/cloud/lambda/service.ts';
import { readCloudModel } from '../../src/cloud/template/reader.ts';
import type { TemplateCloudModel, TemplateResource } from '../../src/cloud/template/model.ts';
import { seededRandom } from '../../src/cloud/tracing/ids.ts';
import { UdpSegmentSink } from '../../src/cloud/tracing/udp-sink.ts';
import { buildApp } from '../../src/pattern/infra/build-app.ts';
import { capturingLogger, FakeDaemon } from './lambda/support.ts';

const ENDPOINT = 'http://127.0.0.1:4566';
const outdir = mkdtempSync(join(tmpdir(), 'cloud-pattern-assembly-'));
let model: TemplateCloudModel;

beforeAll(async () => {
  buildApp({ outdir, env: {}, cloudFormationValidation: false }).app.synth();
  model = await readCloudModel({ assemblyDir: outdir, endpointUrl: ENDPOINT });
}, 240_000);

afterAll(() => rmSync(outdir, { recursive: true, force: true }));

function one(type: string, logicalIdPrefix: string): TemplateResource {
  const found = model.byType(type).filter((resource) => resource.logicalId.startsWith(logicalIdPrefix));
  expect(found, `${type} ${logicalIdPrefix}*`).toHaveLength(1);
  return found[0] as TemplateResource;
}

function functionNamed(prefix: string): TemplateResource {
  return one('AWS::Lambda::Function', prefix);
}

describe('the pattern\'s templates, read', () => {
  it('resolve without warnings', () => {
    expect(model.warnings).toEqual([]);
  });

  it('hold the six functions, each with its bundle and its environment resolved to local resources', () => {
    expect(model.byType('AWS::Lambda::Function')).toHaveLength(6);
    const table = one('AWS::DynamoDB::Table', 'Hits');
    const secondTopic = one('AWS::SNS::Topic', 'SecondTopic');
    const queue = model.byType('AWS::SQS::Queue').find((resource) => resource.stack === 'TheSqsFlowStack' && resource.logicalId.startsWith('Queue'));
    const variables = (fn: TemplateResource) => (fn.properties['Environment'] as { Variables: Record<string, unknown> }).Variables;
    expect(variables(functionNamed('DynamoLambda'))['TABLE_NAME']).toBe(table.physicalId);
    expect(table.physicalId).toMatch(/^TheDynamoFlowStack-HitsFF5AF8CD-[A-Z0-9]{12}$/);
    expect(variables(functionNamed('SnsPublishLambda'))['TOPIC_ARN']).toBe(secondTopic.arn);
    expect(secondTopic.arn).toMatch(/^arn:aws:sns:us-east-1:000000000000:TheSnsFlowStack-SecondTopic[0-9A-F]{8}-[A-Z0-9]{12}$/);
    expect(variables(functionNamed('SqsPublishLambda'))['QUEUE_URL']).toBe(queue?.physicalId);
    expect(queue?.physicalId).toMatch(/^http:\/\/127\.0\.0\.1:4566\/000000000000\/TheSqsFlowStack-Queue[0-9A-F]{8}-[A-Z0-9]{12}$/);
    const { functions, warnings } = lambdaFunctionsFromModel(model);
    expect(warnings).toEqual([]);
    expect(functions.map((fn) => [fn.handler, fn.runtime, fn.memoryMb, fn.timeoutSeconds, fn.tracingActive]))
      .toEqual(Array.from({ length: 6 }, () => ['index.handler', 'nodejs22.x', 256, 10, true]));
    for (const fn of functions) expect(fn.codeDirectory.startsWith(join(outdir, 'asset.'))).toBe(true);
    // Functions subscribed to a topic have a dead-letter queue of their own, as the templates say.
    expect(functions.filter((fn) => fn.deadLetterTargetArn !== undefined)).toHaveLength(5);
  });

  it('hold the topics, queues, subscriptions, event source mapping and REST API, wired to each other', () => {
    const fanOut = one('AWS::SNS::Topic', 'FanOutTopic');
    expect(model.byType('AWS::SNS::Topic')).toHaveLength(2);
    expect(model.byType('AWS::SQS::Queue')).toHaveLength(7);
    const subscriptions = model.byType('AWS::SNS::Subscription');
    expect(subscriptions).toHaveLength(5);
    expect(subscriptions.filter((subscription) => subscription.properties['TopicArn'] === fanOut.arn)).toHaveLength(4);
    for (const subscription of subscriptions) {
      expect(subscription.properties['Protocol']).toBe('lambda');
      expect(model.find(subscription.properties['Endpoint'] as string)?.type).toBe('AWS::Lambda::Function');
    }
    const mapping = one('AWS::Lambda::EventSourceMapping', 'SqsSubscribeLambda');
    expect(model.find(mapping.properties['EventSourceArn'] as string)?.logicalId).toMatch(/^Queue/);
    expect(mapping.properties['FunctionName']).toBe(functionNamed('SqsSubscribeLambda').physicalId);
    const api = one('AWS::ApiGateway::RestApi', 'Api');
    const methods = model.byType('AWS::ApiGateway::Method');
    expect(methods).toHaveLength(2);
    for (const method of methods) {
      const integration = method.properties['Integration'] as { Credentials: string; RequestTemplates: Record<string, string>; Uri: string };
      expect(integration.Uri).toBe('arn:aws:apigateway:us-east-1:sns:path//');
      expect(integration.Credentials).toBe(one('AWS::IAM::Role', 'PublishToFanOutRole').arn);
      expect(integration.RequestTemplates['application/json']).toContain(`$util.urlEncode('${fanOut.arn}')`);
      expect(method.properties['RestApiId']).toBe(api.physicalId);
    }
    expect(one('AWS::ApiGateway::Stage', 'ApiDeploymentStageprod').physicalId).toBe('prod');
    expect(model.outputs['TheXrayTracerStack']?.['ApiEndpoint4F160690']).toBe(`https://${api.physicalId}.execute-api.us-east-1.amazonaws.com/prod/`);
  });
});

describe('the pattern\'s roles, enforced', () => {
  let authorizer: PolicyAuthorizer;
  const credentials = RoleCredentials.ephemeral();
  const accessKeyForRole = (roleArn: string): string => credentials.forRole(roleArn).accessKeyId;
  beforeAll(() => {
    authorizer = PolicyAuthorizer.fromModel(model, credentials);
  });
  const keyOf = (fnPrefix: string) => ({ accessKeyId: accessKeyForRole(functionNamed(fnPrefix).properties['Role'] as string) });
  const arnOf = (type: string, prefix: string) => one(type, prefix).arn as string;

  it('has no warnings (the API Gateway logging role\'s managed policy is known)', () => {
    expect(authorizer.warnings).toEqual([]);
  });

  it.each<[string, string, string, () => string, boolean]>([
    ['dynamo', 'DynamoLambda', 'dynamodb:UpdateItem', () => arnOf('AWS::DynamoDB::Table', 'Hits'), true],
    ['dynamo', 'DynamoLambda', 'dynamodb:DeleteItem', () => arnOf('AWS::DynamoDB::Table', 'Hits'), false],
    ['dynamo', 'DynamoLambda', 'sqs:SendMessage', () => model.byType('AWS::SQS::Queue').find((queue) => queue.logicalId.startsWith('Queue'))?.arn as string, false],
    ['dynamo', 'DynamoLambda', 'sqs:SendMessage', () => arnOf('AWS::SQS::Queue', 'DynamoLambdaDeadLetters'), true],
    ['dynamo', 'DynamoLambda', 'xray:PutTraceSegments', () => '*', true],
    ['sns-publish', 'SnsPublishLambda', 'sns:Publish', () => arnOf('AWS::SNS::Topic', 'SecondTopic'), true],
    ['sns-publish', 'SnsPublishLambda', 'sns:Publish', () => arnOf('AWS::SNS::Topic', 'FanOutTopic'), false],
    ['sns-subscribe', 'SnsSubscribeLambda', 'sns:Publish', () => arnOf('AWS::SNS::Topic', 'SecondTopic'), false],
    ['sqs-publish', 'SqsPublishLambda', 'sqs:SendMessage', () => model.byType('AWS::SQS::Queue').find((queue) => queue.logicalId.startsWith('Queue'))?.arn as string, true],
    ['sqs-publish', 'SqsPublishLambda', 'sqs:ReceiveMessage', () => model.byType('AWS::SQS::Queue').find((queue) => queue.logicalId.startsWith('Queue'))?.arn as string, false],
    ['sqs-subscribe', 'SqsSubscribeLambda', 'sqs:DeleteMessage', () => model.byType('AWS::SQS::Queue').find((queue) => queue.logicalId.startsWith('Queue'))?.arn as string, true],
    ['sqs-subscribe', 'SqsSubscribeLambda', 'sqs:SendMessage', () => model.byType('AWS::SQS::Queue').find((queue) => queue.logicalId.startsWith('Queue'))?.arn as string, false],
    ['http', 'HttpLambda', 'dynamodb:UpdateItem', () => arnOf('AWS::DynamoDB::Table', 'Hits'), false],
  ])('%s: %s %s -> %s', (_flow, fnPrefix, action, resource, allowed) => {
    expect(authorizer.authorize(keyOf(fnPrefix), action, resource()).allowed).toBe(allowed);
  });

  it('the API\'s integration role may publish to the fan-out topic only', () => {
    const key = { accessKeyId: accessKeyForRole(one('AWS::IAM::Role', 'PublishToFanOutRole').arn as string) };
    expect(authorizer.authorize(key, 'sns:Publish', arnOf('AWS::SNS::Topic', 'FanOutTopic'))).toEqual({ allowed: true });
    expect(authorizer.authorize(key, 'sns:Publish', arnOf('AWS::SNS::Topic', 'SecondTopic')).allowed).toBe(false);
  });

  it('a denial names the action and the resource', () => {
    const queueArn = model.byType('AWS::SQS::Queue').find((queue) => queue.logicalId.startsWith('Queue'))?.arn as string;
    const decision = authorizer.authorize(keyOf('DynamoLambda'), 'sqs:SendMessage', queueArn);
    expect(decision).toEqual({
      allowed: false,
      reason: expect.stringMatching(new RegExp(`^User: arn:aws:iam::000000000000:role/TheDynamoFlowStack-DynamoLambdaRole\\w+-[A-Z0-9]{12} is not authorized to perform: sqs:SendMessage on resource: ${queueArn} because no identity-based policy allows the sqs:SendMessage action$`)),
    });
  });
});

describe('the real sns-subscribe handler, run by the Lambda service', () => {
  it('records its subsegments under the function segment Lambda emitted', async () => {
    const daemon = new FakeDaemon();
    const daemonAddress = await daemon.start();
    const sink = new UdpSegmentSink({ daemonAddress });
    await sink.start();
    const { functions } = lambdaFunctionsFromModel(model);
    const fn = functions.find((config) => config.resource.logicalId.startsWith('SnsSubscribeLambda'));
    if (!fn) throw new Error('no sns-subscribe function in the model');
    const { lines, logger } = capturingLogger();
    const service = new LambdaService({ functions: [fn], endpointUrl: ENDPOINT, daemonAddress, segmentSink: sink, logger, random: seededRandom(9) });
    await service.start();
    try {
      const root = '1-6553f100-abcdefabcdefabcdefabcdef';
      const topicArn = one('AWS::SNS::Topic', 'SecondTopic').arn as string;
      const event = {
        Records: [{
          EventSource: 'aws:sns',
          EventVersion: '1.0',
          EventSubscriptionArn: `${topicArn}:00000000-0000-4000-a000-000000000000`,
          Sns: { Type: 'Notification', MessageId: '11111111-2222-4333-8444-555555555555', TopicArn: topicArn, Subject: null, Message: 'Simulated Message', Timestamp: new Date(0).toISOString(), MessageAttributes: {} },
        }],
      };
      const result = await service.invoke({ functionName: fn.arn, payload: event, invocationType: 'Event', trace: { root, parent: 'bbbbbbbbbbbbbbbb', sampled: true } });
      expect(result.statusCode).toBe(202);
      await service.drain();
      // The handler's datagrams and the platform's segments come from different processes, so
      // they may arrive in either order: wait for all four.
      const expected: Array<(document: Record<string, unknown>) => boolean> = [
        (document) => document['origin'] === 'AWS::Lambda',
        (document) => document['origin'] === 'AWS::Lambda::Function',
        (document) => document['name'] === '## index.handler',
        (document) => document['name'] === 'process_message',
      ];
      await daemon.waitFor(() => expected.every((matches) => daemon.byTrace(root).some(matches)));
      const documents = daemon.byTrace(root);
      const lambda = documents.find((document) => document['origin'] === 'AWS::Lambda');
      const function_ = documents.find((document) => document['origin'] === 'AWS::Lambda::Function');
      const handler = documents.find((document) => document['name'] === '## index.handler');
      const processMessage = documents.find((document) => document['name'] === 'process_message');
      expect(lambda?.['parent_id']).toBe('bbbbbbbbbbbbbbbb');
      expect(function_?.['parent_id']).toBe(lambda?.['id']);
      expect(handler).toMatchObject({ type: 'subsegment', parent_id: function_?.['id'], annotations: { ColdStart: true, Service: 'xray-tracer-sns-subscribe' } });
      expect(processMessage).toMatchObject({ type: 'subsegment', parent_id: handler?.['id'], annotations: { message_content: 'Simulated Message' } });
      expect(lines.some((line) => line.startsWith(`[${fn.name} ${root}] `) && line.includes('message received'))).toBe(true);
    } finally {
      await service.stop();
      await sink.stop();
      await daemon.stop();
    }
  });
});
