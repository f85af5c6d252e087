import { SignatureV4 } from '@smithy/signature-v4';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ApiGateway } from '../../../src/cloud/gateway/index.ts';
import type { Logger } from '../../../src/cloud/core/runtime.ts';
import { RoleCredentials } from '../../../src/cloud/iam/credentials.ts';
import { buildCloudModel } from '../../../src/cloud/template/index.ts';
import { seededRandom } from '../../../src/cloud/tracing/ids.ts';
import { sendRawText } from '../../support/fuzz.ts';
import { Sha256 } from '../../support/sha256.ts';
import { UdpSegmentSink } from '../../../src/cloud/tracing/udp-sink.ts';
import type { CloudModel } from '../../../src/cloud/core/types.ts';
import { buildApp } from '../../../src/pattern/infra/build-app.ts';
import { FakeAwsEndpoint, snsError, snsPublished, UdpCapture } from './support.ts';
import type { RecordedRequest } from './support.ts';

/** The API stack exactly as synthesized, read through the template reader. */
function synthesizedApiModel(): CloudModel {
  const pattern = buildApp({ bundling: false, cloudFormationValidation: false, env: {} });
  const template = Template.fromStack(pattern.api).toJSON();
  return buildCloudModel(
    [{ stackName: pattern.api.stackName, artifactId: pattern.api.artifactId, template, dependencies: [], assemblyDir: '.' }],
    { endpointUrl: 'http://127.0.0.1:4566' },
  );
}

/** A clock that moves one millisecond each time it is read. */
function steppingClock(start = Date.UTC(2026, 10, 25, 10, 0, 0)): () => number {
  let now = start;
  return () => (now += 1);
}

const model = synthesizedApiModel();
const topicArn = model.byType('AWS::SNS::Topic')[0]?.physicalId ?? '';
const roleArn = model.resources.find((resource) => resource.logicalId.startsWith('PublishToFanOutRole') && resource.type === 'AWS::IAM::Role')?.arn ?? '';
const apiId = model.byType('AWS::ApiGateway::RestApi')[0]?.physicalId ?? '';

const fake = new FakeAwsEndpoint();
const capture = new UdpCapture();
let sink: UdpSegmentSink;
let gateway: ApiGateway;
const logged: string[] = [];
// A new seed for each gateway: trace ids must differ between tests, whose datagrams may overlap.
let seed = 0;
const logger: Logger = { info: () => {}, warn: (m) => logged.push(m), error: (m) => logged.push(m) };
const roleCredentials = new RoleCredentials(Buffer.alloc(32, 3));

beforeAll(async () => {
  await fake.start();
  await capture.start();
  sink = new UdpSegmentSink({ daemonAddress: capture.address });
  await sink.start();
});

afterAll(async () => {
  await sink.stop();
  await capture.stop();
  await fake.stop();
});

beforeEach(async () => {
  fake.requests.length = 0;
  fake.answer = () => snsPublished();
  logged.length = 0;
  gateway = new ApiGateway({
    model, awsEndpointUrl: fake.url, roleCredentials, port: 0, segmentSink: sink, clock: steppingClock(), random: seededRandom((seed += 1)), logger,
  });
  await gateway.start();
});

afterEach(async () => {
  await gateway.stop();
});

/** The trace id the gateway answered with (X-Amzn-Trace-Id: Root=...;Sampled=1). */
function traceOf(response: Response): string {
  return /Root=([^;]+)/.exec(response.headers.get('x-amzn-trace-id') ?? '')?.[1] ?? 'no trace header';
}

function form(request: RecordedRequest | undefined): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(request?.body ?? ''));
}

