import type { Window } from '../api/client.ts';
import type { TraceSummary } from '../api/types.ts';
import { formatClock, formatMinute } from '../shared/format.ts';
import type { Health } from '../map/graph-model.ts';
import { MAX_PERIODS, choosePeriod, formatPeriod } from '../map/time-series.ts';
import { statusOf } from '../traces/status.ts';

/**
 * Periods shorter than the API's minute: the page counts summaries itself, so a five-minute range
 * can have thirty bars instead of five.
 */
const SHORT_PERIODS = [1, 2, 3, 5, 10, 15, 20, 30];

/** The shortest round period that splits `seconds` into at most MAX_PERIODS; a second at least. */
export function chooseTracePeriod(seconds: number): number {
  for (const period of SHORT_PERIODS) if (seconds / period <= MAX_PERIODS) return period;
  return choosePeriod(seconds);
}

/** A period as the chart's caption says it: `15 s`, `1 min`, `2 h`. */
export function formatTracePeriod(seconds: number): string {
  return seconds < 60 ? `${seconds} s` : formatPeriod(seconds);
}

/** How much of a period the traces read cover. */
export type Coverage = 'all' | 'part' | 'none';

export interface TracePoint extends Health {
  /** Epoch seconds; `end` is the next period's start. */
  readonly start: number;
  readonly end: number;
  readonly coverage: Coverage;
}

/**
 * Traces per period by status (the worst outcome of any of the trace's segments, as the trace list
 * shows it: a gateway's 200 in front of a faulted function counts as a fault),
 * from the period holding `window.start` (periods start on multiples of `period`) to
 * `window.end`. A trace that started outside the window (it is in the range by a later event)
 * counts in the nearest period, so the bars add up to the traces read. `readFrom`, the start of
 * the oldest trace read when older ones were not, marks the periods the numbers do not cover.
 */
export function buildTraceSeries(summaries: readonly TraceSummary[], window: Window, period: number, readFrom?: number): TracePoint[] {
  const first = Math.floor(window.start / period) * period;
  const count = Math.max(1, Math.ceil((window.end - first) / period));
  const totals = Array.from({ length: count }, () => ({ ok: 0, error: 0, throttle: 0, fault: 0, total: 0 }));
  for (const summary of summaries) {
    const time = summary.StartTime ?? window.end;
    const slot = totals[Math.max(0, Math.min(count - 1, Math.floor((time - first) / period)))];
    if (slot === undefined) continue;
    slot[statusOf(summary)] += 1;
    slot.total += 1;
  }
  return totals.map((health, index) => {
    const start = first + index * period;
    const end = start + period;
    const coverage: Coverage = readFrom === undefined || start >= readFrom ? 'all' : end <= readFrom ? 'none' : 'part';
    return { ...health, start, end, coverage };
  });
}

/** `12 traces: 9 OK, 1 error, 0 throttles, 2 faults`. */
export function tracesText(health: Health): string {
  const count = (n: number, one: string): string => `${n} ${n === 1 ? one : `${one}s`}`;
  return `${count(health.total, 'trace')}: ${health.ok} OK, ${count(health.error, 'error')}, ${count(health.throttle, 'throttle')}, ${count(health.fault, 'fault')}`;
}

/** A period's numbers as one line: when, what, and whether they cover it. */
export function tracePointText(point: TracePoint, now = Date.now()): string {
  const clock = point.end - point.start < 60 ? (seconds: number) => formatClock(seconds) : (seconds: number) => formatMinute(seconds, now);
  const when = `${clock(point.start)}–${clock(point.end).split(' ').pop() ?? ''}`;
  if (point.coverage === 'none') return `${when}: not read`;
  const what = point.total === 0 ? 'no traces' : tracesText(point);
  return point.coverage === 'part' ? `${when}: ${what} (only partly read)` : `${when}: ${what}`;
}
