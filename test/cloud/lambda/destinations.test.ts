/**
 * Asynchronous invocations' destinations (developer guide, "Capturing records of Lambda asynchronous
 * invocations"), through the whole LocalAws endpoint: on success and on failure, to an SQS queue, an
 * SNS topic, a Lambda function and an EventBridge bus, each delivered over the service's API with the
 * function's role, so IAM applies and a service the endpoint does not run answers its own error.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Message } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BoundListener } from '../../../src/cloud/endpoint/listener.ts';
import { LocalAws } from '../../../src/cloud/endpoint/local-aws.ts';
import { PolicyAuthorizer } from '../../../src/cloud/iam/authorizer.ts';
import { RoleCredentials } from '../../../src/cloud/iam/credentials.ts';
import { EndpointDestinations } from '../../../src/cloud/lambda/destinations.ts';
import { lambdaFunctionsFromModel } from '../../../src/cloud/lambda/functions.ts';
import { LambdaService } from '../../../src/cloud/lambda/service.ts';
import type { InvocationDone } from '../../../src/cloud/lambda/attempt.ts';
import { buildCloudModel } from '../../../src/cloud/template/model.ts';
import type { CfnResource, CfnTemplate } from '../../../src/cloud/template/assembly.ts';
import { capturingLogger, writeBundle } from './support.ts';

const ROOT = mkdtempSync(join(tmpdir(), 'lambda-destinations-'));
writeBundle(ROOT, 'ok', `export const handler = async (event) => ({ doubled: event.n * 2 });`);
writeBundle(ROOT, 'bad', `export const handler = async () => { throw new TypeError('bad on purpose'); };`);
writeBundle(ROOT, 'recorder', `export const handler = async (event) => 'recorded';`);

const ACCOUNT = '000000000000';
const arn = (service: string, resource: string): string => `arn:aws:${service}:us-east-1:${ACCOUNT}:${resource}`;
const BUS = arn('events', 'event-bus/default');

function fn(name: string, code: string, role: string): CfnResource {
  return {
    Type: 'AWS::Lambda::Function',
    Properties: { FunctionName: name, Runtime: 'nodejs22.x', Handler: 'index.handler', Role: { 'Fn::GetAtt': [role, 'Arn'] } },
    Metadata: { 'aws:asset:path': code },
  };
}
function invokeConfig(functionLogicalId: string, destinations: { OnSuccess?: string; OnFailure?: string }): CfnResource {
  return {
    Type: 'AWS::Lambda::EventInvokeConfig',
    Properties: {
      FunctionName: { Ref: functionLogicalId },
      Qualifier: '$LATEST',
      MaximumRetryAttempts: 0,
      DestinationConfig: Object.fromEntries(Object.entries(destinations).map(([key, value]) => [key, { Destination: value }])),
    },
  };
}
const allow = (action: string, resource: string) => ({ Effect: 'Allow', Action: action, Resource: resource });

const template: CfnTemplate = {
  Resources: {
    SuccessQueue: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'success-q' } },
    TopicQueue: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'topic-q' } },
    BusQueue: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'bus-q' } },
    // Lambda's records on the default bus, routed to a queue the test reads.
    FailureRule: { Type: 'AWS::Events::Rule', Properties: { EventPattern: { source: ['lambda'] }, Targets: [{ Id: 'q', Arn: arn('sqs', 'bus-q') }] } },
    Topic: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'dest-topic' } },
    TopicToQueue: { Type: 'AWS::SNS::Subscription', Properties: { TopicArn: { Ref: 'Topic' }, Protocol: 'sqs', Endpoint: arn('sqs', 'topic-q'), RawMessageDelivery: true } },
    // What CDK writes for the destinations: the execution role may send to each.
    Role: {
      Type: 'AWS::IAM::Role',
      Properties: {
        RoleName: 'fn-role',
        Policies: [{
          PolicyName: 'destinations',
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              allow('sqs:SendMessage', arn('sqs', 'success-q')),
              allow('sns:Publish', arn('sns', 'dest-topic')),
              allow('lambda:InvokeFunction', arn('lambda', 'function:recorder')),
              allow('events:PutEvents', BUS),
            ],
          },
        }],
      },
    },
    BareRole: { Type: 'AWS::IAM::Role', Properties: { RoleName: 'bare-role' } },
    Ok: fn('ok', 'ok', 'Role'),
    OkConfig: invokeConfig('Ok', { OnSuccess: arn('sqs', 'success-q'), OnFailure: arn('sns', 'dest-topic') }),
    OkToTopic: fn('ok-to-topic', 'ok', 'Role'),
    OkToTopicConfig: invokeConfig('OkToTopic', { OnSuccess: arn('sns', 'dest-topic') }),
    Bad: fn('bad', 'bad', 'Role'),
    BadConfig: invokeConfig('Bad', { OnFailure: arn('lambda', 'function:recorder') }),
    BadToBus: fn('bad-to-bus', 'bad', 'Role'),
    BadToBusConfig: invokeConfig('BadToBus', { OnFailure: BUS }),
    Denied: fn('denied', 'bad', 'BareRole'),
    DeniedConfig: invokeConfig('Denied', { OnFailure: arn('sqs', 'success-q') }),
    Recorder: fn('recorder', 'recorder', 'BareRole'),
    // A dead-letter topic: the event itself, the failure in message attributes.
    ToDeadLetterTopic: {
      Type: 'AWS::Lambda::Function',
      Properties: { FunctionName: 'to-dlt', Runtime: 'nodejs22.x', Handler: 'index.handler', Role: { 'Fn::GetAtt': ['Role', 'Arn'] }, DeadLetterConfig: { TargetArn: { Ref: 'Topic' } } },
      Metadata: { 'aws:asset:path': 'bad' },
    },
    ToDeadLetterTopicConfig: { Type: 'AWS::Lambda::EventInvokeConfig', Properties: { FunctionName: { Ref: 'ToDeadLetterTopic' }, Qualifier: '$LATEST', MaximumRetryAttempts: 0 } },
  },
};

let listener: BoundListener;
let aws: LocalAws<LambdaService>;
const log = capturingLogger();
const runs: InvocationDone[] = [];

beforeAll(async () => {
  listener = await BoundListener.bind('127.0.0.1', 0);
  const model = buildCloudModel([{ stackName: 'S', artifactId: 'S', template, dependencies: [], assemblyDir: ROOT }], { endpointUrl: listener.url });
  const { functions } = lambdaFunctionsFromModel(model);
  const roleCredentials = RoleCredentials.ephemeral();
  aws = new LocalAws({
    model,
    listener,
    roleCredentials,
    authorizer: PolicyAuthorizer.fromModel(model, roleCredentials),
    lambda: (sqs) => new LambdaService({
      functions, endpointUrl: listener.url, roleCredentials, daemonAddress: '127.0.0.1:9', segmentSink: { send: () => undefined },
      queueService: sqs, destinations: new EndpointDestinations({ endpointUrl: listener.url, region: 'us-east-1' }), logger: log.logger, retryDelaysMs: [0],
    }),
  });
  aws.lambda.onInvocationDone((run) => runs.push(run));
  await aws.lambda.start();
  await aws.start();
});

afterAll(async () => {
  await aws.stop();
  await aws.lambda.stop();
  await listener.close();
  rmSync(ROOT, { recursive: true, force: true });
});

async function receive(queue: string): Promise<Message[]> {
  const sqs = new SQSClient({ endpoint: listener.url, region: 'us-east-1', credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'any' }, maxAttempts: 1 });
  const answer = await sqs.send(new ReceiveMessageCommand({ QueueUrl: `${listener.url}/${ACCOUNT}/${queue}`, MaxNumberOfMessages: 10, WaitTimeSeconds: 2, MessageAttributeNames: ['All'] }));
  sqs.destroy();
  return answer.Messages ?? [];
}

async function invokeEvent(name: string, payload: unknown): Promise<void> {
  expect(await aws.lambda.invoke({ functionName: name, payload, invocationType: 'Event' })).toEqual({ statusCode: 202 });
  await aws.lambda.drain();
}

describe('asynchronous invocations\' destinations', () => {
  it('sends the on-success record to an SQS queue: condition Success, the response payload', async () => {
    await invokeEvent('ok', { n: 21 });
    const [message] = await receive('success-q');
    expect(JSON.parse(message?.Body ?? '')).toEqual({
      version: '1.0',
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      requestContext: { requestId: expect.stringMatching(/^[0-9a-f-]{36}$/), functionArn: `${arn('lambda', 'function:ok')}:$LATEST`, condition: 'Success', approximateInvokeCount: 1 },
      requestPayload: { n: 21 },
      responseContext: { statusCode: 200, executedVersion: '$LATEST' },
      responsePayload: { doubled: 42 },
    });
  });

  it('publishes the record to an SNS topic', async () => {
    await invokeEvent('ok-to-topic', { n: 1 });
    const [message] = await receive('topic-q');
    expect(JSON.parse(message?.Body ?? '')).toMatchObject({ requestContext: { condition: 'Success' }, responsePayload: { doubled: 2 } });
  });

  it('invokes a Lambda function with the on-failure record, asynchronously', async () => {
    const before = runs.length;
    await invokeEvent('bad', { id: 'x' });
    await aws.lambda.drain();
    const recorded = runs.slice(before).find((run) => run.functionName === 'recorder');
    expect(recorded?.payload).toMatchObject({
      requestContext: { functionArn: `${arn('lambda', 'function:bad')}:$LATEST`, condition: 'RetriesExhausted', approximateInvokeCount: 1 },
      requestPayload: { id: 'x' },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload: { errorType: 'TypeError', errorMessage: 'bad on purpose' },
    });
  });

  it('puts the record on the EventBridge bus with PutEvents: source lambda, the result\'s detail-type, routed by the bus\'s rules', async () => {
    await invokeEvent('bad-to-bus', { to: 'bus' });
    const [message] = await receive('bus-q');
    const event = JSON.parse(message?.Body ?? '') as Record<string, unknown>;
    expect(event).toMatchObject({
      source: 'lambda',
      'detail-type': 'Lambda Function Invocation Result - Failure',
      resources: [BUS, `${arn('lambda', 'function:bad-to-bus')}:$LATEST`],
      detail: { requestContext: { condition: 'RetriesExhausted' }, requestPayload: { to: 'bus' } },
    });
    expect(log.lines.some((text) => text.includes('bad-to-bus') && text.includes(`sent to the on-failure destination ${BUS} as event ${String(event['id'])}`))).toBe(true);
    expect(log.lines.some((text) => text.includes('bad-to-bus') && text.includes('discarded'))).toBe(false);
  });

  it('publishes a failed event to a dead-letter SNS topic with RequestID, ErrorCode and ErrorMessage', async () => {
    await invokeEvent('to-dlt', { lost: true });
    const [message] = await receive('topic-q');
    expect(JSON.parse(message?.Body ?? '')).toEqual({ lost: true });
    expect(message?.MessageAttributes).toMatchObject({
      ErrorCode: { DataType: 'String', StringValue: '200' },
      ErrorMessage: { DataType: 'String', StringValue: 'bad on purpose' },
      RequestID: { DataType: 'String', StringValue: expect.stringMatching(/^[0-9a-f-]{36}$/) },
    });
  });

  it('sends with the function\'s role: a role without the permission is refused, and that is logged', async () => {
    await invokeEvent('denied', {});
    const line = log.lines.find((text) => text.includes('of denied'));
    expect(line).toContain(`sending it to the on-failure destination ${arn('sqs', 'success-q')} failed too: AccessDenied`);
    expect(line).toContain('sqs:SendMessage');
  });
});
