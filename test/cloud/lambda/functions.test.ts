import { describe, expect, it } from 'vitest';
import { lambdaFunctionsFromModel } from '../../../src/cloud/lambda/functions.ts';
import { buildCloudModel } from '../../../src/cloud/template/model.ts';
import type { CfnTemplate } from '../../../src/cloud/template/assembly.ts';

const template: CfnTemplate = {
  Resources: {
    Dlq: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'dlq' } },
    OnFailure: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'on-failure' } },
    Role: { Type: 'AWS::IAM::Role', Properties: { RoleName: 'role' } },
    Fn: {
      Type: 'AWS::Lambda::Function',
      Properties: {
        FunctionName: 'fn',
        Handler: 'app.main',
        Runtime: 'nodejs20.x',
        MemorySize: 512,
        Timeout: 30,
        Role: { 'Fn::GetAtt': ['Role', 'Arn'] },
        TracingConfig: { Mode: 'PassThrough' },
        DeadLetterConfig: { TargetArn: { 'Fn::GetAtt': ['Dlq', 'Arn'] } },
        ReservedConcurrentExecutions: 2,
        Environment: { Variables: { QUEUE: { Ref: 'Dlq' }, COUNT: 3, NESTED: { a: 1 } } },
      },
      Metadata: { 'aws:asset:path': 'asset.fn' },
    },
    FnConfig: {
      Type: 'AWS::Lambda::EventInvokeConfig',
      Properties: {
        FunctionName: { Ref: 'Fn' },
        Qualifier: '$LATEST',
        MaximumRetryAttempts: 1,
        MaximumEventAgeInSeconds: 120,
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': ['OnFailure', 'Arn'] } } },
      },
    },
    Defaults: { Type: 'AWS::Lambda::Function', Properties: { Runtime: 'nodejs22.x' }, Metadata: { 'aws:asset:path': 'asset.defaults' } },
    Python: { Type: 'AWS::Lambda::Function', Properties: { Runtime: 'python3.12', Handler: 'app.main' }, Metadata: { 'aws:asset:path': 'asset.py' } },
    Inline: { Type: 'AWS::Lambda::Function', Properties: { Runtime: 'nodejs22.x', Code: { ZipFile: 'exports.handler = 1' } } },
  },
};

describe('lambdaFunctionsFromModel', () => {
  const model = buildCloudModel([{ stackName: 'S', artifactId: 'S', template, dependencies: [], assemblyDir: '/assembly' }], { endpointUrl: 'http://127.0.0.1:4566' });
  const { functions, warnings } = lambdaFunctionsFromModel(model);

  it('reads handler, runtime, memory, timeout, role, tracing, dead-letter queue, concurrency and EventInvokeConfig', () => {
    const fn = functions.find((config) => config.name === 'fn');
    expect(fn).toMatchObject({
      arn: 'arn:aws:lambda:us-east-1:000000000000:function:fn',
      codeDirectory: '/assembly/asset.fn',
      handler: 'app.main',
      runtime: 'nodejs20.x',
      memoryMb: 512,
      timeoutSeconds: 30,
      roleArn: 'arn:aws:iam::000000000000:role/role',
      tracingActive: false,
      logGroupName: '/aws/lambda/fn',
      deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:dlq',
      onFailureDestination: 'arn:aws:sqs:us-east-1:000000000000:on-failure',
      maximumRetryAttempts: 1,
      maximumEventAgeSeconds: 120,
      reservedConcurrency: 2,
      environment: { QUEUE: 'http://127.0.0.1:4566/000000000000/dlq', COUNT: '3' },
    });
  });

  it('uses Lambda\'s defaults where the template says nothing', () => {
    const fn = functions.find((config) => config.resource.logicalId === 'Defaults');
    expect(fn).toMatchObject({ handler: 'index.handler', memoryMb: 128, timeoutSeconds: 3, maximumRetryAttempts: 2, maximumEventAgeSeconds: 21_600, tracingActive: false, onFailureDestination: undefined });
  });

  it('names what it cannot run or pass on', () => {
    expect(functions.map((config) => config.resource.logicalId).sort()).toEqual(['Defaults', 'Fn']);
    expect(warnings).toEqual([
      'function S/Fn: environment variable NESTED did not resolve to a string and is left out',
      'function S/Python uses runtime python3.12; only Node.js runtimes run locally',
      'function S/Inline has no local code (no aws:asset:path metadata); it cannot run locally',
    ]);
  });
});
