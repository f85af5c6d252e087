import { describe, expect, it } from 'vitest';
import type { InvokeRequest, InvokeResult, LambdaInvoker } from '../../../src/cloud/core/types.ts';
import { functionFromUri, invokeLambdaProxy, isBinaryMediaType, proxyEvent, proxyResponse } from '../../../src/cloud/gateway/lambda-proxy.ts';
import type { LambdaProxyCall, ProxyRequest } from '../../../src/cloud/gateway/lambda-proxy.ts';

/**
 * Fixtures from "Lambda proxy integrations in API Gateway", sections "Input format of a Lambda
 * function for proxy integration" and "Output format of a Lambda function for proxy integration":
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html
 */

const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:my-function';
const URI = `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${FUNCTION_ARN}/invocations`;

function request(overrides: Partial<ProxyRequest> = {}): ProxyRequest {
  return {
    resourcePath: '/my/path',
    resourceId: 'res1',
    stage: 'prod',
    httpMethod: 'GET',
    path: '/my/path',
    rawHeaders: ['Host', 'api1.execute-api.us-east-1.amazonaws.com', 'User-Agent', 'curl/8.0', 'header1', 'value1', 'header2', 'value1', 'header2', 'value2'],
    query: new URLSearchParams('parameter1=value1&parameter1=value2&parameter2=value'),
    pathParameters: {},
    stageVariables: {},
    body: Buffer.from('Hello from Lambda!'),
    binaryMediaTypes: [],
    accountId: '123456789012',
    apiId: 'api1',
    domainName: 'api1.execute-api.us-east-1.amazonaws.com',
    requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
    extendedRequestId: 'IOw2aHFvoAMFoLw=',
    requestTimeEpochMs: Date.UTC(2020, 2, 4, 19, 15, 17, 135),
    protocol: 'HTTP/1.1',
    sourceIp: '198.51.100.7',
    localPort: 443,
    traceHeader: undefined,
    ...overrides,
  };
}

describe('the proxy event (version 1.0, REST APIs)', () => {
  const event = proxyEvent(request());
  const context = event.requestContext as Record<string, unknown>;

  // Field by field against the documented example (values of this request).
  it.each([
    ['resource', '/my/path'],
    ['path', '/my/path'],
    ['httpMethod', 'GET'],
    ['queryStringParameters', { parameter1: 'value2', parameter2: 'value' }],
    ['multiValueQueryStringParameters', { parameter1: ['value1', 'value2'], parameter2: ['value'] }],
    ['pathParameters', null],
    ['stageVariables', null],
    ['body', 'Hello from Lambda!'],
    ['isBase64Encoded', false],
  ])('%s', (field, expected) => {
    expect(event[field]).toEqual(expected);
  });

  it('has single- and multi-value headers, the last value in the single map, plus the X-Forwarded-* API Gateway adds', () => {
    expect(event.headers).toMatchObject({ header1: 'value1', header2: 'value2', 'User-Agent': 'curl/8.0', 'X-Forwarded-For': '198.51.100.7', 'X-Forwarded-Proto': 'http', 'X-Forwarded-Port': '443' });
    expect(event.multiValueHeaders).toMatchObject({ header1: ['value1'], header2: ['value1', 'value2'] });
  });

  it.each([
    ['accountId', '123456789012'],
    ['apiId', 'api1'],
    ['domainName', 'api1.execute-api.us-east-1.amazonaws.com'],
    ['domainPrefix', 'api1'],
    ['extendedRequestId', 'IOw2aHFvoAMFoLw='],
    ['httpMethod', 'GET'],
    ['path', '/prod/my/path'],
    ['protocol', 'HTTP/1.1'],
    ['requestId', 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef'],
    ['requestTime', '04/Mar/2020:19:15:17 +0000'],
    ['requestTimeEpoch', 1583349317135],
    ['resourceId', 'res1'],
    ['resourcePath', '/my/path'],
    ['stage', 'prod'],
  ])('requestContext.%s', (field, expected) => {
    expect(context[field]).toEqual(expected);
  });

  it('has the identity with the source IP and user agent and nulls for an unauthenticated caller', () => {
    expect(context.identity).toEqual({
      cognitoIdentityPoolId: null, accountId: null, cognitoIdentityId: null, caller: null, sourceIp: '198.51.100.7',
      principalOrgId: null, accessKey: null, cognitoAuthenticationType: null, cognitoAuthenticationProvider: null,
      userArn: null, userAgent: 'curl/8.0', user: null,
    });
  });

  it('gives null query strings and body when there are none, and path parameters and stage variables when there are', () => {
    const bare = proxyEvent(request({ query: new URLSearchParams(), body: Buffer.alloc(0), pathParameters: { proxy: 'a/b' }, stageVariables: { color: 'blue' } }));
    expect(bare).toMatchObject({ queryStringParameters: null, multiValueQueryStringParameters: null, body: null, pathParameters: { proxy: 'a/b' }, stageVariables: { color: 'blue' } });
  });

  it('base64-encodes a body whose Content-Type is one of the binary media types', () => {
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0xff]);
    const binary = proxyEvent(request({ rawHeaders: ['Content-Type', 'image/png'], body: bytes, binaryMediaTypes: ['image~1*'] }));
    expect(binary).toMatchObject({ body: bytes.toString('base64'), isBase64Encoded: true });
    const text = proxyEvent(request({ rawHeaders: ['Content-Type', 'application/json'], body: Buffer.from('{}'), binaryMediaTypes: ['image/png'] }));
    expect(text).toMatchObject({ body: '{}', isBase64Encoded: false });
  });

  it('adds the X-Amzn-Trace-Id when the stage traces', () => {
    const traced = proxyEvent(request({ traceHeader: 'Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1' }));
    expect((traced.headers as Record<string, string>)['X-Amzn-Trace-Id']).toBe('Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1');
  });
});