/** Signs the received request again with the same key and date: the signature must be the same. */
async function expectValidSignature(request: RecordedRequest): Promise<void> {
  const authorization = String(request.headers.authorization);
  const match = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(authorization);
  expect(match, authorization).not.toBeNull();
  const [, accessKeyId = '', , region = '', service = '', signedHeaders = '', signature] = match ?? [];
  const headers: Record<string, string> = {};
  for (const name of signedHeaders.split(';')) headers[name] = String(request.headers[name]);
  const date = String(request.headers['x-amz-date']);
  const signingDate = new Date(Date.UTC(+date.slice(0, 4), +date.slice(4, 6) - 1, +date.slice(6, 8), +date.slice(9, 11), +date.slice(11, 13), +date.slice(13, 15)));
  const credential = roleCredentials.byAccessKeyId(accessKeyId);
  expect(credential, `${accessKeyId} is a key of the gateway's role credentials`).toBeDefined();
  expect(request.headers['x-amz-security-token']).toBe(credential?.sessionToken);
  const signer = new SignatureV4({ service, region, sha256: Sha256, credentials: { accessKeyId, secretAccessKey: credential?.secretAccessKey ?? '' }, applyChecksum: false });
  const [path = '/', query = ''] = request.url.split('?');
  const resigned = await signer.sign(
    { method: request.method, protocol: 'http:', hostname: '127.0.0.1', path, query: Object.fromEntries(new URLSearchParams(query)), headers, body: request.body },
    { signingDate },
  );
  expect(resigned.headers.authorization).toContain(`Signature=${signature}`);
}

