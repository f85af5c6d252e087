/// <reference lib="webworker" />
/**
 * Sorts the trace list off the page's thread: the page sends each batch of summaries as it loads
 * (a structured copy of a thousand at a time), and asks for an order; the keys of a column are
 * computed once a summary and kept, so sorting 100,000 again by another column costs one pass and
 * one sort here, and nothing on the page but copying the answer's indexes.
 */
import type { TraceSummary } from '../api/types.ts';
import type { SortKey } from './sort.ts';
import { sortValue } from './sort.ts';
import type { SortAnswer, SortRequest } from './sort-order.ts';
import { sortedOrder } from './sort-order.ts';

let summaries: TraceSummary[] = [];
let values = new Map<SortKey, Array<number | string>>();

self.onmessage = (event: MessageEvent<SortRequest>) => {
  const request = event.data;
  if (request.kind === 'reset') {
    summaries = [];
    values = new Map();
  } else if (request.kind === 'append') {
    for (const summary of request.summaries) summaries.push(summary);
  } else {
    const key = request.order.key;
    const column = values.get(key) ?? [];
    for (let i = column.length; i < summaries.length; i++) column.push(sortValue(summaries[i]!, key));
    values.set(key, column);
    const order = sortedOrder(column.slice(0, request.count), request.order.descending);
    const answer: SortAnswer = { id: request.id, order };
    (self as unknown as DedicatedWorkerGlobalScope).postMessage(answer, [order.buffer]);
  }
};
