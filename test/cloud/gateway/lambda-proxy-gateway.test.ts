// Lambda proxy integrations through the gateway's HTTP server, with a stand-in for the Lambda service:
// binary bodies both ways, repeated headers on the wire, the stage segment's Lambda subsegment.
import { describe, expect, it } from 'vitest';
import type { InvokeRequest, InvokeResult, LambdaInvoker } from '../../../src/cloud/core/types.ts';
import type { ApiGateway } from '../../../src/cloud/gateway/index.ts';
import { seededRandom } from '../../../src/cloud/tracing/ids.ts';
import { cloudModel, gatewaysStoppedAfterEach } from './support.ts';

const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:echo';
const integration = {
  Type: 'AWS_PROXY',
  IntegrationHttpMethod: 'POST',
  Uri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${FUNCTION_ARN}/invocations`,
};
const model = cloudModel([
  { logicalId: 'Api', type: 'AWS::ApiGateway::RestApi', physicalId: 'api1', properties: { Name: 'Binary API', BinaryMediaTypes: ['image/png'] } },
  { logicalId: 'Proxy', type: 'AWS::ApiGateway::Resource', physicalId: 'res-proxy', properties: { RestApiId: 'api1', ParentId: 'api1-root-id', PathPart: '{proxy+}' } },
  { logicalId: 'ProxyAny', type: 'AWS::ApiGateway::Method', physicalId: 'm1', properties: { RestApiId: 'api1', ResourceId: 'res-proxy', HttpMethod: 'ANY', AuthorizationType: 'NONE', Integration: integration } },
  { logicalId: 'Stage', type: 'AWS::ApiGateway::Stage', physicalId: 'prod', properties: { RestApiId: 'api1', StageName: 'prod', TracingEnabled: true } },
]);

const { logged, logger, start } = gatewaysStoppedAfterEach();

async function serve(lambda: LambdaInvoker | undefined, segments: Array<Record<string, unknown>> = []): Promise<ApiGateway> {
  return start({
    model, awsEndpointUrl: 'http://127.0.0.1:9', port: 0, random: seededRandom(7), logger,
    segmentSink: { send: (document) => segments.push(document) }, ...(lambda !== undefined ? { lambda } : {}),
  });
}

function invoker(answer: (request: InvokeRequest) => InvokeResult): LambdaInvoker & { requests: InvokeRequest[] } {
  const requests: InvokeRequest[] = [];
  return { requests, invoke: (request) => { requests.push(request); return Promise.resolve(answer(request)); } };
}

describe('Lambda proxy integrations through the gateway', () => {
  it('sends a binary body base64-encoded and answers a base64 result as bytes to a client that accepts it', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff]);
    const lambda = invoker(() => ({ statusCode: 200, payload: { statusCode: 200, headers: { 'Content-Type': 'image/png' }, body: png.toString('base64'), isBase64Encoded: true } }));
    const gateway = await serve(lambda);
    const response = await fetch(`${gateway.url}/prod/image`, { method: 'PUT', body: png, headers: { 'content-type': 'image/png', accept: 'image/png' } });
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer())).toEqual(png);
    expect(response.headers.get('content-length')).toBe(String(png.length));
    expect(lambda.requests[0]?.payload).toMatchObject({ body: png.toString('base64'), isBase64Encoded: true, httpMethod: 'PUT', resource: '/{proxy+}', path: '/image' });
  });

  it('keeps the path percent-encoded, as REST APIs pass it, and decodes the path parameters', async () => {
    const lambda = invoker(() => ({ statusCode: 200, payload: { statusCode: 200 } }));
    const gateway = await serve(lambda);
    await fetch(`${gateway.url}/prod/a%20b/c%2Bd?q=1%202`);
    expect(lambda.requests[0]?.payload).toMatchObject({
      path: '/a%20b/c%2Bd', pathParameters: { proxy: 'a b/c+d' }, queryStringParameters: { q: '1 2' },
      requestContext: { path: '/prod/a%20b/c%2Bd', resourcePath: '/{proxy+}', stage: 'prod' },
    });
  });

  it('sends multiValueHeaders as repeated header lines', async () => {
    const gateway = await serve(invoker(() => ({ statusCode: 200, payload: { statusCode: 200, multiValueHeaders: { 'Set-Cookie': ['a=1', 'b=2'] }, body: '' } })));
    const response = await fetch(`${gateway.url}/prod/x`);
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
  });

  it('records the call as the stage segment\'s Lambda subsegment and hands its id to Lambda as the parent', async () => {
    const segments: Array<Record<string, unknown>> = [];
    const lambda = invoker(() => ({ statusCode: 200, payload: { statusCode: 200, body: 'ok' } }));
    const gateway = await serve(lambda, segments);
    const response = await fetch(`${gateway.url}/prod/x`);
    expect(await response.text()).toBe('ok');
    const [stage] = segments;
    const [call] = stage?.['subsegments'] as Array<Record<string, unknown>>;
    expect(call).toMatchObject({
      name: 'Lambda', namespace: 'aws',
      aws: { operation: 'Invoke', function_name: 'echo', region: 'us-east-1' },
      http: { request: { method: 'POST', url: `https://lambda.us-east-1.amazonaws.com/2015-03-31/functions/${FUNCTION_ARN}/invocations` }, response: { status: 200 } },
    });
    expect(lambda.requests[0]?.trace).toEqual({ root: stage?.['trace_id'], parent: call?.['id'], sampled: true });
    expect(lambda.requests[0]?.caller).toEqual({ kind: 'apigateway', arn: 'arn:aws:execute-api:us-east-1:000000000000:api1/prod/ANY/{proxy+}' });
  });

  it('answers 502 on a function error, logging why, with the stage segment a fault', async () => {
    const segments: Array<Record<string, unknown>> = [];
    const gateway = await serve(invoker(() => ({ statusCode: 200, functionError: 'Unhandled', errorMessage: 'boom' })), segments);
    const response = await fetch(`${gateway.url}/prod/x`);
    expect(response.status).toBe(502);
    expect(await response.json()).toEqual({ message: 'Internal server error' });
    expect(logged.join('\n')).toContain('Lambda function error: boom');
    expect(segments[0]).toMatchObject({ fault: true, http: { response: { status: 502 } } });
  });

  it('answers 500 when there is no Lambda service to invoke', async () => {
    const gateway = await serve(undefined);
    const response = await fetch(`${gateway.url}/prod/x`);
    expect(response.status).toBe(500);
    expect(logged.join('\n')).toContain('no Lambda service to invoke');
  });
});