describe('API Gateway on the synthesized API stack', () => {
  it('serves GET /prod/foo by publishing the path to the fan-out topic, signed as the integration role', async () => {
    const response = await fetch(`${gateway.url}/prod/foo`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({ message: 'message added to SNS topic' });

    expect(fake.requests).toHaveLength(1);
    const publish = fake.requests[0];
    expect(publish?.method).toBe('POST');
    expect(publish?.url).toBe('/');
    expect(publish?.body).toContain('Message=%2Fprod%2Ffoo');
    expect(form(publish)).toEqual({ Action: 'Publish', TopicArn: topicArn, Message: '/prod/foo', Version: '2010-03-31' });
    expect(publish?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(publish?.headers.accept).toBe('application/json');
    expect(String(publish?.headers.authorization)).toContain(`Credential=${roleCredentials.forRole(roleArn).accessKeyId}/20261125/us-east-1/sns/aws4_request`);
    await expectValidSignature(publish as RecordedRequest);
  });

  it('publishes the root path for GET /prod, and answers 403 for what has no resource or method', async () => {
    expect((await fetch(`${gateway.url}/prod`)).status).toBe(200);
    expect(form(fake.requests[0]).Message).toBe('/prod');

    for (const [method, path] of [['GET', '/'], ['GET', '/dev/foo'], ['POST', '/prod/foo'], ['DELETE', '/prod']] as const) {
      const response = await fetch(`${gateway.url}${path}`, { method });
      expect(response.status, `${method} ${path}`).toBe(403);
      expect(response.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
      expect(await response.json()).toEqual({ message: 'Missing Authentication Token' });
    }
    expect(fake.requests).toHaveLength(1);
  });

  it('answers a request target that is not a URL with a 400, not a 500', async () => {
    // node:http passes an absolute-form target on as it came.
    const answer = await sendRawText('127.0.0.1', Number(new URL(gateway.url).port),
      'GET http://[bad/prod HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
    expect(answer.split('\r\n')[0]).toBe('HTTP/1.1 400 Bad Request');
    expect(answer).toContain('x-amzn-errortype: BadRequestException');
    expect(answer.slice(answer.indexOf('\r\n\r\n') + 4)).toBe('{"message":"\\"http://[bad/prod\\" is not a valid request target"}');
    expect(logged.filter((line) => line.includes('failed'))).toEqual([]);
    expect(fake.requests).toHaveLength(0);
  });

  it('maps a 4xx from SNS to the 400 error template and a 5xx to 502, never to 200', async () => {
    fake.answer = () => snsError(404, 'NotFound', 'Topic does not exist');
    const notFound = await fetch(`${gateway.url}/prod/missing`);
    expect(notFound.status).toBe(400);
    const requestId = notFound.headers.get('x-amzn-requestid');
    expect(await notFound.json()).toEqual({ message: 'the request could not be published', error: 'NotFound', requestId });

    fake.answer = () => snsError(403, 'AuthorizationError', 'not authorized');
    expect(await (await fetch(`${gateway.url}/prod/denied`)).json()).toMatchObject({ error: 'AuthorizationError' });

    fake.answer = () => snsError(500, 'InternalError', 'boom');
    const failed = await fetch(`${gateway.url}/prod/boom`);
    expect(failed.status).toBe(502);
    expect(await failed.json()).toMatchObject({ message: 'the request could not be published', error: 'InternalError' });
  });

  it('answers 500 when the error body cannot be transformed (not JSON) and logs why', async () => {
    fake.answer = () => ({ status: 400, headers: { 'content-type': 'text/xml' }, body: '<ErrorResponse><Error><Code>Bad</Code></Error></ErrorResponse>' });
    const response = await fetch(`${gateway.url}/prod/xml`);
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ message: 'Internal server error' });
    expect(logged.join('\n')).toMatch(/unable to transform response/);
  });

  it('refuses a Content-Type without a request template with 415 (passthrough NEVER)', async () => {
    const response = await fetch(`${gateway.url}/prod/foo`, { headers: { 'content-type': 'application/xml' } });
    expect(response.status).toBe(415);
    expect(await response.json()).toEqual({ message: 'Unsupported Media Type' });
    const text = await fetch(`${gateway.url}/prod/foo`, { headers: { 'content-type': 'text/plain; charset=utf-8' } });
    expect(text.status).toBe(200);
    expect(fake.requests).toHaveLength(1);
  });

  it('emits the stage segment with the SNS subsegment and passes the trace on with Parent = that subsegment', async () => {
    const response = await fetch(`${gateway.url}/prod/foo?x=1`, { headers: { 'user-agent': 'test-agent' } });
    expect(response.status).toBe(200);
    const [segment] = await capture.waitForTrace(traceOf(response));
    const traceHeader = String(fake.requests[0]?.headers['x-amzn-trace-id']);
    const subsegments = segment?.subsegments as Array<Record<string, unknown>>;
    const sns = subsegments[0];

    expect(segment).toMatchObject({
      trace_id: expect.stringMatching(/^1-[0-9a-f]{8}-[0-9a-f]{24}$/),
      id: expect.stringMatching(/^[0-9a-f]{16}$/),
      name: 'The X-Ray Tracer/prod',
      origin: 'AWS::ApiGateway::Stage',
      resource_arn: `arn:aws:apigateway:us-east-1::/restapis/${apiId}/stages/prod`,
      annotations: { 'aws:api_id': apiId, 'aws:api_stage': 'prod' },
      aws: { api_gateway: { account_id: '000000000000', rest_api_id: apiId, stage: 'prod', request_id: response.headers.get('x-amzn-requestid') } },
      http: {
        request: { method: 'GET', url: `${gateway.url}/prod/foo?x=1`, client_ip: '127.0.0.1', user_agent: 'test-agent' },
        response: { status: 200, content_length: '{"message":"message added to SNS topic"}'.length },
      },
    });
    expect(segment).not.toHaveProperty('parent_id');
    expect(segment).not.toHaveProperty('fault');
    expect(subsegments).toHaveLength(1);
    expect(sns).toMatchObject({
      id: expect.stringMatching(/^[0-9a-f]{16}$/),
      name: 'SNS',
      namespace: 'aws',
      aws: { operation: 'Publish', region: 'us-east-1', topic_arn: topicArn, request_id: 'backend-request-1' },
      http: { request: { method: 'POST' }, response: { status: 200 } },
    });
    expect(sns?.id).not.toBe(segment?.id);
    expect(Number(segment?.start_time)).toBeLessThan(Number(sns?.start_time));
    expect(Number(sns?.end_time)).toBeLessThan(Number(segment?.end_time));
    expect(traceHeader).toBe(`Root=${String(segment?.trace_id)};Parent=${String(sns?.id)};Sampled=1`);
    expect(response.headers.get('x-amzn-trace-id')).toBe(`Root=${String(segment?.trace_id)};Sampled=1`);
  });

  it("continues the caller's trace, and marks the segment and subsegment of a failed publish", async () => {
    fake.answer = () => snsError(500, 'InternalError', 'boom');
    const root = '1-6925a1b0-0123456789abcdef01234567';
    const response = await fetch(`${gateway.url}/prod/foo`, { headers: { 'x-amzn-trace-id': `Root=${root};Parent=53995c3f42cd8ad8;Sampled=1` } });
    expect(response.status).toBe(502);
    expect(traceOf(response)).toBe(root);
    const [segment] = await capture.waitForTrace(root);
    expect(segment).toMatchObject({ trace_id: root, parent_id: '53995c3f42cd8ad8', fault: true, http: { response: { status: 502 } } });
    const sns = (segment?.subsegments as Array<Record<string, unknown>>)[0];
    expect(sns).toMatchObject({ name: 'SNS', fault: true, http: { response: { status: 500 } } });
    expect(fake.requests[0]?.headers['x-amzn-trace-id']).toBe(`Root=${root};Parent=${String(sns?.id)};Sampled=1`);
  });

  it('sends no segment for a request the caller did not sample, and passes Sampled=0 on', async () => {
    const root = '1-6925a1b0-00000000000000000000000a';
    const quiet = await fetch(`${gateway.url}/prod/quiet`, { headers: { 'x-amzn-trace-id': `Root=${root};Sampled=0` } });
    expect(quiet.headers.get('x-amzn-trace-id')).toBe(`Root=${root};Sampled=0`);
    const loud = await fetch(`${gateway.url}/prod/loud`);
    // The sampled request's segment went out after the unsampled one would have.
    await capture.waitForTrace(traceOf(loud));
    expect(capture.documents.filter((document) => document.trace_id === root)).toEqual([]);
    expect(fake.requests[0]?.headers['x-amzn-trace-id']).toBe(`Root=${root};Sampled=0`);
  });

  it('answers 500 when the AWS endpoint cannot be reached, with a faulted subsegment', async () => {
    const down = new ApiGateway({ model, awsEndpointUrl: 'http://127.0.0.1:9', port: 0, segmentSink: sink, clock: steppingClock(), random: seededRandom((seed += 1000)), logger });
    await down.start();
    try {
      const response = await fetch(`${down.url}/prod/foo`);
      expect(response.status).toBe(500);
      expect(await response.json()).toEqual({ message: 'Internal server error' });
      const [segment] = await capture.waitForTrace(traceOf(response));
      expect(segment).toMatchObject({ fault: true, http: { response: { status: 500 } } });
      const sns = (segment?.subsegments as Array<Record<string, unknown>>)[0];
      expect(sns).toMatchObject({ name: 'SNS', fault: true, cause: { exceptions: [{ remote: true, message: expect.stringContaining('127.0.0.1:9') }] } });
      expect(sns?.http).not.toHaveProperty('response');
    } finally {
      await down.stop();
    }
  });

  it('a segment sink that throws anything costs the segment only: the request is answered and the gateway keeps serving', async () => {
    const throwing = { send: (): never => { throw null; } };
    const flaky = new ApiGateway({ model, awsEndpointUrl: fake.url, port: 0, segmentSink: throwing as unknown as typeof sink, clock: steppingClock(), random: seededRandom((seed += 1000)), logger });
    await flaky.start();
    try {
      for (let i = 0; i < 2; i++) expect((await fetch(`${flaky.url}/prod/foo`)).status).toBe(200);
      expect(logged.filter((line) => line.includes('not sent: a thrown null'))).toHaveLength(2);
    } finally {
      await flaky.stop();
    }
  });

  it('lists its stage URLs and has no warnings for the pattern', () => {
    expect(gateway.stageUrls()).toEqual([{ api: 'The X-Ray Tracer', stage: 'prod', url: `${gateway.url}/prod` }]);
    expect(gateway.warnings).toEqual([]);
  });
});
