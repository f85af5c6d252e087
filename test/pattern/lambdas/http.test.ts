import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type * as HttpModule from '../../../src/pattern/lambdas/http.ts';
import type * as ObservabilityModule from '../../../src/pattern/lambdas/shared/observability.ts';
import { setEnv } from './support/env.ts';
import { lambdaContext, snsEvent } from './support/fixtures.ts';
import { startJsonTarget } from './support/json-target.ts';
import type { JsonTarget } from './support/json-target.ts';
import { captureStdout, metricValue } from './support/stdout.ts';

const TODO = { userId: 1, id: 1, title: 'delectus aut autem', completed: false };

let restoreEnv: () => void;
let http: typeof HttpModule;
let observability: ObservabilityModule.Observability;
let target: JsonTarget;

beforeAll(async () => {
  restoreEnv = setEnv({ POWERTOOLS_METRICS_NAMESPACE: 'XrayTracerTest', TARGET_URL: undefined });
  http = await import('../../../src/pattern/lambdas/http.ts');
  const { createObservability }: typeof ObservabilityModule = await import(
    '../../../src/pattern/lambdas/shared/observability.ts'
  );
  observability = createObservability('http-test');
  target = await startJsonTarget('/todos/1', TODO);
});
afterAll(async () => {
  await target.close();
  restoreEnv();
});
beforeEach(() => {
  target.requests.length = 0;
  target.respondWith(200, JSON.stringify(TODO));
});

function handlerDrawing(draw: number): ReturnType<typeof HttpModule.createHttpHandler> {
  return http.createHttpHandler({ observability, targetUrl: target.url, random: () => draw, fetch: globalThis.fetch });
}

describe('the failure draw', () => {
  it('fails below 0.4 and goes on from 0.4 inclusive', () => {
    expect([0, 0.1, 0.39, 0.3999999].map((draw) => http.drawFails(draw))).toEqual([true, true, true, true]);
    expect([0.4, 0.4000001, 0.7, 0.9999999].map((draw) => http.drawFails(draw))).toEqual([false, false, false, false]);
  });

  it('rejects a random source outside [0, 1)', () => {
    for (const draw of [1, -0.1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => http.drawFails(draw)).toThrow(`random source must return a number in [0, 1), got ${String(draw)}`);
    }
  });
});

describe('http handler', () => {
  it('throws "SSL Cert Exception" on a failing draw and never calls the target', async () => {
    const { outcome, lines } = await captureStdout(() => handlerDrawing(0.39)(snsEvent('/prod/foo'), lambdaContext()));
    expect(outcome.status).toBe('rejected');
    expect((outcome as PromiseRejectedResult).reason).toEqual(new Error('SSL Cert Exception'));
    expect(target.requests).toHaveLength(0);
    expect(metricValue(lines, 'externalCallFailures')).toEqual({ value: 1, namespace: 'XrayTracerTest' });
    expect(metricValue(lines, 'externalCallSuccesses')).toBeUndefined();
  });

  it('GETs the target on a draw of exactly 0.4 and returns its JSON', async () => {
    const { outcome, lines } = await captureStdout(() => handlerDrawing(0.4)(snsEvent('/prod/foo'), lambdaContext()));
    expect(outcome).toEqual({ status: 'fulfilled', value: TODO });
    expect(target.requests).toHaveLength(1);
    expect(target.requests[0]?.path).toBe('/todos/1');
    expect(target.requests[0]?.headers.accept).toBe('application/json');
    expect(metricValue(lines, 'externalCallSuccesses')).toEqual({ value: 1, namespace: 'XrayTracerTest' });
    expect(metricValue(lines, 'externalCallFailures')).toBeUndefined();
  });

  it('fails with the status when the target answers an error', async () => {
    target.respondWith(503, JSON.stringify({ message: 'down' }));
    const { outcome, lines } = await captureStdout(() => handlerDrawing(0.9)(snsEvent('/prod/foo'), lambdaContext()));
    expect((outcome as PromiseRejectedResult).reason).toEqual(new Error(`GET ${target.url} answered HTTP 503`));
    expect(target.requests).toHaveLength(1);
    expect(metricValue(lines, 'externalCallFailures')).toEqual({ value: 1, namespace: 'XrayTracerTest' });
  });

  it('fails clearly when the target answers something that is not JSON', async () => {
    target.respondWith(200, '<html>maintenance</html>');
    const { outcome } = await captureStdout(() => handlerDrawing(0.9)(snsEvent('/prod/foo'), lambdaContext()));
    expect((outcome as PromiseRejectedResult).reason).toEqual(
      new Error(`GET ${target.url} answered a body that is not JSON: "<html>maintenance</html>"`),
    );
  });

  it('names the reason when the target cannot be reached', async () => {
    const closed = await startJsonTarget('/todos/1', TODO);
    await closed.close();
    const handler = http.createHttpHandler({
      observability,
      targetUrl: closed.url,
      random: () => 0.5,
      fetch: globalThis.fetch,
    });
    const { outcome, lines } = await captureStdout(() => handler(snsEvent('/prod/foo'), lambdaContext()));
    expect(String((outcome as PromiseRejectedResult).reason)).toMatch(
      new RegExp(`^Error: GET ${closed.url} failed: .*ECONNREFUSED`),
    );
    expect(metricValue(lines, 'externalCallFailures')).toEqual({ value: 1, namespace: 'XrayTracerTest' });
  });

  it('gives up on a target that does not answer within the timeout', async () => {
    target.hang();
    const handler = http.createHttpHandler({
      observability,
      targetUrl: target.url,
      random: () => 0.5,
      fetch: globalThis.fetch,
      timeoutMillis: 100,
    });
    const { outcome } = await captureStdout(() => handler(snsEvent('/prod/foo'), lambdaContext()));
    expect(String((outcome as PromiseRejectedResult).reason)).toBe(
      `Error: GET ${target.url} failed: The operation was aborted due to timeout`,
    );
    expect(target.requests).toHaveLength(1);
  });

  it('fails an invocation whose random source is broken, without calling the target', async () => {
    const { outcome } = await captureStdout(() => handlerDrawing(1)(snsEvent('/prod/foo'), lambdaContext()));
    expect(String((outcome as PromiseRejectedResult).reason)).toContain('random source must return a number in [0, 1)');
    expect(target.requests).toHaveLength(0);
  });

  it('defaults the target to the public placeholder API when TARGET_URL is unset', () => {
    expect(http.DEFAULT_TARGET_URL).toBe('https://jsonplaceholder.typicode.com/todos/1');
    expect(typeof http.handler).toBe('function');
  });
});
