import { MemoryTraceStore } from '../../../src/xray/store/index.ts';
import { startXrayService } from '../../../src/xray/service.ts';
import type { XrayService } from '../../../src/xray/service.ts';
import { silentLogger } from '../../../src/xray/log/logger.ts';
import { patternTrace } from '../../xray/graph/pattern-traces.ts';
import type { FunctionMetricsSource } from '../../../src/xray/metrics-source/function-metrics.ts';

/** An annotation value that would run script if the console ever rendered trace data as HTML. */
export const HOSTILE = '<img src=x onerror="window.__xss=1">';

/** The gateway's response time of request `i`: ten values from 50 ms to 950 ms. */
export function responseTimeOf(i: number): number {
  return 0.05 + 0.1 * (i % 10);
}

export interface StoredWorkload {
  readonly service: XrayService;
  /** Every trace id, oldest first. */
  readonly traceIds: readonly string[];
  /** The ids of the requests whose HTTP flow faulted. */
  readonly faultedTraceIds: readonly string[];
  readonly hostileTraceId: string;
  /** Response time by trace id. */
  readonly responseTimes: ReadonlyMap<string, number>;
}

/**
 * The X-Ray service (in memory, on free ports, serving the built console) holding `count` pattern
 * requests over the last minutes (every third with the HTTP flow faulting) and one trace whose
 * annotation and names are markup. `summariesPageSize` makes GetTraceSummaries pages small, so that
 * a few hundred traces take the console many pages.
 */
export async function startWithPatternWorkload(
  count: number,
  nowSeconds = Date.now() / 1000,
  options: { readonly summariesPageSize?: number; readonly metricsSource?: () => FunctionMetricsSource | undefined } = {},
): Promise<StoredWorkload> {
  const service = await startXrayService({
    store: new MemoryTraceStore(), apiPort: 0, daemonPort: 0, logger: silentLogger, summariesPageSize: options.summariesPageSize,
    ...(options.metricsSource !== undefined ? { metricsSource: options.metricsSource } : {}),
  });
  const traceIds: string[] = [];
  const faultedTraceIds: string[] = [];
  const documents: string[] = [];
  const responseTimes = new Map<string, number>();
  const first = nowSeconds - 240;
  for (let i = 0; i < count; i += 1) {
    const faulted = i % 3 === 0;
    const trace = patternTrace(i + 1, first + (i * 200) / count, { httpFaults: faulted });
    const stage = trace.documents[0] as Record<string, number>;
    stage['end_time'] = (stage['start_time'] as number) + responseTimeOf(i);
    responseTimes.set(trace.traceId, responseTimeOf(i));
    traceIds.push(trace.traceId);
    if (faulted) faultedTraceIds.push(trace.traceId);
    for (const document of trace.documents) documents.push(JSON.stringify(document));
  }
  const hostile = patternTrace(count + 1, nowSeconds - 20);
  const hostileStage = hostile.documents[0] as Record<string, unknown>;
  hostileStage['annotations'] = { note: HOSTILE, path: '/prod/<script>window.__xss=2</script>' };
  hostileStage['metadata'] = { default: { html: HOSTILE } };
  // Span links: one into the first request's trace, with a hostile attribute, one within this trace.
  const firstStage = JSON.parse(documents[0] ?? '{}') as { id?: string };
  hostileStage['links'] = [
    { trace_id: traceIds[0], id: firstStage.id, attributes: { note: HOSTILE } },
    { trace_id: hostile.traceId, id: hostileStage['id'] },
  ];
  responseTimes.set(hostile.traceId, (hostileStage['end_time'] as number) - (hostileStage['start_time'] as number));
  documents.push(...hostile.documents.map((document) => JSON.stringify(document)));
  // PutTraceSegments takes at most a few hundred documents a call, as AWS does.
  for (let at = 0; at < documents.length; at += 200) {
    const response = await fetch(`${service.api.url}/TraceSegments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ TraceSegmentDocuments: documents.slice(at, at + 200) }),
    });
    const body = await response.json() as { UnprocessedTraceSegments?: unknown[] };
    if (!response.ok || (body.UnprocessedTraceSegments?.length ?? 0) > 0) throw new Error(`PutTraceSegments refused documents: ${JSON.stringify(body)}`);
  }
  return { service, traceIds, faultedTraceIds, hostileTraceId: hostile.traceId, responseTimes };
}
