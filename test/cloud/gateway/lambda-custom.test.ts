// Lambda custom integrations (Type AWS with a Lambda URI) through the gateway's HTTP server, with a
// stand-in for the Lambda service. The shapes follow "Handle Lambda errors in API Gateway"
// (https://docs.aws.amazon.com/apigateway/latest/developerguide/handle-errors-in-lambda-integration.html):
// a standard error is {"errorMessage", "errorType", "stackTrace"}, the selection pattern is matched
// against errorMessage, and an error no pattern selects is answered by the default response (200 OK).
import { describe, expect, it } from 'vitest';
import type { InvokeRequest, InvokeResult, LambdaInvoker } from '../../../src/cloud/core/types.ts';
import { ApiGateway } from '../../../src/cloud/gateway/index.ts';
import { seededRandom } from '../../../src/cloud/tracing/ids.ts';
import { cloudModel, gatewaysStoppedAfterEach } from './support.ts';

const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:calc';

function model(integration: Record<string, unknown>): ReturnType<typeof cloudModel> {
  return cloudModel([
    { logicalId: 'Api', type: 'AWS::ApiGateway::RestApi', physicalId: 'api1', properties: { Name: 'Custom API' } },
    { logicalId: 'Calc', type: 'AWS::ApiGateway::Resource', physicalId: 'res-calc', properties: { RestApiId: 'api1', ParentId: 'api1-root-id', PathPart: 'calc' } },
    { logicalId: 'CalcPost', type: 'AWS::ApiGateway::Method', physicalId: 'm1', properties: { RestApiId: 'api1', ResourceId: 'res-calc', HttpMethod: 'POST', AuthorizationType: 'NONE', Integration: integration } },
    { logicalId: 'Stage', type: 'AWS::ApiGateway::Stage', physicalId: 'prod', properties: { RestApiId: 'api1', StageName: 'prod', TracingEnabled: true } },
  ]);
}