describe('integration URIs and media types', () => {
  it('reads the function from the URI, with stage variables filled in', () => {
    expect(functionFromUri(URI)).toBe(FUNCTION_ARN);
    expect(functionFromUri('arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:1:function:${stageVariables.fn}/invocations', { fn: 'f2' }))
      .toBe('arn:aws:lambda:us-east-1:1:function:f2');
    expect(functionFromUri('arn:aws:apigateway:us-east-1:sqs:path/1/q')).toBeUndefined();
  });

  it('matches binary media types with wildcards', () => {
    expect(isBinaryMediaType('image/png; charset=x', ['image/*'])).toBe(true);
    expect(isBinaryMediaType('application/octet-stream', ['*/*'])).toBe(true);
    expect(isBinaryMediaType('text/plain', ['image/png'])).toBe(false);
    expect(isBinaryMediaType(undefined, ['*/*'])).toBe(false);
  });
});

describe('the proxy response', () => {
  it('takes statusCode, headers and body', () => {
    const made = proxyResponse({ statusCode: 201, headers: { 'X-Custom': 'a' }, body: '{"ok":true}' }, undefined, []);
    expect(made).toEqual({ answer: { status: 201, headers: { 'content-type': 'application/json', 'x-custom': 'a' }, headerLists: {}, body: '{"ok":true}' } });
  });

  it('merges headers and multiValueHeaders, the multi-value list winning for a name in both', () => {
    const made = proxyResponse({
      statusCode: 200,
      headers: { 'Content-Type': 'text/plain', 'Set-Cookie': 'single=1', 'X-Only-Single': 'x' },
      multiValueHeaders: { 'set-cookie': ['a=1', 'b=2'], 'X-Multi': ['one'] },
      body: 'hi',
    }, undefined, []);
    expect(made).toEqual({
      answer: {
        status: 200,
        headers: { 'content-type': 'text/plain', 'x-only-single': 'x', 'x-multi': 'one' },
        headerLists: { 'set-cookie': ['a=1', 'b=2'] },
        body: 'hi',
      },
    });
  });

  it('decodes a base64 body to bytes when the client accepts a binary media type, and passes the text otherwise', () => {
    const bytes = Buffer.from([0, 1, 2, 255]);
    const result = { statusCode: 200, headers: { 'Content-Type': 'image/png' }, body: bytes.toString('base64'), isBase64Encoded: true };
    const binary = proxyResponse(result, 'image/png', ['image/png']);
    expect('answer' in binary && binary.answer.rawBody).toEqual(bytes);
    const text = proxyResponse(result, 'application/json', ['image/png']);
    expect('answer' in text && text.answer.rawBody).toBeUndefined();
    expect('answer' in text && text.answer.body).toBe(bytes.toString('base64'));
  });

  it('accepts a numeric string status and no body', () => {
    expect(proxyResponse({ statusCode: '204' }, undefined, [])).toMatchObject({ answer: { status: 204, body: '' } });
  });

  it.each([
    ['not an object', 'hello'],
    ['null', null],
    ['no statusCode', { body: 'x' }],
    ['statusCode not a number', { statusCode: 'ok' }],
    ['statusCode out of range', { statusCode: 1000 }],
    ['body not a string', { statusCode: 200, body: { a: 1 } }],
    ['headers not a map', { statusCode: 200, headers: ['a'] }],
    ['a header an object', { statusCode: 200, headers: { a: { b: 1 } } }],
    ['isBase64Encoded not a boolean', { statusCode: 200, isBase64Encoded: 'yes' }],
    ['a multiValueHeaders value not a list', { statusCode: 200, multiValueHeaders: { 'content-type': 'application/json' } }],
  ])('is malformed with %s', (_, payload) => {
    expect(proxyResponse(payload, undefined, [])).toHaveProperty('malformed');
  });
});

