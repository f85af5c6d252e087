// A small CDK app with an HTTP API (aws-apigatewayv2 + integrations: Lambda proxies with payload 2.0
// and 1.0, an HTTP proxy, CORS, a JWT route, a named stage) and function URLs (NONE with Cors,
// AWS_IAM), synthesized and run by the local cloud. Event and response shapes as documented in
// "Working with AWS Lambda proxy integrations for HTTP APIs" and "Lambda function URL request and
// response payloads"; X-Ray: no stage segment, the function's segment starts the trace.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, get } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, CfnOutput, Stack } from 'aws-cdk-lib';
import { CfnApi, CorsHttpMethod, HttpApi, HttpMethod, HttpStage, PayloadFormatVersion } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer, HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration, HttpUrlIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Code, FunctionUrlAuthType, Function as LambdaFunction, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '../../../src/cloud/index.ts';
import { SignatureV4 } from '@smithy/signature-v4';
import { sigV4Headers } from '../endpoint/harness.ts';
import { Sha256 } from '../../support/sha256.ts';
import { startCdkCloud } from '../cdk-cloud.ts';
import { FakeDaemon } from '../lambda/support.ts';

const root = mkdtempSync(join(tmpdir(), 'cloud-http-api-'));
const assemblyDir = join(root, 'cdk.out');

const HANDLER = `
exports.handler = async (event) => {
  const path = event.rawPath ?? event.path ?? '';
  if (path.endsWith('/text')) return 'just text';
  if (path.endsWith('/object')) return { hello: 'world' };
  if (path.endsWith('/fail')) throw new Error('handler failed');
  if (path.endsWith('/malformed')) return { statusCode: 'nope' };
  if (path.endsWith('/chain')) {
    const response = await fetch(process.env.PEER_URL + 'from-peer');
    return { statusCode: 200, body: JSON.stringify({ peerUrl: process.env.PEER_URL, status: response.status, peer: await response.json() }) };
  }
  return {
    statusCode: 201,
    headers: { 'content-type': 'application/json', 'x-handler': 'yes', 'access-control-allow-origin': 'https://wrong.example' },
    cookies: ['a=1; Path=/', 'b=2'],
    body: JSON.stringify({ event, traceHeader: process.env._X_AMZN_TRACE_ID ?? null }),
  };
};
`;

let backend: Server;
let backendUrl = '';
const backendRequests: Array<{ method: string; url: string; body: string; headers: Record<string, unknown> }> = [];

