/**
 * The HTTP handler as the Lambda runtime runs it, with tracing on. A file of its own: each Tracer
 * subscribes to fetch's diagnostics channels, so a process must hold only this handler's Tracer,
 * as a Lambda execution environment does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as HttpModule from '../../../src/pattern/lambdas/http.ts';
import { setEnv } from './support/env.ts';
import { lambdaContext, snsEvent } from './support/fixtures.ts';
import { startJsonTarget } from './support/json-target.ts';
import type { JsonTarget } from './support/json-target.ts';
import { expectClosedTree, lambdaModeEnv, metadataKeys, named, traceHeader } from './support/lambda-mode.ts';
import { captureStdout } from './support/stdout.ts';
import { startXrayDaemon } from './support/xray-daemon.ts';
import type { XrayDaemon } from './support/xray-daemon.ts';

const HANDLER = '## index.handler';
const TODO = { userId: 1, id: 1, title: 'delectus aut autem', completed: false };

let daemon: XrayDaemon;
let target: JsonTarget;
let restoreEnv: () => void;
let http: typeof HttpModule;
let invocations = 0;

beforeAll(async () => {
  daemon = await startXrayDaemon();
  target = await startJsonTarget('/todos/1', TODO);
  restoreEnv = setEnv({ ...lambdaModeEnv(daemon.address), TARGET_URL: target.url });
  http = await import('../../../src/pattern/lambdas/http.ts');
});

afterAll(async () => {
  restoreEnv();
  await target.close();
  await daemon.close();
});

async function invokeDrawing(draw: number) {
  const trace = traceHeader(++invocations);
  process.env._X_AMZN_TRACE_ID = trace.header;
  target.requests.length = 0;
  // The deployed dependencies (TARGET_URL, the global fetch, the module's Tracer) with a fixed draw.
  const handler = http.createHttpHandler({ ...http.defaultDependencies, random: () => draw });
  const { outcome } = await captureStdout(() => handler(snsEvent('/prod/foo'), lambdaContext()));
  const docs = await daemon.waitForTrace(trace.root, (found) => found.some((doc) => doc.name === HANDLER));
  expectClosedTree(docs, trace.root, trace.parent);
  expect(daemon.rejected).toEqual([]);
  return { outcome, docs, trace };
}

describe('http handler in Lambda mode', () => {
  it('records external HTTP Request with metadata response, and the fetch as a remote subsegment', async () => {
    expect(http.defaultDependencies.targetUrl).toBe(target.url);
    const { outcome, docs, trace } = await invokeDrawing(0.4);

    expect(outcome).toEqual({ status: 'fulfilled', value: TODO });
    expect(docs.map((doc) => doc.name).sort()).toEqual([HANDLER, '127.0.0.1', 'external HTTP Request']);
    const request = named(docs, 'external HTTP Request');
    expect(request.parent_id).toBe(named(docs, HANDLER).id);
    expect(metadataKeys(request)).toEqual(['response']);
    expect(request.metadata?.default?.response).toEqual(TODO);
    const remote = named(docs, '127.0.0.1');
    expect(remote.parent_id).toBe(request.id);
    expect(remote.namespace).toBe('remote');
    // Powertools records protocol, host name and path: the port is left out.
    const { protocol, hostname, pathname } = new URL(target.url);
    expect(remote.http?.request).toEqual({ url: `${protocol}//${hostname}${pathname}`, method: 'GET' });
    expect(remote.http?.response?.status).toBe(200);
    // The target saw the trace header naming the remote subsegment as its parent.
    expect(target.requests).toHaveLength(1);
    expect(target.requests[0]?.headers['x-amzn-trace-id']).toBe(`Root=${trace.root};Parent=${remote.id};Sampled=1`);
  });

  it('records the simulated certificate failure as a fault of the handler, with no request made', async () => {
    const { outcome, docs } = await invokeDrawing(0.1);

    expect((outcome as PromiseRejectedResult).reason).toEqual(new Error('SSL Cert Exception'));
    expect(docs.map((doc) => doc.name)).toEqual([HANDLER]);
    const handler = named(docs, HANDLER);
    expect(handler.fault).toBe(true);
    expect(handler.cause?.exceptions?.[0]?.message).toBe('SSL Cert Exception');
    expect(target.requests).toHaveLength(0);
  });

  it('records an error answer of the target on both the remote subsegment and external HTTP Request', async () => {
    target.respondWith(502, JSON.stringify({ message: 'bad gateway' }));
    const { outcome, docs } = await invokeDrawing(0.8);
    target.respondWith(200, JSON.stringify(TODO));

    expect(String((outcome as PromiseRejectedResult).reason)).toContain('answered HTTP 502');
    const remote = named(docs, '127.0.0.1');
    expect(remote.fault).toBe(true);
    expect(remote.http?.response?.status).toBe(502);
    const request = named(docs, 'external HTTP Request');
    expect(request.fault).toBe(true);
    expect(request.cause?.exceptions?.[0]?.message).toBe(`GET ${target.url} answered HTTP 502`);
    expect(metadataKeys(request)).toEqual([]);
  });
});
