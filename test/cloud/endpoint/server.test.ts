import { afterEach, describe, expect, it } from 'vitest';
import { AwsEndpoint, AwsError } from '../../../src/cloud/endpoint/index.ts';
import type { AwsProtocolService, EndpointReply, EndpointRequest } from '../../../src/cloud/endpoint/index.ts';
import { sigV4ScopeOf } from '../../../src/cloud/protocol/sigv4.ts';
import { RoleCredentials } from '../../../src/cloud/iam/credentials.ts';
import type { Authorizer } from '../../../src/cloud/core/types.ts';
import { sendRawText } from '../../support/fuzz.ts';
import { capturingLogger, countingIds, FakeClock, sigV4Headers } from './harness.ts';

/** A service that answers every request with what the endpoint extracted from it. */
function echoService(seen: EndpointRequest[], behaviour: 'ok' | 'crash' | 'throw-null' | 'bad-header' = 'ok'): AwsProtocolService {
  return {
    name: 'Echo',
    accepts: (request) => request.headers['x-amz-target'] === 'Echo.Call',
    parse: (request) => ({
      operation: 'Call',
      permissions: [{ action: 'echo:Call', resourceArn: 'arn:aws:echo:us-east-1:000000000000:thing' }],
      run: async (): Promise<EndpointReply> => {
        seen.push(request);
        if (behaviour === 'crash') throw new Error('handler bug');
        if (behaviour === 'throw-null') throw null;
        if (behaviour === 'bad-header') return { status: 200, headers: { 'x-bad': 'line\nbreak' }, body: '{}' };
        return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ caller: request.caller, trace: request.trace }) };
      },
    }),
    renderError: (error) => ({ status: error.status, headers: {}, body: `${error.code}: ${error.message}` }),
    accessDenied: (message) => new AwsError('Denied', message, { status: 403 }),
  };
}

const SIGNED = 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/eu-west-1/echo/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc';

