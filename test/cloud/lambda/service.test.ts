import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RoleCredentials } from '../../../src/cloud/iam/credentials.ts';
import type { LambdaFunctionConfig } from '../../../src/cloud/lambda/functions.ts';
import { LambdaService } from '../../../src/cloud/lambda/service.ts';
import type { LambdaServiceOptions } from '../../../src/cloud/lambda/service.ts';
import { seededRandom } from '../../../src/cloud/tracing/ids.ts';
import { UdpSegmentSink } from '../../../src/cloud/tracing/udp-sink.ts';
import type { QueueService, SegmentSink } from '../../../src/cloud/core/types.ts';
import { capturingLogger, FakeDaemon, functionConfig, writeBundle } from './support.ts';

const ROOT = mkdtempSync(join(tmpdir(), 'lambda-service-'));
const ENDPOINT = 'http://127.0.0.1:4566';

const OK = `
import { createSocket } from 'node:dgram';
export const handler = async (event, context) => {
  console.log('handling', JSON.stringify(event));
  const header = process.env._X_AMZN_TRACE_ID;
  if (event.subsegment) {
    // What the X-Ray SDK does in a function: a subsegment parented to the Parent of _X_AMZN_TRACE_ID.
    const parts = Object.fromEntries(header.split(';').map((part) => part.split('=')));
    const [host, port] = process.env.AWS_XRAY_DAEMON_ADDRESS.split(':');
    const now = Date.now() / 1000;
    const doc = { type: 'subsegment', name: 'work', id: '0123456789abcdef', trace_id: parts.Root, parent_id: parts.Parent, start_time: now, end_time: now };
    const socket = createSocket('udp4');
    await new Promise((resolve) => socket.send('{"format":"json","version":1}\\n' + JSON.stringify(doc), Number(port), host, resolve));
    socket.close();
  }
  if (event.wait) await new Promise((resolve) => setTimeout(resolve, event.wait));
  return {
    pid: process.pid,
    header,
    env: { ...process.env },
    cwd: process.cwd(),
    context: {
      functionName: context.functionName, functionVersion: context.functionVersion, awsRequestId: context.awsRequestId,
      memoryLimitInMB: context.memoryLimitInMB, logGroupName: context.logGroupName, logStreamName: context.logStreamName,
      invokedFunctionArn: context.invokedFunctionArn, remaining: context.getRemainingTimeInMillis(),
    },
  };
};`;
const THROWS = `export const handler = async () => { throw new TypeError('the handler failed on purpose'); };
export const pid = () => process.pid;`;
const THROWS_SSL = `export const handler = async () => { throw new Error('SSL Cert Exception'); };`;
const REJECTS = `export const handler = () => new Promise((resolve, reject) => setTimeout(() => reject(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED', port: 9 })), 1));`;
const SLOW = `export const handler = async (event) => { if (event.quick) return process.pid; await new Promise((resolve) => setTimeout(resolve, 10_000)); return 'late'; };`;
const EXITS = `export const handler = async (event) => { if (event.exit) process.exit(3); return process.pid; };`;
const BROKEN_INIT = `if (!process.env.REQUIRED) throw new Error('environment variable REQUIRED is not set'); export const handler = async () => 'ok';`;
const CALLBACK = `exports.handler = function (event, context, callback) { setTimeout(() => callback(null, { echoed: event.value }), 5); };`;
const ALWAYS_FAILS = `export const handler = async (event) => { console.log('attempt for', event.id); throw new Error('downstream unavailable'); };`;
/** Fails until a marker file exists, creating it: the first attempt fails, the retry succeeds. */
const FAILS_ONCE = `
import { existsSync, writeFileSync } from 'node:fs';
export const handler = async (event) => {
  if (!existsSync(event.marker)) { writeFileSync(event.marker, 'x'); throw new Error('first attempt fails'); }
  return 'second attempt ok';
};`;

const bundles: Record<string, string> = {};
let daemon: FakeDaemon;
let daemonAddress: string;
let sink: UdpSegmentSink;
const services: LambdaService[] = [];

