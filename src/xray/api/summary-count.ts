import type { JsonObject } from '../http/json-fields.ts';
import { optionalEnum, requiredEpochSeconds } from '../http/json-fields.ts';
import { invalidRequest } from '../http/errors.ts';
import { InvalidQueryError } from '../store/index.ts';
import type { TimeRangeType } from '../store/index.ts';
import type { TraceOperationsOptions } from './traces.ts';
import { summaryFilter } from './trace-filter.ts';

/**
 * A local extension, not an X-Ray operation: how many traces GetTraceSummaries would list for the
 * same StartTime, EndTime, TimeRangeType, FilterExpression and GroupName. The console shows it
 * beside the summaries it has loaded, since the API gives no total before the last page
 * (TracesProcessedCount counts traces looked at, not matches).
 */
export const SUMMARY_COUNT_PATH = '/local/TraceSummaryCount';

/** Rows read a step; the event loop is let go between steps, so other calls are answered meanwhile. */
const STEP = 2000;
/** Counting stops after this long and answers what it found, marked as a lower bound. */
const DEFAULT_BUDGET_MS = 10_000;

const TIME_RANGE_TYPES: ReadonlyArray<TimeRangeType> = ['TraceId', 'Event', 'Service'];

export interface SummaryCountResult {
  readonly TraceCount: number;
  /** False when counting stopped at its time budget: TraceCount is then a lower bound. */
  readonly Complete: boolean;
}

export function countTraceSummaries(options: TraceOperationsOptions & { readonly budgetMs?: number; readonly nowMs?: () => number }) {
  const budgetMs = options.budgetMs ?? DEFAULT_BUDGET_MS;
  const nowMs = options.nowMs ?? (() => performance.now());
  return async (body: JsonObject): Promise<SummaryCountResult> => {
    const startTime = requiredEpochSeconds(body, 'StartTime');
    const endTime = requiredEpochSeconds(body, 'EndTime');
    if (endTime < startTime) throw invalidRequest(`EndTime (${endTime}) must not be before StartTime (${startTime})`);
    const timeRangeType = optionalEnum(body, 'TimeRangeType', TIME_RANGE_TYPES) ?? 'TraceId';
    const filter = summaryFilter(body, options.groups);
    await options.beforeRead?.();
    const indexed = options.indexed?.() ?? (() => true);
    const started = nowMs();
    let count = 0;
    let cursor: string | undefined;
    do {
      let page;
      try {
        page = options.store.getTraceSummaries({ startTime, endTime, timeRangeType, limit: STEP, cursor, ...filter });
      } catch (error) {
        if (error instanceof InvalidQueryError) throw invalidRequest(error.message);
        throw error;
      }
      for (const summary of page.summaries) if (indexed(summary.id)) count += 1;
      cursor = page.nextCursor;
      if (cursor !== undefined && nowMs() - started > budgetMs) return { TraceCount: count, Complete: false };
      if (cursor !== undefined) await new Promise((resolve) => setImmediate(resolve));
    } while (cursor !== undefined);
    return { TraceCount: count, Complete: true };
  };
}
