import type { LoadPlan } from './options.ts';
import type { Progress } from '../progress.ts';

/** One request's outcome: the HTTP status, or why there was none. */
export interface RequestResult {
  readonly path: string;
  readonly status: number | undefined;
  readonly failure: string | undefined;
  readonly latencyMillis: number;
}

export interface LoadResult {
  readonly plan: LoadPlan;
  readonly results: ReadonlyArray<RequestResult>;
  readonly elapsedMillis: number;
}

export interface LoadDependencies {
  /** @default globalThis.fetch */
  readonly fetch?: (url: string, init: { signal: AbortSignal }) => Promise<{ status: number; arrayBuffer(): Promise<ArrayBuffer> }>;
  /** A monotonic clock in milliseconds. @default performance.now */
  readonly clock?: () => number;
  readonly progress: Progress;
}

/** Nothing answered at the URL: not a result to summarize but a setup problem to report. */
export class GatewayUnreachableError extends Error {
  override readonly name = 'GatewayUnreachableError';
}

/**
 * Sends `plan.count` GET requests, at most `plan.concurrency` at a time, cycling through the paths.
 * If the first requests cannot connect at all, it stops and throws GatewayUnreachableError rather
 * than hammer a gateway that is not there.
 */
export async function runLoad(plan: LoadPlan, dependencies: LoadDependencies): Promise<LoadResult> {
  const doFetch = dependencies.fetch ?? ((url, init) => fetch(url, init));
  const clock = dependencies.clock ?? (() => performance.now());
  const results: RequestResult[] = [];
  let next = 0;
  let answered = false;
  let unreachable: string | undefined;

  const worker = async (): Promise<void> => {
    while (next < plan.count && unreachable === undefined) {
      const index = next;
      next += 1;
      const path = plan.paths[index % plan.paths.length] ?? '/';
      const startedMs = clock();
      try {
        const response = await doFetch(`${plan.url}${path}`, { signal: AbortSignal.timeout(plan.timeoutMillis) });
        await response.arrayBuffer();
        answered = true;
        results.push({ path, status: response.status, failure: undefined, latencyMillis: clock() - startedMs });
      } catch (error) {
        const reason = failureOf(error);
        if (!answered && CONNECT_FAILURES.has(reason)) {
          unreachable = reason;
          return;
        }
        results.push({ path, status: undefined, failure: reason, latencyMillis: clock() - startedMs });
      }
      dependencies.progress.increment();
    }
  };

  dependencies.progress.start(plan.count);
  const startedAtMs = clock();
  try {
    await Promise.all(Array.from({ length: plan.concurrency }, () => worker()));
  } finally {
    dependencies.progress.stop();
  }
  if (unreachable !== undefined) {
    throw new GatewayUnreachableError(`cannot reach the gateway at ${plan.url} (${unreachable}); is the local cloud running? Start it with \`npm start\`, or point --url at the gateway`);
  }
  return { plan, results, elapsedMillis: clock() - startedAtMs };
}

// 'bad port': fetch refuses ports browsers block (e.g. 9), which can never be the gateway's.
const CONNECT_FAILURES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT', 'bad port']);

/** fetch wraps the network error: `TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } })`. */
function failureOf(error: unknown): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return 'timeout';
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  if (typeof cause?.code === 'string') return cause.code;
  if (typeof cause?.message === 'string') return cause.message;
  return error instanceof Error ? error.message : String(error);
}