beforeAll(async () => {
  bundles.ok = writeBundle(ROOT, 'ok', OK);
  bundles.throws = writeBundle(ROOT, 'throws', THROWS);
  bundles.slow = writeBundle(ROOT, 'slow', SLOW);
  bundles.exits = writeBundle(ROOT, 'exits', EXITS);
  bundles.broken = writeBundle(ROOT, 'broken', BROKEN_INIT);
  bundles.callback = writeBundle(ROOT, 'callback', CALLBACK, 'index.js');
  bundles.fails = writeBundle(ROOT, 'fails', ALWAYS_FAILS);
  bundles.failsOnce = writeBundle(ROOT, 'fails-once', FAILS_ONCE);
  daemon = new FakeDaemon();
  daemonAddress = await daemon.start();
  sink = new UdpSegmentSink({ daemonAddress });
  await sink.start();
});

afterEach(async () => {
  await Promise.all(services.splice(0).map((service) => service.stop()));
});

afterAll(async () => {
  await sink.stop();
  await daemon.stop();
  rmSync(ROOT, { recursive: true, force: true });
});

async function startService(functions: LambdaFunctionConfig[], options: Partial<LambdaServiceOptions> = {}): Promise<LambdaService> {
  const service = new LambdaService({
    functions,
    endpointUrl: ENDPOINT,
    daemonAddress,
    segmentSink: sink,
    logger: capturingLogger().logger,
    random: seededRandom(42),
    retryDelaysMs: [20, 40],
    ...options,
  });
  services.push(service);
  await service.start();
  return service;
}

interface OkPayload {
  pid: number;
  header: string;
  env: Record<string, string>;
  cwd: string;
  context: Record<string, unknown>;
}

