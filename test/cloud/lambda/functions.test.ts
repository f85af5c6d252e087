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
  // Before nodejs20.x's Block function create date (2026-08-31), on a Node.js 20 host.
  const { functions, warnings, notices } = lambdaFunctionsFromModel(model, { nowMs: Date.UTC(2026, 0, 1), hostNodeVersion: 'v20.20.2' });

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
    const defaults = functions.find((config) => config.resource.logicalId === 'Defaults')?.name;
    expect(notices).toEqual([`functions of nodejs22.x (${defaults}) run on this machine's Node.js v20.20.2, not the Node.js of their runtime: language features and built-in modules may differ from Lambda's`]);
  });
});

describe('runtimes AWS no longer creates', () => {
  const runtimes = (runtime: string): CfnTemplate => ({
    Resources: { Old: { Type: 'AWS::Lambda::Function', Properties: { FunctionName: 'old', Runtime: runtime }, Metadata: { 'aws:asset:path': 'asset.old' } } },
  });
  const read = (runtime: string, nowMs: number, hostNodeVersion = 'v22.3.0') => lambdaFunctionsFromModel(
    buildCloudModel([{ stackName: 'S', artifactId: 'S', template: runtimes(runtime), dependencies: [], assemblyDir: '/assembly' }], { endpointUrl: 'http://127.0.0.1:4566' }),
    { nowMs, hostNodeVersion },
  );

  it('refuses a runtime past its Block function create date with AWS\'s message, naming the function, and does not create it', () => {
    const december2026 = Date.UTC(2026, 11, 4);
    for (const runtime of ['nodejs16.x', 'nodejs18.x', 'nodejs20.x']) {
      const { functions, warnings } = read(runtime, december2026);
      expect(functions).toEqual([]);
      expect(warnings).toEqual([
        `function S/Old (old) is not created: InvalidParameterValueException: The runtime parameter of ${runtime} is no longer supported for creating or updating AWS Lambda functions. We recommend you use the new runtime (nodejs24.x) while creating or updating functions.`,
      ]);
    }
    expect(read('nodejs22.x', december2026).functions.map((fn) => fn.name)).toEqual(['old']);
    // The dates move: nodejs20.x was still created in July 2026, nodejs22.x no longer in July 2027.
    expect(read('nodejs20.x', Date.UTC(2026, 6, 1), 'v20.1.0')).toMatchObject({ warnings: [], notices: [] });
    expect(read('nodejs22.x', Date.UTC(2027, 6, 1)).functions).toEqual([]);
  });

  it('says once when a runtime\'s Node.js major is not the one running the handlers', () => {
    expect(read('nodejs24.x', Date.UTC(2026, 11, 4), 'v22.3.0')).toMatchObject({ warnings: [] });
    expect(read('nodejs24.x', Date.UTC(2026, 11, 4), 'v22.3.0').notices).toEqual([
      "functions of nodejs24.x (old) run on this machine's Node.js v22.3.0, not the Node.js of their runtime: language features and built-in modules may differ from Lambda's",
    ]);
  });
});
