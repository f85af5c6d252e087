import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ApiGateway } from '../../../src/cloud/gateway/index.ts';
import type { Logger } from '../../../src/cloud/core/runtime.ts';
import { seededRandom } from '../../../src/cloud/tracing/ids.ts';
import type { CloudModel } from '../../../src/cloud/core/types.ts';
import { FakeAwsEndpoint, patternLikeModel, snsIntegration, snsPublished } from './support.ts';

const fake = new FakeAwsEndpoint();
const started: ApiGateway[] = [];
const logged: string[] = [];
const logger: Logger = { info: () => {}, warn: (m) => logged.push(m), error: (m) => logged.push(m) };

beforeAll(() => fake.start());
afterAll(() => fake.stop());
afterEach(async () => {
  await Promise.all(started.splice(0).map((gateway) => gateway.stop()));
  fake.requests.length = 0;
  logged.length = 0;
});

async function serve(model: CloudModel, clock: () => number = Date.now): Promise<ApiGateway> {
  const gateway = new ApiGateway({ model, awsEndpointUrl: fake.url, port: 0, clock, random: seededRandom(3), logger });
  await gateway.start();
  started.push(gateway);
  return gateway;
}

describe('MOCK integrations and integration responses', () => {
  const mockIntegration = {
    Type: 'MOCK',
    RequestTemplates: { 'application/json': '{"statusCode": $input.params(\'code\')}' },
    IntegrationResponses: [
      {
        StatusCode: '200',
        ResponseTemplates: { 'application/json': '{"path":"$context.path","ok":true}', 'text/plain': 'ok $context.path' },
        ResponseParameters: { 'method.response.header.X-Stage': "'prod'", 'method.response.header.X-Method': 'context.httpMethod' },
      },
      { StatusCode: '404', SelectionPattern: '404' },
      {
        StatusCode: '500',
        SelectionPattern: '5\\d{2}',
        ResponseTemplates: { 'application/json': '#set($context.responseOverride.status = 503)#set($context.responseOverride.header.Retry-After = "5"){"retry":true}' },
      },
    ],
  };

  it('picks the response by the status code the request template sets, and its template by Accept', async () => {
    const gateway = await serve(patternLikeModel({ integration: mockIntegration }));
    const ok = await fetch(`${gateway.url}/prod/a?code=200`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ path: '/prod/a', ok: true });
    expect(ok.headers.get('x-stage')).toBe('prod');
    expect(ok.headers.get('x-method')).toBe('GET');

    const text = await fetch(`${gateway.url}/prod/a?code=200`, { headers: { accept: 'text/html, text/plain;q=0.9' } });
    expect(text.headers.get('content-type')).toBe('text/plain');
    expect(await text.text()).toBe('ok /prod/a');

    const missing = await fetch(`${gateway.url}/prod/a?code=404`);
    expect(missing.status).toBe(404);

    const overridden = await fetch(`${gateway.url}/prod/a?code=500`);
    expect(overridden.status).toBe(503);
    expect(overridden.headers.get('retry-after')).toBe('5');
    expect(await overridden.json()).toEqual({ retry: true });
  });

  it('answers 500 when no response matches and there is no default', async () => {
    const noDefault = { ...mockIntegration, IntegrationResponses: mockIntegration.IntegrationResponses.slice(1) };
    const gateway = await serve(patternLikeModel({ integration: noDefault }));
    const response = await fetch(`${gateway.url}/prod/a?code=200`);
    expect(response.status).toBe(500);
    expect(logged.join('\n')).toContain('no match for output mapping and no default output mapping (backend status 200)');
  });
});