describe('LambdaService: synchronous invocations', () => {
  it('runs the handler with the function\'s environment and a Lambda context, and answers its result', async () => {
    const fn = functionConfig('env-fn', bundles.ok as string, { memoryMb: 192, timeoutSeconds: 4, environment: { TABLE_NAME: 'Hits', AWS_REGION: 'ignored' } });
    const roleCredentials = new RoleCredentials(Buffer.alloc(32, 5));
    const service = await startService([fn], { roleCredentials, environmentOverrides: (resource) => ({ OVERRIDDEN_FOR: resource.logicalId }) });
    const result = await service.invoke({ functionName: fn.name, payload: { hello: 'world' }, invocationType: 'RequestResponse' });
    expect(result.statusCode).toBe(200);
    expect(result.functionError).toBeUndefined();
    const payload = result.payload as OkPayload;
    expect(payload.env).toMatchObject({
      TABLE_NAME: 'Hits',
      OVERRIDDEN_FOR: 'env-fn',
      AWS_LAMBDA_FUNCTION_NAME: 'env-fn',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '192',
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/env-fn',
      // Reserved variables win over the function's own Environment, as on Lambda.
      AWS_REGION: 'us-east-1',
      AWS_DEFAULT_REGION: 'us-east-1',
      LAMBDA_TASK_ROOT: bundles.ok,
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
      _HANDLER: 'index.handler',
      AWS_XRAY_DAEMON_ADDRESS: daemonAddress,
      AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR',
      AWS_ENDPOINT_URL: ENDPOINT,
    });
    // The role's credentials of this install, which the endpoint verifies.
    const { accessKeyId, secretAccessKey, sessionToken } = roleCredentials.forRole('arn:aws:iam::000000000000:role/env-fn-role');
    expect(payload.env).toMatchObject({ AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey, AWS_SESSION_TOKEN: sessionToken });
    expect(payload.env.AWS_LAMBDA_LOG_STREAM_NAME).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(payload.cwd).toBe(bundles.ok);
    expect(payload.header).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=1$/);
    expect(payload.context).toMatchObject({
      functionName: 'env-fn',
      functionVersion: '$LATEST',
      memoryLimitInMB: '192',
      logGroupName: '/aws/lambda/env-fn',
      logStreamName: payload.env.AWS_LAMBDA_LOG_STREAM_NAME,
      invokedFunctionArn: fn.arn,
    });
    expect(payload.context.awsRequestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(payload.context.remaining).toBeGreaterThan(3000);
    expect(payload.context.remaining).toBeLessThanOrEqual(4000);
  });

  it('reuses a warm environment and starts a cold one only when none is free', async () => {
    const fn = functionConfig('warm-fn', bundles.ok as string);
    const service = await startService([fn]);
    const first = (await service.invoke({ functionName: fn.name, payload: {}, invocationType: 'RequestResponse' })).payload as OkPayload;
    const second = (await service.invoke({ functionName: fn.arn, payload: {}, invocationType: 'RequestResponse' })).payload as OkPayload;
    expect(second.pid).toBe(first.pid);
    const concurrent = await Promise.all([1, 2].map(() => service.invoke({ functionName: fn.name, payload: { wait: 150 }, invocationType: 'RequestResponse' })));
    const pids = concurrent.map((result) => (result.payload as OkPayload).pid);
    expect(new Set(pids).size).toBe(2);
    expect(pids).toContain(first.pid);
    expect(service.environmentCount(fn.name)).toBe(2);
  });

  it('holds invocations beyond the environment limit until one is free, and throttles when the wait list is full', async () => {
    const fn = functionConfig('bounded-fn', bundles.ok as string, { reservedConcurrency: 1 });
    const service = await startService([fn], { maxWaitingPerFunction: 1 });
    const results = await Promise.all([1, 2, 3].map(() => service.invoke({ functionName: fn.name, payload: { wait: 100 }, invocationType: 'RequestResponse' })));
    const statuses = results.map((result) => result.statusCode).sort();
    expect(statuses).toEqual([200, 200, 429]);
    const served = results.filter((result) => result.statusCode === 200).map((result) => (result.payload as OkPayload).pid);
    expect(served[0]).toBe(served[1]);
    expect(results.find((result) => result.statusCode === 429)?.errorMessage).toBe('Rate Exceeded. (TooManyRequestsException)');
    expect(service.environmentCount(fn.name)).toBe(1);
  });

  it('tells onConcurrency when runs hold and give back an environment (ConcurrentExecutions), failed Init included', async () => {
    const fn = functionConfig('concurrent-fn', bundles.ok as string);
    const broken = functionConfig('concurrent-broken-fn', bundles.broken as string);
    let inFlight = 0;
    let peak = 0;
    const events: string[] = [];
    const onConcurrency = {
      started: (name: string) => { inFlight += 1; peak = Math.max(peak, inFlight); events.push(`started ${name}`); },
      finished: (name: string) => { inFlight -= 1; events.push(`finished ${name}`); },
    };
    const service = await startService([fn, broken], { onConcurrency });
    await Promise.all([1, 2].map(() => service.invoke({ functionName: fn.name, payload: { wait: 150 }, invocationType: 'RequestResponse' })));
    expect(peak).toBe(2);
    expect(inFlight).toBe(0);
    await service.invoke({ functionName: broken.name, payload: {}, invocationType: 'RequestResponse' });
    expect(events.slice(-2)).toEqual([`started ${broken.name}`, `finished ${broken.name}`]);
    expect(inFlight).toBe(0);
  });

  it('reports a thrown error as an Unhandled function error and keeps the environment', async () => {
    const fn = functionConfig('throws-fn', bundles.throws as string);
    const service = await startService([fn]);
    const result = await service.invoke({ functionName: fn.name, payload: {}, invocationType: 'RequestResponse' });
    expect(result).toMatchObject({
      statusCode: 200,
      functionError: 'Unhandled',
      errorMessage: 'the handler failed on purpose',
      payload: { errorType: 'TypeError', errorMessage: 'the handler failed on purpose' },
    });
    expect((result.payload as { trace: string[] }).trace[0]).toBe('TypeError: the handler failed on purpose');
    const again = await service.invoke({ functionName: fn.name, payload: {}, invocationType: 'RequestResponse' });
    expect(again.functionError).toBe('Unhandled');
    expect(service.environmentCount(fn.name)).toBe(1);
  });

  it('stops a handler at its timeout as Lambda says it, and the next invocation gets a new environment', async () => {
    const fn = functionConfig('slow-fn', bundles.slow as string, { timeoutSeconds: 0.5 });
    const service = await startService([fn]);
    const quick = await service.invoke({ functionName: fn.name, payload: { quick: true }, invocationType: 'RequestResponse' });
    const started = Date.now();
    const result = await service.invoke({ functionName: fn.name, payload: {}, invocationType: 'RequestResponse' });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(result.functionError).toBe('Unhandled');
    expect(result.errorMessage).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z [0-9a-f-]{36} Task timed out after 0\.50 seconds$/);
    expect(result.payload).toMatchObject({ errorType: 'Sandbox.Timedout' });
    const after = await service.invoke({ functionName: fn.name, payload: { quick: true }, invocationType: 'RequestResponse' });
    expect(after.statusCode).toBe(200);
    expect(after.payload).not.toBe(quick.payload);
  });

  it('reports a process that exits mid-invocation as Runtime.ExitError and replaces the environment', async () => {
    const fn = functionConfig('exits-fn', bundles.exits as string);
    const service = await startService([fn]);
    const before = (await service.invoke({ functionName: fn.name, payload: {}, invocationType: 'RequestResponse' })).payload;
    const result = await service.invoke({ functionName: fn.name, payload: { exit: true }, invocationType: 'RequestResponse' });
    expect(result.functionError).toBe('Unhandled');
    expect(result.payload).toMatchObject({ errorType: 'Runtime.ExitError' });
    expect(result.errorMessage).toMatch(/^RequestId: [0-9a-f-]{36} Error: Runtime exited with error: exit status 3$/);
    const after = (await service.invoke({ functionName: fn.name, payload: {}, invocationType: 'RequestResponse' })).payload;
    expect(typeof after).toBe('number');
    expect(after).not.toBe(before);
  });

  it('fails an invocation whose handler cannot load, naming the error, and tries a new environment next time', async () => {
    const fn = functionConfig('broken-fn', bundles.broken as string);
    const service = await startService([fn]);
    const result = await service.invoke({ functionName: fn.name, payload: {}, invocationType: 'RequestResponse' });
    expect(result).toMatchObject({ functionError: 'Unhandled', errorMessage: 'environment variable REQUIRED is not set', payload: { errorType: 'Error' } });
    expect(service.environmentCount(fn.name)).toBe(0);
    const missing = functionConfig('missing-fn', bundles.broken as string, { handler: 'nothere.handler' });
    const other = await startService([missing]);
    expect(await other.invoke({ functionName: missing.name, payload: {}, invocationType: 'RequestResponse' }))
      .toMatchObject({ functionError: 'Unhandled', payload: { errorType: 'Runtime.ImportModuleError', errorMessage: "Error: Cannot find module 'nothere'" } });
  });

  it('supports callback handlers in CommonJS index.js files', async () => {
    const fn = functionConfig('callback-fn', bundles.callback as string);
    const service = await startService([fn]);
    expect(await service.invoke({ functionName: fn.name, payload: { value: 7 }, invocationType: 'RequestResponse' })).toEqual({ statusCode: 200, payload: { echoed: 7 } });
  });

  it('reports every finished run to its listeners, with the event, the trace and the outcome, until they stop listening', async () => {
    const ok = functionConfig('done-ok', bundles.ok as string);
    const fails = functionConfig('done-fails', bundles.throws as string);
    const service = await startService([ok, fails]);
    const done: Array<Record<string, unknown>> = [];
    const stop = service.onInvocationDone((record) => done.push({ ...record }));
    const root = '1-6553f100-444444444444444444444444';
    await service.invoke({ functionName: ok.name, payload: { n: 1 }, invocationType: 'RequestResponse', trace: { root, sampled: true } });
    await service.invoke({ functionName: fails.name, payload: { n: 2 }, invocationType: 'RequestResponse', trace: { root, sampled: true } });
    stop();
    await service.invoke({ functionName: ok.name, payload: { n: 3 }, invocationType: 'RequestResponse' });
    expect(done).toEqual([
      { functionName: 'done-ok', requestId: expect.any(String), traceId: root, payload: { n: 1 }, failed: false, times: { start: expect.any(Number), end: expect.any(Number) } },
      { functionName: 'done-fails', requestId: expect.any(String), traceId: root, payload: { n: 2 }, failed: true, times: { start: expect.any(Number), end: expect.any(Number) } },
    ]);
  });

  it('answers 404 for an unknown function', async () => {
    const service = await startService([]);
    expect(await service.invoke({ functionName: 'nope', payload: {}, invocationType: 'RequestResponse' }))
      .toEqual({ statusCode: 404, errorMessage: 'Function not found: nope (ResourceNotFoundException)' });
  });
});

