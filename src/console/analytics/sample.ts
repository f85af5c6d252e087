import type { TraceSummary } from '../api/types.ts';
import { formatClock } from '../shared/format.ts';
import type { SummaryList } from '../traces/summary-list.ts';
import { formatCount, isComplete } from '../traces/summary-list.ts';

/** How many summaries the page may read, newest first; the numbers cover these. */
export const SAMPLE_LIMITS = [1000, 5000, 20000] as const;
export const DEFAULT_SAMPLE_LIMIT = 5000;
/** Summaries asked for a call, so that progress shows and Stop takes effect between calls. */
export const SAMPLE_BATCH = 1000;

/** The limit a URL names: the menu offers SAMPLE_LIMITS, a link may say any whole number up to the largest. */
export function sampleLimitOf(text: string | null): number {
  const value = Number(text);
  const most = SAMPLE_LIMITS[SAMPLE_LIMITS.length - 1] ?? DEFAULT_SAMPLE_LIMIT;
  return text !== null && Number.isInteger(value) && value >= 1 && value <= most ? value : DEFAULT_SAMPLE_LIMIT;
}

/** How many to ask for next; 0 when the list is complete or at the limit. */
export function nextBatchSize(list: SummaryList | undefined, limit: number): number {
  if (list === undefined) return Math.min(SAMPLE_BATCH, limit);
  if (isComplete(list)) return 0;
  return Math.max(0, Math.min(SAMPLE_BATCH, limit - list.summaries.length));
}

/** What the numbers are computed from. */
export interface Sample {
  /** At most the limit, newest first. */
  readonly summaries: readonly TraceSummary[];
  /** Every trace of the range (and group and filter) is among them. */
  readonly complete: boolean;
  /** When not complete: the start of the oldest trace read; older ones are left out. */
  readonly readFrom: number | undefined;
}

/**
 * The list cut to `limit`. The service answers whole pages, so the last call may bring more than
 * asked for; a list cut short is not complete, even when the service had no more pages.
 */
export function sampleOf(list: SummaryList, limit: number): Sample {
  const summaries = list.summaries.length > limit ? list.summaries.slice(0, limit) : list.summaries;
  const complete = isComplete(list) && summaries.length === list.summaries.length;
  return { summaries, complete, readFrom: complete ? undefined : oldestStart(summaries) };
}

function oldestStart(summaries: readonly TraceSummary[]): number | undefined {
  let oldest: number | undefined;
  for (const summary of summaries) {
    if (summary.StartTime !== undefined && (oldest === undefined || summary.StartTime < oldest)) oldest = summary.StartTime;
  }
  return oldest;
}

export type SampleState = 'loading' | 'stopped' | 'done';

/** The progress line: how many are read, and how much of the range the numbers cover. */
export function sampleText(sample: Sample | undefined, state: SampleState, limit: number): string {
  const count = sample?.summaries.length ?? 0;
  const noun = count === 1 ? 'trace' : 'traces';
  if (state === 'loading') return `Reading traces… ${formatCount(count)} read (at most ${formatCount(limit)})`;
  if (sample === undefined) return state === 'stopped' ? 'Stopped before any trace was read' : '';
  if (sample.complete) return count === 0 ? 'No traces in this range' : `All ${formatCount(count)} ${noun} in this range`;
  const newest = `${formatCount(count)} newest ${noun}${sample.readFrom === undefined ? '' : `, back to ${formatClock(sample.readFrom)}`}`;
  if (state === 'stopped') return `Stopped at the ${newest}: the numbers cover only these, not the whole range`;
  return `The ${newest}: the range has more, which the numbers leave out (at most ${formatCount(limit)} are read)`;
}