async function startBackend(): Promise<void> {
  backend = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      backendRequests.push({ method: request.method ?? '', url: request.url ?? '', body: Buffer.concat(chunks).toString('utf8'), headers: request.headers });
      response.writeHead(202, { 'content-type': 'text/plain', 'x-backend': 'yes' });
      response.end(`backend saw ${request.method} ${request.url}`);
    });
  });
  await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
  backendUrl = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`;
}

function synthesize(): void {
  const code = join(root, 'handler');
  mkdirSync(code, { recursive: true });
  writeFileSync(join(code, 'index.js'), HANDLER);
  const app = new App({ outdir: assemblyDir });
  const stack = new Stack(app, 'HttpApp');
  const fn = (id: string, environment?: Record<string, string>): LambdaFunction =>
    new LambdaFunction(stack, id, { runtime: Runtime.NODEJS_22_X, handler: 'index.handler', code: Code.fromAsset(code), tracing: Tracing.ACTIVE, ...(environment ? { environment } : {}) });
  const handler = fn('Handler');
  const api = new HttpApi(stack, 'Api', {
    apiName: 'Items',
    defaultIntegration: new HttpLambdaIntegration('Fallback', handler),
    corsPreflight: { allowOrigins: ['https://app.example.com'], allowMethods: [CorsHttpMethod.GET, CorsHttpMethod.POST], allowHeaders: ['content-type'], exposeHeaders: ['x-handler'] },
  });
  api.addRoutes({ path: '/items/{id}', methods: [HttpMethod.GET], integration: new HttpLambdaIntegration('V1', handler, { payloadFormatVersion: PayloadFormatVersion.VERSION_1_0 }) });
  api.addRoutes({ path: '/items/special', methods: [HttpMethod.GET], integration: new HttpLambdaIntegration('Special', handler) });
  api.addRoutes({ path: '/ext/{proxy+}', methods: [HttpMethod.ANY], integration: new HttpUrlIntegration('Backend', `${backendUrl}/upstream/{proxy}`) });
  api.addRoutes({
    path: '/secure',
    methods: [HttpMethod.GET],
    integration: new HttpLambdaIntegration('Secure', handler),
    authorizer: new HttpJwtAuthorizer('Jwt', 'https://issuer.example.com', { jwtAudience: ['aud'] }),
  });
  api.addRoutes({ path: '/iam', methods: [HttpMethod.GET], integration: new HttpLambdaIntegration('Iam', handler), authorizer: new HttpIamAuthorizer() });
  new HttpStage(stack, 'Dev', { httpApi: api, stageName: 'dev', autoDeploy: true });
  // Quick create: Target alone makes the $default route, its Lambda proxy integration and stage.
  new CfnApi(stack, 'Quick', { name: 'Quick', protocolType: 'HTTP', target: handler.functionArn });

  const open = handler.addFunctionUrl({ authType: FunctionUrlAuthType.NONE, cors: { allowedOrigins: ['https://app.example.com'] } });
  const secured = fn('Secured');
  secured.addFunctionUrl({ authType: FunctionUrlAuthType.AWS_IAM });
  const chained = fn('Chained', { PEER_URL: open.url });
  chained.addFunctionUrl({ authType: FunctionUrlAuthType.NONE });
  new CfnOutput(stack, 'ApiUrl', { value: api.apiEndpoint });
  app.synth();
}

const daemon = new FakeDaemon();
let cloud: LocalCloud;

beforeAll(async () => {
  await startBackend();
  synthesize();
  cloud = await startCdkCloud(root, daemon);
}, 120_000);

afterAll(async () => {
  await cloud?.stop();
  await daemon.stop();
  await new Promise<void>((resolve) => backend?.close(() => resolve()));
  rmSync(root, { recursive: true, force: true });
});

function apiUrl(name = 'Items'): string {
  const api = cloud.httpEndpoints.find((endpoint) => endpoint.kind === 'http-api' && endpoint.name === name);
  const url = api?.urls.find((entry) => entry.stage === '$default')?.url;
  if (url === undefined) throw new Error(`no HTTP API served: ${JSON.stringify(cloud.httpEndpoints)}`);
  return url;
}

function functionUrl(logicalIdPrefix: string): string {
  const url = cloud.httpEndpoints.find((endpoint) => endpoint.kind === 'function-url' && endpoint.logicalId.startsWith(logicalIdPrefix))?.urls[0]?.url;
  if (url === undefined) throw new Error(`no function URL ${logicalIdPrefix}: ${JSON.stringify(cloud.httpEndpoints)}`);
  return url;
}

describe('an HTTP API synthesized by CDK, run by the local cloud', () => {
  it('serves the $default route with the payload 2.0 event and reads the 2.0 response', async () => {
    const response = await fetch(`${apiUrl()}some/path?tag=a&tag=b&x=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: 'c1=v1; c2=v2', 'x-multi': 'one' },
      body: '{"n":1}',
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('x-handler')).toBe('yes');
    expect(response.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2']);
    expect(response.headers.get('apigw-requestid')).toBeTruthy();
    const { event } = await response.json() as { event: Record<string, unknown> };
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: '$default',
      rawPath: '/some/path',
      rawQueryString: 'tag=a&tag=b&x=1',
      cookies: ['c1=v1', 'c2=v2'],
      queryStringParameters: { tag: 'a,b', x: '1' },
      body: '{"n":1}',
      isBase64Encoded: false,
      requestContext: { routeKey: '$default', stage: '$default', http: { method: 'POST', path: '/some/path', protocol: 'HTTP/1.1' } },
    });
    const headers = event['headers'] as Record<string, string>;
    expect(headers['content-type']).toBe('application/json');
    expect(headers['x-multi']).toBe('one');
    expect(headers['cookie']).toBeUndefined();
    expect(event).not.toHaveProperty('pathParameters');
  }, 60_000);

  it('selects routes by AWS priority: a literal path over a variable one, greedy last, $default otherwise', async () => {
    const special = await (await fetch(`${apiUrl()}items/special`)).json() as { event: Record<string, unknown> };
    expect(special.event['routeKey']).toBe('GET /items/special');
    const byId = await (await fetch(`${apiUrl()}items/42`)).json() as { event: Record<string, unknown> };
    // The 1.0 route: the REST-shaped event with version 1.0.
    expect(byId.event).toMatchObject({ version: '1.0', resource: '/items/{id}', path: '/items/42', httpMethod: 'GET', pathParameters: { id: '42' } });
    const post = await (await fetch(`${apiUrl()}items/42`, { method: 'POST' })).json() as { event: Record<string, unknown> };
    expect(post.event['routeKey']).toBe('$default');
  }, 60_000);

  it('serves a named stage under its path, with the stage in rawPath and routes matched after it', async () => {
    const dev = cloud.httpEndpoints.find((endpoint) => endpoint.name === 'Items')?.urls.find((entry) => entry.stage === 'dev')?.url;
    expect(dev).toBe(`${apiUrl()}dev/`);
    const { event } = await (await fetch(`${dev}items/special`)).json() as { event: Record<string, unknown> };
    expect(event).toMatchObject({ routeKey: 'GET /items/special', rawPath: '/dev/items/special', requestContext: { stage: 'dev' } });
  }, 60_000);

  it('infers the response of a function that returns no statusCode, and answers 500 for errors and malformed results', async () => {
    const text = await fetch(`${apiUrl()}text`);
    expect(text.status).toBe(200);
    expect(text.headers.get('content-type')).toBe('application/json');
    expect(await text.text()).toBe('just text');
    const object = await fetch(`${apiUrl()}object`);
    expect(await object.json()).toEqual({ hello: 'world' });
    for (const path of ['fail', 'malformed']) {
      const response = await fetch(`${apiUrl()}${path}`);
      expect(response.status, path).toBe(500);
      expect(await response.json()).toEqual({ message: 'Internal Server Error' });
    }
  }, 60_000);

  it('answers CORS preflights itself and puts the configured headers on responses to an allowed origin', async () => {
    const preflight = await fetch(`${apiUrl()}anything`, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(preflight.headers.get('access-control-allow-methods')).toBe('GET,POST');
    expect(preflight.headers.get('access-control-allow-headers')).toBe('content-type');

    const response = await fetch(`${apiUrl()}cors`, { headers: { origin: 'https://app.example.com', 'sec-fetch-site': 'cross-site' } });
    expect(response.status).toBe(201);
    // The configuration's header replaces the one the function set.
    expect(response.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(response.headers.get('access-control-expose-headers')).toBe('x-handler');

    // Any other site stays refused by the local guard, as for every local listener.
    const other = await fetch(`${apiUrl()}cors`, { headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' } });
    expect(other.status).toBe(403);
    // fetch cannot set Host: a DNS-rebinding page's request, by node:http.
    const rebindingStatus = await new Promise<number | undefined>((resolve, reject) => {
      get(`${apiUrl()}cors`, { headers: { host: 'evil.example' } }, (response) => {
        response.resume();
        resolve(response.statusCode);
      }).on('error', reject);
    });
    expect(rebindingStatus).toBe(403);
  }, 60_000);

  it('passes ANY /ext/{proxy+} to the HTTP backend with the proxy path and query, and answers what it answered', async () => {
    const response = await fetch(`${apiUrl()}ext/a/b?q=1`, { method: 'PUT', body: 'payload', headers: { 'content-type': 'text/plain' } });
    expect(response.status).toBe(202);
    expect(response.headers.get('x-backend')).toBe('yes');
    expect(await response.text()).toBe('backend saw PUT /upstream/a/b?q=1');
    expect(backendRequests.at(-1)).toMatchObject({ method: 'PUT', url: '/upstream/a/b?q=1', body: 'payload' });
  }, 60_000);

  it('refuses a JWT route clearly: a warning at start names it, a request answers 500 naming the authorizer', async () => {
    expect(cloud.warnings.join('\n')).toMatch(/route GET \/secure .*JWT authorizer "Jwt"/);
    const response = await fetch(`${apiUrl()}secure`, { headers: { authorization: 'Bearer x' } });
    expect(response.status).toBe(500);
    expect((await response.json() as { message: string }).message).toContain('JWT authorizer "Jwt"');
  }, 60_000);

  it('resolves Fn::GetAtt ApiEndpoint to the local URL and reports no HTTP API resource as unsupported', async () => {
    expect(cloud.model.outputs['HttpApp']?.['ApiUrl']).toBe(apiUrl().replace(/\/$/, ''));
    expect(cloud.warnings.join('\n')).not.toMatch(/ApiGatewayV2|Lambda::Url/);
  }, 60_000);

  it('serves a quick-created API (Target) on its $default route with payload 2.0', async () => {
    const response = await fetch(`${apiUrl('Quick')}anything`);
    expect(response.status).toBe(201);
    const { event } = await response.json() as { event: Record<string, unknown> };
    expect(event).toMatchObject({ version: '2.0', routeKey: '$default', rawPath: '/anything' });
  }, 60_000);

  it('answers 403 Forbidden to an unsigned request on an AWS_IAM route, and serves one signed for execute-api', async () => {
    const url = `${apiUrl()}iam`;
    const unsigned = await fetch(url);
    expect(unsigned.status).toBe(403);
    expect(await unsigned.json()).toEqual({ message: 'Forbidden' });
    const target = new URL(url);
    const signer = new SignatureV4({ service: 'execute-api', region: 'us-east-1', sha256: Sha256, credentials: { accessKeyId: 'AKIAUSEROWNKEY000001', secretAccessKey: 'any-secret' }, applyChecksum: false });
    const signed = await signer.sign({ method: 'GET', protocol: 'http:', hostname: target.hostname, port: Number(target.port), path: target.pathname, query: {}, headers: { host: target.host } });
    const { host: _host, ...headers } = signed.headers;
    const response = await fetch(url, { headers });
    expect(response.status).toBe(201);
    const { event } = await response.json() as { event: { routeKey: string; requestContext: { authorizer: { iam: Record<string, unknown> } } } };
    expect(event.routeKey).toBe('GET /iam');
    expect(event.requestContext.authorizer.iam).toMatchObject({ accessKey: 'AKIAUSEROWNKEY000001' });
  }, 60_000);

  it('sends no API Gateway segment: the function segment starts the trace', async () => {
    const response = await fetch(`${apiUrl()}traced`);
    const { traceHeader } = await response.json() as { traceHeader: string };
    const traceId = /Root=([^;]+)/.exec(traceHeader)?.[1] ?? '';
    expect(traceId).not.toBe('');
    await daemon.waitFor(() => daemon.byTrace(traceId).some((d) => d['origin'] === 'AWS::Lambda::Function'), 20_000);
    const documents = daemon.byTrace(traceId);
    expect(documents.some((d) => String(d['origin']).startsWith('AWS::ApiGateway'))).toBe(false);
    expect(documents.find((d) => d['origin'] === 'AWS::Lambda')?.['parent_id']).toBeUndefined();
  }, 60_000);
});

describe('function URLs synthesized by CDK, run by the local cloud', () => {
  it('invokes an AuthType NONE URL with the 2.0 event and its lambda-url domain', async () => {
    const url = functionUrl('Handler');
    const response = await fetch(`${url}hello?x=1`, { method: 'POST', body: 'form=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(response.status).toBe(201);
    expect(response.headers.get('x-amzn-requestid')).toBeTruthy();
    const { event } = await response.json() as { event: Record<string, unknown> };
    const context = event['requestContext'] as Record<string, unknown>;
    expect(context['domainName']).toMatch(/^[a-z0-9]{32}\.lambda-url\.us-east-1\.on\.aws$/);
    expect(context['domainPrefix']).toBe(String(context['domainName']).split('.')[0]);
    expect(event).toMatchObject({ version: '2.0', routeKey: '$default', rawPath: '/hello', rawQueryString: 'x=1', isBase64Encoded: true, body: Buffer.from('form=1').toString('base64') });
    expect((event['headers'] as Record<string, string>)['host']).toBe(context['domainName']);
  }, 60_000);

  it('resolves Fn::GetAtt FunctionUrl to the local URL, so a function reaches another through its environment', async () => {
    const response = await fetch(`${functionUrl('Chained')}chain`);
    expect(response.status).toBe(200);
    const body = await response.json() as { peerUrl: string; status: number; peer: { event: Record<string, unknown> } };
    expect(body.peerUrl).toBe(functionUrl('Handler'));
    expect(body.status).toBe(201);
    expect(body.peer.event['rawPath']).toBe('/from-peer');
  }, 60_000);

  it('refuses unsigned requests to an AWS_IAM URL with 403, and takes a SigV4-signed one with the user\'s own keys', async () => {
    const url = functionUrl('Secured');
    const unsigned = await fetch(url, { method: 'POST', body: '{}' });
    expect(unsigned.status).toBe(403);
    expect(await unsigned.json()).toEqual({ Message: 'Forbidden' });
    const headers = await sigV4Headers(url, { accessKeyId: 'AKIAUSEROWNKEY000001', secretAccessKey: 'any-secret' }, { 'content-type': 'application/json' }, '{}', { service: 'lambda' });
    const signed = await fetch(url, { method: 'POST', body: '{}', headers });
    expect(signed.status).toBe(201);
    const { event } = await signed.json() as { event: { requestContext: { authorizer: { iam: Record<string, unknown> } } } };
    expect(event.requestContext.authorizer.iam).toMatchObject({ accessKey: 'AKIAUSEROWNKEY000001', accountId: '000000000000' });
    // Signed for another service: refused as a signature AWS would not accept.
    const wrongService = await sigV4Headers(url, { accessKeyId: 'AKIAUSEROWNKEY000001', secretAccessKey: 'any-secret' }, {}, '{}', { service: 'sqs' });
    expect((await fetch(url, { method: 'POST', body: '{}', headers: wrongService })).status).toBe(403);
  }, 60_000);

  it('answers 502 when the function fails', async () => {
    const response = await fetch(`${functionUrl('Handler')}fail`);
    expect(response.status).toBe(502);
  }, 60_000);
});

describe('endpoints.json', () => {
  it('lists every HTTP API stage and function URL with its kind, logical id, physical id and URL', () => {
    const file = JSON.parse(readFileSync(join(root, 'data', 'endpoints.json'), 'utf8')) as { endpoints: Array<Record<string, unknown>> };
    expect(cloud.endpointsFile).toBe(join(root, 'data', 'endpoints.json'));
    const api = cloud.httpEndpoints.find((endpoint) => endpoint.kind === 'http-api' && endpoint.name === 'Items');
    expect(file.endpoints.filter((entry) => entry['kind'] === 'http-api-stage' && entry['name'] === 'Items')).toEqual([
      { kind: 'http-api-stage', url: apiUrl(), stack: 'HttpApp', logicalId: api?.logicalId, physicalId: api?.physicalId, name: 'Items', stage: '$default' },
      { kind: 'http-api-stage', url: `${apiUrl()}dev/`, stack: 'HttpApp', logicalId: api?.logicalId, physicalId: api?.physicalId, name: 'Items', stage: 'dev' },
    ]);
    expect(api?.physicalId).toBe(cloud.model.resources.find((resource) => resource.logicalId === api?.logicalId)?.physicalId);
    const urls = file.endpoints.filter((entry) => entry['kind'] === 'function-url');
    expect(urls.map((entry) => entry['url']).sort()).toEqual(['Chained', 'Handler', 'Secured'].map(functionUrl).sort());
    for (const entry of urls) {
      expect(entry['logicalId']).toMatch(/FunctionUrl/);
      expect(entry['physicalId']).toMatch(/^[a-z0-9]{32}$/);
    }
  });
});