describe('LambdaService: segments', () => {
  const CALLER_ROOT = '1-6553f100-0123456789abcdef01234567';
  const CALLER_PARENT = 'aaaaaaaaaaaaaaaa';

  it('emits AWS::Lambda under the caller and AWS::Lambda::Function under it; the handler\'s subsegments parent to the function segment', async () => {
    const fn = functionConfig('traced-fn', bundles.ok as string);
    const service = await startService([fn]);
    const result = await service.invoke({ functionName: fn.name, payload: { subsegment: true }, invocationType: 'RequestResponse', trace: { root: CALLER_ROOT, parent: CALLER_PARENT, sampled: true } });
    await daemon.waitFor(() => daemon.byTrace(CALLER_ROOT).length >= 3);
    const documents = daemon.byTrace(CALLER_ROOT);
    const service_ = documents.find((document) => document['origin'] === 'AWS::Lambda');
    const function_ = documents.find((document) => document['origin'] === 'AWS::Lambda::Function');
    const handlerSubsegment = documents.find((document) => document['type'] === 'subsegment');
    expect(service_).toMatchObject({ name: 'traced-fn', parent_id: CALLER_PARENT, resource_arn: fn.arn, http: { response: { status: 200 } } });
    expect(function_).toMatchObject({ name: 'traced-fn', parent_id: service_?.['id'], resource_arn: fn.arn });
    expect(handlerSubsegment).toMatchObject({ name: 'work', parent_id: function_?.['id'] });
    expect((result.payload as OkPayload).header).toBe(`Root=${CALLER_ROOT};Parent=${String(function_?.['id'])};Sampled=1`);
    // A cold start: Initialization, then Invocation and Overhead, within the function segment's time.
    const subsegments = function_?.['subsegments'] as Array<Record<string, number | string>>;
    expect(subsegments.map((subsegment) => subsegment['name'])).toEqual(['Initialization', 'Invocation', 'Overhead']);
    const [init, invocation, overhead] = subsegments as [Record<string, number>, Record<string, number>, Record<string, number>];
    expect(init['start_time']).toBe(function_?.['start_time']);
    expect(init['end_time']).toBeLessThanOrEqual(invocation['start_time'] as number);
    expect(invocation['end_time']).toBe(overhead['start_time']);
    expect(overhead['end_time']).toBe(function_?.['end_time']);
    expect(service_?.['start_time']).toBeLessThanOrEqual(function_?.['start_time'] as number);
    expect(service_?.['end_time']).toBeGreaterThanOrEqual(function_?.['end_time'] as number);
    expect(service_?.['aws']).toMatchObject({ request_id: (result.payload as OkPayload).context.awsRequestId });

    // Warm: no Initialization subsegment.
    const warmRoot = '1-6553f100-fedcba9876543210fedcba98';
    await service.invoke({ functionName: fn.name, payload: {}, invocationType: 'RequestResponse', trace: { root: warmRoot, sampled: true } });
    await daemon.waitFor(() => daemon.byTrace(warmRoot).length >= 2);
    const warmFunction = daemon.byTrace(warmRoot).find((document) => document['origin'] === 'AWS::Lambda::Function');
    expect((warmFunction?.['subsegments'] as Array<{ name: string }>).map((subsegment) => subsegment.name)).toEqual(['Invocation', 'Overhead']);
    expect(daemon.byTrace(warmRoot).find((document) => document['origin'] === 'AWS::Lambda')?.['parent_id']).toBeUndefined();
  });

  it('marks the function segment as a fault with the error as its cause', async () => {
    const fn = functionConfig('faulty-fn', bundles.throws as string);
    const service = await startService([fn]);
    const root = '1-6553f100-111111111111111111111111';
    await service.invoke({ functionName: fn.name, payload: {}, invocationType: 'RequestResponse', trace: { root, sampled: true } });
    await daemon.waitFor(() => daemon.byTrace(root).length >= 2);
    const function_ = daemon.byTrace(root).find((document) => document['origin'] === 'AWS::Lambda::Function');
    expect(function_).toMatchObject({
      fault: true,
      cause: { working_directory: bundles.throws, exceptions: [{ type: 'TypeError', message: 'the handler failed on purpose' }] },
    });
    const lambda = daemon.byTrace(root).find((document) => document['origin'] === 'AWS::Lambda');
    expect(lambda?.['fault']).toBeUndefined();
  });

  it('keeps an upstream decision not to sample: no segments, Sampled=0 for the handler', async () => {
    const sent: Array<Record<string, unknown>> = [];
    const capture: SegmentSink = { send: (document) => sent.push(document) };
    const fn = functionConfig('unsampled-fn', bundles.ok as string);
    const service = await startService([fn], { segmentSink: capture });
    const result = await service.invoke({ functionName: fn.name, payload: {}, invocationType: 'RequestResponse', trace: { root: CALLER_ROOT, parent: CALLER_PARENT, sampled: false } });
    expect((result.payload as OkPayload).header).toMatch(new RegExp(`^Root=${CALLER_ROOT};Parent=[0-9a-f]{16};Sampled=0$`));
    expect(sent).toEqual([]);
    // Without a caller's context an actively traced function starts its own trace.
    await service.invoke({ functionName: fn.name, payload: {}, invocationType: 'RequestResponse' });
    expect(sent.map((document) => document['origin'])).toEqual(['AWS::Lambda::Function', 'AWS::Lambda']);
    expect(sent[1]?.['parent_id']).toBeUndefined();
  });
});

