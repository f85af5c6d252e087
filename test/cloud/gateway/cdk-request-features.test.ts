// What CDK 2.x synthesizes for request validation, models, gateway responses and CORS, run by the
// local gateway. The answers follow the API Gateway developer guide:
// - "Request validation for REST APIs" (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-method-request-validation.html):
//   400 {"message": "Invalid request body"} and {"message": "Missing required request parameters: [q]"};
// - "Gateway responses for REST APIs" (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-gatewayResponse-definition.html):
//   DEFAULT_4XX reshapes the gateway's own 4xx answers, `$context.error.validationErrorString` lists the schema errors;
// - "CORS for REST APIs" (https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-cors.html): the
//   OPTIONS method CDK's defaultCorsPreflightOptions writes is a MOCK with `{ statusCode: 200 }` and a 204.
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { App, Stack } from 'aws-cdk-lib';
import { Cors, JsonSchemaType, Period, JsonSchemaVersion, MockIntegration, PassthroughBehavior, ResponseType, RestApi } from 'aws-cdk-lib/aws-apigateway';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiGateway } from '../../../src/cloud/gateway/index.ts';
import type { Logger } from '../../../src/cloud/core/runtime.ts';
import { buildCloudModel } from '../../../src/cloud/template/index.ts';
import { seededRandom } from '../../../src/cloud/tracing/ids.ts';

