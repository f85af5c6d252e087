import { useEffect, useRef, useState } from 'react';
import type { TraceSummary } from '../api/types.ts';
import type { SortOrder } from './sort.ts';
import type { SortAnswer, SortRequest } from './sort-order.ts';
import { sortValues, sortedOrder } from './sort-order.ts';

export interface SortedSummaries {
  /** How many rows; row(i) is the i-th in the chosen order. */
  readonly count: number;
  row(index: number): TraceSummary;
  /** True while the order shown is not yet that of every summary loaded (the worker is at it). */
  readonly sorting: boolean;
}

interface Done {
  readonly order: Uint32Array;
  readonly sort: SortOrder;
  readonly first: TraceSummary | undefined;
}

/**
 * `summaries` in `sort`'s order, sorted by a worker (sort-worker.ts) so that the page stays
 * responsive at 100,000 rows. Until the worker answers, the last order it gave covers the rows it
 * knew and newer rows follow in the service's order; the table says it is sorting.
 */
export function useSortedSummaries(summaries: readonly TraceSummary[], sort: SortOrder): SortedSummaries {
  const worker = useRef<Worker | undefined>(undefined);
  const sent = useRef<{ first: TraceSummary | undefined; count: number }>({ first: undefined, count: 0 });
  const asked = useRef(0);
  const [done, setDone] = useState<Done | undefined>(undefined);
  // A worker that fails to load (a policy that forbids it, a script error) leaves sorting to the page.
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    if (typeof Worker === 'undefined') return undefined;
    const created = new Worker(new URL('./sort-worker.ts', import.meta.url), { type: 'module' });
    worker.current = created;
    created.onerror = () => {
      created.terminate();
      worker.current = undefined;
      setFailed(true);
    };
    return () => {
      created.terminate();
      worker.current = undefined;
      sent.current = { first: undefined, count: 0 };
    };
  }, []);

  useEffect(() => {
    const first = summaries[0];
    const sortNow = { ...sort };
    const id = asked.current + 1;
    asked.current = id;
    const target = worker.current;
    if (target === undefined) {
      // No worker (a test outside a browser, or it failed): sort here.
      setDone({ order: sortedOrder(sortValues(summaries, sortNow.key), sortNow.descending), sort: sortNow, first });
      return;
    }
    const post = (request: SortRequest): void => target.postMessage(request);
    // A new view starts a new list: its first summary is another object.
    if (sent.current.first !== first || sent.current.count > summaries.length) {
      post({ kind: 'reset' });
      sent.current = { first, count: 0 };
    }
    if (summaries.length > sent.current.count) {
      post({ kind: 'append', summaries: summaries.slice(sent.current.count) });
      sent.current = { first, count: summaries.length };
    }
    target.onmessage = (event: MessageEvent<SortAnswer>) => {
      if (event.data.id === asked.current) setDone({ order: event.data.order, sort: sortNow, first });
    };
    post({ kind: 'sort', id, order: sortNow, count: summaries.length });
  }, [summaries, sort, failed]);

  const first = summaries[0];
  const usable = done !== undefined && done.first === first && done.sort.key === sort.key && done.sort.descending === sort.descending;
  const order = usable ? done.order : undefined;
  const known = order?.length ?? 0;
  return {
    count: summaries.length,
    row: (index) => summaries[index < known ? order![index]! : index]!,
    sorting: !usable || known !== summaries.length,
  };
}