describe('LambdaService: asynchronous invocations', () => {
  function fakeQueues(): { sent: Array<{ queue: string; body: string; options: unknown }>; service: QueueService } {
    const sent: Array<{ queue: string; body: string; options: unknown }> = [];
    return {
      sent,
      service: {
        sendMessage: async (queue, body, options) => {
          sent.push({ queue, body, options });
          return { messageId: `m${sent.length}` };
        },
      },
    };
  }

  it('answers 202 at once, retries twice with the configured waits, then sends the event to the dead-letter queue', async () => {
    const queues = fakeQueues();
    const { lines, logger } = capturingLogger();
    const dlq = 'arn:aws:sqs:us-east-1:000000000000:fails-dlq';
    const fn = functionConfig('fails-fn', bundles.fails as string, { deadLetterTargetArn: dlq });
    const segments: Array<Record<string, unknown>> = [];
    const service = await startService([fn], { queueService: queues.service, logger, retryDelaysMs: [50, 100], segmentSink: { send: (document) => segments.push(document) } });
    const started = Date.now();
    const accepted = await service.invoke({ functionName: fn.name, payload: { id: 'event-1' }, invocationType: 'Event' });
    expect(accepted).toEqual({ statusCode: 202 });
    expect(queues.sent).toEqual([]);
    await service.drain();
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    expect(lines.filter((line) => line.includes('INFO\tattempt for event-1'))).toHaveLength(3);
    expect(queues.sent).toHaveLength(1);
    const [message] = queues.sent;
    expect(message?.queue).toBe(dlq);
    expect(JSON.parse(message?.body ?? '')).toEqual({ id: 'event-1' });
    expect(message?.options).toMatchObject({ attributes: { ErrorCode: '200', ErrorMessage: 'downstream unavailable', RequestID: expect.stringMatching(/^[0-9a-f-]{36}$/) } });
    // One AWS::Lambda segment for the event (202, time queued, three attempts), one function segment per attempt.
    const lambda = segments.filter((document) => document['origin'] === 'AWS::Lambda');
    const functions = segments.filter((document) => document['origin'] === 'AWS::Lambda::Function');
    expect(lambda).toHaveLength(1);
    expect(functions).toHaveLength(3);
    expect(functions.every((document) => document['parent_id'] === lambda[0]?.['id'] && document['fault'] === true)).toBe(true);
    expect(lambda[0]?.['http']).toEqual({ response: { status: 202 } });
    expect((lambda[0]?.['subsegments'] as Array<{ name: string; fault?: boolean }>).map((subsegment) => [subsegment.name, subsegment.fault ?? false]))
      .toEqual([['Dwell Time', false], ['Attempt #1', true], ['Attempt #2', true], ['Attempt #3', true]]);
  });

  it('sends an on-failure destination the record Lambda sends, honouring MaximumRetryAttempts', async () => {
    const queues = fakeQueues();
    const destination = 'arn:aws:sqs:us-east-1:000000000000:on-failure';
    const fn = functionConfig('destination-fn', bundles.fails as string, { onFailureDestination: destination, maximumRetryAttempts: 0 });
    const service = await startService([fn], { queueService: queues.service });
    await service.invoke({ functionName: fn.name, payload: { id: 'event-2' }, invocationType: 'Event' });
    await service.drain();
    expect(queues.sent.map((message) => message.queue)).toEqual([destination]);
    expect(JSON.parse(queues.sent[0]?.body ?? '')).toMatchObject({
      version: '1.0',
      requestContext: { functionArn: `${fn.arn}:$LATEST`, condition: 'RetriesExhausted', approximateInvokeCount: 1 },
      requestPayload: { id: 'event-2' },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload: { errorType: 'Error', errorMessage: 'downstream unavailable' },
    });
  });

  it('does not send an event whose retry succeeds anywhere', async () => {
    const queues = fakeQueues();
    const { lines, logger } = capturingLogger();
    const fn = functionConfig('fails-once-fn', bundles.failsOnce as string, { deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:q' });
    const service = await startService([fn], { queueService: queues.service, logger });
    await service.invoke({ functionName: fn.name, payload: { marker: join(ROOT, 'marker') }, invocationType: 'Event' });
    await service.drain();
    expect(lines.filter((line) => line.includes('START RequestId'))).toHaveLength(2);
    expect(queues.sent).toEqual([]);
  });
});

describe('LambdaService: logs', () => {
  it('prefixes every line with the function name and trace id, on the logger and in the log file', async () => {
    const logFile = join(ROOT, 'logs', 'functions.log');
    const { lines, logger } = capturingLogger();
    const fn = functionConfig('logging-fn', bundles.ok as string);
    const service = await startService([fn], { logger, logFile });
    const root = '1-6553f100-222222222222222222222222';
    await service.invoke({ functionName: fn.name, payload: { n: 1 }, invocationType: 'RequestResponse', trace: { root, sampled: true } });
    await service.stop();
    const prefix = `[logging-fn ${root}] `;
    const handled = lines.find((line) => line.includes('handling {"n":1}'));
    expect(handled).toMatch(new RegExp(`^\\[logging-fn ${root}\\] \\d{4}-[\\d-]+T[\\d:.]+Z\\t[0-9a-f-]{36}\\tINFO\\thandling \\{"n":1\\}$`));
    expect(lines.filter((line) => line.startsWith(prefix)).map((line) => line.slice(prefix.length).split(' ')[0])).toEqual(['START', expect.any(String), 'END', 'REPORT']);
    const file = readFileSync(logFile, 'utf8');
    expect(file).toContain(`${prefix}START RequestId:`);
    expect(file).toContain('handling {"n":1}');
  });

  it('writes each line to the function\'s log group and its environment\'s stream, named as Lambda names them', async () => {
    const written: Array<{ group: string; stream: string; message: string; traceId: string | undefined }> = [];
    const fn = { ...functionConfig('cw-logging-fn', bundles.ok as string), logGroupName: '/aws/lambda/cw-logging-fn' };
    const service = await startService([fn], {
      logger: capturingLogger().logger,
      logSink: (destination, event) => written.push({ group: destination.groupName, stream: destination.streamName, message: event.message, traceId: event.traceId }),
    });
    const root = '1-6553f100-444444444444444444444444';
    await service.invoke({ functionName: fn.name, payload: { n: 1 }, invocationType: 'RequestResponse', trace: { root, sampled: true } });
    await service.invoke({ functionName: fn.name, payload: { n: 2 }, invocationType: 'RequestResponse', trace: { root, sampled: true } });
    await service.stop();
    expect(new Set(written.map((line) => line.group))).toEqual(new Set(['/aws/lambda/cw-logging-fn']));
    // One warm environment served both: one stream, YYYY/MM/DD/[$LATEST]<32 hex>.
    expect(new Set(written.map((line) => line.stream)).size).toBe(1);
    expect(written[0]?.stream).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(written.map((line) => line.message.split(/[ \t]/)[0])).toEqual(['START', expect.any(String), 'END', 'REPORT', 'START', expect.any(String), 'END', 'REPORT']);
    expect(written.every((line) => line.message.endsWith('\n') && line.traceId === root)).toBe(true);
    expect(written[3]?.message).toContain(`XRAY TraceId: ${root}`);
  });

  // The Node.js runtime logs a failed invocation as console.error('Invoke Error', '\t' + JSON):
  // name, message, code, the error's own enumerable properties, then the stack as lines.
  it.each([
    ['throws', THROWS_SSL, { errorType: 'Error', errorMessage: 'SSL Cert Exception' }],
    ['rejects', REJECTS, { errorType: 'Error', errorMessage: 'connect ECONNREFUSED 127.0.0.1:9', code: 'ECONNREFUSED', port: 9 }],
  ])('writes the runtime\'s ERROR Invoke Error line when the handler %s, between START and END', async (name, source, shown) => {
    const logFile = join(ROOT, 'logs', `invoke-error-${name}.log`);
    const { lines, logger } = capturingLogger();
    const fn = functionConfig(`invoke-error-${name}`, writeBundle(ROOT, `invoke-error-${name}`, source));
    const service = await startService([fn], { logger, logFile });
    const root = '1-6553f100-333333333333333333333333';
    const result = await service.invoke({ functionName: fn.name, payload: {}, invocationType: 'RequestResponse', trace: { root, sampled: true } });
    await service.stop();
    expect(result.functionError).toBe('Unhandled');
    const stack = (result.payload as { trace: string[] }).trace;
    expect(stack[0]).toBe(`Error: ${shown.errorMessage}`);
    const prefix = `[${fn.name} ${root}] `;
    const requestId = /^START RequestId: (\S+) /.exec(lines[0]?.slice(prefix.length) ?? '')?.[1] ?? 'missing';
    const json = JSON.stringify({ ...shown, stack });
    expect(lines.map((line) => line.slice(prefix.length).replace(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\t/, '<time>\t'))).toEqual([
      `START RequestId: ${requestId} Version: $LATEST`,
      `<time>\t${requestId}\tERROR\tInvoke Error \t${json}`,
      `END RequestId: ${requestId}`,
      expect.stringMatching(/^REPORT RequestId: /),
    ]);
    const fileLines = readFileSync(logFile, 'utf8').split('\n');
    expect(fileLines[1]).toMatch(/^\d{4}-[\d-]+T[\d:.]+Z \[/);
    expect(fileLines[1]?.endsWith(`\t${requestId}\tERROR\tInvoke Error \t${json}`)).toBe(true);
  });
});