describe('AWS integrations', () => {
  it('sends an action-form URI as a Query action, with mapped query string and header parameters', async () => {
    const integration = snsIntegration({
      Uri: 'arn:aws:apigateway:eu-west-1:sqs:action/SendMessage&Version=2012-11-05',
      RequestTemplates: { 'application/json': 'MessageBody=$util.urlEncode($context.path)' },
      RequestParameters: {
        'integration.request.header.Content-Type': "'application/x-www-form-urlencoded'",
        'integration.request.querystring.QueueUrl': 'method.request.querystring.queue',
        'integration.request.header.X-Caller': 'method.request.header.x-who',
      },
    });
    const gateway = await serve(patternLikeModel({ integration }));
    const sent = await fetch(`${gateway.url}/prod/send?queue=http%3A%2F%2Fq%2F1`, { headers: { 'x-who': 'me' } });
    expect(sent.status).toBe(200);
    const request = fake.requests[0];
    const url = new URL(request?.url ?? '', 'http://x');
    expect(url.pathname).toBe('/');
    expect(Object.fromEntries(url.searchParams)).toEqual({ Action: 'SendMessage', Version: '2012-11-05', QueueUrl: 'http://q/1' });
    expect(request?.headers['x-caller']).toBe('me');
    expect(request?.body).toBe('MessageBody=%2Fprod%2Fsend');
    expect(String(request?.headers.authorization)).toMatch(/\/eu-west-1\/sqs\/aws4_request/);
  });

  it('passes a body through when no template matches and the behaviour is WHEN_NO_MATCH', async () => {
    const integration = snsIntegration({ PassthroughBehavior: 'WHEN_NO_MATCH' });
    const model = patternLikeModel({ integration });
    const post = model.resources.map((resource) => resource.type === 'AWS::ApiGateway::Method'
      ? { ...resource, properties: { ...resource.properties, HttpMethod: 'POST' } }
      : resource);
    const gateway = await serve({ ...model, resources: post, byType: (type) => post.filter((resource) => resource.type === type) });
    const response = await fetch(`${gateway.url}/prod/raw`, { method: 'POST', headers: { 'content-type': 'application/xml' }, body: '<a>1</a>' });
    expect(response.status).toBe(200);
    expect(fake.requests[0]?.body).toBe('<a>1</a>');
  });

  it('answers 400 when a request template reads a body that is not JSON', async () => {
    const integration = snsIntegration({ RequestTemplates: { 'application/json': "Message=$input.path('$.text')" } });
    const model = patternLikeModel({ integration });
    const post = model.resources.map((resource) => resource.type === 'AWS::ApiGateway::Method'
      ? { ...resource, properties: { ...resource.properties, HttpMethod: 'ANY' } }
      : resource);
    const gateway = await serve({ ...model, resources: post, byType: (type) => post.filter((resource) => resource.type === type) });
    const response = await fetch(`${gateway.url}/prod/x`, { method: 'POST', body: 'not json', headers: { 'content-type': 'application/json' } });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toMatch(/^Could not parse request body into json: /);
    expect(fake.requests).toHaveLength(0);
  });

  it('answers 504 when the service does not answer within TimeoutInMillis', async () => {
    fake.answer = () => 'hang';
    try {
      const gateway = await serve(patternLikeModel({ integration: snsIntegration({ TimeoutInMillis: 100 }) }));
      const response = await fetch(`${gateway.url}/prod/slow`);
      expect(response.status).toBe(504);
      expect(await response.json()).toEqual({ message: 'Endpoint request timed out' });
    } finally {
      fake.answer = () => snsPublished();
    }
  });

  it('answers 500 and says why for an integration without credentials', async () => {
    const gateway = await serve(patternLikeModel({ integration: snsIntegration({ Credentials: undefined }) }));
    expect((await fetch(`${gateway.url}/prod/x`)).status).toBe(500);
    expect(logged.join('\n')).toContain('the AWS integration has no Credentials role');
    expect(fake.requests).toHaveLength(0);
  });
});

describe('throttling', () => {
  it('answers 429 once the burst is spent, and again admits at the rate limit', async () => {
    let now = Date.UTC(2026, 0, 1);
    const model = patternLikeModel({ stage: { MethodSettings: [{ ResourcePath: '/*', HttpMethod: '*', ThrottlingRateLimit: 1, ThrottlingBurstLimit: 2 }] } });
    const gateway = await serve(model, () => now);
    const statuses = async (count: number): Promise<number[]> => {
      const out: number[] = [];
      for (let i = 0; i < count; i += 1) out.push((await fetch(`${gateway.url}/prod/t`)).status);
      return out;
    };
    expect(await statuses(3)).toEqual([200, 200, 429]);
    now += 1000;
    expect(await statuses(2)).toEqual([200, 429]);
    const throttled = await fetch(`${gateway.url}/prod/t`);
    expect(await throttled.json()).toEqual({ message: 'Too Many Requests' });
    expect(fake.requests).toHaveLength(3);
  });
});
