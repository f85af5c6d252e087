/** How `xray-tracer traces` prints summaries: an aligned table, or the API's response shape. */
import type { AnnotationValue, TraceSummary } from '@aws-sdk/client-xray';
import { alignedTable } from '../xray-api/index.ts';
import type { TracesResult } from './query.ts';

const MAX_CELL = 60;

function cell(text: string): string {
  return text.length > MAX_CELL ? `${text.slice(0, MAX_CELL - 1)}…` : text;
}

function annotationText(value: AnnotationValue | undefined): string {
  if (value?.StringValue !== undefined) return JSON.stringify(value.StringValue);
  if (value?.NumberValue !== undefined) return String(value.NumberValue);
  if (value?.BooleanValue !== undefined) return String(value.BooleanValue);
  return '?';
}

function annotations(summary: TraceSummary): string {
  const parts: string[] = [];
  for (const [key, values] of Object.entries(summary.Annotations ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    parts.push(`${key}=${(values ?? []).map((v) => annotationText(v.AnnotationValue)).join('|')}`);
  }
  return parts.join(' ');
}

/** `2026-11-25 10:53:12.125` in UTC. */
function time(date: Date | undefined): string {
  return date === undefined ? '-' : date.toISOString().replace('T', ' ').replace('Z', '');
}

export function formatTable(result: TracesResult): string[] {
  const columns = ['time (UTC)', 'id', 'method', 'status', 'response', 'url', 'annotations'].map((title) => ({ title }));
  const rows = result.summaries.map((s) => [
    time(s.StartTime),
    s.Id ?? '-',
    s.Http?.HttpMethod ?? '-',
    s.Http?.HttpStatus === undefined ? '-' : String(s.Http.HttpStatus),
    s.ResponseTime === undefined ? '-' : `${s.ResponseTime.toFixed(3)} s`,
    cell(s.Http?.HttpURL ?? '-'),
    annotations(s),
  ]);
  const more = result.more ? ` (showing the first ${result.summaries.length}; more match: raise --limit or narrow --since)` : '';
  return [
    ...alignedTable(columns, rows),
    `${result.summaries.length} trace${result.summaries.length === 1 ? '' : 's'} matched of ${result.processed} looked at${more}`,
  ];
}

/**
 * The GetTraceSummaries response shape, times in epoch seconds as on the wire: the pages read,
 * as one answer (no NextToken: `more` cut a page short, so no token would resume exactly there).
 */
export function formatJson(result: TracesResult): string {
  const body = {
    TraceSummaries: result.summaries,
    ApproximateTime: result.approximateTime,
    TracesProcessedCount: result.processed,
  };
  return JSON.stringify(body, function (this: Record<string, unknown>, key, value: unknown) {
    const raw = this[key];
    return raw instanceof Date ? raw.getTime() / 1000 : value;
  }, 2);
}
