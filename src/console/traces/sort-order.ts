import type { TraceSummary } from '../api/types.ts';
import type { SortKey, SortOrder } from './sort.ts';
import { sortValue } from './sort.ts';

/** The keys of one column, in list order: numbers or strings, one per summary. */
export type SortValues = ReadonlyArray<number | string>;

/** The keys of `summaries` for `key`, computed once a summary (appending a batch adds to them). */
export function sortValues(summaries: readonly TraceSummary[], key: SortKey): Array<number | string> {
  return summaries.map((summary) => sortValue(summary, key));
}

/** Indexes of `values` in sorted order; ties keep the service's order (newest first). */
export function sortedOrder(values: SortValues, descending: boolean): Uint32Array {
  const direction = descending ? -1 : 1;
  const order = new Uint32Array(values.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  const numeric = values.every((value) => typeof value === 'number');
  if (numeric) {
    const numbers = values as readonly number[];
    return order.sort((a, b) => (numbers[a]! - numbers[b]!) * direction || a - b);
  }
  return order.sort((a, b) => {
    const x = values[a]!;
    const y = values[b]!;
    return x < y ? -direction : x > y ? direction : a - b;
  });
}

/** A message to the sort worker, and its answer. */
export type SortRequest =
  | { readonly kind: 'reset' }
  | { readonly kind: 'append'; readonly summaries: readonly TraceSummary[] }
  | { readonly kind: 'sort'; readonly id: number; readonly order: SortOrder; readonly count: number };
export interface SortAnswer {
  readonly id: number;
  /** Indexes into the first `count` summaries sent since the last reset. */
  readonly order: Uint32Array;
}
