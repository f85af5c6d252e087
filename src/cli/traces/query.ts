/**
 * Reads trace summaries from the X-Ray API with `@aws-sdk/client-xray`, page by page. A group
 * scope travels as the API's GroupName extension (the SDK's model has no such member, so a
 * middleware adds it to the serialized request), which leaves the filter text as the user wrote
 * it and the column of a parse error right.
 */
import { paginateGetTraceSummaries, XRayClient, XRayServiceException, type TraceSummary } from '@aws-sdk/client-xray';
import type { TracesPlan } from './options.ts';

export interface TracesResult {
  readonly summaries: TraceSummary[];
  readonly approximateTime: Date | undefined;
  readonly processed: number;
  /** The limit stopped the paging before the end: more traces match. */
  readonly more: boolean;
}

/** The service answered with an error (a bad filter, an unknown group). */
export class TracesRequestError extends Error {
  override readonly name = 'TracesRequestError';
}

/** Nothing answered at the endpoint. */
export class ServiceUnreachableError extends Error {
  override readonly name = 'ServiceUnreachableError';
}

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENOTFOUND', 'ETIMEDOUT', 'EAI_AGAIN', 'TimeoutError']);

export function tracesClient(plan: TracesPlan): XRayClient {
  const client = new XRayClient({
    endpoint: plan.endpoint,
    region: process.env.AWS_REGION ?? 'us-east-1',
    // The local service does not check signatures; these only let the SDK sign.
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' },
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 5000, requestTimeout: 60_000 },
  });
  const group = plan.group;
  if (group !== undefined) {
    client.middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as { body?: unknown; headers?: Record<string, string> };
        // The SDK serializes the body to a string or to bytes, depending on its version.
        const text = typeof request.body === 'string' ? request.body
          : request.body instanceof Uint8Array ? new TextDecoder().decode(request.body) : undefined;
        if (text !== undefined) {
          const body = JSON.stringify({ ...(JSON.parse(text) as object), GroupName: group });
          request.body = body;
          if (request.headers?.['content-length'] !== undefined) request.headers['content-length'] = String(Buffer.byteLength(body));
        }
        return next(args);
      },
      { step: 'build', priority: 'high', name: 'xrayTracerGroupScope' },
    );
  }
  return client;
}

export async function readSummaries(plan: TracesPlan, client: XRayClient): Promise<TracesResult> {
  const summaries: TraceSummary[] = [];
  let approximateTime: Date | undefined;
  let processed = 0;
  let more = false;
  const request = {
    StartTime: new Date(plan.startTime * 1000),
    EndTime: new Date(plan.endTime * 1000),
    ...(plan.filter === undefined ? {} : { FilterExpression: plan.filter }),
  };
  try {
    for await (const page of paginateGetTraceSummaries({ client }, request)) {
      approximateTime ??= page.ApproximateTime;
      processed += page.TracesProcessedCount ?? 0;
      summaries.push(...(page.TraceSummaries ?? []));
      if (summaries.length >= plan.limit) {
        more = summaries.length > plan.limit || page.NextToken !== undefined;
        break;
      }
    }
  } catch (error) {
    if (error instanceof XRayServiceException) throw new TracesRequestError(`${error.name}: ${error.message}`);
    const code = (error as { code?: string; name?: string }).code ?? (error as { name?: string }).name ?? '';
    if (CONNECTION_CODES.has(code)) {
      throw new ServiceUnreachableError(`cannot reach the X-Ray service at ${plan.endpoint} (${code}); start it with \`npx xray-tracer xray\` or point --endpoint at it`);
    }
    throw error;
  }
  return { summaries: summaries.slice(0, plan.limit), approximateTime, processed, more };
}