describe('invoking the function', () => {
  const call = (overrides: Partial<LambdaProxyCall> = {}): LambdaProxyCall => ({
    uri: URI, event: { path: '/x' }, stageVariables: {}, region: 'us-east-1', sourceArn: 'arn:aws:execute-api:us-east-1:000000000000:api1/prod/GET/',
    timeoutMs: 29_000, trace: { root: '1-5759e988-bd862e3fe1be46a994272793', sampled: true }, accept: undefined, binaryMediaTypes: [], ...overrides,
  });
  let ids = 0;
  const deps = { nowMs: () => 1_000, segmentId: () => `seg${(ids += 1)}` };
  const invoker = (answer: (request: InvokeRequest) => Promise<InvokeResult> | InvokeResult): LambdaInvoker & { requests: InvokeRequest[] } => {
    const requests: InvokeRequest[] = [];
    return { requests, invoke: async (r) => { requests.push(r); return answer(r); } };
  };

  it('invokes RequestResponse with the event, the trace parented on the Lambda subsegment, and answers the result', async () => {
    ids = 0;
    const lambda = invoker(() => ({ statusCode: 200, payload: { statusCode: 200, body: 'ok' } }));
    const outcome = await invokeLambdaProxy(lambda, call(), deps);
    expect(outcome.answer).toMatchObject({ status: 200, body: 'ok' });
    expect(outcome.failure).toBeUndefined();
    expect(lambda.requests[0]).toEqual({
      functionName: FUNCTION_ARN, payload: { path: '/x' }, invocationType: 'RequestResponse',
      trace: { root: '1-5759e988-bd862e3fe1be46a994272793', parent: 'seg1', sampled: true },
      caller: { kind: 'apigateway', arn: 'arn:aws:execute-api:us-east-1:000000000000:api1/prod/GET/' },
    });
    expect(outcome.call).toMatchObject({ id: 'seg1', name: 'Lambda', operation: 'Invoke', resource: { function_name: 'my-function' }, status: 200 });
  });

  it('answers 502 Internal server error on a function error and on a malformed result', async () => {
    const failed = await invokeLambdaProxy(invoker(() => ({ statusCode: 200, functionError: 'Unhandled', errorMessage: 'boom', payload: { errorType: 'Error', errorMessage: 'boom' } })), call(), deps);
    expect(failed.answer).toMatchObject({ status: 502, body: '{"message":"Internal server error"}' });
    expect(failed.failure).toContain('boom');
    const malformed = await invokeLambdaProxy(invoker(() => ({ statusCode: 200, payload: { body: 'no status' } })), call(), deps);
    expect(malformed.answer).toMatchObject({ status: 502, body: '{"message":"Internal server error"}' });
    expect(malformed.failure).toContain('Malformed Lambda proxy response');
  });

  it('answers 500 when Lambda refuses the invocation and 504 when it takes longer than the integration timeout', async () => {
    const missing = await invokeLambdaProxy(invoker(() => ({ statusCode: 404, errorMessage: 'Function not found' })), call(), deps);
    expect(missing.answer.status).toBe(500);
    const slow = await invokeLambdaProxy(invoker(() => new Promise<InvokeResult>(() => {})), call({ timeoutMs: 5 }), deps);
    expect(slow.answer.status).toBe(504);
    expect(slow.call?.failure?.message).toContain('timed out');
  });

  it('passes no trace when the stage does not trace, and makes no subsegment when unsampled', async () => {
    const lambda = invoker(() => ({ statusCode: 200, payload: { statusCode: 200 } }));
    const untraced = await invokeLambdaProxy(lambda, call({ trace: undefined }), deps);
    expect(lambda.requests[0]?.trace).toBeUndefined();
    expect(untraced.call).toBeUndefined();
    const unsampled = await invokeLambdaProxy(lambda, call({ trace: { root: '1-5759e988-bd862e3fe1be46a994272793', sampled: false } }), deps);
    expect(lambda.requests[1]?.trace).toEqual({ root: '1-5759e988-bd862e3fe1be46a994272793', sampled: false });
    expect(unsampled.call).toBeUndefined();
  });
});
