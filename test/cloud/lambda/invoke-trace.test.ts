/**
 * A function that invokes another through the Lambda API, end to end: real bundles (esbuild, the
 * AWS SDK left to the runtime as CDK's NodejsFunction does for nodejs18+, the X-Ray SDK bundled),
 * the whole LocalAws endpoint with the templates' IAM, and the segments at a stand-in daemon.
 * As AWS draws it (X-Ray developer guide, Lambda): the caller's `Lambda` subsegment -> the callee's
 * AWS::Lambda segment (parent_id = that subsegment) -> its AWS::Lambda::Function segment.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BoundListener } from '../../../src/cloud/endpoint/listener.ts';
import { LocalAws } from '../../../src/cloud/endpoint/local-aws.ts';
import { PolicyAuthorizer } from '../../../src/cloud/iam/authorizer.ts';
import { RoleCredentials } from '../../../src/cloud/iam/credentials.ts';
import { lambdaFunctionsFromModel } from '../../../src/cloud/lambda/functions.ts';
import { LambdaService } from '../../../src/cloud/lambda/service.ts';
import { UdpSegmentSink } from '../../../src/cloud/tracing/udp-sink.ts';
import { buildCloudModel } from '../../../src/cloud/template/model.ts';
import type { CfnTemplate } from '../../../src/cloud/template/assembly.ts';
import { capturingLogger, FakeDaemon } from './support.ts';

const ROOT = mkdtempSync(join(tmpdir(), 'lambda-invoke-trace-'));

/** What a user's handler does: an X-Ray-instrumented Lambda client from the runtime's SDK. */
const CALLER = `
const AWSXRay = require('aws-xray-sdk-core');
const { LambdaClient, InvokeCommand } = require('@aws-sdk/client-lambda');
const lambda = AWSXRay.captureAWSv3Client(new LambdaClient({}));
exports.handler = async (event) => {
  const answer = await lambda.send(new InvokeCommand({ FunctionName: event.target, InvocationType: event.type, Payload: JSON.stringify({ from: 'caller' }) }));
  return { status: answer.StatusCode, version: answer.ExecutedVersion, payload: answer.Payload && answer.Payload.length > 0 ? JSON.parse(Buffer.from(answer.Payload).toString('utf8')) : null };
};`;
const CALLEE = `exports.handler = async (event) => ({ got: event });`;

const CALLEE_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:callee';
const fn = (name: string, role: string, tracing: 'Active' | 'PassThrough') => ({
  Type: 'AWS::Lambda::Function',
  Properties: { FunctionName: name, Runtime: 'nodejs22.x', Handler: 'index.handler', Role: { 'Fn::GetAtt': [role, 'Arn'] }, TracingConfig: { Mode: tracing } },
  Metadata: { 'aws:asset:path': name === 'callee' ? 'callee' : 'caller' },
});
const template: CfnTemplate = {
  Resources: {
    CallerRole: {
      Type: 'AWS::IAM::Role',
      Properties: {
        RoleName: 'caller-role',
        // What CDK's callee.grantInvoke(caller) writes.
        Policies: [{ PolicyName: 'invoke', PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: [CALLEE_ARN, `${CALLEE_ARN}:*`] }] } }],
      },
    },
    LonelyRole: { Type: 'AWS::IAM::Role', Properties: { RoleName: 'lonely-role' } },
    CalleeRole: { Type: 'AWS::IAM::Role', Properties: { RoleName: 'callee-role' } },
    Caller: fn('caller', 'CallerRole', 'Active'),
    Lonely: fn('lonely', 'LonelyRole', 'Active'),
    Callee: fn('callee', 'CalleeRole', 'PassThrough'),
  },
};

type Doc = Record<string, unknown> & { id: string; trace_id: string; parent_id?: string; name: string; origin?: string; subsegments?: Doc[] };

let listener: BoundListener;
let aws: LocalAws<LambdaService>;
let sink: UdpSegmentSink;
const daemon = new FakeDaemon();

beforeAll(async () => {
  for (const [name, source] of [['caller', CALLER], ['callee', CALLEE]] as const) {
    mkdirSync(join(ROOT, name), { recursive: true });
    // As NodejsFunction bundles for nodejs18+: the AWS SDK is the runtime's, the rest is bundled.
    await build({ stdin: { contents: source, resolveDir: process.cwd(), loader: 'js' }, bundle: true, platform: 'node', format: 'cjs', target: 'node20', external: ['@aws-sdk/*'], outfile: join(ROOT, name, 'index.js'), logLevel: 'silent' });
  }
  const daemonAddress = await daemon.start();
  listener = await BoundListener.bind('127.0.0.1', 0);
  const model = buildCloudModel([{ stackName: 'S', artifactId: 'S', template, dependencies: [], assemblyDir: ROOT }], { endpointUrl: listener.url });
  const { functions, warnings } = lambdaFunctionsFromModel(model);
  expect(warnings).toEqual([]);
  const roleCredentials = RoleCredentials.ephemeral();
  const { logger } = capturingLogger();
  sink = new UdpSegmentSink({ daemonAddress, logger });
  await sink.start();
  aws = new LocalAws({
    model,
    listener,
    roleCredentials,
    authorizer: PolicyAuthorizer.fromModel(model, roleCredentials),
    segments: sink,
    lambda: () => new LambdaService({ functions, endpointUrl: listener.url, roleCredentials, daemonAddress, segmentSink: sink, logger, retryDelaysMs: [0] }),
    logger,
  });
  await aws.lambda.start();
  await aws.start();
});

