/** Reads trace summaries from the X-Ray API with `@aws-sdk/client-xray`, page by page. */
import { paginateGetTraceSummaries, type TraceSummary, type XRayClient } from '@aws-sdk/client-xray';
import { callService } from '../xray-api/index.ts';
import type { TracesPlan } from './options.ts';

export interface TracesResult {
  readonly summaries: TraceSummary[];
  readonly approximateTime: Date | undefined;
  readonly processed: number;
  /** The limit stopped the paging before the end: more traces match. */
  readonly more: boolean;
}

export async function readSummaries(plan: TracesPlan, client: XRayClient): Promise<TracesResult> {
  const summaries: TraceSummary[] = [];
  let approximateTime: Date | undefined;
  let processed = 0;
  let more = false;
  const request = {
    StartTime: new Date(plan.startTime * 1000),
    EndTime: new Date(plan.endTime * 1000),
    // By when the segments ran, as the console asks: OpenTelemetry SDKs make random trace ids, whose
    // first digits are no timestamp, so the default (the id's time) would miss their traces.
    TimeRangeType: 'Event' as const,
    ...(plan.filter === undefined ? {} : { FilterExpression: plan.filter }),
  };
  await callService(plan.endpoint, async () => {
    for await (const page of paginateGetTraceSummaries({ client }, request)) {
      approximateTime ??= page.ApproximateTime;
      processed += page.TracesProcessedCount ?? 0;
      summaries.push(...(page.TraceSummaries ?? []));
      if (summaries.length >= plan.limit) {
        more = summaries.length > plan.limit || page.NextToken !== undefined;
        break;
      }
    }
  });
  return { summaries: summaries.slice(0, plan.limit), approximateTime, processed, more };
}