/** A port free now, for the gateway to listen on: the CORS origins CDK writes must name it. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function synthesize(ownOrigin: string): Record<string, unknown> {
  const app = new App();
  const stack = new Stack(app, 'Features');
  const api = new RestApi(stack, 'Api', {
    restApiName: 'Features API',
    cloudWatchRole: false,
    deployOptions: { stageName: 'prod' },
    defaultCorsPreflightOptions: { allowOrigins: ['https://a.example', ownOrigin], allowMethods: Cors.ALL_METHODS },
  });
  const model = api.addModel('Order', {
    contentType: 'application/json',
    modelName: 'Order',
    schema: {
      schema: JsonSchemaVersion.DRAFT4,
      type: JsonSchemaType.OBJECT,
      required: ['item', 'quantity'],
      properties: { item: { type: JsonSchemaType.STRING, minLength: 1 }, quantity: { type: JsonSchemaType.INTEGER, minimum: 1 } },
      additionalProperties: false,
    },
  });
  const validator = api.addRequestValidator('Validator', { validateRequestBody: true, validateRequestParameters: true });
  const ok = new MockIntegration({
    requestTemplates: { 'application/json': '{"statusCode": 200}' },
    passthroughBehavior: PassthroughBehavior.NEVER,
    integrationResponses: [{ statusCode: '200', responseTemplates: { 'application/json': '{"accepted": true}' } }],
  });
  api.root.addResource('orders').addMethod('POST', ok, {
    requestValidator: validator,
    requestModels: { 'application/json': model },
    requestParameters: { 'method.request.querystring.shop': true, 'method.request.header.X-Optional': false },
    methodResponses: [{ statusCode: '200' }],
  });
  const keyed = new MockIntegration({
    requestTemplates: { 'application/json': '{"statusCode": 200}' },
    integrationResponses: [{ statusCode: '200', responseTemplates: { 'application/json': '{"key": "$context.identity.apiKeyId"}' } }],
  });
  api.root.addResource('metered').addMethod('GET', keyed, { apiKeyRequired: true, methodResponses: [{ statusCode: '200' }] });
  const key = api.addApiKey('Key', { value: 'k'.repeat(24) });
  api.addApiKey('Generated');
  const plan = api.addUsagePlan('Plan', { quota: { limit: 2, period: Period.DAY }, throttle: { rateLimit: 100, burstLimit: 100 }, apiStages: [{ api, stage: api.deploymentStage }] });
  plan.addApiKey(key);
  api.addGatewayResponse('Default4xx', {
    type: ResponseType.DEFAULT_4XX,
    responseHeaders: { 'Access-Control-Allow-Origin': "'*'", 'X-Stage': 'context.stage' },
    templates: { 'application/json': '{"error": $context.error.messageString, "details": "$util.escapeJavaScript($context.error.validationErrorString)", "type": "$context.error.responseType"}' },
  });
  const template = app.synth().getStackByName('Features').template as Record<string, unknown>;
  return template;
}

const logged: string[] = [];
const logger: Logger = { info: () => {}, warn: (m) => logged.push(m), error: (m) => logged.push(m) };
let gateway: ApiGateway;
let ownOrigin = '';

beforeAll(async () => {
  const port = await freePort();
  ownOrigin = `http://127.0.0.1:${port}`;
  const template = synthesize(ownOrigin);
  const model = buildCloudModel([{ stackName: 'Features', artifactId: 'Features', template, dependencies: [], assemblyDir: '/assembly' }], { endpointUrl: 'http://127.0.0.1:4566' });
  expect(model.warnings).toEqual([]);
  gateway = new ApiGateway({ model, awsEndpointUrl: 'http://127.0.0.1:9', port, clock: () => 1_767_225_600_000, random: seededRandom(2), logger });
  await gateway.start();
});
afterAll(() => gateway.stop());

const post = (query: string, body: string, headers: Record<string, string> = {}): Promise<Response> =>
  fetch(`${gateway.url}/prod/orders${query}`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });

describe('request validators and models (CDK RequestValidator, Model)', () => {
  it('passes a request that has its required parameters and a body that matches the model', async () => {
    const response = await post('?shop=s1', '{"item": "tea", "quantity": 2}');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ accepted: true });
    expect(gateway.warnings).toEqual([]);
  });

  it('refuses a missing required parameter first, through the DEFAULT_4XX gateway response', async () => {
    const response = await post('', 'not json');
    expect(response.status).toBe(400);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('x-stage')).toBe('prod');
    expect(await response.json()).toEqual({
      error: 'Missing required request parameters: [shop]',
      details: 'Missing required request parameters: [shop]',
      type: 'BAD_REQUEST_PARAMETERS',
    });
  });

  it('refuses a body that does not match the model with "Invalid request body" and the schema errors', async () => {
    const response = await post('?shop=s1', '{"item": "", "extra": 1}');
    expect(response.status).toBe(400);
    const body = await response.json() as Record<string, string>;
    expect(body.error).toBe('Invalid request body');
    expect(body.type).toBe('BAD_REQUEST_BODY');
    expect(body.details).toContain('object has missing required properties (["quantity"])');
    expect(body.details).toContain('object instance has properties which are not allowed by the schema: ["extra"]');
    expect(body.details).toContain('is too short (length: 0, required minimum: 1)');
  });

  it('refuses a body that is not JSON', async () => {
    const response = await post('?shop=s1', '{"item": ');
    expect(response.status).toBe(400);
    expect((await response.json() as Record<string, string>).error).toBe('Invalid request body');
  });

  it('reshapes the gateway\'s own 403 for an unknown path too', async () => {
    const response = await fetch(`${gateway.url}/prod/nowhere`);
    expect(response.status).toBe(403);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(await response.json()).toMatchObject({ error: 'Missing Authentication Token', type: 'MISSING_AUTHENTICATION_TOKEN' });
  });
});

describe('the CORS preflight CDK writes (defaultCorsPreflightOptions)', () => {
  // A browser's preflight from another origin is refused by the local listeners' guard (a page must
  // not drive local services); the MOCK method runs for any other client, and for the page's own origin.
  it('answers OPTIONS 204 with the allowed headers and methods and the first origin', async () => {
    const response = await fetch(`${gateway.url}/prod/orders`, { method: 'OPTIONS' });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('https://a.example');
    expect(response.headers.get('access-control-allow-methods')).toBe('OPTIONS,GET,PUT,POST,DELETE,PATCH,HEAD');
    expect(response.headers.get('access-control-allow-headers')).toBe('Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token,X-Amz-User-Agent');
    expect(response.headers.get('vary')).toBe('Origin');
  });

  it('echoes a later allowed origin, as the response template CDK writes picks it', async () => {
    const response = await fetch(`${gateway.url}/prod/orders`, { method: 'OPTIONS', headers: { origin: ownOrigin } });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(ownOrigin);
  });
});

// "Usage plans and API keys" (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-usage-plans.html):
// a method with apiKeyRequired needs an x-api-key of a usage plan of the stage (403 Forbidden), and
// a plan's quota answers 429 Limit Exceeded once used up.
describe('API keys and usage plans (CDK addApiKey, addUsagePlan)', () => {
  const metered = (key?: string): Promise<Response> => fetch(`${gateway.url}/prod/metered`, { headers: key === undefined ? {} : { 'x-api-key': key } });

  it('refuses a request without a key, with an unknown key and with a key in no usage plan', async () => {
    for (const key of [undefined, 'nope', gateway.apiKeyValues().find((entry) => entry.logicalId.startsWith('ApiGenerated'))?.value]) {
      const response = await metered(key);
      expect(response.status).toBe(403);
      expect(response.headers.get('x-amzn-errortype')).toBe('ForbiddenException');
    }
    expect(logged.join('\n')).toContain('is in no usage plan of this API stage');
  });

  it('lets the plan\'s key through until its quota for the day is used up', async () => {
    const first = await metered('k'.repeat(24));
    expect(first.status).toBe(200);
    expect((await first.json() as Record<string, string>).key).toMatch(/^[a-z0-9]{10}$/);
    expect((await metered('k'.repeat(24))).status).toBe(200);
    const over = await metered('k'.repeat(24));
    expect(over.status).toBe(429);
    expect(await over.json()).toMatchObject({ error: 'Limit Exceeded', type: 'QUOTA_EXCEEDED' });
  });
});
