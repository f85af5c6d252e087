import { validateDocument } from '../../../src/xray/segments/validate.ts';
import { MemoryTraceStore } from '../../../src/xray/store/index.ts';
import type { SegmentRecord } from '../../../src/xray/store/index.ts';
import { startXrayService } from '../../../src/xray/service.ts';
import type { XrayService } from '../../../src/xray/service.ts';
import { silentLogger } from '../../../src/xray/log/logger.ts';

export interface ManyTraces {
  readonly service: XrayService;
  /** Trace ids, newest first (the service's order). */
  readonly newestFirst: readonly string[];
  /** Response time in seconds by trace id: all different, so a sort by it has one answer. */
  readonly responseTimes: ReadonlyMap<string, number>;
}

const hex = (value: number, width: number): string => value.toString(16).padStart(width, '0');

/**
 * The X-Ray service (in memory, free ports, the built console) holding `count` one-segment traces,
 * one a `spacingSeconds` up to `nowSeconds`, written straight into the store (a few thousand in well
 * under a second): the list, its sorting and Analytics at sizes the pattern's workload cannot
 * reach quickly. Every third trace faults; response times are distinct.
 */
export async function startWithManyTraces(count: number, nowSeconds: number, spacingSeconds = 0.1): Promise<ManyTraces> {
  const store = new MemoryTraceStore({ nowSeconds: () => nowSeconds });
  const records: SegmentRecord[] = [];
  const responseTimes = new Map<string, number>();
  const newestFirst: string[] = [];
  for (let n = 0; n < count; n++) {
    const start = nowSeconds - 60 - (count - n) * spacingSeconds;
    const traceId = `1-${hex(Math.floor(start), 8)}-${hex(n, 24)}`;
    // Distinct, and not in the order of arrival: n * 7919 mod count.
    const responseTime = 0.001 + ((n * 7919) % count) / 1000;
    const fault = n % 3 === 0;
    const result = validateDocument(JSON.stringify({
      name: 'api/prod', id: hex(n, 16), trace_id: traceId, start_time: start, end_time: start + responseTime, origin: 'AWS::ApiGateway::Stage',
      http: { request: { method: 'GET', url: `https://abc.example.com/prod/p${n % 8}` }, response: { status: fault ? 502 : 200 } },
      ...(fault ? { fault: true } : {}),
      annotations: { path: `/prod/p${n % 8}` },
    }));
    if (!result.ok) throw new Error(result.message);
    records.push(result.record);
    responseTimes.set(traceId, responseTime);
    newestFirst.unshift(traceId);
  }
  store.write(records);
  const service = await startXrayService({ store, apiPort: 0, daemonPort: 0, logger: silentLogger, nowMs: () => nowSeconds * 1000 });
  return { service, newestFirst, responseTimes };
}