afterAll(async () => {
  await aws.stop();
  await aws.lambda.stop();
  await sink.stop();
  await daemon.stop();
  await listener.close();
  rmSync(ROOT, { recursive: true, force: true });
});

/** Every subsegment of a document, nested ones included. */
function subsegmentsOf(doc: Doc): Doc[] {
  return (doc.subsegments ?? []).flatMap((sub) => [sub, ...subsegmentsOf(sub)]);
}

describe('a handler that invokes another function', () => {
  it('continues the trace: the caller\'s Lambda subsegment -> the callee\'s AWS::Lambda -> AWS::Lambda::Function', async () => {
    const result = await aws.lambda.invoke({ functionName: 'caller', payload: { target: 'callee' }, invocationType: 'RequestResponse' });
    expect(result.functionError, JSON.stringify(result.payload)).toBeUndefined();
    expect(result.payload).toEqual({ status: 200, version: '$LATEST', payload: { got: { from: 'caller' } } });

    const isCalleeFunction = (doc: Doc): boolean => doc.name === 'callee' && doc.origin === 'AWS::Lambda::Function';
    await daemon.waitFor((docs) => (docs as Doc[]).some(isCalleeFunction) && (docs as Doc[]).some((doc) => doc.name === 'Lambda'));
    const docs = daemon.documents as Doc[];
    const callerFunction = docs.find((doc) => doc.name === 'caller' && doc.origin === 'AWS::Lambda::Function');
    const lambdaCall = docs.find((doc) => doc.name === 'Lambda' && doc['namespace'] === 'aws');
    const calleeService = docs.find((doc) => doc.name === 'callee' && doc.origin === 'AWS::Lambda');
    const calleeFunction = docs.find(isCalleeFunction);
    expect(callerFunction && lambdaCall && calleeService && calleeFunction).toBeTruthy();
    const traceId = callerFunction?.trace_id;
    expect([lambdaCall, calleeService, calleeFunction].map((doc) => doc?.trace_id)).toEqual([traceId, traceId, traceId]);
    // The SDK streams its subsegment parented to the function segment (the Parent of _X_AMZN_TRACE_ID).
    expect(lambdaCall?.parent_id).toBe(callerFunction?.id);
    expect(lambdaCall).toMatchObject({ aws: { operation: 'Invoke' }, http: { response: { status: 200 } } });
    expect(calleeService?.parent_id).toBe(lambdaCall?.id);
    expect(calleeService).toMatchObject({ http: { response: { status: 200 } }, resource_arn: CALLEE_ARN });
    expect(calleeFunction?.parent_id).toBe(calleeService?.id);
    expect(subsegmentsOf(calleeFunction as Doc).map((sub) => sub.name)).toContain('Invocation');
  });

  it('continues it for an Event invocation too, through the asynchronous path (Dwell Time, Attempt #1)', async () => {
    const result = await aws.lambda.invoke({ functionName: 'caller', payload: { target: 'callee', type: 'Event' }, invocationType: 'RequestResponse' });
    expect(result.payload).toEqual({ status: 202, version: undefined, payload: null });
    const traceOf = (docs: Doc[]): Doc[] => {
      const callerRun = docs.filter((doc) => doc.name === 'caller' && doc.origin === 'AWS::Lambda::Function').at(-1);
      return callerRun ? docs.filter((doc) => doc.trace_id === callerRun.trace_id) : [];
    };
    await aws.lambda.drain();
    await daemon.waitFor((docs) => traceOf(docs as Doc[]).some((doc) => doc.name === 'callee' && doc.origin === 'AWS::Lambda' && doc['http'] !== undefined && JSON.stringify(doc['http']).includes('202')));
    const trace = traceOf(daemon.documents as Doc[]);
    const lambdaCall = trace.find((doc) => doc.name === 'Lambda');
    const calleeService = trace.find((doc) => doc.name === 'callee' && doc.origin === 'AWS::Lambda');
    expect(calleeService?.parent_id).toBe(lambdaCall?.id);
    expect((calleeService?.subsegments ?? []).map((sub) => sub.name)).toEqual(['Dwell Time', 'Attempt #1']);
    expect(trace.find((doc) => doc.name === 'callee' && doc.origin === 'AWS::Lambda::Function')?.parent_id).toBe(calleeService?.id);
  });

  it('needs lambda:InvokeFunction on the target in the caller\'s role', async () => {
    const result = await aws.lambda.invoke({ functionName: 'lonely', payload: { target: 'callee' }, invocationType: 'RequestResponse' });
    expect(result.functionError).toBe('Unhandled');
    expect(result.payload).toMatchObject({
      errorType: 'AccessDeniedException',
      errorMessage: `User: arn:aws:iam::000000000000:role/lonely-role is not authorized to perform: lambda:InvokeFunction on resource: ${CALLEE_ARN} because no identity-based policy allows the lambda:InvokeFunction action`,
    });
  });
});
