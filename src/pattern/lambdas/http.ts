import type { SNSEvent } from 'aws-lambda';
import { countOutcome, createObservability, instrumentHandler, tracedFetch } from './shared/observability.ts';
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
  /**
   * The global fetch: Powertools Tracer records its calls as `remote` subsegments (it listens on
   * undici's diagnostics channels; it also patches the http and https modules, which fetch does not use).
   */
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

async function getJson(fetch: typeof globalThis.fetch, url: string, timeoutMillis: number): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(timeoutMillis),
    });
  } catch (error) {
    // fetch says only "fetch failed"; the reason (refused, certificate, timeout) is in its cause.
    const reason = error instanceof Error && error.cause instanceof Error ? error.cause : error;
    const detail = reason instanceof Error ? reason.message : String(reason);
    throw new Error(`GET ${url} failed: ${detail}`, { cause: error });
  }
  if (!response.ok) {
    throw new Error(`GET ${url} answered HTTP ${response.status}`);
  }
  const text = await response.text();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new Error(`GET ${url} answered a body that is not JSON: ${JSON.stringify(text.slice(0, 80))}`);
  }
}

/** GETs the target and returns its JSON, except for the simulated certificate failures. */
export function createHttpHandler(deps: HttpDependencies): LambdaHandler<SNSEvent, unknown> {
  const { observability, targetUrl, random, fetch, timeoutMillis = 5_000 } = deps;
  const { logger, metrics } = observability;
  return instrumentHandler<SNSEvent, unknown>(observability, async () => {
    const outcomes = { success: 'externalCallSuccesses', failure: 'externalCallFailures' };
    const json = await countOutcome(metrics, outcomes, () => {
      // The simulated failure strikes before any call is made, as a broken TLS setup would.
      if (drawFails(random())) throw new Error('SSL Cert Exception');
      return inSubsegment(observability, 'external HTTP Request', async (subsegment) => {
        const body = await getJson(fetch, targetUrl, timeoutMillis);
        subsegment.addMetadata('response', body);
        return body;
      });
    });
    logger.info('external call succeeded', { targetUrl });
    return json;
  });
}

const httpObservability = createObservability('xray-tracer-http');

/** What the deployed function runs with: settings from its environment. */
export const defaultDependencies: HttpDependencies = {
  observability: httpObservability,
  targetUrl: process.env.TARGET_URL || DEFAULT_TARGET_URL,
  random: Math.random,
  fetch: tracedFetch(httpObservability, globalThis.fetch),
};

export const handler = createHttpHandler(defaultDependencies);