/** The integration of the docs' example: errors whose message starts "Malformed input" are 400s. */
const customIntegration = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  Type: 'AWS',
  IntegrationHttpMethod: 'POST',
  Uri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${FUNCTION_ARN}/invocations`,
  RequestTemplates: { 'application/json': '{"a": $input.json(\'$.a\'), "op": "$input.params(\'op\')", "stage": "$context.stage"}' },
  IntegrationResponses: [
    { StatusCode: '200', ResponseTemplates: { 'application/json': '{"result": $input.json(\'$.sum\')}' } },
    { StatusCode: '400', SelectionPattern: 'Malformed.*', ResponseTemplates: { 'application/json': '{"error": "$util.escapeJavaScript($input.path(\'$.errorMessage\'))"}' } },
  ],
  ...overrides,
});

const { logger, start } = gatewaysStoppedAfterEach();

function invoker(answer: (request: InvokeRequest) => InvokeResult): LambdaInvoker & { requests: InvokeRequest[] } {
  const requests: InvokeRequest[] = [];
  return { requests, invoke: (request) => { requests.push(request); return Promise.resolve(answer(request)); } };
}

const functionError = (message: string): InvokeResult => ({
  statusCode: 200, functionError: 'Unhandled', errorMessage: message,
  payload: { errorType: 'Error', errorMessage: message, stackTrace: ['at handler (index.js:1:1)'] },
});

async function serve(integration: Record<string, unknown>, lambda: LambdaInvoker, segments: Array<Record<string, unknown>> = []): Promise<ApiGateway> {
  return start({
    model: model(integration), awsEndpointUrl: 'http://127.0.0.1:9', port: 0, random: seededRandom(5), logger, lambda,
    segmentSink: { send: (document) => segments.push(document) },
  });
}

describe('Lambda custom integrations', () => {
  it('invokes the function with the rendered request template and maps its result with the default response', async () => {
    const lambda = invoker(() => ({ statusCode: 200, payload: { sum: 42 } }));
    const gateway = await serve(customIntegration(), lambda);
    const response = await fetch(`${gateway.url}/prod/calc?op=add`, { method: 'POST', body: '{"a": [1, 2]}', headers: { 'content-type': 'application/json' } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ result: 42 });
    expect(lambda.requests[0]).toMatchObject({ functionName: FUNCTION_ARN, invocationType: 'RequestResponse', payload: { a: [1, 2], op: 'add', stage: 'prod' } });
  });

  it('matches the selection pattern against errorMessage, with the error as $input', async () => {
    const gateway = await serve(customIntegration(), invoker(() => functionError('Malformed input ...')));
    const response = await fetch(`${gateway.url}/prod/calc`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'Malformed input ...' });
  });

  it('answers an error no pattern selects with the default response, 200 OK, as AWS does', async () => {
    const gateway = await serve(customIntegration({ IntegrationResponses: [{ StatusCode: '200' }, { StatusCode: '400', SelectionPattern: 'Malformed.*' }] }), invoker(() => functionError('Something else')));
    const response = await fetch(`${gateway.url}/prod/calc`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ errorType: 'Error', errorMessage: 'Something else', stackTrace: ['at handler (index.js:1:1)'] });
  });

  it('never selects an error pattern for a successful invocation, even one matching everything', async () => {
    const gateway = await serve(customIntegration({ IntegrationResponses: [{ StatusCode: '200' }, { StatusCode: '500', SelectionPattern: '.*' }] }), invoker(() => ({ statusCode: 200, payload: 'done' })));
    const response = await fetch(`${gateway.url}/prod/calc`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('"done"');
  });

  it('reads the pattern as a Java regex over the whole message: `.` stops at a line end', async () => {
    const integration = customIntegration({
      IntegrationResponses: [{ StatusCode: '200' }, { StatusCode: '502', SelectionPattern: 'Bad.*' }, { StatusCode: '503', SelectionPattern: 'Bad(\\n|.)*' }],
    });
    const gateway = await serve(integration, invoker(() => functionError('Bad thing\nat line 2')));
    const response = await fetch(`${gateway.url}/prod/calc`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(503);
  });

  it('invokes asynchronously when the integration request maps X-Amz-Invocation-Type to Event', async () => {
    const lambda = invoker(() => ({ statusCode: 202 }));
    const gateway = await serve(customIntegration({
      RequestParameters: { 'integration.request.header.X-Amz-Invocation-Type': "'Event'" },
      IntegrationResponses: [{ StatusCode: '202', ResponseTemplates: { 'application/json': '{"queued": true}' } }],
    }), lambda);
    const response = await fetch(`${gateway.url}/prod/calc`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ queued: true });
    expect(lambda.requests[0]?.invocationType).toBe('Event');
  });

  it('answers 500 when Lambda refuses the invocation, and records the Lambda subsegment parenting the function', async () => {
    const segments: Array<Record<string, unknown>> = [];
    const lambda = invoker(() => ({ statusCode: 404, errorMessage: 'Function not found' }));
    const gateway = await serve(customIntegration(), lambda, segments);
    const response = await fetch(`${gateway.url}/prod/calc`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ message: 'Internal server error' });
    const [call] = segments[0]?.['subsegments'] as Array<Record<string, unknown>>;
    expect(call).toMatchObject({ name: 'Lambda', namespace: 'aws', aws: { operation: 'Invoke', function_name: 'calc' }, http: { response: { status: 404 } } });
    expect(lambda.requests[0]?.trace).toEqual({ root: segments[0]?.['trace_id'], parent: call?.['id'], sampled: true });
  });

  it('gives no start warning for a Lambda custom integration', () => {
    const gateway = new ApiGateway({ model: model(customIntegration()), awsEndpointUrl: 'http://127.0.0.1:9', port: 0, logger });
    expect(gateway.warnings).toEqual([]);
  });
});
