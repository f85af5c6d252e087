import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { SNSEvent } from 'aws-lambda';
import { createObservability, instrumentHandler } from './shared/observability.ts';
import type { LambdaHandler, Observability } from './shared/observability.ts';
import { inSubsegment } from './shared/subsegment.ts';

export const DEFAULT_TARGET_URL = 'https://jsonplaceholder.typicode.com/todos/1';

/** Share of invocations that fail on purpose, so that the map and the traces show faults. */
export const FAILURE_RATE = 0.4;

export interface HttpDependencies {
  readonly observability: Observability;
  /** A JSON endpoint fetched with GET. */
  readonly targetUrl: string;
  /** Uniform draws in [0, 1), like Math.random. */
  readonly random: () => number;
  /** The global fetch: Powertools Tracer records its calls as `remote` subsegments (via undici's diagnostics channels). */
  readonly fetch: typeof globalThis.fetch;
  readonly timeoutMillis?: number;
}

/** Decides one invocation: draws in [0, FAILURE_RATE) fail, [FAILURE_RATE, 1) go on (so 0.4 itself succeeds). */
export function drawFails(draw: number): boolean {
  if (!Number.isFinite(draw) || draw < 0 || draw >= 1) {
    throw new Error(`random source must return a number in [0, 1), got ${String(draw)}`);
  }
  return draw < FAILURE_RATE;
}

/** GETs the target and returns its JSON, except for the simulated certificate failures. */
export function createHttpHandler(deps: HttpDependencies): LambdaHandler<SNSEvent, unknown> {
  const { observability, targetUrl, random, fetch, timeoutMillis = 5_000 } = deps;
  const { tracer, logger, metrics } = observability;
  return instrumentHandler<SNSEvent, unknown>(observability, async () => {
    if (drawFails(random())) {
      metrics.addMetric('externalCallFailures', MetricUnit.Count, 1);
      throw new Error('SSL Cert Exception');
    }
    try {
      const body = await inSubsegment(tracer, 'external HTTP Request', async (subsegment) => {
        const response = await fetch(targetUrl, {
          headers: { accept: 'application/json' },
          signal: AbortSignal.timeout(timeoutMillis),
        });
        if (!response.ok) {
          throw new Error(`GET ${targetUrl} answered HTTP ${response.status}`);
        }
        const text = await response.text();
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          throw new Error(`GET ${targetUrl} answered a body that is not JSON: ${text.slice(0, 80)}`);
        }
        subsegment.addMetadata('response', json);
        return json;
      });
      metrics.addMetric('externalCallSuccesses', MetricUnit.Count, 1);
      logger.info('external call succeeded', { targetUrl });
      return body;
    } catch (error) {
      metrics.addMetric('externalCallFailures', MetricUnit.Count, 1);
      throw error;
    }
  });
}

export const handler = createHttpHandler({
  observability: createObservability('xray-tracer-http'),
  targetUrl: process.env.TARGET_URL || DEFAULT_TARGET_URL,
  random: Math.random,
  fetch: (input, init) => globalThis.fetch(input, init),
});
