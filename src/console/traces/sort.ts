import type { AnnotationValue, TraceSummary } from '../api/types.ts';
import { rootCauseLabel, rootCauseOf } from './root-cause.ts';
import { statusOf } from './status.ts';

export type SortKey = 'time' | 'id' | 'responseTime' | 'duration' | 'status' | 'rootCause' | 'method' | 'url' | 'annotations';

export interface SortOrder {
  readonly key: SortKey;
  readonly descending: boolean;
}

const STATUS_RANK = { ok: 0, error: 1, throttle: 2, fault: 3 } as const;

type SortValue = number | string;

export function sortValue(summary: TraceSummary, key: SortKey): SortValue {
  switch (key) {
    case 'time': return summary.StartTime ?? 0;
    case 'id': return summary.Id;
    case 'responseTime': return summary.ResponseTime ?? -1;
    case 'duration': return summary.Duration ?? -1;
    case 'status': return STATUS_RANK[statusOf(summary)] * 1000 + (summary.Http?.HttpStatus ?? 0);
    case 'rootCause': {
      const cause = rootCauseOf(summary);
      return cause === undefined ? '' : `${cause.kind === 'fault' ? 2 : 1}${rootCauseLabel(cause)}`;
    }
    case 'method': return summary.Http?.HttpMethod ?? '';
    case 'url': return summary.Http?.HttpURL ?? '';
    case 'annotations': return annotationText(summary);
  }
}

/** A sorted copy; ties keep the service's order (newest first). */
export function sortSummaries(summaries: readonly TraceSummary[], order: SortOrder): TraceSummary[] {
  const direction = order.descending ? -1 : 1;
  return summaries
    .map((summary, index) => ({ summary, index, value: sortValue(summary, order.key) }))
    .sort((a, b) => (a.value < b.value ? -direction : a.value > b.value ? direction : a.index - b.index))
    .map((entry) => entry.summary);
}

/** `key=value` pairs of a summary's annotations, keys sorted, values of one key joined by `|`. */
export function annotationText(summary: TraceSummary): string {
  const annotations = summary.Annotations ?? {};
  return Object.keys(annotations)
    .sort()
    .map((key) => `${key}=${(annotations[key] ?? []).map((entry) => valueText(entry.AnnotationValue)).join('|')}`)
    .join(', ');
}

function valueText(value: AnnotationValue | undefined): string {
  if (value?.StringValue !== undefined) return value.StringValue;
  if (value?.NumberValue !== undefined) return String(value.NumberValue);
  if (value?.BooleanValue !== undefined) return String(value.BooleanValue);
  return '';
}
