// A tiny CDK app with a LambdaRestApi (the most common API Gateway shape), synthesized and run by the
// local cloud: a request through the gateway reaches the handler as the proxy event, the client gets
// what the handler returned, and the trace goes stage -> Lambda -> the function.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { LambdaIntegration, LambdaRestApi, RestApi, TokenAuthorizer } from 'aws-cdk-lib/aws-apigateway';
import { Code, Function as LambdaFunction, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '../../../src/cloud/index.ts';
import { startCdkCloud } from '../cdk-cloud.ts';
import { FakeDaemon } from '../lambda/support.ts';

const root = mkdtempSync(join(tmpdir(), 'cloud-lambda-rest-api-'));
const assemblyDir = join(root, 'cdk.out');

const HANDLER = `
exports.handler = async (event) => {
  if (event.path === '/fail') throw new Error('handler failed');
  if (event.path === '/malformed') return { body: 'no status code' };
  return {
    statusCode: 201,
    headers: { 'Content-Type': 'application/json', 'X-Handler': 'yes' },
    multiValueHeaders: { 'Set-Cookie': ['a=1', 'b=2'] },
    body: JSON.stringify({
      resource: event.resource, path: event.path, httpMethod: event.httpMethod,
      pathParameters: event.pathParameters, query: event.multiValueQueryStringParameters,
      stage: event.requestContext.stage, requestPath: event.requestContext.path, body: event.body,
      traceHeader: process.env._X_AMZN_TRACE_ID ?? null,
    }),
  };
};
exports.calc = async (event) => {
  if (event.fail) throw new Error('Malformed input: fail was set');
  return { sum: event.a + event.b, principal: event.principal };
};
exports.authorize = async (event) => {
  if (event.authorizationToken === 'boom') throw new Error('Unauthorized');
  return {
    principalId: 'user-' + event.authorizationToken,
    policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: event.authorizationToken === 'allow' ? 'Allow' : 'Deny', Resource: event.methodArn }] },
    context: { tier: 'gold' },
  };
};
`;

function synthesize(): void {
  const code = join(root, 'handler');
  mkdirSync(code, { recursive: true });
  writeFileSync(join(code, 'index.js'), HANDLER);
  const app = new App({ outdir: assemblyDir });
  const stack = new Stack(app, 'ProxyApp');
  const handler = new LambdaFunction(stack, 'Handler', { runtime: Runtime.NODEJS_22_X, handler: 'index.handler', code: Code.fromAsset(code), tracing: Tracing.ACTIVE });
  new LambdaRestApi(stack, 'Api', { handler, restApiName: 'Proxy API', cloudWatchRole: false, deployOptions: { stageName: 'prod', tracingEnabled: true } });

  // A custom (non-proxy) Lambda integration behind a TOKEN authorizer, as CDK writes them.
  const calc = new LambdaFunction(stack, 'Calc', { runtime: Runtime.NODEJS_22_X, handler: 'index.calc', code: Code.fromAsset(code), tracing: Tracing.ACTIVE });
  const check = new LambdaFunction(stack, 'Check', { runtime: Runtime.NODEJS_22_X, handler: 'index.authorize', code: Code.fromAsset(code) });
  const custom = new RestApi(stack, 'Custom', { restApiName: 'Custom API', cloudWatchRole: false, deployOptions: { stageName: 'custom', tracingEnabled: true } });
  custom.root.addResource('calc').addMethod('POST', new LambdaIntegration(calc, {
    proxy: false,
    requestTemplates: { 'application/json': '{"a": $input.json(\'$.a\'), "b": $input.json(\'$.b\'), "fail": $input.json(\'$.fail\'), "principal": "$context.authorizer.principalId"}' },
    integrationResponses: [
      { statusCode: '200' },
      { statusCode: '400', selectionPattern: 'Malformed.*', responseTemplates: { 'application/json': '{"error": "$util.escapeJavaScript($input.path(\'$.errorMessage\'))"}' } },
    ],
  }), { authorizer: new TokenAuthorizer(stack, 'Authorizer', { handler: check }), methodResponses: [{ statusCode: '200' }, { statusCode: '400' }] });
  app.synth();
}

const daemon = new FakeDaemon();
let cloud: LocalCloud;

beforeAll(async () => {
  synthesize();
  cloud = await startCdkCloud(root, daemon);
}, 120_000);

afterAll(async () => {
  await cloud?.stop();
  await daemon.stop();
  rmSync(root, { recursive: true, force: true });
});

describe('a LambdaRestApi run by the local cloud', () => {
  it('passes the request to the handler as the proxy event and answers what it returned', async () => {
    expect(cloud.warnings.join('\n')).not.toContain('AWS_PROXY');
    const response = await fetch(`${cloud.gatewayUrl}/prod/items/42?tag=a&tag=b`, { method: 'POST', body: 'hello', headers: { 'content-type': 'text/plain' } });
    expect(response.status).toBe(201);
    expect(response.headers.get('x-handler')).toBe('yes');
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    const body = await response.json() as Record<string, unknown>;
    expect(body).toMatchObject({
      resource: '/{proxy+}', path: '/items/42', httpMethod: 'POST', pathParameters: { proxy: 'items/42' },
      query: { tag: ['a', 'b'] }, stage: 'prod', requestPath: '/prod/items/42', body: 'hello',
    });

    // The trace: the stage's Lambda subsegment is the parent of AWS::Lambda, which the function's segment follows.
    const traceId = /Root=([^;]+)/.exec(response.headers.get('x-amzn-trace-id') ?? '')?.[1] ?? '';
    expect(traceId).not.toBe('');
    await daemon.waitFor(() => ['AWS::ApiGateway::Stage', 'AWS::Lambda', 'AWS::Lambda::Function'].every((origin) => daemon.byTrace(traceId).some((d) => d['origin'] === origin)), 20_000);
    const documents = daemon.byTrace(traceId);
    const stage = documents.find((d) => d['origin'] === 'AWS::ApiGateway::Stage') as Record<string, unknown>;
    const [call] = stage['subsegments'] as Array<Record<string, unknown>>;
    expect(call).toMatchObject({ name: 'Lambda', namespace: 'aws', aws: { operation: 'Invoke' } });
    expect((call?.['aws'] as Record<string, unknown>)['function_name']).toMatch(/Handler/);
    const service = documents.find((d) => d['origin'] === 'AWS::Lambda');
    expect(service?.['parent_id']).toBe(call?.['id']);
    expect(documents.find((d) => d['origin'] === 'AWS::Lambda::Function')?.['parent_id']).toBe(service?.['id']);
    expect(String(body.traceHeader)).toContain(`Root=${traceId}`);
  }, 60_000);

  it('answers 502 Internal server error when the handler throws or returns a malformed response', async () => {
    for (const path of ['fail', 'malformed']) {
      const response = await fetch(`${cloud.gatewayUrl}/prod/${path}`);
      expect(response.status, path).toBe(502);
      expect(await response.json()).toEqual({ message: 'Internal server error' });
    }
  }, 60_000);

  it('runs a custom Lambda integration behind a TOKEN authorizer, traced stage -> Lambda -> function for both', async () => {
    const call = (token: string | undefined, body: unknown): Promise<Response> => fetch(`${cloud.gatewayUrl}/custom/calc`, {
      method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...(token !== undefined ? { authorization: token } : {}) },
    });
    const ok = await call('allow', { a: 1, b: 2, fail: false });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ sum: 3, principal: 'user-allow' });
    expect((await call(undefined, { a: 1, b: 2, fail: false })).status).toBe(401);
    expect((await call('boom', { a: 1, b: 2, fail: false })).status).toBe(401);
    const denied = await call('deny', { a: 1, b: 2, fail: false });
    expect(denied.status).toBe(403);
    expect(await denied.json()).toEqual({ Message: 'User is not authorized to access this resource with an explicit deny' });
    const failed = await call('allow', { a: 1, b: 2, fail: true });
    expect(failed.status).toBe(400);
    expect(await failed.json()).toEqual({ error: 'Malformed input: fail was set' });

    const traceId = /Root=([^;]+)/.exec(ok.headers.get('x-amzn-trace-id') ?? '')?.[1] ?? '';
    await daemon.waitFor(() => daemon.byTrace(traceId).filter((d) => d['origin'] === 'AWS::Lambda').length === 2, 20_000);
    const documents = daemon.byTrace(traceId);
    const stage = documents.find((d) => d['origin'] === 'AWS::ApiGateway::Stage') as Record<string, unknown>;
    const calls = stage['subsegments'] as Array<Record<string, unknown>>;
    expect(calls.map((c) => c['name'])).toEqual(['Lambda', 'Lambda']);
    for (const subsegment of calls) {
      expect(documents.find((d) => d['origin'] === 'AWS::Lambda' && d['parent_id'] === subsegment['id'])).toBeDefined();
    }
  }, 60_000);
});