describe('the AWS endpoint', () => {
  let endpoint: AwsEndpoint | undefined;

  afterEach(async () => {
    await endpoint?.stop();
  });

  const roleCredentials = new RoleCredentials(Buffer.alloc(32, 4));
  const clock = new FakeClock(Date.UTC(2026, 0, 1, 12));

  async function start(service: AwsProtocolService, authorizer?: Authorizer, maxBodyBytes?: number): Promise<AwsEndpoint> {
    endpoint = new AwsEndpoint({
      services: [service], port: 0, ids: countingIds(), logger: capturingLogger(), roleCredentials, clock,
      ...(authorizer ? { authorizer } : {}), ...(maxBodyBytes ? { maxBodyBytes } : {}),
    });
    await endpoint.start();
    return endpoint;
  }

  /** A call signed by an outside key (any signature) unless `headers` sign it otherwise. */
  async function call(target: string, headers: Record<string, string> = { authorization: SIGNED }, body = '{}'): Promise<{ status: number; text: string; requestId: string | null }> {
    const response = await fetch(endpoint?.url ?? '', { method: 'POST', headers: { 'x-amz-target': target, ...headers }, body });
    return { status: response.status, text: await response.text(), requestId: response.headers.get('x-amzn-requestid') };
  }

  /** A call signed by the role's credentials, as the role's SDK signs. */
  async function roleCall(target: string, roleArn: string, options: { secret?: string; signedAtMs?: number } = {}): Promise<{ status: number; text: string }> {
    const credential = roleCredentials.forRole(roleArn);
    const headers = await sigV4Headers(
      endpoint?.url ?? '',
      { ...credential, ...(options.secret !== undefined ? { secretAccessKey: options.secret } : {}) },
      { 'x-amz-target': target, 'content-type': 'application/x-amz-json-1.0' },
      '{}',
      { service: 'echo', signingDate: new Date(options.signedAtMs ?? clock.nowMs()) },
    );
    const response = await fetch(endpoint?.url ?? '', { method: 'POST', headers, body: '{}' });
    return { status: response.status, text: await response.text() };
  }

  it('gives a form to the service its SigV4 scope names (SNS and SQS both speak the Query protocol), never to another', async () => {
    const formService = (name: string, signingName: string): AwsProtocolService => ({
      ...echoService([]),
      name,
      signingName,
      accepts: (request) => String(request.headers['content-type']).startsWith('application/x-www-form-urlencoded'),
      parse: () => ({ operation: 'Call', permissions: [], run: async () => ({ status: 200, headers: {}, body: name }) }),
    });
    endpoint = new AwsEndpoint({ services: [formService('SNS', 'sns'), formService('SQS', 'sqs')], port: 0, ids: countingIds(), logger: capturingLogger(), clock });
    await endpoint.start();
    const post = async (service: string): Promise<{ status: number; text: string }> => {
      const authorization = `AWS4-HMAC-SHA256 Credential=AKIDTEST/20260101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=0`;
      const response = await fetch(endpoint?.url ?? '', { method: 'POST', headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=SendMessage' });
      return { status: response.status, text: await response.text() };
    };
    expect(await post('sqs')).toEqual({ status: 200, text: 'SQS' });
    expect(await post('sns')).toEqual({ status: 200, text: 'SNS' });
    const kinesis = await post('kinesis');
    expect(kinesis.status).toBe(400);
    // A form is the Query protocol: its InvalidAction, in XML, naming the service and what is served.
    expect(kinesis.text).toContain('<Code>InvalidAction</Code><Message>The service &quot;kinesis&quot; is not run by this local endpoint; it serves SNS, SQS.');
  });

  it('hands the service the SigV4 caller and the X-Amzn-Trace-Id context', async () => {
    const seen: EndpointRequest[] = [];
    await start(echoService(seen));
    const reply = await call('Echo.Call', { authorization: SIGNED, 'x-amzn-trace-id': 'Root=1-67891233-abcdef012345678912345678;Parent=53995c3f42cd8ad8;Sampled=1;Lineage=a:1' });
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.text)).toEqual({
      caller: { accessKeyId: 'AKIDEXAMPLE', region: 'eu-west-1', service: 'echo' },
      trace: { root: '1-67891233-abcdef012345678912345678', parent: '53995c3f42cd8ad8', sampled: true },
    });
    expect(reply.requestId).toMatch(/^00000000-0000-4000-8000-/);
  });

  it('answers a request no service accepts with an error naming what it expected', async () => {
    await start(echoService([]));
    const reply = await call('Kinesis_20131202.PutRecord', { authorization: SIGNED.replace('/echo/', '/kinesis/') });
    expect(reply.status).toBe(400);
    expect(JSON.parse(reply.text)).toMatchObject({ __type: 'com.amazon.coral.service#UnknownOperationException', message: expect.stringContaining('The service "kinesis" is not run by this local endpoint; it serves Echo.') });
    // Signed for a service that is served, but in a shape it does not take.
    const echo = await call('Echo.Other');
    expect(JSON.parse(echo.text)).toMatchObject({ message: expect.stringContaining('The request for "echo" is in no protocol Echo speaks here') });
    // A REST protocol's request (no target, no form): 404 with the code in x-amzn-errortype, as restJson services answer a path they have no route for.
    const rest = await fetch(`${endpoint?.url ?? ''}/2015-03-31/functions/f/invocations`, { method: 'POST', headers: { authorization: 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/states/aws4_request, SignedHeaders=host, Signature=0' }, body: '{}' });
    expect(rest.status).toBe(404);
    expect(rest.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
    expect(await rest.json()).toEqual({ __type: 'com.amazon.coral.service#UnknownOperationException', message: expect.stringContaining('The service "states" is not run by this local endpoint') });
  });

  it('asks the authorizer with the access key and denies in the service’s shape', async () => {
    const seen: EndpointRequest[] = [];
    const role = 'arn:aws:iam::000000000000:role/TheSqsFlowStack-SqsPublishLambdaRole-ABC';
    const key = roleCredentials.forRole(role).accessKeyId;
    const asked: string[] = [];
    await start(echoService(seen), {
      authorize: (principal, action, resource) => {
        asked.push(`${principal.accessKeyId} ${action} ${resource}`);
        return { allowed: false, reason: 'no identity-based policy allows the echo:Call action' };
      },
    });
    const reply = await roleCall('Echo.Call', role);
    expect(reply.status).toBe(403);
    expect(reply.text).toBe(
      'Denied: User: arn:aws:sts::000000000000:assumed-role/TheSqsFlowStack-SqsPublishLambdaRole-ABC/local is not authorized to perform: echo:Call on resource: arn:aws:echo:us-east-1:000000000000:thing because no identity-based policy allows the echo:Call action',
    );
    expect(asked).toEqual([`${key} echo:Call arn:aws:echo:us-east-1:000000000000:thing`]);
    expect(seen).toEqual([]);
  });

  it('keeps an authorizer reason that is already the whole AWS sentence', async () => {
    const sentence = 'User: arn:aws:iam::000000000000:role/r is not authorized to perform: echo:Call on resource: x because no identity-based policy allows the echo:Call action';
    await start(echoService([]), { authorize: () => ({ allowed: false, reason: sentence }) });
    expect((await call('Echo.Call', { authorization: SIGNED })).text).toBe(`Denied: ${sentence}`);
  });

  it('refuses a request with no authentication as AWS does, IAM on or off (a cross-site form can sign nothing)', async () => {
    for (const authorizer of [{ authorize: () => ({ allowed: true as const }) }, undefined]) {
      const seen: EndpointRequest[] = [];
      await start(echoService(seen), authorizer);
      const refused = await call('Echo.Call', {});
      expect(refused.status).toBe(403);
      expect(refused.text).toMatch(/^MissingAuthenticationTokenException: Request is missing Authentication Token/);
      expect(seen).toEqual([]);
      await endpoint?.stop();
    }
  });

  it('serves a role whose signature holds, and refuses its key with a wrong secret, an old date or from another install', async () => {
    const seen: EndpointRequest[] = [];
    const role = 'arn:aws:iam::000000000000:role/caller';
    await start(echoService(seen));
    expect((await roleCall('Echo.Call', role)).status).toBe(200);
    expect(seen).toHaveLength(1);

    const wrongSecret = await roleCall('Echo.Call', role, { secret: 'not-the-secret' });
    expect(wrongSecret.status).toBe(403);
    expect(wrongSecret.text).toMatch(/^InvalidSignatureException: The request signature we calculated does not match/);
    const old = await roleCall('Echo.Call', role, { signedAtMs: clock.nowMs() - 16 * 60_000 });
    expect(old.status).toBe(403);
    expect(old.text).toMatch(/^InvalidSignatureException: Signature expired: /);

    const other = new RoleCredentials(Buffer.alloc(32, 5)).forRole(role);
    const headers = await sigV4Headers(endpoint?.url ?? '', other, { 'x-amz-target': 'Echo.Call' }, '{}', { service: 'echo', signingDate: new Date(clock.nowMs()) });
    const foreign = await call('Echo.Call', headers);
    expect(foreign.status).toBe(403);
    expect(foreign.text).toBe('UnrecognizedClientException: The security token included in the request is invalid.');
    expect(seen).toHaveLength(1);
  });

  it('turns a failure inside a service into a 500 in its shape and logs it', async () => {
    const logger = capturingLogger();
    endpoint = new AwsEndpoint({ services: [echoService([], 'crash')], port: 0, logger });
    await endpoint.start();
    const reply = await call('Echo.Call');
    expect(reply.status).toBe(500);
    expect(reply.text).toMatch(/^InternalFailure: /);
    expect(logger.lines).toContainEqual(expect.stringMatching(/^error aws endpoint: Echo request failed: Error: handler bug/));
  });

  it('a service that throws anything, or answers what cannot be written, costs that request only', async () => {
    const logger = capturingLogger();
    const services = [
      { ...echoService([], 'throw-null'), accepts: (request: EndpointRequest) => request.headers['x-amz-target'] === 'Null.Call' },
      { ...echoService([], 'bad-header'), name: 'BadEcho', accepts: (request: EndpointRequest) => request.headers['x-amz-target'] === 'Bad.Call' },
      // The endpoint registers services by name: each needs its own.
      { ...echoService([]), name: 'PlainEcho' },
    ];
    endpoint = new AwsEndpoint({ services, port: 0, logger });
    await endpoint.start();
    const thrown = await call('Null.Call');
    expect(thrown.status).toBe(500);
    expect(logger.lines).toContainEqual('error aws endpoint: Echo request failed: a thrown null');
    // Before, setting the header threw out of the request handler: an unhandled rejection ends the process.
    const unwritable = await call('Bad.Call');
    expect(unwritable.status).toBe(500);
    expect(unwritable.text).toContain('InternalFailure');
    expect(logger.lines).toContainEqual(expect.stringMatching(/^error aws endpoint: POST \/ could not be answered: Invalid character in header content/));
    expect((await call('Echo.Call')).status).toBe(200);
  });

  it('refuses a body over the limit', async () => {
    await start(echoService([]), undefined, 16);
    const reply = await call('Echo.Call', {}, JSON.stringify({ padding: 'x'.repeat(64) }));
    expect(reply.status).toBe(413);
    expect(reply.text).toContain('exceeds 16 bytes');
  });

  it('answers a request target that is not a URL with a 400, not a cut connection', async () => {
    await start(echoService([]));
    // node:http passes an absolute-form target on as it came.
    const answer = await sendRawText('127.0.0.1', endpoint?.port ?? 0, 'POST http://[bad/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Amz-Target: Echo.Call\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}');
    expect(answer.split('\r\n')[0]).toBe('HTTP/1.1 400 Bad Request');
    expect(answer.slice(answer.indexOf('\r\n\r\n') + 4)).toBe(
      '{"__type":"com.amazon.coral.service#InvalidRequest","message":"\\"http://[bad/\\" is not a valid request target; send the path /."}',
    );
  });
});

describe('AwsError', () => {
  it('keeps the start and end of a message that quotes a huge value', () => {
    const message = new AwsError('NotFound', `Topic ${'x'.repeat(300_000)} does not exist`).message;
    expect(message.length).toBeLessThan(1000);
    expect(message).toMatch(/^Topic x{594}\.\.\.\[299121 characters left out\]\.\.\.x{285} does not exist$/);
    expect(new AwsError('NotFound', 'Topic t does not exist').message).toBe('Topic t does not exist');
  });
});

describe('sigV4ScopeOf', () => {
  it('reads a presigned URL’s credential and ignores unsigned requests', () => {
    const query = new URLSearchParams({ 'X-Amz-Credential': 'AKIDQ/20260101/us-east-1/sqs/aws4_request' });
    expect(sigV4ScopeOf(undefined, query)).toEqual({ accessKeyId: 'AKIDQ', region: 'us-east-1', service: 'sqs' });
    expect(sigV4ScopeOf(undefined, new URLSearchParams())).toBeUndefined();
    expect(sigV4ScopeOf('Bearer token')).toBeUndefined();
  });
});
