// HTTP and HTTP_PROXY integrations against a local backend, as "Set up HTTP integrations in API
// Gateway" describes them (https://docs.aws.amazon.com/apigateway/latest/developerguide/setup-http-integrations.html):
// HTTP_PROXY passes the client's method, path ({proxy}), query string, headers and body through and
// the backend's answer back; HTTP maps the request and selects the integration response by status.
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ApiGateway } from '../../../src/cloud/gateway/index.ts';
import type { Logger } from '../../../src/cloud/core/runtime.ts';
import { seededRandom } from '../../../src/cloud/tracing/ids.ts';
import { cloudModel } from './support.ts';

interface Seen { method: string; url: string; headers: Record<string, string | string[] | undefined>; body: string }
const seen: Seen[] = [];
let hang = false;
let backend: Server;
let backendUrl = '';

beforeAll(async () => {
  backend = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      seen.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      if (hang) return;
      const status = request.url?.includes('missing') === true ? 404 : 201;
      response.writeHead(status, [['Content-Type', 'application/json'], ['Set-Cookie', 'a=1'], ['Set-Cookie', 'b=2'], ['X-Backend', 'yes']]);
      response.end(JSON.stringify({ path: request.url, n: 7 }));
    });
  });
  await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
  backendUrl = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`;
});
afterAll(async () => {
  backend.closeAllConnections();
  await new Promise<void>((resolve) => backend.close(() => resolve()));
});

const started: ApiGateway[] = [];
const logged: string[] = [];
const logger: Logger = { info: () => {}, warn: (m) => logged.push(m), error: (m) => logged.push(m) };
afterEach(async () => {
  await Promise.all(started.splice(0).map((gateway) => gateway.stop()));
  seen.length = 0;
  logged.length = 0;
  hang = false;
});

function model(integration: Record<string, unknown>, method = 'ANY'): ReturnType<typeof cloudModel> {
  return cloudModel([
    { logicalId: 'Api', type: 'AWS::ApiGateway::RestApi', physicalId: 'api1', properties: { Name: 'Http API' } },
    { logicalId: 'Proxy', type: 'AWS::ApiGateway::Resource', physicalId: 'res-proxy', properties: { RestApiId: 'api1', ParentId: 'api1-root-id', PathPart: '{proxy+}' } },
    { logicalId: 'ProxyAny', type: 'AWS::ApiGateway::Method', physicalId: 'm1', properties: { RestApiId: 'api1', ResourceId: 'res-proxy', HttpMethod: method, AuthorizationType: 'NONE', Integration: integration } },
    { logicalId: 'Stage', type: 'AWS::ApiGateway::Stage', physicalId: 'prod', properties: { RestApiId: 'api1', StageName: 'prod', TracingEnabled: true } },
  ]);
}

async function serve(integration: Record<string, unknown>, segments: Array<Record<string, unknown>> = [], method = 'ANY'): Promise<ApiGateway> {
  const gateway = new ApiGateway({
    model: model(integration, method), awsEndpointUrl: 'http://127.0.0.1:9', port: 0, random: seededRandom(11), logger,
    segmentSink: { send: (document) => segments.push(document) },
  });
  await gateway.start();
  started.push(gateway);
  return gateway;
}

/** What CDK's `new HttpIntegration(url + '/{proxy}', { proxy: true })` on a `{proxy+}` resource writes, with the path mapped. */
const proxyIntegration = (): Record<string, unknown> => ({
  Type: 'HTTP_PROXY',
  IntegrationHttpMethod: 'ANY',
  Uri: `${backendUrl}/base/{proxy}`,
  RequestParameters: { 'integration.request.path.proxy': 'method.request.path.proxy', 'integration.request.header.X-Mapped': "'m'" },
});

describe('HTTP_PROXY integrations', () => {
  it('passes method, path, query, headers and body through, and the answer back as the backend gave it', async () => {
    const segments: Array<Record<string, unknown>> = [];
    const gateway = await serve(proxyIntegration(), segments);
    const response = await fetch(`${gateway.url}/prod/a/b%20c?x=1&x=2`, { method: 'PUT', body: 'payload', headers: { 'x-client': 'c1', 'content-type': 'text/plain' } });
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ path: '/base/a/b%20c?x=1&x=2', n: 7 });
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(response.headers.get('x-backend')).toBe('yes');
    // The backend's Date and Connection are its own: API Gateway sends them remapped.
    expect(response.headers.get('x-amzn-remapped-date')).not.toBeNull();
    expect(response.headers.get('x-amzn-remapped-connection')).toBe('keep-alive');
    const [request] = seen;
    expect(request).toMatchObject({ method: 'PUT', body: 'payload', headers: { 'x-client': 'c1', 'content-type': 'text/plain', 'x-mapped': 'm' } });
    expect(request?.headers.host).toBe(new URL(backendUrl).host);

    const [stage] = segments;
    const [call] = stage?.['subsegments'] as Array<Record<string, unknown>>;
    expect(call).toMatchObject({ name: `${new URL(backendUrl).host}/base/a/b%20c`, namespace: 'remote', http: { request: { method: 'PUT' }, response: { status: 201 } } });
    expect(call).not.toHaveProperty('aws');
    expect(request?.headers['x-amzn-trace-id']).toBe(`Root=${String(stage?.['trace_id'])};Parent=${String(call?.['id'])};Sampled=1`);
  });

  it('answers 504 when the backend does not answer within TimeoutInMillis', async () => {
    hang = true;
    const gateway = await serve({ ...proxyIntegration(), TimeoutInMillis: 50 });
    const response = await fetch(`${gateway.url}/prod/slow`);
    expect(response.status).toBe(504);
    expect(await response.json()).toEqual({ message: 'Endpoint request timed out' });
  });

  it('answers 500 when the endpoint cannot be reached', async () => {
    const gateway = await serve({ ...proxyIntegration(), Uri: 'http://127.0.0.1:9/{proxy}' });
    const response = await fetch(`${gateway.url}/prod/x`);
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ message: 'Internal server error' });
    expect(logged.join('\n')).toContain('Execution failed');
  });
});

describe('HTTP integrations', () => {
  const httpIntegration = (): Record<string, unknown> => ({
    Type: 'HTTP',
    IntegrationHttpMethod: 'POST',
    Uri: `${backendUrl}/items/{id}`,
    RequestParameters: { 'integration.request.path.id': 'method.request.path.proxy', 'integration.request.querystring.q': 'method.request.querystring.search' },
    RequestTemplates: { 'application/json': '{"wrapped": $input.json(\'$\')}' },
    IntegrationResponses: [
      { StatusCode: '200', SelectionPattern: '2\\d{2}', ResponseTemplates: { 'application/json': '{"got": $input.json(\'$.n\')}' }, ResponseParameters: { 'method.response.header.X-From': 'integration.response.header.X-Backend' } },
      { StatusCode: '404', SelectionPattern: '404', ResponseTemplates: { 'application/json': '{"message": "no such item"}' } },
    ],
  });

  it('sends the mapped request and maps the answer through the integration response its status selects', async () => {
    const gateway = await serve(httpIntegration(), [], 'GET');
    const response = await fetch(`${gateway.url}/prod/42?search=s&other=o`, { headers: { 'x-client': 'c1' } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ got: 7 });
    expect(response.headers.get('x-from')).toBe('yes');
    const [request] = seen;
    expect(request).toMatchObject({ method: 'POST', url: '/items/42?q=s', body: '{"wrapped": {}}' });
    // Only what is mapped goes to a non-proxy HTTP endpoint.
    expect(request?.headers['x-client']).toBeUndefined();
  });

  it('selects by the backend status code', async () => {
    const gateway = await serve(httpIntegration(), [], 'GET');
    const response = await fetch(`${gateway.url}/prod/missing`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ message: 'no such item' });
  });

  it('names a VPC link integration at start and answers 500', async () => {
    const gateway = await serve({ ...httpIntegration(), ConnectionType: 'VPC_LINK', ConnectionId: 'link' }, [], 'GET');
    expect(gateway.warnings.join('\n')).toContain('ProxyAny (GET /{proxy+}): Integration.ConnectionType VPC_LINK');
    const response = await fetch(`${gateway.url}/prod/42`);
    expect(response.status).toBe(500);
    expect(seen).toHaveLength(0);
  });
});
